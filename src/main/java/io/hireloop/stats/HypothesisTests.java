package io.hireloop.stats;

import java.util.Arrays;
import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.distribution.continuous.TDistribution;

/**
 * Two-sample hypothesis tests for A/B analysis. Every test compares group 1 (treatment) with group 0
 * (control): {@code difference} is always group 1 − group 0, p-values are two-sided, and the confidence
 * interval is a (1 − alpha) interval for the difference ({@link #DEFAULT_ALPHA} = 0.05 gives 95%).
 */
public final class HypothesisTests {
  private HypothesisTests() {}

  public static final double DEFAULT_ALPHA = 0.05;

  /** SRM is flagged when the chi-square p-value is below this (the usual, deliberately strict, threshold). */
  public static final double SRM_THRESHOLD = 0.001;

  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

  /**
   * Result of a two-sample test. {@code df} is {@code NaN} where degrees of freedom are not meaningful
   * (z tests). {@code effectSize} is Cohen's d for t tests, Cohen's h for proportions and the rank-biserial
   * correlation for Mann–Whitney.
   */
  public record TestResult(double statistic, double df, double pValue, double difference, double ciLow, double ciHigh,
      double effectSize) {}

  /** Chi-square goodness of fit: statistic, degrees of freedom (categories − 1), p-value. */
  public record ChiSquareResult(double chi2, int df, double pValue) {}

  /** Sample-ratio mismatch check: the chi-square test plus {@code mismatch = pValue < 0.001}. */
  public record SrmResult(double chi2, int df, double pValue, boolean mismatch) {}

  /**
   * Mann–Whitney result: {@code u} is U of group 1 (pairs where group 1 is larger, ties counting one half),
   * {@code z} the normal-approximation statistic; {@code difference} and the CI are the Hodges–Lehmann
   * shift estimate (median of all pairwise differences group1 − group0) and its distribution-free interval.
   */
  public record MannWhitneyResult(double u, double z, double pValue, double difference, double ciLow, double ciHigh,
      double rankBiserial) {
    /** As a generic {@link TestResult} with statistic = z and df = NaN. */
    public TestResult asTestResult() {
      return new TestResult(z, Double.NaN, pValue, difference, ciLow, ciHigh, rankBiserial);
    }
  }

  // ---------------------------------------------------------------- t tests

  /** Welch's unequal-variance t-test, 95% CI. */
  public static TestResult welch(double[] group0, double[] group1) {
    return welch(group0, group1, DEFAULT_ALPHA);
  }

  /**
   * Welch's t-test: SE = sqrt(s1²/n1 + s0²/n0), t = (m1 − m0)/SE, df by Welch–Satterthwaite
   * (s1²/n1 + s0²/n0)² / ((s1²/n1)²/(n1−1) + (s0²/n0)²/(n0−1)). Cohen's d uses the pooled SD.
   */
  public static TestResult welch(double[] group0, double[] group1, double alpha) {
    checkAlpha(alpha);
    var a = Moments.of(group0, "group 0");
    var b = Moments.of(group1, "group 1");
    double v0 = a.var / a.n;
    double v1 = b.var / b.n;
    double se = Math.sqrt(v0 + v1);
    double df = (v0 + v1) * (v0 + v1) / (v1 * v1 / (b.n - 1) + v0 * v0 / (a.n - 1));
    return tResult(b.mean - a.mean, se, df, alpha, cohensD(a, b));
  }

  /** Student's pooled-variance t-test, 95% CI. */
  public static TestResult student(double[] group0, double[] group1) {
    return student(group0, group1, DEFAULT_ALPHA);
  }

  /** Student's t-test: sp² = ((n1−1)s1² + (n0−1)s0²)/(n1+n0−2), SE = sp·sqrt(1/n1 + 1/n0), df = n1+n0−2. */
  public static TestResult student(double[] group0, double[] group1, double alpha) {
    checkAlpha(alpha);
    var a = Moments.of(group0, "group 0");
    var b = Moments.of(group1, "group 1");
    double sp = pooledSd(a, b);
    double se = sp * Math.sqrt(1.0 / a.n + 1.0 / b.n);
    return tResult(b.mean - a.mean, se, a.n + b.n - 2, alpha, cohensD(a, b));
  }

