package io.hireloop.stats;

import java.util.Arrays;
import org.hipparchus.special.Gamma;
import org.hipparchus.stat.inference.KolmogorovSmirnovTest;

/**
 * Distribution drift between a reference and a current sample: KS (on samples or on shared bins), PSI,
 * chi-square homogeneity of category counts, and the Page–Hinkley detector.
 */
public final class Drift {
  private Drift() {}

  /** Seed of Hipparchus' tie-breaking jitter, so that p-values on tied data are reproducible. */
  private static final long KS_SEED = 20240601L;

  public record KsResult(double statistic, double pValue) {}

  /**
   * Two-sample Kolmogorov–Smirnov test: D = sup |F_a(x) − F_b(x)|; the two-sided p-value comes from
   * Hipparchus ({@link KolmogorovSmirnovTest}: exact distribution when n·m < 10,000, else the asymptotic
   * Kolmogorov distribution; ties are broken by a seeded jitter). The p-value is P(D ≥ d) (non-strict).
   */
  public static KsResult ks(double[] a, double[] b) {
    check(a, "reference");
    check(b, "current");
    var test = new KolmogorovSmirnovTest(KS_SEED);
    double d = statistic(a, b);
    if (d == 1.0 && (long) a.length * b.length < 10_000) {
      // Hipparchus' exact P(D >= 1) comes out 0; the closed form is 2 / C(n+m, n): all of one sample
      // below all of the other, either way round.
      double logC = 0;
      for (int k = 1; k <= a.length; k++) logC += Math.log(b.length + k) - Math.log(k);
      return new KsResult(d, Math.min(1, 2 * Math.exp(-logC)));
    }
    return new KsResult(d, test.kolmogorovSmirnovTest(a, b, false));
  }

  /** The KS statistic computed directly (handles ties: both CDFs step past a tied value together). */
  public static double statistic(double[] a, double[] b) {
    double[] x = a.clone(), y = b.clone();
    Arrays.sort(x);
    Arrays.sort(y);
    int i = 0, j = 0;
    double d = 0;
    while (i < x.length && j < y.length) {
      double v = Math.min(x[i], y[j]);
      while (i < x.length && x[i] == v) i++;
      while (j < y.length && y[j] == v) j++;
      d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
    }
    return d;
  }

  /** Proportion substituted for an empty bin in PSI, so that the logarithm stays finite. */
  public static final double PSI_EPSILON = 1e-4;

  /**
   * Population stability index with decile bins taken from the reference: the cut points are the
   * reference's empirical k/10 quantiles (the ⌈k·n/10⌉-th smallest value, k = 1..9, duplicates dropped)
   * and bin k holds values in (cut[k−1], cut[k]], the first bin everything up to cut[0] and the last
   * everything above the last cut. PSI = Σ (c_k − r_k)·ln(c_k / r_k) over the bin proportions, an empty
   * bin counting {@link #PSI_EPSILON}.
   *
   * <p>Rule of thumb (credit-scoring practice): PSI < 0.1 no significant shift, 0.1–0.25 a moderate
   * shift worth watching, > 0.25 a major shift.
   */
  public static double psi(double[] reference, double[] current) {
    check(reference, "reference");
    check(current, "current");
    double[] cuts = decileCuts(reference);
    return psiOfShares(proportions(reference, cuts), proportions(current, cuts));
  }

  /** PSI from bin proportions directly (each array sums to 1). */
  public static double psiOfShares(double[] referenceShares, double[] currentShares) {
    if (referenceShares.length != currentShares.length) throw new IllegalArgumentException("bin counts differ");
    double sum = 0;
    for (int k = 0; k < referenceShares.length; k++) {
      double r = Math.max(referenceShares[k], PSI_EPSILON);
      double c = Math.max(currentShares[k], PSI_EPSILON);
      sum += (c - r) * Math.log(c / r);
    }
    return sum;
  }

  /**
   * KS on binned data: D = max over the bin edges of |R_k − C_k|, the cumulative shares of the reference and the
   * current sample, which is the exact KS statistic of the two samples restricted to those edges (a lower bound of
   * the unbinned one). The p-value is the asymptotic two-sample Kolmogorov approximation P(D_{n,m} > d) for
   * {@code n} reference and {@code m} current values; with ties and coarse bins it is conservative.
   */
  public static KsResult ksOfShares(double[] referenceShares, long n, double[] currentShares, long m) {
    if (referenceShares.length != currentShares.length) throw new IllegalArgumentException("bin counts differ");
    if (n <= 0 || m <= 0) throw new IllegalArgumentException("both samples need values");
    double r = 0, c = 0, d = 0;
    for (int k = 0; k < referenceShares.length; k++) {
      r += referenceShares[k];
      c += currentShares[k];
      d = Math.max(d, Math.abs(r - c));
    }
    d = Math.min(d, 1);
    if (d == 0) return new KsResult(0, 1);
    int ni = (int) Math.min(n, Integer.MAX_VALUE), mi = (int) Math.min(m, Integer.MAX_VALUE);
    return new KsResult(d, Math.min(1, Math.max(0, new KolmogorovSmirnovTest(KS_SEED).approximateP(d, ni, mi))));
  }

