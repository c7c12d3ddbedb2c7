package io.hireloop.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTest {
  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /** Overconfident scores: the true log-odds are z, the model reports sigmoid(3z). */
  private record Sample(double[] logit, double[] p, int[] y) {}

  private static Sample sample(long seed, int n) {
    var rnd = new Random(seed);
    double[] logit = new double[n], p = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      double z = rnd.nextGaussian() * 1.5;
      y[i] = rnd.nextDouble() < sigmoid(z) ? 1 : 0;
      logit[i] = 3 * z;
      p[i] = sigmoid(3 * z);
    }
    return new Sample(logit, p, y);
  }

  @Test
  void reportClosedForm() {
    // bins: [0,.1): p .05 y 0 → gap .05; [.1,.2): p .15 y 1 → gap .85; [.9,1]: mean .95, rate .5 → gap .45
    // ECE = .05/4 + .85/4 + .45·2/4 = 0.45; Brier = (.0025 + .7225 + .0025 + .9025)/4 = 0.4075
    var r = Calibration.report(new double[] {0.05, 0.15, 0.95, 0.95}, new int[] {0, 1, 1, 0}, 10);
    assertEquals(0.45, r.ece(), 1e-12);
    assertEquals(0.4075, r.brier(), 1e-12);
    assertEquals(10, r.bins().size());
    assertEquals(2, r.bins().get(9).count());
    assertEquals(0.5, r.bins().get(9).observedRate(), 1e-12);
  }

  @Test
  void plattRecoversTheTrueScaleAndImprovesEce() {
    var train = sample(1, 20_000);
    var test = sample(2, 20_000);
    var platt = Calibration.platt(train.logit(), train.y());
    assertEquals(1.0 / 3, platt.a(), 0.03);
    assertEquals(0.0, platt.b(), 0.05);
    double before = ClassificationMetrics.expectedCalibrationError(test.p(), test.y());
    double after = ClassificationMetrics.expectedCalibrationError(platt.apply(test.logit()), test.y());
    assertTrue(before > 0.05, "sample is miscalibrated: " + before);
    assertTrue(after < 0.02 && after < before / 3, before + " -> " + after);
  }

  @Test
  void plattStaysFiniteOnSeparableData() {
    var platt = Calibration.platt(new double[] {-2, -1, 1, 2}, new int[] {0, 0, 1, 1});
    assertTrue(Double.isFinite(platt.a()) && platt.a() > 0);
    assertTrue(platt.apply(2) > 0.5 && platt.apply(2) < 1);
  }

  @Test
  void isotonicIsMonotoneAndImprovesEce() {
    var train = sample(3, 20_000);
    var test = sample(4, 20_000);
    var iso = Calibration.isotonic(train.p(), train.y());
    for (int k = 1; k < iso.value().length; k++) assertTrue(iso.value()[k] > iso.value()[k - 1]);
    double[] grid = new double[1001];
    for (int i = 0; i <= 1000; i++) grid[i] = i / 1000.0;
    double[] out = iso.apply(grid);
    for (int i = 1; i < out.length; i++) assertTrue(out[i] >= out[i - 1]);
    double before = ClassificationMetrics.expectedCalibrationError(test.p(), test.y());
    double after = ClassificationMetrics.expectedCalibrationError(iso.apply(test.p()), test.y());
    assertTrue(after < 0.02 && after < before / 3, before + " -> " + after);
  }

  @Test
  void isotonicPoolsViolators() {
    // labels 1 0 1 1 0 at increasing scores: PAV pools (1,0) → .5, keeps 1, pools (1,0) → .5, then pools
    // to keep monotone: blocks {s1,s2}=.5, {s3,s4,s5}=2/3
    var iso = Calibration.isotonic(new double[] {1, 2, 3, 4, 5}, new int[] {1, 0, 1, 1, 0});
    assertEquals(0.5, iso.apply(1.5), 1e-12);
    assertEquals(2.0 / 3, iso.apply(4), 1e-12);
    assertEquals(0.5, iso.apply(-10), 1e-12);
    assertEquals(2.0 / 3, iso.apply(10), 1e-12);
  }
}
