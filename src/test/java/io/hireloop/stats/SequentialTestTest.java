package io.hireloop.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SequentialTestTest {
  static final int RUNS = 200;
  static final int MAX_PER_ARM = 2000;
  static final int BATCH = 20;

  /** Simulates one experiment of N(0,1) vs N(effect,1) with a look every BATCH pairs; true if it rejects. */
  static boolean run(SplittableRandom rng, double effect, boolean checkMonotone) {
    var test = new SequentialTest(0.04, 0.05); // τ = 0.2σ
    double sum0 = 0;
    double sum1 = 0;
    double last = 1;
    for (int n = 1; n <= MAX_PER_ARM; n++) {
      sum0 += rng.nextGaussian();
      sum1 += effect + rng.nextGaussian();
      if (n % BATCH == 0) {
        var look = test.lookMeans(n, sum0 / n, 1, n, sum1 / n, 1);
        if (checkMonotone) assertTrue(look.pValue() <= last, "p-value increased");
        last = look.pValue();
        if (look.reject()) return true;
      }
    }
    return false;
  }

  @Test
  void typeOneErrorUnderContinuousPeekingIsBoundedByAlpha() {
    var rng = new SplittableRandom(2017);
    int rejections = 0;
    for (int r = 0; r < RUNS; r++) if (run(rng, 0, true)) rejections++;
    System.out.printf("mSPRT under H0: %d of %d runs rejected%n", rejections, RUNS);
    // always-valid: P(reject ever | H0) ≤ 0.05 → at most 10 of 200 expected (this seed: 7)
    assertTrue(rejections <= 10, "rejected " + rejections + " of " + RUNS + " null experiments");
  }

  @Test
  void naivePeekingWouldInflateTheError() {
    // the same peeking schedule with a fixed-horizon z-test at 1.96 rejects far more often than 5%
    var rng = new SplittableRandom(2017);
    int rejections = 0;
    for (int r = 0; r < RUNS; r++) {
      double sum0 = 0;
      double sum1 = 0;
      for (int n = 1; n <= MAX_PER_ARM; n++) {
        sum0 += rng.nextGaussian();
        sum1 += rng.nextGaussian();
        if (n % BATCH == 0 && Math.abs((sum1 - sum0) / n) / Math.sqrt(2.0 / n) > 1.959964) {
          rejections++;
          break;
        }
      }
    }
    System.out.printf("naive peeking under H0: %d of %d runs rejected%n", rejections, RUNS);
    assertTrue(rejections > 20, "naive peeking rejected only " + rejections);
  }

  @Test
  void powerUnderAnAlternative() {
    // effect 0.2σ: fixed-horizon z at n = 2000 per arm is 0.2/sqrt(2/2000) = 6.3
    var rng = new SplittableRandom(99);
    int rejections = 0;
    for (int r = 0; r < RUNS; r++) if (run(rng, 0.2, true)) rejections++;
    System.out.printf("mSPRT under effect 0.2 sd: %d of %d runs rejected%n", rejections, RUNS);
    assertTrue(rejections >= 190, "power " + rejections + "/" + RUNS);
  }

  @Test
  void formulaAndMonotonicity() {
    // V = 1/100 + 1/100 = 0.02, τ² = 0.04, θ̂ = 0.3:
    // Λ = sqrt(0.02/0.06)·exp(0.04·0.09/(2·0.02·0.06)) = 0.577350·exp(1.5) = 2.587473
    var t = new SequentialTest(0.04, 0.05);
    var look = t.lookMeans(100, 0, 1, 100, 0.3, 1);
    assertEquals(Math.sqrt(1.0 / 3) * Math.exp(1.5), look.likelihoodRatio(), 1e-9);
    assertEquals(1 / look.likelihoodRatio(), look.pValue(), 1e-12);
    // a later look with weaker evidence keeps the smaller p-value
    var later = t.lookMeans(200, 0, 1, 200, 0.0, 1);
    assertEquals(look.pValue(), later.pValue(), 0);
    // proportions with plug-in variances
    var p = new SequentialTest(0.0004, 0.05).lookProportions(1000, 10000, 1200, 10000);
    assertTrue(p.reject(), p.toString());
  }
}
