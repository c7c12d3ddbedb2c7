package io.hireloop.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IntervalsTest {
  @Test
  void wilsonTextbookExample() {
    // 81 successes of 263, 95%: p̂ = 0.30798; z² = 3.841459; centre = (p̂ + z²/526)/(1 + z²/263) = 0.31075,
    // half = z/(1 + z²/263)·sqrt(p̂(1−p̂)/263 + z²/(4·263²)) = 0.05546 → (0.2553, 0.3662)
    var ci = Intervals.wilson(81, 263);
    assertEquals(81.0 / 263, ci.estimate(), 1e-12);
    assertEquals(0.2553, ci.low(), 5e-5);
    assertEquals(0.3662, ci.high(), 5e-5);
  }

  @Test
  void wilsonAtZeroSuccesses() {
    // x = 0: low = 0, high = z²/(n + z²) = 3.841459/13.841459 = 0.277533 for n = 10
    var ci = Intervals.wilson(0, 10);
    assertEquals(0, ci.low(), 1e-12);
    assertEquals(3.841458820694124 / 13.841458820694124, ci.high(), 1e-9);
    // symmetric at x = n
    var all = Intervals.wilson(10, 10);
    assertEquals(1 - ci.high(), all.low(), 1e-9);
    assertEquals(1, all.high(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> Intervals.wilson(11, 10));
  }

  @Test
  void bootstrapMeanAgreesWithTheNormalTheoryAndIsReproducible() {
    var rng = new SplittableRandom(1);
    double[] x = new double[100_000];
    for (int i = 0; i < x.length; i++) x[i] = -Math.log(1 - rng.nextDouble()); // exponential(1): mean 1, sd 1
    long start = System.nanoTime();
    var ci = Intervals.bootstrap(x, Intervals::mean, 1000, 42);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("bootstrap of a mean, 100,000 rows x 1,000 resamples: %.2f s%n", seconds);
    assertTrue(seconds < 30, "took " + seconds + " s");
    double mean = Intervals.mean(x);
    double sd = 0;
    for (double v : x) sd += (v - mean) * (v - mean);
    double se = Math.sqrt(sd / (x.length - 1) / x.length);
    assertEquals(mean, ci.estimate(), 1e-12);
    // percentile CI ≈ mean ± 1.96·SE (within 10% of the half-width)
    assertEquals(mean - 1.96 * se, ci.low(), 0.1 * 1.96 * se);
    assertEquals(mean + 1.96 * se, ci.high(), 0.1 * 1.96 * se);
    assertEquals(ci, Intervals.bootstrap(x, Intervals::mean, 1000, 42));
  }

  @Test
  void bootstrapOfAMedianCoversTheTruth() {
    var rng = new SplittableRandom(3);
    double[] x = new double[2001];
    for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble() * 10; // uniform(0, 10): median 5
    var ci = Intervals.bootstrap(x, s -> {
      Arrays.sort(s);
      return s[s.length / 2];
    }, 500, 0.05, 9);
    assertTrue(ci.low() < 5 && ci.high() > 5, ci.toString());
    assertTrue(ci.high() - ci.low() < 1, ci.toString());
  }

  @Test
  void quantileIsTypeSeven() {
    // R: quantile(1:5, 0.1) = 1.4
    assertEquals(1.4, Intervals.quantile(new double[] {1, 2, 3, 4, 5}, 0.1), 1e-12);
    assertEquals(3, Intervals.quantile(new double[] {1, 2, 3, 4, 5}, 0.5), 1e-12);
  }
}
