package io.hireloop.personal;

import java.util.Arrays;
import java.util.List;

/**
 * The one rule by which a user's own estimate becomes their setting (pure). With the global value {@code g}, the
 * user's estimate {@code u} from {@code n} observations and the prior strength {@code k} (in the same units as
 * {@code n}): the setting is {@code g + w·(u − g)} with {@code w = n / (n + k)} — the posterior mean of a normal model
 * whose prior is the global value worth {@code k} observations — but only when {@code n ≥ minSample}; below that the
 * global value stands and the setting's source is "global". A personalised value therefore moves from the global value
 * toward the user's own as their evidence grows, and never jumps there on a handful of observations.
 */
public final class Shrinkage {
  private Shrinkage() {}

  /** @param priorStrength k, the global value's weight in observations (≥ 0); @param minSample n below which nothing is personal */
  public record Rule(double priorStrength, int minSample) {
    public Rule {
      if (!(priorStrength >= 0)) throw new IllegalArgumentException("prior strength must be >= 0");
      if (minSample < 1) throw new IllegalArgumentException("minimum sample size must be >= 1");
    }

    /** The weight of the user's own estimate, n / (n + k). */
    public double weight(int n) {
      return n <= 0 ? 0 : n / (n + priorStrength);
    }

    public boolean personal(int n) {
      return n >= minSample;
    }

    /** The setting for a scalar estimate; the global value when the evidence is too thin (or the estimate is not a number). */
    public double apply(double global, double estimate, int n) {
      if (!personal(n) || !Double.isFinite(estimate)) return global;
      return global + weight(n) * (estimate - global);
    }

    /** The same, component-wise, for a vector (a mix that sums to 1 keeps summing to 1). */
    public double[] apply(double[] global, double[] estimate, int n) {
      if (!personal(n)) return global.clone();
      var out = new double[global.length];
      double w = weight(n);
      for (int i = 0; i < out.length; i++) out[i] = global[i] + w * (estimate[i] - global[i]);
      return out;
    }
  }

  /** Posterior mean of a rate: successes {@code s} of {@code n} with a Beta prior of mean {@code prior} worth {@code k} observations. */
  public static double rate(int s, int n, double prior, double k) {
    return (s + k * prior) / (n + k);
  }

  /** The {@code q}-quantile of the values (type 7, linear interpolation); NaN when empty. */
  public static double quantile(List<? extends Number> values, double q) {
    if (values.isEmpty()) return Double.NaN;
    var v = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
    double h = (v.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(v.length - 1, lo + 1);
    return v[lo] + (h - lo) * (v[hi] - v[lo]);
  }

  /**
   * A distribution-free ~95 % interval of the {@code q}-quantile: the order statistics at ranks
   * {@code n·q ∓ 1.96·sqrt(n·q·(1 − q))} (normal approximation of the binomial), clipped to the sample.
   */
  public static double[] quantileInterval(List<? extends Number> values, double q) {
    if (values.isEmpty()) return new double[] {Double.NaN, Double.NaN};
    var v = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
    int n = v.length;
    double half = 1.96 * Math.sqrt(n * q * (1 - q));
    // 1-based ranks of the bounds, clipped to the sample
    int lo = (int) Math.min(n, Math.max(1, Math.floor(n * q - half)));
    int hi = (int) Math.min(n, Math.max(lo, Math.ceil(n * q + half)));
    return new double[] {v[lo - 1], v[hi - 1]};
  }

  /** Rounded to 1/{@code per} (per = 10: one decimal; 2: halves). */
  static double round(double v, double per) {
    return Math.round(v * per) / per;
  }

  static double[] round(double[] v, double per) {
    return Arrays.stream(v).map(x -> round(x, per)).toArray();
  }
}
