package io.hireloop.stats.causal;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded nonparametric bootstrap: rows resampled with replacement, the estimator re-run on each resample,
 * percentile interval. Resamples where the estimator throws (e.g. a resample with no controls) are skipped and
 * counted. Note: for nearest-neighbour matching with replacement the bootstrap is known to be not exactly valid
 * (Abadie &amp; Imbens 2008); it is offered as a practical interval, not an exact one.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /** An estimator of one number from the rows given by index (indices may repeat). */
  @FunctionalInterface
  public interface Estimator {
    double estimate(int[] rows);
  }

  public record Interval(double low, double high, double stdError, int replicates, int failed) {}

  public static Interval percentile(int n, Estimator estimator, int resamples, long seed, double level) {
    if (resamples < 2) throw new IllegalArgumentException("bootstrap needs at least 2 resamples, got " + resamples);
    var random = new SplittableRandom(seed);
    var values = new double[resamples];
    int ok = 0, failed = 0;
    var rows = new int[n];
    for (int b = 0; b < resamples; b++) {
      for (int i = 0; i < n; i++) rows[i] = random.nextInt(n);
      double v;
      try {
        v = estimator.estimate(rows);
      } catch (IllegalArgumentException | ArithmeticException e) {
        failed++;
        continue;
      }
      if (Double.isFinite(v)) values[ok++] = v;
      else failed++;
    }
    if (ok < 2) throw new IllegalArgumentException("bootstrap: only " + ok + " of " + resamples + " resamples gave an estimate");
    var sorted = Arrays.copyOf(values, ok);
    Arrays.sort(sorted);
    double alpha = (1 - level) / 2;
    double mean = Stats.mean(sorted);
    double ss = 0;
    for (double v : sorted) ss += (v - mean) * (v - mean);
    return new Interval(quantile(sorted, alpha), quantile(sorted, 1 - alpha), Math.sqrt(ss / (ok - 1)), ok, failed);
  }

  /** Linear-interpolation quantile (type 7) of sorted values. */
  static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
