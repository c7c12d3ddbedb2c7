package io.hireloop.stats.causal;

/**
 * Inverse-propensity weighting with Hajek (self-normalised) means.
 *
 * <ul>
 *   <li>ATE: treated weight 1/e, control weight 1/(1 − e); μ₁ and μ₀ are weighted means in each arm.</li>
 *   <li>ATT: treated weight 1, control weight e/(1 − e).</li>
 * </ul>
 * Standard error from the influence function of the Hajek estimator with the propensity score treated as known;
 * for the ATE this is conservative when the score was estimated (Hirano, Imbens &amp; Ridder 2003).
 */
public final class Weighting {
  private Weighting() {}

  public record Result(String estimand, double estimate, double stdError, double[] weights) {}

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
