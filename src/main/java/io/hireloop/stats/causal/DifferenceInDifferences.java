package io.hireloop.stats.causal;

/**
 * 2×2 difference-in-differences by OLS: y ~ 1 + treat + post + treat·post (+ covariates); the effect is the
 * interaction coefficient. Its standard error is classical (homoskedastic), or CR1 cluster-robust when a
 * cluster id per row is given (cluster by unit or group; with few clusters the CR1 SE is itself noisy).
 * {@link #fourMeans} gives the textbook (ȳ₁₁ − ȳ₁₀) − (ȳ₀₁ − ȳ₀₀), equal to the OLS estimate without covariates.
 *
 * <p>With fewer than {@link #FEW_CLUSTERS} clusters the CR1 standard error is biased downwards and its normal (or
 * t) reference distribution is wrong; with two clusters that coincide with the treated-group indicator it is
 * identically zero up to rounding, because the residuals sum to zero within each cluster. {@link #wildBootstrap}
 * then gives the p-value and interval of the restricted wild cluster bootstrap instead
 * ({@link WildClusterBootstrap}).
 */
public final class DifferenceInDifferences {
  private DifferenceInDifferences() {}

  /** Below this many clusters the CR1 standard error is not trusted (Cameron &amp; Miller 2015 put the line at 30–50). */
  public static final int FEW_CLUSTERS = 30;

  public record Result(double estimate, double stdError, double fourMeans, int[] cellCounts) {}

  public static Result estimate(double[] y, int[] treat, int[] post, double[][] covariates, String[] clusters) {
    var x = design(y, treat, post, covariates);
    var fit = Ols.fit(x, y);
    var cov = clusters == null ? fit.classicalCovariance() : fit.clusteredCovariance(clusters);
    var counts = new int[4];
    for (int i = 0; i < y.length; i++) counts[treat[i] * 2 + post[i]]++;
    return new Result(fit.beta()[3], Math.sqrt(cov.getEntry(3, 3)), fourMeans(y, treat, post), counts);
  }

  /** The interaction coefficient tested by the restricted wild cluster bootstrap, 95% interval by test inversion. */
  public static WildClusterBootstrap.Result wildBootstrap(double[] y, int[] treat, int[] post, double[][] covariates,
      String[] clusters, int draws, long seed) {
    return WildClusterBootstrap.test(design(y, treat, post, covariates), y, 3, clusters, draws, seed, 0.95);
  }

  /** Number of distinct cluster ids. */
  public static int clusterCount(String[] clusters) {
    return new java.util.HashSet<>(java.util.Arrays.asList(clusters)).size();
  }

  /** 1, treat, post, treat·post, covariates — after checking the indicators and the four cells. */
  private static double[][] design(double[] y, int[] treat, int[] post, double[][] covariates) {
    int n = y.length;
    int p = covariates == null || covariates.length == 0 ? 0 : covariates[0].length;
    var counts = new int[4];
    for (int i = 0; i < n; i++) {
      if ((treat[i] != 0 && treat[i] != 1) || (post[i] != 0 && post[i] != 1)) {
        throw new IllegalArgumentException("difference-in-differences needs 0/1 treatment-group and post-period indicators");
      }
      counts[treat[i] * 2 + post[i]]++;
    }
    for (int c = 0; c < 4; c++) {
      if (counts[c] < 2) {
        throw new IllegalArgumentException("difference-in-differences needs at least 2 rows in every group × period cell; "
            + "cell (treat=" + (c / 2) + ", post=" + (c % 2) + ") has " + counts[c]);
      }
    }
    var x = new double[n][4 + p];
    for (int i = 0; i < n; i++) {
      x[i][0] = 1;
      x[i][1] = treat[i];
      x[i][2] = post[i];
      x[i][3] = treat[i] * post[i];
      for (int j = 0; j < p; j++) x[i][4 + j] = covariates[i][j];
    }
    return x;
  }

  public static double fourMeans(double[] y, int[] treat, int[] post) {
    var sum = new double[4];
    var cnt = new int[4];
    for (int i = 0; i < y.length; i++) {
      sum[treat[i] * 2 + post[i]] += y[i];
      cnt[treat[i] * 2 + post[i]]++;
    }
    return (sum[3] / cnt[3] - sum[2] / cnt[2]) - (sum[1] / cnt[1] - sum[0] / cnt[0]);
  }
}
