package io.hireloop.experiment;

import io.hireloop.stats.HypothesisTests;
import java.util.List;
import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.SingularValueDecomposition;

/**
 * The sample-ratio check when the split between variants was not the same for every exposed user: Thompson
 * updates change the weights over time, and in {@code fixed} mode slices opened by ramps after an allocation
 * change carry other weights. Pure.
 *
 * <p>Each exposed user {@code u} was assigned under a known split {@code p_u} (the weights in force at their
 * exposure, or of their traffic slice); users under the same split form a {@link Split}. Under honest
 * assignment the count of variant {@code i} is a sum of independent indicators, so
 * {@code E_i = Σ_splits n_s · p_si} and the covariance of the counts is
 * {@code V = Σ_splits n_s · (diag(p_s) − p_s p_sᵀ)}. The statistic is the Mahalanobis distance
 * {@code (O − E)ᵀ V⁺ (O − E)} (V⁺: pseudo-inverse, since the counts sum to the exposures), χ² with
 * {@code rank(V)} (= variants − 1 normally) degrees of freedom. With one split it <em>is</em> Pearson's
 * goodness-of-fit χ² ({@code diag(p)⁻¹} is a generalised inverse of {@code diag(p) − ppᵀ}); with several it
 * is the exact-covariance version of it (plain Pearson against the pooled shares {@code E/N} would
 * overstate the variance and be conservative; one χ² per split summed would lose power to splits of few
 * users). A variant exposed although no split gave it any weight, or any deviation in a direction the
 * splits leave no room for, is a mismatch with p = 0.
 */
public final class AdaptiveSrm {
  private AdaptiveSrm() {}

  /** {@code users} exposed while {@code shares} (per variant, fixed order, summing to 1) were in force. */
  public record Split(double[] shares, long users) {}

  /** {@code expected}: per variant, same order as the observed counts. */
  public record Result(double chi2, int df, double pValue, boolean mismatch, double[] expected) {}

  /** {@code observed}: exposures per variant; the splits' users must add up to their sum. */
  public static Result test(long[] observed, List<Split> splits) {
    int k = observed.length;
    long total = 0;
    for (long o : observed) total += o;
    long splitUsers = splits.stream().mapToLong(Split::users).sum();
    if (splitUsers != total) throw new IllegalArgumentException("splits hold " + splitUsers + " users, observed " + total);
    var expected = new double[k];
    var v = new double[k][k];
    for (var s : splits) {
      if (s.shares().length != k) throw new IllegalArgumentException("a split has " + s.shares().length + " shares for " + k + " variants");
      double n = s.users();
      for (int i = 0; i < k; i++) {
        double pi = s.shares()[i];
        expected[i] += n * pi;
        v[i][i] += n * pi;
        for (int j = 0; j < k; j++) v[i][j] -= n * pi * s.shares()[j];
      }
    }
    if (total == 0) return new Result(0, 0, 1, false, expected);
    var d = new double[k];
    for (int i = 0; i < k; i++) d[i] = observed[i] - expected[i];
    var svd = new SingularValueDecomposition(new Array2DRowRealMatrix(v, false));
    double[] sigma = svd.getSingularValues();
    double tol = Math.max(1e-12, sigma[0] * 1e-10);
    int rank = 0;
    for (double x : sigma) if (x > tol) rank++;
    if (rank == 0) return new Result(0, 0, 1, false, expected); // everyone had one possible variant (a split of 100%)
    // d on the singular directions of V (orthonormal); what is left lies where the splits allow no deviation
    var u = svd.getU();
    var residual = new ArrayRealVector(d);
    double chi2 = 0;
    for (int c = 0; c < rank; c++) {
      var dir = u.getColumnVector(c);
      double coord = dir.dotProduct(residual);
      chi2 += coord * coord / sigma[c];
      residual = residual.subtract(dir.mapMultiply(coord));
    }
    // counts are whole users: a deviation of half a user where the splits allow none is a real one
    if (residual.getNorm() > 0.5) return new Result(Double.POSITIVE_INFINITY, rank, 0, true, expected);
    double p = 1 - new ChiSquaredDistribution(rank).cumulativeProbability(chi2);
    return new Result(chi2, rank, p, p < HypothesisTests.SRM_THRESHOLD, expected);
  }
}
