package io.hireloop.stats.causal;

import java.util.ArrayList;
import java.util.List;
import org.hipparchus.distribution.continuous.FDistribution;

/**
 * Two-stage least squares for one endogenous regressor d with one or more excluded instruments z and
 * optional exogenous covariates w: first stage d ~ 1 + z + w, second stage y ~ 1 + d̂ + w.
 *
 * <p>Standard errors use the structural residuals y − [1, d, w]β (not the second-stage ones). Default is
 * heteroskedasticity-robust HC1 (n/(n−k) sandwich on the projected regressors); {@code robust = false} gives
 * the classical σ²(X̂'X̂)⁻¹. The first-stage F is the classical partial F test of the excluded instruments;
 * F &lt; 10 adds a weak-instrument warning (Staiger &amp; Stock 1997).
 *
 * <p>The Wald interval β̂ ± 1.96·SE is unreliable with a weak instrument (it is centred near the biased 2SLS value
 * and too narrow); {@link #andersonRubin} gives the Anderson–Rubin (1949) confidence set, whose coverage does not
 * depend on the strength of the instrument. It may be a bounded interval, the union of two rays, or the whole line.
 */
public final class InstrumentalVariables {
  private InstrumentalVariables() {}

  public record Result(double estimate, double stdError, double firstStageF, double firstStageP, double olsEstimate,
      List<String> warnings) {}

