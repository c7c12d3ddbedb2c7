package io.hireloop.cli;

import io.hireloop.platform.Json;
import io.hireloop.simulation.Evaluation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bin/hireloop evaluate --data DIR [--seed S]}: the learning-quality report on a simulated data set
 * (see {@link Evaluation}), one JSON object on stdout. Bad input exits 2 with the reason on stderr.
 */
final class EvaluateCommand {
  private EvaluateCommand() {}

  static int run(Cli.Options o, PrintStream out) throws IOException {
    var dir = Path.of(o.required("data"));
    long seed;
    try {
      seed = Long.parseLong(o.get("seed", "42"));
    } catch (NumberFormatException e) {
      throw new Cli.UsageException("--seed must be a whole number");
    }
    if (!Files.isDirectory(dir)) {
      System.err.println("hireloop: --data " + dir + ": no such directory (write one with bin/hireloop simulate --out DIR)");
      return 2;
    }
    try {
      out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Evaluation.run(dir, seed)));
      return 0;
    } catch (Evaluation.BadInput e) {
      System.err.println("hireloop: " + e.getMessage());
      return 2;
    }
  }
}
