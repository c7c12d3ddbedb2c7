package io.hireloop.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.hipparchus.distribution.continuous.NormalDistribution;

/** Confidence intervals: Wilson score for a proportion, percentile bootstrap for any statistic. */
public final class Intervals {
  private Intervals() {}

  /** A confidence interval around a point estimate. */
  public record Interval(double estimate, double low, double high) {}

  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

  /** Wilson score interval at 95%. */
  public static Interval wilson(long successes, long n) {
    return wilson(successes, n, HypothesisTests.DEFAULT_ALPHA);
  }

  /**
   * Wilson score interval for a binomial proportion p̂ = x/n, z = z_{1−α/2}:
   * centre = (p̂ + z²/(2n)) / (1 + z²/n), half-width = z/(1 + z²/n) · sqrt(p̂(1−p̂)/n + z²/(4n²)).
   * Unlike the Wald interval it stays inside [0, 1] and is not degenerate at x = 0 or x = n.
   */
  public static Interval wilson(long successes, long n, double alpha) {
    HypothesisTests.checkAlpha(alpha);
    if (n < 1) throw new IllegalArgumentException("n must be at least 1");
    if (successes < 0 || successes > n) throw new IllegalArgumentException("successes must be in [0, n]");
    double p = (double) successes / n;
    double z = STANDARD_NORMAL.inverseCumulativeProbability(1 - alpha / 2);
    double z2 = z * z;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denom;
    double half = z / denom * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return new Interval(p, Math.max(0, centre - half), Math.min(1, centre + half));
  }

  /** Percentile bootstrap at 95%. */
  public static Interval bootstrap(double[] data, ToDoubleFunction<double[]> statistic, int resamples, long seed) {
    return bootstrap(data, statistic, resamples, HypothesisTests.DEFAULT_ALPHA, seed);
  }

  /**
   * Percentile bootstrap CI: draw {@code resamples} samples of size n with replacement (seeded
   * {@link SplittableRandom}, so results are reproducible), compute the statistic on each, and take the
   * α/2 and 1 − α/2 quantiles of the replicates (linear interpolation between order statistics, R type 7).
   * The estimate is the statistic on the original data.
   *
   * <p>One scratch array is reused for every resample, so the statistic must not keep a reference to its
   * argument; it may reorder it. No boxing: 100,000 rows × 1,000 resamples of a mean take about a second.
   */
  public static Interval bootstrap(double[] data, ToDoubleFunction<double[]> statistic, int resamples, double alpha,
      long seed) {
    HypothesisTests.checkAlpha(alpha);
    if (data == null || data.length < 2) throw new IllegalArgumentException("bootstrap needs at least 2 values");
    if (resamples < 10) throw new IllegalArgumentException("bootstrap needs at least 10 resamples, got " + resamples);
    int n = data.length;
    double estimate = statistic.applyAsDouble(data.clone());
    var rng = new SplittableRandom(seed);
    double[] scratch = new double[n];
    double[] replicates = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      for (int i = 0; i < n; i++) scratch[i] = data[rng.nextInt(n)];
      replicates[b] = statistic.applyAsDouble(scratch);
    }
    Arrays.sort(replicates);
    return new Interval(estimate, quantile(replicates, alpha / 2), quantile(replicates, 1 - alpha / 2));
  }

  /** The arithmetic mean, for use as a bootstrap statistic ({@code Intervals::mean}). */
  public static double mean(double[] x) {
    double s = 0;
    for (double v : x) s += v;
    return s / x.length;
  }

  /** Quantile of sorted values, R type 7: h = (n−1)q, linear between floor(h) and ceil(h). */
  static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
