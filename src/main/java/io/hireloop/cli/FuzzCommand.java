package io.hireloop.cli;

import io.hireloop.cli.fuzz.FuzzTarget;
import io.hireloop.cli.fuzz.Fuzzer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * {@code bin/hireloop fuzz --target ingest|spec|stream|all --seconds N [--seed S]}: the seeded structure-aware
 * fuzzing of the suite's FuzzTest, run for longer. Prints executions and findings per target; exit 1 on a finding.
 */
final class FuzzCommand {
  private FuzzCommand() {}

  static int run(Cli.Options options, PrintStream out) {
    var target = options.get("target", "all");
    var targets = target.equals("all") ? FuzzTarget.NAMES : List.of(target);
    if (!FuzzTarget.NAMES.containsAll(targets)) throw new Cli.UsageException("--target must be ingest, spec, stream or all");
    int seconds = options.integer("seconds", 60);
    if (seconds < 1) throw new Cli.UsageException("--seconds must be at least 1");
    long seed;
    try {
      seed = Long.parseLong(options.get("seed", String.valueOf(System.currentTimeMillis())));
    } catch (NumberFormatException e) {
      throw new Cli.UsageException("--seed must be an integer");
    }
    boolean clean = true;
    for (var name : targets) {
      var report = Fuzzer.run(FuzzTarget.named(name), seed, Long.MAX_VALUE, Duration.ofSeconds(seconds));
      Fuzzer.lines(report).forEach(out::println);
      clean &= report.clean();
    }
    return clean ? 0 : 1;
  }
}
