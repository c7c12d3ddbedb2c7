package io.hireloop.stats;

import org.hipparchus.distribution.continuous.NormalDistribution;

/**
 * Power analysis for two-arm, equal-allocation, two-sided tests by the normal approximation.
 * z_a = z_{1−α/2}, z_b = z_{power}; the negligible opposite rejection tail is ignored (as in the standard
 * formulas and most online calculators).
 *
 * <p>Proportions (baseline p1, absolute MDE δ, p2 = p1 + δ, p̄ = (p1 + p2)/2) — the "pooled under H0,
 * unpooled under H1" formula (Fleiss; as in G*Power/Evan Miller-style calculators without continuity
 * correction):
 * <pre>  n = ( z_a·sqrt(2·p̄(1−p̄)) + z_b·sqrt(p1(1−p1) + p2(1−p2)) )² / δ²   (rounded up)</pre>
 * Means (common SD σ): n = 2·(z_a + z_b)²·σ² / δ² (rounded up).
 */
public final class Power {
  private Power() {}

  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

  /** Sample size per variant to detect p1 → p1 + mde. */
  public static long sampleSizeProportions(double baseline, double mde, double alpha, double power) {
    checkProportions(baseline, mde);
    checkAlphaPower(alpha, power);
    double p2 = baseline + mde;
    double pBar = (baseline + p2) / 2;
    double za = z(1 - alpha / 2);
    double zb = z(power);
    double a = za * Math.sqrt(2 * pBar * (1 - pBar)) + zb * Math.sqrt(baseline * (1 - baseline) + p2 * (1 - p2));
    return ceil(a * a / (mde * mde));
  }

  /** Power achieved with n per variant: Φ( (|δ|·√n − z_a·sqrt(2p̄(1−p̄))) / sqrt(p1(1−p1)+p2(1−p2)) ). */
  public static double powerProportions(double baseline, double mde, long nPerVariant, double alpha) {
    checkProportions(baseline, mde);
    HypothesisTests.checkAlpha(alpha);
    if (nPerVariant < 1) throw new IllegalArgumentException("n per variant must be at least 1");
    double p2 = baseline + mde;
    double pBar = (baseline + p2) / 2;
    double num = Math.abs(mde) * Math.sqrt(nPerVariant) - z(1 - alpha / 2) * Math.sqrt(2 * pBar * (1 - pBar));
    return STANDARD_NORMAL.cumulativeProbability(num / Math.sqrt(baseline * (1 - baseline) + p2 * (1 - p2)));
  }

  /**
   * Smallest absolute upward lift δ > 0 detectable with the given power and n per variant (p1 + δ < 1),
   * found by bisection on {@link #powerProportions} (which increases with δ). {@code NaN} if not even
   * δ → 1 − p1 reaches the power.
   */
  public static double mdeProportions(double baseline, long nPerVariant, double alpha, double power) {
    if (!(baseline > 0 && baseline < 1)) throw new IllegalArgumentException("baseline must be in (0, 1), got " + baseline);
    checkAlphaPower(alpha, power);
    double lo = 0;
    double hi = 1 - baseline;
    if (powerProportions(baseline, hi * (1 - 1e-12), nPerVariant, alpha) < power) return Double.NaN;
    for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
      double mid = (lo + hi) / 2;
      if (mid > 0 && powerProportions(baseline, mid, nPerVariant, alpha) >= power) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /** Sample size per variant for a difference in means δ with common standard deviation σ. */
  public static long sampleSizeMeans(double mde, double sd, double alpha, double power) {
    checkMeans(mde, sd);
    checkAlphaPower(alpha, power);
    double k = z(1 - alpha / 2) + z(power);
    return ceil(2 * k * k * sd * sd / (mde * mde));
  }

  /** Power with n per variant: Φ(|δ|·sqrt(n/2)/σ − z_a). */
  public static double powerMeans(double mde, double sd, long nPerVariant, double alpha) {
    checkMeans(mde, sd);
    HypothesisTests.checkAlpha(alpha);
    if (nPerVariant < 1) throw new IllegalArgumentException("n per variant must be at least 1");
    return STANDARD_NORMAL.cumulativeProbability(Math.abs(mde) * Math.sqrt(nPerVariant / 2.0) / sd - z(1 - alpha / 2));
  }

  /** Minimum detectable difference in means with n per variant: (z_a + z_b)·σ·sqrt(2/n). */
  public static double mdeMeans(double sd, long nPerVariant, double alpha, double power) {
    if (!(sd > 0)) throw new IllegalArgumentException("sd must be positive, got " + sd);
    checkAlphaPower(alpha, power);
    if (nPerVariant < 1) throw new IllegalArgumentException("n per variant must be at least 1");
    return (z(1 - alpha / 2) + z(power)) * sd * Math.sqrt(2.0 / nPerVariant);
  }

  private static double z(double p) {
    return STANDARD_NORMAL.inverseCumulativeProbability(p);
  }

  private static long ceil(double n) {
    // guard against 3841.0000000001-style float noise pushing an exact integer up by one
    return (long) Math.ceil(n - 1e-9);
  }

  private static void checkProportions(double baseline, double mde) {
    if (!(baseline > 0 && baseline < 1)) throw new IllegalArgumentException("baseline must be in (0, 1), got " + baseline);
    if (!(mde != 0 && Double.isFinite(mde))) throw new IllegalArgumentException("mde must be a non-zero number, got " + mde);
    double p2 = baseline + mde;
    if (!(p2 > 0 && p2 < 1)) {
      throw new IllegalArgumentException("baseline + mde must be in (0, 1), got " + p2);
    }
  }

  private static void checkMeans(double mde, double sd) {
    if (!(mde != 0 && Double.isFinite(mde))) throw new IllegalArgumentException("mde must be a non-zero number, got " + mde);
    if (!(sd > 0 && Double.isFinite(sd))) throw new IllegalArgumentException("sd must be positive, got " + sd);
  }

  private static void checkAlphaPower(double alpha, double power) {
    HypothesisTests.checkAlpha(alpha);
    if (!(power > 0 && power < 1)) throw new IllegalArgumentException("power must be in (0, 1), got " + power);
  }
}
