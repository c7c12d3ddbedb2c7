package io.hireloop.learning.attribution;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.simulation.Evaluation;
import io.hireloop.simulation.SimulationModel;
import io.hireloop.simulation.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EditAttributionTest {
  @TempDir
  Path dir;

  @Test
  void adjustedEffectsBeatTheNaiveOnesOnTheSimulator() throws Exception {
    var model = SimulationModel.defaults();
    new Simulator(model, 800, 16, 3, LocalDate.parse("2026-01-05")).run(dir);
    var rows = Evaluation.labelledSnapshots(dir);
    long t0 = System.nanoTime();
    var report = EditAttribution.analyse(rows);
    System.out.printf("rows %d, attribution %.1f s%n", rows.size(), (System.nanoTime() - t0) / 1e9);
    for (var e : report.effects()) {
      System.out.printf("%-28s true %.3f naive %.3f adjusted %.3f [%.3f, %.3f] %s smd %.3f %s%n", e.editType(),
          model.editEffects().get(e.editType()), e.naiveLogOdds(), e.logOdds(), e.logOddsCiLow(), e.logOddsCiHigh(),
          e.causalConfidence(), e.balance(), e.methodEstimates().stream().map(m -> m.method() + "=" + String.format("%.3f", m.logOdds())).toList());
    }
    report.skipped().forEach(s -> System.out.println("skipped " + s));
    var metrics = report.effects().stream().filter(e -> e.editType().equals("added_metrics_to_bullets")).findFirst().orElse(null);
    assertNotNull(metrics);
    double truth = model.editEffects().get("added_metrics_to_bullets");
    assertTrue(Math.abs(metrics.logOdds() - truth) < Math.abs(metrics.naiveLogOdds() - truth), "adjusted closer than naive");
    assertTrue(metrics.logOddsCiLow() <= truth && truth <= metrics.logOddsCiHigh(), "CI covers the truth");
    var zero = report.effects().stream().filter(e -> e.editType().equals("reorganized_sections")).findFirst().orElse(null);
    assertNotNull(zero);
    assertTrue(zero.causalConfidence() != EditAttribution.Confidence.HIGH || (zero.ciLow() <= 0 && zero.ciHigh() >= 0),
        "a planted zero effect is not reported as a HIGH-confidence non-zero effect");
  }
}
