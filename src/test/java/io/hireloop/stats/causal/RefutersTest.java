package io.hireloop.stats.causal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RefutersTest {
  @Test
  void aTrueEffectSurvivesAllRefutersAndThePlaceboIsNearZero() {
    var d = Sim.confounded(3_000, 2.0, 61);
    var x = (double[][]) d[0];
    var t = (int[]) d[1];
    var y = (double[]) d[2];
    var r = Causal.ipw(List.of("x1", "x2"), x, t, y, "ate");
    var refuted = r.withRefutations(Refuters.all(y, t, x, Causal.estimator("ipw", "ate"), r.estimate(), 20, 7));
    refuted.refutations().forEach(System.out::println);
    assertEquals(3, refuted.refutations().size());
    for (var f : refuted.refutations()) assertTrue(f.passed(), f.toString());
    assertFalse(refuted.flagged());
    var placebo = refuted.refutations().get(0);
    assertEquals("placebo_treatment", placebo.name());
    assertTrue(Math.abs(placebo.newEstimate()) < 0.1 * Math.abs(r.estimate()), placebo.toString());
    assertEquals(r.estimate(), refuted.refutations().get(1).newEstimate(), 0.05);
    assertEquals(r.estimate(), refuted.refutations().get(2).newEstimate(), 0.1);
  }

  @Test
  void anEstimatorThatIgnoresTreatmentFailsThePlaceboAndIsFlagged() {
    var d = Sim.confounded(1_000, 2.0, 62);
    var x = (double[][]) d[0];
    var t = (int[]) d[1];
    var y = (double[]) d[2];
    Refuters.Estimator broken = (yy, tt, xx) -> 2.0; // claims 2 whatever the treatment
    var placebo = Refuters.placebo(y, t, x, broken, 2.0, 10, 1);
    assertFalse(placebo.passed());
    var r = CausalEstimate.normal("x", "ate", 2.0, 0.1, 1, 1, 0, List.of(), List.of()).withRefutations(List.of(placebo));
    assertTrue(r.flagged());
    assertTrue(r.warnings().stream().anyMatch(w -> w.contains("placebo_treatment")));
  }

  @Test
  void bootstrapIsSeededAndCoversTheTruth() {
    var d = Sim.confounded(2_000, 2.0, 63);
    var x = (double[][]) d[0];
    var t = (int[]) d[1];
    var y = (double[]) d[2];
    var est = Causal.estimator("dr", "ate");
    Bootstrap.Estimator b = rows -> {
      var ys = new double[rows.length];
      var ts = new int[rows.length];
      var xs = new double[rows.length][];
      for (int i = 0; i < rows.length; i++) {
        ys[i] = y[rows[i]];
        ts[i] = t[rows[i]];
        xs[i] = x[rows[i]];
      }
      return est.estimate(ys, ts, xs);
    };
    var a = Bootstrap.percentile(y.length, b, 100, 5, 0.95);
    var again = Bootstrap.percentile(y.length, b, 100, 5, 0.95);
    assertEquals(a, again);
    assertTrue(a.low() < 2.0 && a.high() > 2.0, a.toString());
    var analytic = DoublyRobust.aipw(x, Propensity.fit(x, t).scores(), t, y).stdError();
    assertEquals(analytic, a.stdError(), 0.5 * analytic);
  }
}
