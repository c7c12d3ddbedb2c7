package io.hireloop.stats.causal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Seeded simulations with a known true effect. */
class PlantedEffectTest {
  static final List<String> NAMES = List.of("x1", "x2");

  @Test
  void ipwAndAipwRecoverTheAteWhereTheNaiveDifferenceIsBiased() {
    var d = Sim.confounded(10_000, 2.0, 21);
    var x = (double[][]) d[0];
    var t = (int[]) d[1];
    var y = (double[]) d[2];
    double naive = Stats.naiveDifference(y, t);
    var ipw = Causal.ipw(NAMES, x, t, y, "ate");
    var dr = Causal.doublyRobust(NAMES, x, t, y);
    var psm = Causal.psm(NAMES, x, t, y, "ate");
    System.out.printf("planted ATE 2.0: naive %.3f, IPW %.3f (SE %.3f), AIPW %.3f (SE %.3f), PSM ATE %.3f (SE %.3f)%n",
        naive, ipw.estimate(), ipw.stdError(), dr.estimate(), dr.stdError(), psm.estimate(), psm.stdError());
    assertTrue(Math.abs(naive - 2.0) > 1.0, "naive should be biased: " + naive);
    assertEquals(2.0, ipw.estimate(), 0.25);
    assertEquals(2.0, dr.estimate(), 0.1);
    assertEquals(2.0, psm.estimate(), 0.25);
    assertTrue(dr.ciLow() < 2.0 && dr.ciHigh() > 2.0, "AIPW CI covers the truth");
    assertTrue(dr.stdError() > 0.005 && dr.stdError() < 0.1, "AIPW SE " + dr.stdError());
    // weighting balances the covariates
    for (var b : ipw.balance()) assertTrue(Math.abs(b.smdAfter()) < 0.1, b.toString());
  }

  @Test
  void ipwAttMatchesThePlantedEffectUnderHeterogeneity() {
    // effect 1 + x1: ATT = 1 + E[x1 | t = 1] > ATE = 1
    int n = 20_000;
    var s = new Sim(22);
    var x = new double[n][1];
    var t = new int[n];
    var y = new double[n];
    double sumX1Treated = 0;
    for (int i = 0; i < n; i++) {
      x[i][0] = s.gauss();
      t[i] = s.random.nextDouble() < Propensity.sigmoid(x[i][0]) ? 1 : 0;
      y[i] = x[i][0] + (1 + x[i][0]) * t[i] + s.gauss();
      if (t[i] == 1) sumX1Treated += x[i][0];
    }
    double trueAtt = 1 + sumX1Treated / Stats.count(t, 1);
    var att = Causal.ipw(List.of("x1"), x, t, y, "att");
    var ate = Causal.ipw(List.of("x1"), x, t, y, "ate");
    var psmAtt = Causal.psm(List.of("x1"), x, t, y, "att");
    assertEquals(trueAtt, att.estimate(), 0.1);
    assertEquals(1.0, ate.estimate(), 0.1);
    assertEquals(trueAtt, psmAtt.estimate(), 0.1);
  }

  @Test
  void twoStageLeastSquaresRemovesEndogeneityBias() {
    int n = 5_000;
    var s = new Sim(31);
    var y = new double[n];
    var d = new double[n];
    var z = new double[n][1];
    var w = new double[n][1];
    for (int i = 0; i < n; i++) {
      double u = s.gauss();
      z[i][0] = s.gauss();
      w[i][0] = s.gauss();
      d[i] = 0.8 * z[i][0] + 0.5 * w[i][0] + u + 0.5 * s.gauss();
      y[i] = 1 + 1.5 * d[i] + 0.7 * w[i][0] + 2 * u + s.gauss();
    }
    var r = InstrumentalVariables.twoStage(y, d, z, w, true);
    var classical = InstrumentalVariables.twoStage(y, d, z, w, false);
    System.out.printf("2SLS: true 1.5, OLS %.3f, 2SLS %.3f (robust SE %.4f, classical %.4f), first-stage F %.1f%n",
        r.olsEstimate(), r.estimate(), r.stdError(), classical.stdError(), r.firstStageF());
    assertTrue(r.olsEstimate() > 2.0, "OLS biased: " + r.olsEstimate());
    assertEquals(1.5, r.estimate(), 0.1);
    assertTrue(Math.abs(r.estimate() - 1.5) < 3 * r.stdError() + 1e-9);
    assertTrue(r.firstStageF() > 1000);
    assertTrue(r.warnings().isEmpty());
    assertEquals(r.stdError(), classical.stdError(), 0.3 * classical.stdError());
  }