  /**
   * @param z n × q instruments; @param w n × p covariates or null
   */
  public static Result twoStage(double[] y, double[] d, double[][] z, double[][] w, boolean robust) {
    int n = y.length;
    int q = z[0].length;
    int p = w == null || w.length == 0 ? 0 : w[0].length;
    if (n < q + p + 5) throw new IllegalArgumentException("too few rows for 2SLS: " + n);
    // first stage, unrestricted and restricted
    var zu = unrestricted(z, w, n, q, p);
    var zr = restricted(w, n, p);
    var first = Ols.fit(zu, d);
    double rssU = first.rss();
    double rssR = Ols.fit(zr, d).rss();
    int dfU = n - (1 + q + p);
    double f = ((rssR - rssU) / q) / (rssU / dfU);
    double fp = 1 - new FDistribution(q, dfU).cumulativeProbability(f);
    // second stage
    var xhat = new double[n][2 + p];
    var x = new double[n][2 + p];
    for (int i = 0; i < n; i++) {
      xhat[i][0] = 1;
      x[i][0] = 1;
      xhat[i][1] = first.predict(zu[i]);
      x[i][1] = d[i];
      for (int j = 0; j < p; j++) {
        xhat[i][2 + j] = w[i][j];
        x[i][2 + j] = w[i][j];
      }
    }
    var second = Ols.fit(xhat, y);
    var beta = second.beta();
    var ols = Ols.fit(x, y);
    // structural residuals
    var u = new double[n];
    for (int i = 0; i < n; i++) u[i] = y[i] - Ols.dot(x[i], beta);
    int k = 2 + p;
    var xtx = new double[k][k];
    for (int i = 0; i < n; i++) for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) xtx[a][b] += xhat[i][a] * xhat[i][b];
    var inv = org.hipparchus.linear.MatrixUtils.inverse(new org.hipparchus.linear.Array2DRowRealMatrix(xtx, false));
    double var;
    if (robust) {
      var meat = new double[k][k];
      for (int i = 0; i < n; i++) for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) meat[a][b] += u[i] * u[i] * xhat[i][a] * xhat[i][b];
      var cov = inv.multiply(new org.hipparchus.linear.Array2DRowRealMatrix(meat, false)).multiply(inv);
      var = cov.getEntry(1, 1) * n / (n - k);
    } else {
      double s2 = 0;
      for (double e : u) s2 += e * e;
      var = inv.getEntry(1, 1) * s2 / (n - k);
    }
    var warnings = new ArrayList<String>();
    if (!(f >= 10)) {
      warnings.add(String.format("weak instrument: first-stage F = %.2f < 10; 2SLS is biased towards OLS and its "
          + "interval is unreliable", f));
    }
    return new Result(beta[1], Math.sqrt(var), f, fp, ols.beta()[1], warnings);
  }

  /**
   * The Anderson–Rubin set {β₀ : AR(β₀) ≤ critical value} at the given level, as sorted disjoint intervals
   * (infinite ends are ±infinity). AR(β₀) tests that the excluded instruments have no coefficient in the regression
   * of y − β₀d on 1 + z + w. Both the coefficients and the residuals of that regression are linear in β₀ (the
   * reduced forms of y and of d), so the test statistic is a ratio of quadratics and the set solves one quadratic
   * inequality aβ₀² + bβ₀ + c ≤ 0:
   *
   * <ul>
   *   <li>{@code robust} and one instrument: the HC1 Wald statistic of the instrument's coefficient,
   *       (π_y − β₀π_d)² / V_HC1(β₀) ≤ χ²₁(level) — the heteroskedasticity-robust AR test, matching the HC1 Wald
   *       interval of {@link #twoStage} when the instrument is strong.</li>
   *   <li>otherwise: the classical F form, [(RSS_W(β₀) − RSS_Z(β₀))/q] / [RSS_Z(β₀)/(n − 1 − q − p)] ≤ F(q, n − 1 − q − p),
   *       RSS_Z and RSS_W the residual sums of squares of y − β₀d on 1 + z + w and on 1 + w.</li>
   * </ul>
   * The set is bounded exactly when the first stage rejects "no instrument" at the same level (a &gt; 0).
   */
  public static ConfidenceSet andersonRubin(double[] y, double[] d, double[][] z, double[][] w, boolean robust, double level) {
    int n = y.length;
    int q = z[0].length;
    int p = w == null || w.length == 0 ? 0 : w[0].length;
    int k = 1 + q + p;
    if (n < k + 5) throw new IllegalArgumentException("too few rows for the Anderson–Rubin test: " + n);
    var zu = unrestricted(z, w, n, q, p);
    var zr = restricted(w, n, p);
    var fy = Ols.fit(zu, y);
    var fd = Ols.fit(zu, d);
    var ey = fy.residuals();
    var ed = fd.residuals();
    double a, b, c;
    String kind;
    if (robust && q == 1) {
      var zcol = new double[n];
      for (int i = 0; i < n; i++) zcol[i] = z[i][0];
      var zt = Ols.fit(zr, zcol).residuals(); // the instrument partialled out of 1 + w (Frisch–Waugh–Lovell)
      double s = 0, vyy = 0, vyd = 0, vdd = 0;
      for (int i = 0; i < n; i++) {
        double z2 = zt[i] * zt[i];
        s += z2;
        vyy += z2 * ey[i] * ey[i];
        vyd += z2 * ey[i] * ed[i];
        vdd += z2 * ed[i] * ed[i];
      }
      double crit = new org.hipparchus.distribution.continuous.ChiSquaredDistribution(1).inverseCumulativeProbability(level);
      double f = crit * n / (n - k) / (s * s);
      double py = fy.beta()[1], pd = fd.beta()[1];
      a = pd * pd - f * vdd;
      b = -2 * (py * pd - f * vyd);
      c = py * py - f * vyy;
      kind = "hc1";
    } else {
      var ry = Ols.fit(zr, y).residuals();
      var rd = Ols.fit(zr, d).residuals();
      int df = n - k;
      double crit = new FDistribution(q, df).inverseCumulativeProbability(level);
      double kappa = 1 + q * crit / df;
      a = dot(rd, rd) - kappa * dot(ed, ed);
      b = -2 * (dot(ry, rd) - kappa * dot(ey, ed));
      c = dot(ry, ry) - kappa * dot(ey, ey);
      kind = "classical";
    }
    return new ConfidenceSet(solve(a, b, c), level, kind);
  }

  /**
   * An Anderson–Rubin confidence set: disjoint intervals in ascending order, each {low, high} with ±infinity for an
   * unbounded end; empty when no value is accepted (possible only with more than one instrument).
   */
  public record ConfidenceSet(List<double[]> intervals, double level, String kind) {
    public boolean bounded() {
      return intervals.stream().allMatch(iv -> Double.isFinite(iv[0]) && Double.isFinite(iv[1]));
    }
  }

  /** {β : aβ² + bβ + c ≤ 0}. */
  static List<double[]> solve(double a, double b, double c) {
    double inf = Double.POSITIVE_INFINITY;
    double scale = Math.max(Math.abs(a), Math.max(Math.abs(b), Math.abs(c)));
    if (scale == 0) return List.of(new double[] {-inf, inf});
    if (Math.abs(a) <= 1e-14 * scale) {
      if (b == 0) return c <= 0 ? List.of(new double[] {-inf, inf}) : List.of();
      double r = -c / b;
      return b > 0 ? List.of(new double[] {-inf, r}) : List.of(new double[] {r, inf});
    }
    double disc = b * b - 4 * a * c;
    if (disc < 0) return a > 0 ? List.of() : List.of(new double[] {-inf, inf});
    double qq = -0.5 * (b + Math.copySign(Math.sqrt(disc), b)); // the numerically stable pair of roots
    double r1 = qq / a;
    double r2 = qq != 0 ? c / qq : r1;
    double lo = Math.min(r1, r2), hi = Math.max(r1, r2);
    return a > 0 ? List.of(new double[] {lo, hi}) : List.of(new double[] {-inf, lo}, new double[] {hi, inf});
  }

  private static double dot(double[] u, double[] v) {
    double s = 0;
    for (int i = 0; i < u.length; i++) s += u[i] * v[i];
    return s;
  }

  /**
   * The placebo-instrument estimate: the first stage d ~ 1 + z + w is fitted on the real instruments and then
   * applied to {@code zPlacebo} (e.g. the instrument rows permuted), and y is regressed on 1 + that placebo
   * d̂ + w. With one instrument this is the reduced-form coefficient of y on the placebo instrument divided by
   * the real first-stage coefficient — a Wald ratio whose numerator is the placebo. A permuted instrument has no
   * first stage of its own (re-running full 2SLS on it is unidentified: a Cauchy-like ratio centred near OLS),
   * so keeping the real first stage is what makes the placebo effect 0 in expectation.
   */
  public static double placeboEstimate(double[] y, double[] d, double[][] z, double[][] zPlacebo, double[][] w) {
    int n = y.length;
    int q = z[0].length;
    int p = w == null || w.length == 0 ? 0 : w[0].length;
    if (n < q + p + 5) throw new IllegalArgumentException("too few rows for 2SLS: " + n);
    var zu = new double[n][1 + q + p];
    var zp = new double[n][1 + q + p];
    for (int i = 0; i < n; i++) {
      zu[i][0] = 1;
      zp[i][0] = 1;
      for (int j = 0; j < q; j++) {
        zu[i][1 + j] = z[i][j];
        zp[i][1 + j] = zPlacebo[i][j];
      }
      for (int j = 0; j < p; j++) {
        zu[i][1 + q + j] = w[i][j];
        zp[i][1 + q + j] = w[i][j];
      }
    }
    var first = Ols.fit(zu, d);
    var xhat = new double[n][2 + p];
    for (int i = 0; i < n; i++) {
      xhat[i][0] = 1;
      xhat[i][1] = first.predict(zp[i]);
      for (int j = 0; j < p; j++) xhat[i][2 + j] = w[i][j];
    }
    return Ols.fit(xhat, y).beta()[1];
  }

  /** [1, z, w]: the first stage with the instruments. */
  private static double[][] unrestricted(double[][] z, double[][] w, int n, int q, int p) {
    var zu = new double[n][1 + q + p];
    for (int i = 0; i < n; i++) {
      zu[i][0] = 1;
      for (int j = 0; j < q; j++) zu[i][1 + j] = z[i][j];
      for (int j = 0; j < p; j++) zu[i][1 + q + j] = w[i][j];
    }
    return zu;
  }

  /** [1, w]: the first stage without them. */
  private static double[][] restricted(double[][] w, int n, int p) {
    var zr = new double[n][1 + p];
    for (int i = 0; i < n; i++) {
      zr[i][0] = 1;
      for (int j = 0; j < p; j++) zr[i][1 + j] = w[i][j];
    }
    return zr;
  }
}
