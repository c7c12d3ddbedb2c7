package io.hireloop.stats.causal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Refuters in the style of DoWhy: each re-runs the estimator on altered data {@code simulations} times
 * (seeded) and reports the mean new estimate.
 *
 * <ul>
 *   <li><b>placebo_treatment</b>: treatment randomly permuted; the true effect of a placebo is 0.</li>
 *   <li><b>random_common_cause</b>: an independent N(0, 1) covariate added; the estimate should not move.</li>
 *   <li><b>data_subset</b>: a random 80% of rows; the estimate should not move.</li>
 * </ul>
 * p-value: two-sided normal p-value of the expected value (0 for the placebo, the original estimate for the
 * others) within the distribution of the simulated estimates, z = (mean − expected)/sd. A refuter passes when
 * p ≥ 0.05 or the new estimate is within 10% of the expected value relative to |original|. An estimate with a
 * failed refuter is flagged ({@link CausalEstimate#flagged()}).
 */
public final class Refuters {
  private Refuters() {}

  /** An estimator on a whole data set: outcome, 0/1 treatment, covariates (n × p, p may be 0). */
  @FunctionalInterface
  public interface Estimator {
    double estimate(double[] y, int[] t, double[][] x);
  }

  public static List<Refutation> all(double[] y, int[] t, double[][] x, Estimator est, double original, int simulations, long seed) {
    return List.of(placebo(y, t, x, est, original, simulations, seed),
        randomCommonCause(y, t, x, est, original, simulations, seed + 1),
        dataSubset(y, t, x, est, original, simulations, seed + 2, 0.8));
  }

  public static Refutation placebo(double[] y, int[] t, double[][] x, Estimator est, double original, int simulations, long seed) {
    var random = new SplittableRandom(seed);
    var values = new ArrayList<Double>();
    for (int s = 0; s < simulations; s++) {
      var perm = t.clone();
      for (int i = perm.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
      }
      tryAdd(values, () -> est.estimate(y, perm, x));
    }
    return summarise("placebo_treatment", values, 0, original);
  }

  public static Refutation randomCommonCause(double[] y, int[] t, double[][] x, Estimator est, double original, int simulations, long seed) {
    var random = new SplittableRandom(seed);
    var values = new ArrayList<Double>();
    int p = x.length == 0 ? 0 : x[0].length;
    for (int s = 0; s < simulations; s++) {
      var x2 = new double[y.length][p + 1];
      for (int i = 0; i < y.length; i++) {
        System.arraycopy(x[i], 0, x2[i], 0, p);
        x2[i][p] = gaussian(random);
      }
      tryAdd(values, () -> est.estimate(y, t, x2));
    }
    return summarise("random_common_cause", values, original, original);
  }

  public static Refutation dataSubset(double[] y, int[] t, double[][] x, Estimator est, double original, int simulations, long seed, double fraction) {
    var random = new SplittableRandom(seed);
    var values = new ArrayList<Double>();
    int n = y.length, m = (int) Math.round(n * fraction);
    for (int s = 0; s < simulations; s++) {
      var idx = new int[n];
      for (int i = 0; i < n; i++) idx[i] = i;
      for (int i = 0; i < m; i++) {
        int j = i + random.nextInt(n - i);
        int tmp = idx[i];
        idx[i] = idx[j];
        idx[j] = tmp;
      }
      var ys = new double[m];
      var ts = new int[m];
      var xs = new double[m][];
      for (int i = 0; i < m; i++) {
        ys[i] = y[idx[i]];
        ts[i] = t[idx[i]];
        xs[i] = x[idx[i]];
      }
      tryAdd(values, () -> est.estimate(ys, ts, xs));
    }
    return summarise("data_subset", values, original, original);
  }

  private static void tryAdd(List<Double> values, java.util.function.DoubleSupplier run) {
    try {
      double v = run.getAsDouble();
      if (Double.isFinite(v)) values.add(v);
    } catch (IllegalArgumentException | ArithmeticException e) {
      // a degenerate simulated data set (e.g. no controls in a subset) is skipped
    }
  }

  private static Refutation summarise(String name, List<Double> values, double expected, double original) {
    if (values.isEmpty()) return new Refutation(name, Double.NaN, Double.NaN, false);
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double sd = 0;
    if (values.size() > 1) {
      double ss = 0;
      for (double v : values) ss += (v - mean) * (v - mean);
      sd = Math.sqrt(ss / (values.size() - 1));
    }
    double diff = Math.abs(mean - expected);
    double p = sd > 0 ? Stats.twoSidedNormalP(diff / sd) : (diff == 0 ? 1 : 0);
    boolean passed = p >= 0.05 || diff <= 0.1 * Math.abs(original);
    return new Refutation(name, mean, p, passed);
  }

  static double gaussian(SplittableRandom random) {
    double u1 = random.nextDouble(), u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}
