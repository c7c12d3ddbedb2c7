package io.hireloop.stats.causal;

/**
 * Augmented inverse-propensity weighting (AIPW) for the ATE: outcome models m₁(x), m₀(x) fitted by OLS
 * (Hipparchus QR) separately in each arm, combined with the propensity score e(x):
 * ψᵢ = m₁(xᵢ) − m₀(xᵢ) + tᵢ(yᵢ − m₁(xᵢ))/eᵢ − (1 − tᵢ)(yᵢ − m₀(xᵢ))/(1 − eᵢ).
 * The estimate is mean(ψ); the standard error is sd(ψ)/√n (influence function). Consistent if either the
 * propensity model or the outcome models are right.
 */
public final class DoublyRobust {
  private DoublyRobust() {}

  public record Result(double estimate, double stdError) {}

  public static Result aipw(double[][] x, double[] e, int[] t, double[] y) {
    int n = y.length;
    Stats.checkTreatment(t, n);
    var design = Ols.withIntercept(x.length == 0 || x[0].length == 0 ? null : x, n);
    int k = design[0].length;
    int n1 = Stats.count(t, 1), n0 = n - n1;
    if (n1 <= k || n0 <= k) {
      throw new IllegalArgumentException("too few rows for the outcome models: " + n1 + " treated and " + n0
          + " controls for " + k + " parameters per arm");
    }
    var m1 = Ols.fit(Stats.rows(design, t, 1), Stats.values(y, t, 1));
    var m0 = Ols.fit(Stats.rows(design, t, 0), Stats.values(y, t, 0));
    var psi = new double[n];
    for (int i = 0; i < n; i++) {
      double p1 = m1.predict(design[i]), p0 = m0.predict(design[i]);
      psi[i] = p1 - p0 + (t[i] == 1 ? (y[i] - p1) / e[i] : -(y[i] - p0) / (1 - e[i]));
    }
    return new Result(Stats.mean(psi), Math.sqrt(Stats.variance(psi) / n));
  }
}
