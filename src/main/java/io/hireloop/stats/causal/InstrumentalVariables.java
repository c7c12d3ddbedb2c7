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
    var zu = new double[n][1 + q + p];
    var zr = new double[n][1 + p];
    for (int i = 0; i < n; i++) {
      zu[i][0] = 1;
      zr[i][0] = 1;
      for (int j = 0; j < q; j++) zu[i][1 + j] = z[i][j];
      for (int j = 0; j < p; j++) {
        zu[i][1 + q + j] = w[i][j];
        zr[i][1 + j] = w[i][j];
      }
    }
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
}