  private static TestResult tResult(double diff, double se, double df, double alpha, double d) {
    if (!(se > 0)) throw new IllegalArgumentException("both groups have zero variance: the t statistic is undefined");
    double t = diff / se;
    var dist = new TDistribution(df);
    double p = 2 * dist.cumulativeProbability(-Math.abs(t));
    double q = dist.inverseCumulativeProbability(1 - alpha / 2);
    return new TestResult(t, df, p, diff, diff - q * se, diff + q * se, d);
  }

  private static double pooledSd(Moments a, Moments b) {
    return Math.sqrt(((a.n - 1) * a.var + (b.n - 1) * b.var) / (a.n + b.n - 2));
  }

  private static double cohensD(Moments a, Moments b) {
    double sp = pooledSd(a, b);
    return sp > 0 ? (b.mean - a.mean) / sp : Double.NaN;
  }

  /** Count, mean and unbiased variance (two-pass, for accuracy). */
  private record Moments(long n, double mean, double var) {
    static Moments of(double[] x, String name) {
      if (x == null || x.length < 2) throw new IllegalArgumentException(name + " needs at least 2 values");
      double sum = 0;
      for (double v : x) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException(name + " contains a non-finite value");
        sum += v;
      }
      double mean = sum / x.length;
      double ss = 0;
      for (double v : x) ss += (v - mean) * (v - mean);
      return new Moments(x.length, mean, ss / (x.length - 1));
    }
  }

  // ---------------------------------------------------------------- proportions

  /** Two-proportion z-test from 0/1 outcomes, 95% CI. */
  public static TestResult proportions(int[] outcomes0, int[] outcomes1) {
    return proportions(outcomes0, outcomes1, DEFAULT_ALPHA);
  }

  public static TestResult proportions(int[] outcomes0, int[] outcomes1, double alpha) {
    return proportions(count(outcomes0, "group 0"), outcomes0.length, count(outcomes1, "group 1"), outcomes1.length, alpha);
  }

  /** Two-proportion z-test from counts, 95% CI. */
  public static TestResult proportions(long successes0, long n0, long successes1, long n1) {
    return proportions(successes0, n0, successes1, n1, DEFAULT_ALPHA);
  }

  /**
   * Two-proportion z-test. The statistic uses the pooled proportion under H0:
   * z = (p1 − p0) / sqrt(p̄(1−p̄)(1/n1 + 1/n0)); the CI is the unpooled Wald interval
   * (p1 − p0) ± z_{1−α/2}·sqrt(p1(1−p1)/n1 + p0(1−p0)/n0). Effect size: Cohen's h =
   * 2·asin(√p1) − 2·asin(√p0). When both groups are all 0 or all 1 the difference is 0, z = 0 and p = 1.
   */
  public static TestResult proportions(long successes0, long n0, long successes1, long n1, double alpha) {
    checkAlpha(alpha);
    if (n0 < 1 || n1 < 1) throw new IllegalArgumentException("each group needs at least one observation");
    if (successes0 < 0 || successes0 > n0 || successes1 < 0 || successes1 > n1) {
      throw new IllegalArgumentException("successes must be between 0 and the group size");
    }
    double p0 = (double) successes0 / n0;
    double p1 = (double) successes1 / n1;
    double pooled = (double) (successes0 + successes1) / (n0 + n1);
    double diff = p1 - p0;
    double se0 = Math.sqrt(pooled * (1 - pooled) * (1.0 / n0 + 1.0 / n1));
    double z = se0 > 0 ? diff / se0 : 0;
    double p = 2 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z));
    double seWald = Math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0);
    double q = STANDARD_NORMAL.inverseCumulativeProbability(1 - alpha / 2);
    double h = 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p0));
    return new TestResult(z, Double.NaN, p, diff, diff - q * seWald, diff + q * seWald, h);
  }

  private static long count(int[] outcomes, String name) {
    if (outcomes == null || outcomes.length == 0) throw new IllegalArgumentException(name + " is empty");
    long s = 0;
    for (int o : outcomes) {
      if (o != 0 && o != 1) throw new IllegalArgumentException(name + " outcomes must be 0 or 1, got " + o);
      s += o;
    }
    return s;
  }

  // ---------------------------------------------------------------- chi-square

  /**
   * Pearson chi-square goodness of fit: χ² = Σ (O_i − E_i)² / E_i with E_i = N·share_i, df = k − 1.
   * Shares must be positive and sum to 1 (within 1e-6).
   */
  public static ChiSquareResult chiSquareGoodnessOfFit(long[] observed, double[] expectedShares) {
    if (observed == null || expectedShares == null || observed.length != expectedShares.length) {
      throw new IllegalArgumentException("observed and expected shares must have the same number of categories");
    }
    if (observed.length < 2) throw new IllegalArgumentException("need at least 2 categories");
    double shareSum = 0;
    for (double s : expectedShares) {
      if (!(s > 0) || !Double.isFinite(s)) throw new IllegalArgumentException("expected shares must be positive, got " + s);
      shareSum += s;
    }
    if (Math.abs(shareSum - 1) > 1e-6) {
      throw new IllegalArgumentException("expected shares must sum to 1, they sum to " + shareSum);
    }
    long total = 0;
    for (long o : observed) {
      if (o < 0) throw new IllegalArgumentException("observed counts must be non-negative, got " + o);
      total += o;
    }
    if (total == 0) throw new IllegalArgumentException("observed counts are all zero");
    double chi2 = 0;
    for (int i = 0; i < observed.length; i++) {
      double e = total * expectedShares[i];
      chi2 += (observed[i] - e) * (observed[i] - e) / e;
    }
    int df = observed.length - 1;
    double p = 1 - new ChiSquaredDistribution(df).cumulativeProbability(chi2);
    return new ChiSquareResult(chi2, df, p);
  }

  /** Sample-ratio mismatch: chi-square goodness of fit of assignment counts to the intended split. */
  public static SrmResult srm(long[] observed, double[] expectedShares) {
    var r = chiSquareGoodnessOfFit(observed, expectedShares);
    return new SrmResult(r.chi2(), r.df(), r.pValue(), r.pValue() < SRM_THRESHOLD);
  }

  // ---------------------------------------------------------------- Mann–Whitney

  /** Mann–Whitney U, 95% CI. */
  public static MannWhitneyResult mannWhitney(double[] group0, double[] group1) {
    return mannWhitney(group0, group1, DEFAULT_ALPHA);
  }

  /**
   * Mann–Whitney U test (Wilcoxon rank-sum), normal approximation.
   *
   * <ul>
   *   <li>U1 = R1 − n1(n1+1)/2, where R1 is the rank sum of group 1 (ties get mid-ranks).
   *   <li>Under H0, E[U1] = n1·n0/2 and, with tie correction,
   *       Var[U1] = n1·n0/12 · ((n+1) − Σ(t³ − t)/(n(n−1))) over tie groups of size t.
   *   <li>Continuity correction (as R's {@code wilcox.test(correct = TRUE)}):
   *       z = (U1 − E − 0.5·sign(U1 − E)) / sqrt(Var); p = 2Φ(−|z|).
   *   <li>Effect size: rank-biserial r = 2·U1/(n1·n0) − 1 (positive when group 1 tends to be larger).
   *   <li>Difference: Hodges–Lehmann shift = median of the n1·n0 pairwise differences x1 − x0. CI: the
   *       distribution-free (Lehmann) interval [d_(k), d_(N+1−k)] of the sorted pairwise differences with
   *       k = floor(N/2 − z_{1−α/2}·sqrt(Var) ) (at least 1), N = n1·n0. Order statistics of the pairwise
   *       differences are found without materialising them (bisection on the shift, counting pairs in O(n)).
   * </ul>
   */
  public static MannWhitneyResult mannWhitney(double[] group0, double[] group1, double alpha) {
    checkAlpha(alpha);
    if (group0 == null || group1 == null || group0.length < 1 || group1.length < 1) {
      throw new IllegalArgumentException("each group needs at least one value");
    }
    int n0 = group0.length;
    int n1 = group1.length;
    int n = n0 + n1;
    for (double v : group0) if (!Double.isFinite(v)) throw new IllegalArgumentException("values must be finite");
    for (double v : group1) if (!Double.isFinite(v)) throw new IllegalArgumentException("values must be finite");
    double[] s0 = group0.clone();
    double[] s1 = group1.clone();
    Arrays.sort(s0);
    Arrays.sort(s1);
    // merge the two sorted groups, assigning mid-ranks to ties
    double rankSum1 = 0;
    double tieTerm = 0;
    int i = 0;
    int j = 0;
    int rank = 0; // number of values already ranked
    while (i < n0 || j < n1) {
      double v = (j >= n1 || (i < n0 && s0[i] <= s1[j])) ? s0[i] : s1[j];
      int c0 = 0;
      int c1 = 0;
      while (i < n0 && s0[i] == v) {
        i++;
        c0++;
      }
      while (j < n1 && s1[j] == v) {
        j++;
        c1++;
      }
      int t = c0 + c1;
      double midRank = rank + (t + 1) / 2.0;
      rankSum1 += c1 * midRank;
      tieTerm += (double) t * t * t - t;
      rank += t;
    }
    double pairs = (double) n1 * n0;
    double u1 = rankSum1 - n1 * (n1 + 1) / 2.0;
    double mean = pairs / 2;
    double var = pairs / 12 * ((n + 1) - (n > 1 ? tieTerm / ((double) n * (n - 1)) : 0));
    double z;
    double p;
    if (var > 0) {
      double dev = u1 - mean;
      double corrected = Math.signum(dev) * Math.max(Math.abs(dev) - 0.5, 0);
      z = corrected / Math.sqrt(var);
      p = Math.min(1, 2 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z)));
    } else {
      z = 0;
      p = 1;
    }
    double rb = 2 * u1 / pairs - 1;

    long total = (long) n1 * n0;
    double hl = total % 2 == 1
        ? pairwiseOrderStatistic(s0, s1, (total + 1) / 2)
        : (pairwiseOrderStatistic(s0, s1, total / 2) + pairwiseOrderStatistic(s0, s1, total / 2 + 1)) / 2;
    double q = STANDARD_NORMAL.inverseCumulativeProbability(1 - alpha / 2);
    long k = (long) Math.floor(pairs / 2 - q * Math.sqrt(var));
    k = Math.max(1, Math.min(k, (total + 1) / 2));
    double lo = pairwiseOrderStatistic(s0, s1, k);
    double hi = pairwiseOrderStatistic(s0, s1, total + 1 - k);
    return new MannWhitneyResult(u1, z, p, hl, lo, hi, rb);
  }

  /** Number of pairs (i, j) with s1[i] − s0[j] ≤ d; both arrays sorted ascending. O(n0 + n1). */
  private static long countAtMost(double[] s0, double[] s1, double d) {
    long count = 0;
    int j = 0; // thresholds s1[i] − d increase with i, so the first s0[j] ≥ threshold only moves up
    for (double x1 : s1) {
      double threshold = x1 - d;
      while (j < s0.length && s0[j] < threshold) j++;
      count += s0.length - j;
    }
    return count;
  }

  /** The k-th smallest (1-based) of the pairwise differences s1[i] − s0[j]. */
  static double pairwiseOrderStatistic(double[] s0, double[] s1, long k) {
    double lo = s1[0] - s0[s0.length - 1]; // smallest difference: count ≥ 1
    double hi = s1[s1.length - 1] - s0[0]; // largest: count = all
    if (countAtMost(s0, s1, lo) >= k) return lo;
    // invariant: count(lo) < k ≤ count(hi)
    for (int it = 0; it < 200; it++) {
      double mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) break;
      if (countAtMost(s0, s1, mid) >= k) hi = mid;
      else lo = mid;
    }
    // snap hi to the largest actual pairwise difference ≤ hi (that is the k-th order statistic)
    double best = Double.NEGATIVE_INFINITY;
    int j = 0;
    for (double x1 : s1) {
      double threshold = x1 - hi; // smallest s0[j] ≥ threshold gives the largest x1 − s0[j] ≤ hi
      while (j < s0.length && s0[j] < threshold) j++;
      if (j < s0.length) best = Math.max(best, x1 - s0[j]);
    }
    return best;
  }

  static void checkAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
  }
}
