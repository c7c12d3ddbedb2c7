package io.hireloop.stats;

/**
 * An always-valid sequential test for a difference between two arms: the mixture sequential probability
 * ratio test (mSPRT) of Johari, Pekelis &amp; Walsh, "Always Valid Inference" (2017), with a normal mixing
 * distribution. Peeking after every batch and stopping as soon as {@code pValue <= alpha} keeps the type-I
 * error at most alpha.
 *
 * <p>At a look, let θ̂ = ȳ1 − ȳ0 (group 1 − group 0) and V = σ1²/n1 + σ0²/n0 its variance. With the
 * mixing prior θ ~ N(θ0, τ²) over the alternative, the mixture likelihood ratio against H0: θ = θ0 is
 * <pre>  Λ = sqrt( V / (V + τ²) ) · exp( τ²·(θ̂ − θ0)² / (2·V·(V + τ²)) )</pre>
 * (for n pairs with common σ², V = 2σ²/n and this is the paper's
 * Λ_n = sqrt(2σ²/(2σ² + nτ²))·exp(n²τ²(θ̂ − θ0)² / (4σ²(2σ² + nτ²)))). The always-valid p-value is
 * p_0 = 1, p_k = min(p_{k−1}, 1/Λ_k) — non-increasing over looks by construction; by Ville's inequality
 * P(∃k: p_k ≤ α | H0) ≤ α when σ is known. For proportions the variances are the plug-in p̂(1 − p̂)
 * (as in the paper's deployment), which is valid asymptotically.
 *
 * <p>τ² is the prior variance of the effect on the metric's scale: choose it near the squared size of
 * effects you expect (e.g. the MDE²). One instance follows one experiment; it is not thread-safe.
 */
public final class SequentialTest {
  private final double tau2;
  private final double theta0;
  private final double alpha;
  private double pValue = 1;
  private int looks;

  /** One look: the mixture likelihood ratio, the always-valid p-value so far, and whether H0 is rejected. */
  public record Look(double difference, double likelihoodRatio, double pValue, boolean reject) {}

  /** Tests H0: θ = 0 with mixing variance τ² at level alpha. */
  public SequentialTest(double tau2, double alpha) {
    this(tau2, 0, alpha);
  }

  public SequentialTest(double tau2, double theta0, double alpha) {
    if (!(tau2 > 0 && Double.isFinite(tau2))) throw new IllegalArgumentException("tau² must be positive, got " + tau2);
    if (!Double.isFinite(theta0)) throw new IllegalArgumentException("theta0 must be finite");
    HypothesisTests.checkAlpha(alpha);
    this.tau2 = tau2;
    this.theta0 = theta0;
    this.alpha = alpha;
  }

  /**
   * A look at means: group sizes, means and (known or estimated) per-observation variances so far.
   * Observations accumulate between looks (each look sees all data to date).
   */
  public Look lookMeans(long n0, double mean0, double var0, long n1, double mean1, double var1) {
    if (n0 < 1 || n1 < 1) throw new IllegalArgumentException("each group needs at least one observation");
    if (!(var0 >= 0 && var1 >= 0)) throw new IllegalArgumentException("variances must be non-negative");
    double v = var1 / n1 + var0 / n0;
    double diff = mean1 - mean0;
    double lr;
    if (v > 0) {
      double dev = diff - theta0;
      // log Λ, to stay finite for large effects
      double logLr = 0.5 * Math.log(v / (v + tau2)) + tau2 * dev * dev / (2 * v * (v + tau2));
      lr = Math.exp(Math.min(logLr, 700));
      pValue = Math.min(pValue, Math.min(1, Math.exp(-logLr)));
    } else {
      lr = 1; // no information yet (zero variance); keep the p-value
    }
    looks++;
    return new Look(diff, lr, pValue, pValue <= alpha);
  }

  /** A look at conversion counts, with plug-in Bernoulli variances p̂(1 − p̂). */
  public Look lookProportions(long successes0, long n0, long successes1, long n1) {
    if (n0 < 1 || n1 < 1) throw new IllegalArgumentException("each group needs at least one observation");
    if (successes0 < 0 || successes0 > n0 || successes1 < 0 || successes1 > n1) {
      throw new IllegalArgumentException("successes must be between 0 and the group size");
    }
    double p0 = (double) successes0 / n0;
    double p1 = (double) successes1 / n1;
    return lookMeans(n0, p0, p0 * (1 - p0), n1, p1, p1 * (1 - p1));
  }

  /** The always-valid p-value after the looks so far (1 before the first). */
  public double pValue() {
    return pValue;
  }

  public int looks() {
    return looks;
  }
}
