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
 *
 * <p>The three methods here serve estimators of the {@link Estimator} shape (psm, ipw, dr). Other designs build
 * theirs from the shared core — {@link #simulate}, {@link #single} and the data-altering helpers
 * ({@link #permute}, {@link #subset}, {@link #withRandomColumn}) — see {@link DesignRefuters} for 2SLS,
 * difference-in-differences and regression discontinuity.
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
    return simulate("placebo_treatment", random -> est.estimate(y, permute(t, random), x), 0, original, simulations, seed);
  }

  public static Refutation randomCommonCause(double[] y, int[] t, double[][] x, Estimator est, double original, int simulations, long seed) {
    return simulate("random_common_cause", random -> est.estimate(y, t, withRandomColumn(x, y.length, random)), original,
        original, simulations, seed);
  }

  public static Refutation dataSubset(double[] y, int[] t, double[][] x, Estimator est, double original, int simulations, long seed, double fraction) {
    return simulate("data_subset", random -> {
      var rows = subset(y.length, fraction, random);
      return est.estimate(pick(y, rows), pick(t, rows), pick(x, rows));
    }, original, original, simulations, seed);
  }

  /**
   * One simulation of a refuter: alter the data with {@code random} and re-estimate. Any design (IV, DiD, RD,
   * …) builds its refuters from this, so that the seeding, skipping and pass rule are shared.
   */
  @FunctionalInterface
  public interface Trial {
    double run(SplittableRandom random);
  }

  /**
   * Runs {@code trial} {@code simulations} times from one seeded random source and summarises the new estimates
   * against {@code expected} (see the class comment). Simulated data sets on which the estimator throws
   * {@link IllegalArgumentException} or {@link ArithmeticException} (degenerate, e.g. an empty cell) or gives a
   * non-finite number are skipped; if all are skipped the refuter fails.
   */
  public static Refutation simulate(String name, Trial trial, double expected, double original, int simulations, long seed) {
    var random = new SplittableRandom(seed);
    var values = new ArrayList<Double>();
    for (int s = 0; s < simulations; s++) tryAdd(values, () -> trial.run(random));
    return summarise(name, values, expected, original);
  }

  /**
   * A refuter from one new estimate with its own standard error (e.g. a placebo cutoff): p is the two-sided
   * normal p-value of (estimate − expected)/se, and the pass rule is the same as for simulated refuters.
   */
  public static Refutation single(String name, double newEstimate, double se, double expected, double original) {
    if (!Double.isFinite(newEstimate)) return new Refutation(name, Double.NaN, Double.NaN, false);
    return compare(name, newEstimate, Double.isFinite(se) ? se : 0, expected, original);
  }

  /** A random permutation of {@code t} (Fisher–Yates). */
  public static int[] permute(int[] t, SplittableRandom random) {
    var perm = t.clone();
    for (int i = perm.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    return perm;
  }

  /** A random permutation of 0..n−1. */
  public static int[] permutation(int n, SplittableRandom random) {
    var idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    return permute(idx, random);
  }

  /** A random subset of round(n·fraction) row indices, drawn without replacement. */
  public static int[] subset(int n, double fraction, SplittableRandom random) {
    int m = (int) Math.round(n * fraction);
    var idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    for (int i = 0; i < m; i++) {
      int j = i + random.nextInt(n - i);
      int tmp = idx[i];
      idx[i] = idx[j];
      idx[j] = tmp;
    }
    return java.util.Arrays.copyOf(idx, m);
  }

  /** {@code x} (n × p, or null / empty for p = 0) with an independent N(0, 1) column appended. */
  public static double[][] withRandomColumn(double[][] x, int n, SplittableRandom random) {
    int p = x == null || x.length == 0 ? 0 : x[0].length;
    var x2 = new double[n][p + 1];
    for (int i = 0; i < n; i++) {
      if (p > 0) System.arraycopy(x[i], 0, x2[i], 0, p);
      x2[i][p] = gaussian(random);
    }
    return x2;
  }

  public static double[] pick(double[] v, int[] rows) {
    var out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) out[i] = v[rows[i]];
    return out;
  }

  public static int[] pick(int[] v, int[] rows) {
    var out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) out[i] = v[rows[i]];
    return out;
  }

  /** Rows of {@code v} (shared, not copied); null stays null. */
  public static double[][] pick(double[][] v, int[] rows) {
    if (v == null) return null;
    var out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) out[i] = v[rows[i]];
    return out;
  }

  public static String[] pick(String[] v, int[] rows) {
    if (v == null) return null;
    var out = new String[rows.length];
    for (int i = 0; i < rows.length; i++) out[i] = v[rows[i]];
    return out;
  }

  private static void tryAdd(List<Double> values, java.util.function.DoubleSupplier run) {
    try {
      double v = run.getAsDouble();
      if (Double.isFinite(v)) values.add(v);
    } catch (IllegalArgumentException | ArithmeticException | org.hipparchus.exception.MathRuntimeException e) {
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
    return compare(name, mean, sd, expected, original);
  }

  private static Refutation compare(String name, double value, double sd, double expected, double original) {
    double diff = Math.abs(value - expected);
    double p = sd > 0 ? Stats.twoSidedNormalP(diff / sd) : (diff == 0 ? 1 : 0);
    boolean passed = p >= 0.05 || diff <= 0.1 * Math.abs(original);
    return new Refutation(name, value, p, passed);
  }

  static double gaussian(SplittableRandom random) {
    double u1 = random.nextDouble(), u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}
