package io.hireloop.stats.causal;

/**
 * Inverse-propensity weighting with Hajek (self-normalised) means.
 *
 * <ul>
 *   <li>ATE: treated weight 1/e, control weight 1/(1 − e); μ₁ and μ₀ are weighted means in each arm.</li>
 *   <li>ATT: treated weight 1, control weight e/(1 − e).</li>
 * </ul>
 * {@link #ipw(double[], int[], double[], String)} gives the standard error from the influence function of the Hajek
 * estimator with the propensity score treated as known; for the ATE that is conservative when the score was
 * estimated (Hirano, Imbens &amp; Ridder 2003) — on confounded data often by half again or more.
 * {@link #ipw(Propensity.Fit, double[][], int[], double[], String)} accounts for the fitted logit by stacking its
 * score equations with the estimator's (M-estimation; Lunceford &amp; Davidian 2004, Williamson, Forbes &amp; White
 * 2014): the influence of unit i becomes φᵢ + G'I⁻¹Sᵢ, with φᵢ the known-score influence, Sᵢ = (tᵢ − eᵢ)xᵢ the
 * logit score, I = mean eᵢ(1 − eᵢ)xᵢxᵢ' its information and G = mean ∂φᵢ/∂γ the sensitivity of the estimator to
 * the logit coefficients γ. This is the sandwich variance of the joint estimating equations, the one a bootstrap
 * that refits the propensity model approximates.
 */
public final class Weighting {
  private Weighting() {}

  public record Result(String estimand, double estimate, double stdError, double[] weights) {}

  /** Hajek IPW with the standard error corrected for the propensity model {@code fit} estimated on covariates x. */
  public static Result ipw(Propensity.Fit fit, double[][] x, int[] t, double[] y, String estimand) {
    var e = fit.scores();
    var known = ipw(e, t, y, estimand);
    boolean att = estimand.equals("att");
    int n = y.length;
    int p = x.length == 0 ? 0 : x[0].length;
    int k = p + 1;
    // the correction is invariant to affine changes of the covariates: standardise them for a well-conditioned I
    var z = new double[n][k];
    for (int j = 0; j < p; j++) {
      double s = 0, s2 = 0;
      for (int i = 0; i < n; i++) s += x[i][j];
      double mean = s / n;
      for (int i = 0; i < n; i++) s2 += (x[i][j] - mean) * (x[i][j] - mean);
      double sd = Math.sqrt(s2 / n);
      for (int i = 0; i < n; i++) z[i][j + 1] = sd > 0 ? (x[i][j] - mean) / sd : 0;
    }
    for (int i = 0; i < n; i++) z[i][0] = 1;
    var w = known.weights();
    double s1 = 0, w1 = 0, s0 = 0, w0 = 0;
    for (int i = 0; i < n; i++) {
      if (t[i] == 1) {
        s1 += w[i] * y[i];
        w1 += w[i];
      } else {
        s0 += w[i] * y[i];
        w0 += w[i];
      }
    }
    double mu1 = s1 / w1, mu0 = s0 / w0, m1 = w1 / n, m0 = w0 / n;
    var phi = new double[n];
    var g = new double[k];
    var info = new double[k][k];
    for (int i = 0; i < n; i++) {
      phi[i] = t[i] == 1 ? w[i] * (y[i] - mu1) / m1 : -w[i] * (y[i] - mu0) / m0;
      // ∂φᵢ/∂γ = factor·zᵢ: ∂(1/e)/∂γ = −(1−e)/e·z, ∂(1/(1−e))/∂γ = e/(1−e)·z, ∂(e/(1−e))/∂γ = e/(1−e)·z
      double factor;
      if (t[i] == 1) factor = att ? 0 : -w[i] * (1 - e[i]) * (y[i] - mu1) / m1;
      else factor = -(att ? w[i] : w[i] * e[i]) * (y[i] - mu0) / m0;
      double v = e[i] * (1 - e[i]);
      for (int a = 0; a < k; a++) {
        g[a] += factor * z[i][a] / n;
        for (int b = 0; b <= a; b++) info[a][b] += v * z[i][a] * z[i][b] / n;
      }
    }
    for (int a = 0; a < k; a++) for (int b = a + 1; b < k; b++) info[a][b] = info[b][a];
    double[] h; // I⁻¹G
    try {
      h = new org.hipparchus.linear.CholeskyDecomposition(new org.hipparchus.linear.Array2DRowRealMatrix(info, false), 1e-12, 1e-14)
          .getSolver().solve(new org.hipparchus.linear.ArrayRealVector(g, false)).toArray();
    } catch (org.hipparchus.exception.MathIllegalArgumentException ex) {
      return known; // a singular information matrix: the propensity model could not have been fitted either
    }
    double ss = 0;
    for (int i = 0; i < n; i++) {
      double psi = phi[i] + (t[i] - e[i]) * Ols.dot(z[i], h);
      ss += psi * psi;
    }
    return new Result(estimand, known.estimate(), Math.sqrt(ss / n) / Math.sqrt(n), w);
  }

  /** Hajek IPW with the propensity scores e treated as known (see the class comment). */
  public static Result ipw(double[] e, int[] t, double[] y, String estimand) {
    int n = y.length;
    Stats.checkTreatment(t, n);
    boolean att = switch (estimand) {
      case "ate" -> false;
      case "att" -> true;
      default -> throw new IllegalArgumentException("IPW estimand must be ate or att, got '" + estimand + "'");
    };
    var w = new double[n];
    double s1 = 0, w1 = 0, s0 = 0, w0 = 0;
    for (int i = 0; i < n; i++) {
      w[i] = t[i] == 1 ? (att ? 1 : 1 / e[i]) : (att ? e[i] / (1 - e[i]) : 1 / (1 - e[i]));
      if (t[i] == 1) {
        s1 += w[i] * y[i];
        w1 += w[i];
      } else {
        s0 += w[i] * y[i];
        w0 += w[i];
      }
    }
    double mu1 = s1 / w1, mu0 = s0 / w0;
    double est = mu1 - mu0;
    double m1 = w1 / n, m0 = w0 / n;
    double ss = 0;
    for (int i = 0; i < n; i++) {
      double psi = t[i] == 1 ? w[i] * (y[i] - mu1) / m1 : -w[i] * (y[i] - mu0) / m0;
      ss += psi * psi;
    }
    double se = Math.sqrt(ss / n) / Math.sqrt(n);
    return new Result(estimand, est, se, w);
  }
}
