package io.hireloop.cli;

import io.hireloop.coldstart.ColdStartSettings;
import io.hireloop.coldstart.ColdStartStudy;
import io.hireloop.platform.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;

/**
 * {@code bin/hireloop cold-start-study [--users N] [--weeks W] [--seeds K] [--holdout-every H]}: per seed, the held-out
 * users' log loss of the cold-start prediction (profile alone) and of the global average ({@link ColdStartStudy}); one
 * line per seed on stderr, the results (JSON) on stdout. Settings are the defaults of hireloop.cold-start.
 */
final class ColdStartStudyCommand {
  private ColdStartStudyCommand() {}

  static int run(Cli.Options o, PrintStream out) throws IOException {
    int users = o.integer("users", 2000), weeks = o.integer("weeks", 16), seeds = o.integer("seeds", 5);
    int holdoutEvery = o.integer("holdout-every", 4);
    if (users < 200 || weeks < 4 || seeds < 1 || holdoutEvery < 2) {
      throw new Cli.UsageException("--users ≥ 200, --weeks ≥ 4, --seeds ≥ 1 and --holdout-every ≥ 2");
    }
    var results = new ArrayList<ColdStartStudy.Result>();
    for (int seed = 1; seed <= seeds; seed++) {
      var dir = Files.createTempDirectory("hireloop-cold-start");
      try {
        var r = ColdStartStudy.run(users, weeks, seed, holdoutEvery, ColdStartSettings.DEFAULTS, dir);
        results.add(r);
        System.err.printf("seed %d: log loss global %.4f, cold start %.4f, improvement %.1f %% (%d held-out users, %d applications)%n",
            seed, r.logLossGlobal(), r.logLossColdStart(), 100 * r.improvement(), r.heldOutUsers(), r.heldOutApplications());
      } finally {
        try (var walk = Files.walk(dir)) {
          walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    var summary = new java.util.LinkedHashMap<String, Object>();
    summary.put("runs", results);
    summary.put("mean_improvement", results.stream().mapToDouble(ColdStartStudy.Result::improvement).average().orElse(Double.NaN));
    summary.put("min_improvement", results.stream().mapToDouble(ColdStartStudy.Result::improvement).min().orElse(Double.NaN));
    out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    return 0;
  }
}
