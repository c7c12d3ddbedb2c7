package io.hireloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.learning.attribution.Attribution;
import io.hireloop.learning.attribution.AttributionReport;
import io.hireloop.platform.Json;
import io.hireloop.simulation.Evaluation;
import io.hireloop.simulation.SimulationModel;
import io.hireloop.simulation.Simulator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/hireloop attribution --data DIR}: the attribution (what causes interviews) on a simulated data set, with a
 * progress bar on stderr and the report (JSON, as {@code GET /api/v1/attribution/...} serves it) on stdout.
 *
 * <p>{@code bin/hireloop attribution-study --users N --weeks W --seeds K}: the coverage study — K fresh simulations
 * (seeds 1..K), the within-user estimates of each, and how often their intervals cover the planted effects; one line
 * per seed on stderr and a JSON summary on stdout.
 */
final class AttributionCommand {
  private AttributionCommand() {}

  static int run(Cli.Options o, PrintStream out) throws IOException {
    var dir = Path.of(o.required("data"));
    if (!Files.isRegularFile(dir.resolve("events.jsonl"))) {
      System.err.println("hireloop: --data " + dir + ": no events.jsonl there (write one with bin/hireloop simulate --out DIR)");
      return 2;
    }
    var bar = new ProgressBar(System.err, System.console() != null, 3_000_000_000L);
    long t0 = System.nanoTime();
    System.err.println("reading " + dir.resolve("events.jsonl") + " …");
    var rows = Evaluation.labelledSnapshots(dir);
    double readSeconds = (System.nanoTime() - t0) / 1e9;
    System.err.printf("%,d labelled applications in %.1f s%n", rows.size(), readSeconds);
    long t1 = System.nanoTime();
    var report = Attribution.run(rows, settings(o), (stage, done, total) ->
        bar.update("  " + stage + " ", done, total, "steps", -1, done == total));
    System.err.printf("attribution in %.1f s%n", (System.nanoTime() - t1) / 1e9);
    out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    return 0;
  }

  private static Attribution.Settings settings(Cli.Options o) {
    var d = Attribution.Settings.defaults();
    return new Attribution.Settings(o.integer("min-support", d.minSupport()), o.integer("max-primary-rows", d.maxPrimaryRows()),
        o.integer("max-cross-check-rows", d.maxCrossCheckRows()), !o.flag("no-refuters"), !o.flag("no-cross-checks"), d.seed());
  }

  static int study(Cli.Options o, PrintStream out) throws IOException {
    int users = o.integer("users", 2000), weeks = o.integer("weeks", 26), seeds = o.integer("seeds", 20);
    if (users < 100 || weeks < 4 || seeds < 1) throw new Cli.UsageException("--users ≥ 100, --weeks ≥ 4 and --seeds ≥ 1");
    var model = SimulationModel.defaults();
    var edits = SimulationModel.EDIT_TYPES;
    var coveredLogOdds = new int[edits.size()];
    var coveredRisk = new int[edits.size()];
    var within2 = new int[edits.size()];
    var errors = new ArrayList<List<Double>>();
    for (int e = 0; e < edits.size(); e++) errors.add(new ArrayList<>());
    int tuesdayNull = 0, tuesdayNotSignificant = 0, naivePositive = 0, runs = 0;
    long t0 = System.nanoTime();
    for (int seed = 1; seed <= seeds; seed++) {
      var dir = Files.createTempDirectory("hireloop-study");
      try {
        new Simulator(model, users, weeks, seed, LocalDate.parse("2026-01-05")).run(dir);
        JsonNode gt = Json.read(Files.readString(dir.resolve("ground_truth.json")));
        AttributionReport r = Attribution.run(Evaluation.labelledSnapshots(dir), Attribution.Settings.defaults().primaryOnly(),
            Attribution.Progress.NONE);
        runs++;
        var line = new StringBuilder("seed " + seed + ":");
        for (int e = 0; e < edits.size(); e++) {
          var f = r.edit(edits.get(e));
          if (f == null) continue;
          double planted = model.editEffects().get(edits.get(e));
          double att = gt.path("edit_effects_att_probability_labelled").path(edits.get(e)).asDouble();
          if (f.logOddsCiLow() <= planted && planted <= f.logOddsCiHigh()) coveredLogOdds[e]++;
          if (f.ciLow() <= att && att <= f.ciHigh()) coveredRisk[e]++;
          if (Math.abs(f.estimate() - att) <= 0.02) within2[e]++;
          errors.get(e).add(f.estimate() - att);
          line.append(String.format(" %s %+.3f (planted %+.2f)", edits.get(e), f.logOdds(), planted));
        }
        var tue = r.timing("weekday", "Tuesday");
        if (tue != null) {
          if (tue.logOddsCiLow() <= 0 && 0 <= tue.logOddsCiHigh()) tuesdayNull++;
          if (tue.pValueAdjusted() >= 0.05) tuesdayNotSignificant++;
          if (tue.naiveDifference() > 0) naivePositive++;
          line.append(String.format(" | Tuesday %+.3f [%+.3f, %+.3f] naive %+.4f", tue.logOdds(), tue.logOddsCiLow(),
              tue.logOddsCiHigh(), tue.naiveDifference()));
        }
        System.err.println(line);
      } finally {
        try (var files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    var summary = new LinkedHashMap<String, Object>();
    summary.put("users", users);
    summary.put("weeks", weeks);
    summary.put("seeds", runs);
    var perEdit = new LinkedHashMap<String, Object>();
    for (int e = 0; e < edits.size(); e++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("planted_log_odds", model.editEffects().get(edits.get(e)));
      m.put("ci_covers_planted_log_odds", share(coveredLogOdds[e], runs));
      m.put("ci_covers_planted_risk_difference", share(coveredRisk[e], runs));
      m.put("within_0_02_of_planted_risk_difference", share(within2[e], runs));
      m.put("mean_error_risk_difference", round(errors.get(e).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
      m.put("max_abs_error_risk_difference", round(errors.get(e).stream().mapToDouble(v -> Math.abs(v)).max().orElse(Double.NaN)));
      perEdit.put(edits.get(e), m);
    }
    summary.put("edits", perEdit);
    summary.put("tuesday_ci_covers_zero", share(tuesdayNull, runs));
    summary.put("tuesday_not_significant_after_holm", share(tuesdayNotSignificant, runs));
    summary.put("tuesday_naive_difference_positive", share(naivePositive, runs));
    summary.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
    out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    return 0;
  }

  private static double share(int k, int n) {
    return n == 0 ? Double.NaN : Math.round(1000.0 * k / n) / 1000.0;
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