  public record ChiSquareResult(double statistic, int degreesOfFreedom, double pValue) {}

  /**
   * Chi-square test of homogeneity of two count vectors over the same categories (a 2×k contingency table):
   * X² = Σ (O − E)² / E with E = row total · column total / N; categories empty in both are dropped and
   * df = (categories left) − 1. Counts may be fractional (a reference stored as shares times its size).
   * p = P(χ²_df ≥ X²); with one category left there is nothing to compare (X² = 0, p = 1).
   */
  public static ChiSquareResult chiSquare(double[] a, double[] b) {
    if (a.length != b.length) throw new IllegalArgumentException("category counts differ");
    double sa = 0, sb = 0;
    int k = 0;
    for (int i = 0; i < a.length; i++) {
      if (!(a[i] >= 0) || !(b[i] >= 0)) throw new IllegalArgumentException("counts must be finite and non-negative");
      sa += a[i];
      sb += b[i];
      if (a[i] + b[i] > 0) k++;
    }
    if (sa == 0 || sb == 0) throw new IllegalArgumentException("both samples need counts");
    if (k < 2) return new ChiSquareResult(0, 0, 1);
    double total = sa + sb, x2 = 0;
    for (int i = 0; i < a.length; i++) {
      double col = a[i] + b[i];
      if (col == 0) continue;
      double ea = sa * col / total, eb = sb * col / total;
      x2 += (a[i] - ea) * (a[i] - ea) / ea + (b[i] - eb) * (b[i] - eb) / eb;
    }
    int df = k - 1;
    return new ChiSquareResult(x2, df, Gamma.regularizedGammaQ(df / 2.0, x2 / 2) /* the χ² survival function, accurate in the tail */);
  }

  /** The reference's decile cut points (see {@link #psi}): at most 9, increasing, none at the maximum. */
  public static double[] decileCuts(double[] reference) {
    double[] s = reference.clone();
    Arrays.sort(s);
    int n = s.length;
    double[] cuts = new double[9];
    int m = 0;
    for (int k = 1; k <= 9; k++) {
      int idx = (int) Math.ceil(k * n / 10.0) - 1;
      double v = s[Math.max(0, Math.min(n - 1, idx))];
      if (m == 0 || v > cuts[m - 1]) cuts[m++] = v;
    }
    // a cut at the maximum would leave the last bin empty by construction
    while (m > 0 && cuts[m - 1] >= s[n - 1]) m--;
    return Arrays.copyOf(cuts, m);
  }

  /** Shares of {@code values} in the bins of {@code cuts}: bin k holds (cut[k−1], cut[k]]; {@code cuts.length + 1} bins. */
  public static double[] proportions(double[] values, double[] cuts) {
    double[] share = new double[cuts.length + 1];
    for (double v : values) {
      int idx = Arrays.binarySearch(cuts, v);
      int bin = idx >= 0 ? idx : -idx - 1; // first cut >= v
      share[bin]++;
    }
    for (int k = 0; k < share.length; k++) share[k] /= values.length;
    return share;
  }

  private static void check(double[] x, String name) {
    if (x == null || x.length == 0) throw new IllegalArgumentException(name + " sample is empty");
    for (double v : x) if (!Double.isFinite(v)) throw new IllegalArgumentException(name + " sample has a non-finite value");
  }

  /**
   * Page–Hinkley change detector (Page 1954; Hinkley 1971), two-sided. With x̄_t the running mean,
   * m_t = Σ_{i≤t} (x_i − x̄_i − δ) detects an increase when m_t − min_{s≤t} m_s > λ, and symmetrically
   * u_t = Σ (x̄_i − x_i − δ) detects a decrease. δ is the magnitude of change tolerated, λ the alarm
   * threshold (larger λ: fewer false alarms, later detection).
   */
  public static final class PageHinkley {
    private final double delta;
    private final double lambda;
    private long n;
    private double mean;
    private double up, upMin, down, downMin;

    public PageHinkley(double delta, double lambda) {
      if (!(delta >= 0) || !(lambda > 0)) throw new IllegalArgumentException("need delta >= 0 and lambda > 0");
      this.delta = delta;
      this.lambda = lambda;
    }

    /** Feeds one observation; true when it raises an alarm. */
    public boolean update(double x) {
      n++;
      mean += (x - mean) / n;
      up += x - mean - delta;
      upMin = Math.min(upMin, up);
      down += mean - x - delta;
      downMin = Math.min(downMin, down);
      return up - upMin > lambda || down - downMin > lambda;
    }

    /** m_t − min m_s: the statistic that detects an increase of the mean (alarm above λ). */
    public double increase() {
      return up - upMin;
    }

    /** u_t − min u_s: the statistic that detects a decrease of the mean. */
    public double decrease() {
      return down - downMin;
    }

    public long count() {
      return n;
    }

    public double mean() {
      return mean;
    }

    /** Index of the first observation that raises an alarm, or −1 if none does. */
    public static int firstAlarm(double[] xs, double delta, double lambda) {
      var ph = new PageHinkley(delta, lambda);
      for (int i = 0; i < xs.length; i++) if (ph.update(xs[i])) return i;
      return -1;
    }
  }
}