  @Test
  void weakInstrumentIsWarned() {
    int n = 500;
    var s = new Sim(32);
    var y = new double[n];
    var d = new double[n];
    var z = new double[n][1];
    for (int i = 0; i < n; i++) {
      double u = s.gauss();
      z[i][0] = s.gauss();
      d[i] = 0.02 * z[i][0] + u;
      y[i] = d[i] + u + s.gauss();
    }
    var r = InstrumentalVariables.twoStage(y, d, z, null, true);
    assertTrue(r.firstStageF() < 10, "F " + r.firstStageF());
    assertTrue(r.warnings().stream().anyMatch(w -> w.contains("weak instrument")), r.warnings().toString());
  }

  @Test
  void differenceInDifferencesRecoversThePlantedEffect() {
    // 200 units, 2 periods; group-level confounding in levels and a common trend
    var data = Sim.did(200, 41);
    var y = (double[]) data[0];
    var treat = (int[]) data[1];
    var post = (int[]) data[2];
    var id = (String[]) data[3];
    var r = DifferenceInDifferences.estimate(y, treat, post, null, null);
    var clustered = DifferenceInDifferences.estimate(y, treat, post, null, id);
    System.out.printf("DiD: true 2.0, estimate %.3f, four-means %.3f, classical SE %.4f, clustered SE %.4f%n",
        r.estimate(), r.fourMeans(), r.stdError(), clustered.stdError());
    assertEquals(2.0, r.estimate(), 0.25);
    assertEquals(r.fourMeans(), r.estimate(), 1e-9);
    // noise of the interaction: within-unit differences have sd 0.5·√2, so SE ≈ 0.71·√(2/100) = 0.1
    assertEquals(0.1, clustered.stdError(), 0.03);
    assertTrue(r.stdError() > 0.05 && r.stdError() < 0.5, "classical SE " + r.stdError());
  }

  @Test
  void regressionDiscontinuityRecoversTheJump() {
    int n = 4_000;
    var s = new Sim(51);
    var x = new double[n];
    var y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = s.random.nextDouble() * 2 - 1;
      y[i] = 0.5 + 0.8 * x[i] - 0.6 * x[i] * x[i] + (x[i] >= 0 ? 1.0 : 0) + 0.3 * s.gauss();
    }
    var r = RegressionDiscontinuity.sharp(x, y, 0, Double.NaN);
    System.out.printf("RD: true jump 1.0, estimate %.3f (SE %.4f), bandwidth %.3f, %d/%d rows%n",
        r.estimate(), r.stdError(), r.bandwidth(), r.nLeft(), r.nRight());
    assertEquals(1.0, r.estimate(), 0.15);
    assertTrue(Math.abs(r.estimate() - 1.0) < 3.5 * r.stdError());
    assertTrue(r.bandwidth() > 0.05 && r.bandwidth() <= 1.0, "bandwidth " + r.bandwidth());
    assertTrue(r.stdError() > 0.01 && r.stdError() < 0.15);
  }

  @Test
  void noJumpGivesAnEstimateNearZero() {
    int n = 3_000;
    var s = new Sim(52);
    var x = new double[n];
    var y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = 50 + 10 * s.gauss();
      y[i] = 0.1 * x[i] + s.gauss();
    }
    var r = RegressionDiscontinuity.sharp(x, y, 55, Double.NaN);
    assertTrue(Math.abs(r.estimate()) < 3.5 * r.stdError(), r.toString());
  }
}
