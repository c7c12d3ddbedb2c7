package io.hireloop.stats.causal;

import java.util.Arrays;

/**
 * Sharp regression discontinuity: units with running variable x ≥ cutoff are treated. The effect is the jump
 * of local linear fits at the cutoff, each side fitted by weighted least squares with a triangular kernel
 * K(u) = max(0, 1 − |u|/h).
 *
 * <p>Bandwidth: chosen by the cross-validation criterion of Imbens &amp; Lemieux (2008, §4.5; Ludwig &amp; Miller
 * 2007) — not Imbens–Kalyanaraman. For every observation among the half of each side closest to the cutoff,
 * y is predicted by a one-sided linear fit (rectangular kernel) on the observations of the same side that lie
 * further from the cutoff within distance h, mimicking estimation at a boundary; h minimises the mean squared
 * prediction error over a geometric grid of 40 candidates. Prefix sums over the sorted data make each
 * candidate O(n log n). The standard error is the heteroskedasticity-robust sandwich of the two WLS intercepts
 * (conventional, not bias-corrected); the CI is estimate ± 1.96·SE.
 */
public final class RegressionDiscontinuity {
  private RegressionDiscontinuity() {}

  public record Result(double estimate, double stdError, double bandwidth, int nLeft, int nRight) {}

  public static Result sharp(double[] x, double[] y, double cutoff, double bandwidth) {
    var l = side(x, y, cutoff, false);
    var r = side(x, y, cutoff, true);
    if (l[0].length < 6 || r[0].length < 6) {
      throw new IllegalArgumentException("regression discontinuity needs at least 6 rows on each side of the cutoff; got "
          + l[0].length + " below and " + r[0].length + " at or above");
    }
    double h = Double.isNaN(bandwidth) ? crossValidatedBandwidth(x, y, cutoff) : bandwidth;
    var fl = localLinear(l[0], l[1], h);
    var fr = localLinear(r[0], r[1], h);
    return new Result(fr[0] - fl[0], Math.sqrt(fl[1] + fr[1]), h, (int) fl[2], (int) fr[2]);
  }

  /** {u = x − cutoff sorted by |u|, y}; right side u ≥ 0, left side stored as |u|. */
  private static double[][] side(double[] x, double[] y, double cutoff, boolean right) {
    int n = 0;
    for (double v : x) if ((v >= cutoff) == right) n++;
    var idx = new Integer[n];
    int k = 0;
    for (int i = 0; i < x.length; i++) if ((x[i] >= cutoff) == right) idx[k++] = i;
    Arrays.sort(idx, (a, b) -> Double.compare(Math.abs(x[a] - cutoff), Math.abs(x[b] - cutoff)));
    var u = new double[n];
    var v = new double[n];
    for (int i = 0; i < n; i++) {
      u[i] = Math.abs(x[idx[i]] - cutoff);
      v[i] = y[idx[i]];
    }
    return new double[][] {u, v};
  }

  /** Intercept at distance 0, its robust variance, and the number of rows with positive weight. */
  private static double[] localLinear(double[] u, double[] y, double h) {
    double s0 = 0, s1 = 0, s2 = 0, t0 = 0, t1 = 0;
    int used = 0;
    for (int i = 0; i < u.length && u[i] < h; i++) {
      double w = 1 - u[i] / h;
      s0 += w;
      s1 += w * u[i];
      s2 += w * u[i] * u[i];
      t0 += w * y[i];
      t1 += w * u[i] * y[i];
      used++;
    }
    double det = s0 * s2 - s1 * s1;
    if (used < 3 || !(det > 0)) {
      throw new IllegalArgumentException("bandwidth " + h + " leaves only " + used + " rows on one side of the cutoff");
    }
    double a = (s2 * t0 - s1 * t1) / det;
    double b = (s0 * t1 - s1 * t0) / det;
    // inverse of [[s0, s1], [s1, s2]]
    double i00 = s2 / det, i01 = -s1 / det, i11 = s0 / det;
    double m00 = 0, m01 = 0, m11 = 0;
    for (int i = 0; i < used; i++) {
      double w = 1 - u[i] / h;
      double e = y[i] - a - b * u[i];
      double g = w * w * e * e;
      m00 += g;
      m01 += g * u[i];
      m11 += g * u[i] * u[i];
    }
    // (A M A)[0][0] with A symmetric = i00²m00 + 2 i00 i01 m01 + i01² m11
    double var = i00 * i00 * m00 + 2 * i00 * i01 * m01 + i01 * i01 * m11;
    var = var * used / Math.max(1, used - 2);
    return new double[] {a, var, used};
  }

  /** Imbens–Lemieux cross-validation bandwidth (see the class comment). */
  public static double crossValidatedBandwidth(double[] x, double[] y, double cutoff) {
    var l = side(x, y, cutoff, false);
    var r = side(x, y, cutoff, true);
    double maxU = Math.max(l[0][l[0].length - 1], r[0][r[0].length - 1]);
    double minU = maxU / 100;
    double best = maxU, bestCv = Double.POSITIVE_INFINITY;
    var pl = new Prefix(l[0], l[1]);
    var pr = new Prefix(r[0], r[1]);
    for (int g = 0; g < 40; g++) {
      double h = minU * Math.pow(maxU / minU, g / 39.0);
      double cv = pl.cv(h) + pr.cv(h);
      if (cv < bestCv) {
        bestCv = cv;
        best = h;
      }
    }
    if (!Double.isFinite(bestCv)) return maxU;
    return best;
  }

  /** Prefix sums over one side, sorted by distance from the cutoff. */
  private static final class Prefix {
    final double[] u;
    final double[] y;
    final double[] c, su, suu, sy, suy;

    Prefix(double[] u, double[] y) {
      this.u = u;
      this.y = y;
      int n = u.length;
      c = new double[n + 1];
      su = new double[n + 1];
      suu = new double[n + 1];
      sy = new double[n + 1];
      suy = new double[n + 1];
      for (int i = 0; i < n; i++) {
        c[i + 1] = c[i] + 1;
        su[i + 1] = su[i] + u[i];
        suu[i + 1] = suu[i] + u[i] * u[i];
        sy[i + 1] = sy[i] + y[i];
        suy[i + 1] = suy[i] + u[i] * y[i];
      }
    }

    /** Sum of squared one-sided prediction errors for the half closest to the cutoff; +inf if any lacks data. */
    double cv(double h) {
      int n = u.length;
      int half = n / 2;
      double sse = 0;
      for (int i = 0; i < half; i++) {
        // neighbours further from the cutoff: indices (i, hi) with u ≤ u[i] + h
        int hi = upper(u, u[i] + h);
        int lo = i + 1;
        double n0 = c[hi] - c[lo];
        if (n0 < 3) return Double.POSITIVE_INFINITY;
        double s1 = su[hi] - su[lo], s2 = suu[hi] - suu[lo], t0 = sy[hi] - sy[lo], t1 = suy[hi] - suy[lo];
        double det = n0 * s2 - s1 * s1;
        if (!(det > 1e-12 * n0 * s2)) return Double.POSITIVE_INFINITY;
        double a = (s2 * t0 - s1 * t1) / det;
        double b = (n0 * t1 - s1 * t0) / det;
        double e = y[i] - (a + b * u[i]);
        sse += e * e;
      }
      return sse;
    }

    private static int upper(double[] a, double v) {
      int lo = 0, hi = a.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (a[mid] <= v) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
  }
}
