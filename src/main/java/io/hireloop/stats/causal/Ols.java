package io.hireloop.stats.causal;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealMatrix;

/**
 * Ordinary least squares by Householder QR (Hipparchus). The design matrix is used as given (callers add
 * the intercept column). Covariances: classical (σ²(X'X)⁻¹), HC1 robust and CR1 cluster-robust.
 */
public final class Ols {
  private final double[][] x;
  private final double[] beta;
  private final double[] residuals;
  private final RealMatrix xtxInverse;

  private Ols(double[][] x, double[] beta, double[] residuals, RealMatrix xtxInverse) {
    this.x = x;
    this.beta = beta;
    this.residuals = residuals;
    this.xtxInverse = xtxInverse;
  }

  public static Ols fit(double[][] x, double[] y) {
    int n = x.length;
    int k = x[0].length;
    if (n <= k) throw new IllegalArgumentException("too few rows for OLS: " + n + " rows, " + k + " parameters");
    var xm = new Array2DRowRealMatrix(x, false);
    var qr = new QRDecomposition(xm, 1e-10);
    var solver = qr.getSolver();
    if (!solver.isNonSingular()) throw new IllegalArgumentException("design matrix is singular (collinear or constant columns)");
    double[] beta = solver.solve(new ArrayRealVector(y, false)).toArray();
    var r = qr.getR().getSubMatrix(0, k - 1, 0, k - 1);
    var rInv = MatrixUtils.inverse(r);
    var xtxInv = rInv.multiplyTransposed(rInv);
    var res = new double[n];
    for (int i = 0; i < n; i++) res[i] = y[i] - dot(x[i], beta);
    return new Ols(x, beta, res, xtxInv);
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) s += a[j] * b[j];
    return s;
  }

  /** Prepends a column of ones. */
  public static double[][] withIntercept(double[][] cols, int n) {
    var out = new double[n][];
    int k = cols == null ? 0 : cols[0].length;
    for (int i = 0; i < n; i++) {
      out[i] = new double[k + 1];
      out[i][0] = 1;
      for (int j = 0; j < k; j++) out[i][j + 1] = cols[i][j];
    }
    return out;
  }

  public double[] beta() {
    return beta.clone();
  }

  public double[] residuals() {
    return residuals;
  }

  public double predict(double[] row) {
    return dot(row, beta);
  }

  public double rss() {
    double s = 0;
    for (double e : residuals) s += e * e;
    return s;
  }

  public RealMatrix classicalCovariance() {
    int n = x.length, k = beta.length;
    return xtxInverse.scalarMultiply(rss() / (n - k));
  }

  /** HC1: (X'X)⁻¹ Σ e²xx' (X'X)⁻¹ · n/(n−k). */
  public RealMatrix robustCovariance() {
    int n = x.length, k = beta.length;
    var meat = new double[k][k];
    for (int i = 0; i < n; i++) {
      double e2 = residuals[i] * residuals[i];
      for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) meat[a][b] += e2 * x[i][a] * x[i][b];
    }
    var m = new Array2DRowRealMatrix(meat, false);
    return xtxInverse.multiply(m).multiply(xtxInverse).scalarMultiply((double) n / (n - k));
  }

  /** CR1 cluster-robust: scores summed within clusters, small-sample factor G/(G−1)·(n−1)/(n−k). */
  public RealMatrix clusteredCovariance(String[] clusters) {
    int n = x.length, k = beta.length;
    var sums = new java.util.HashMap<String, double[]>();
    for (int i = 0; i < n; i++) {
      var s = sums.computeIfAbsent(clusters[i], c -> new double[k]);
      for (int a = 0; a < k; a++) s[a] += x[i][a] * residuals[i];
    }
    int g = sums.size();
    if (g < 2) throw new IllegalArgumentException("clustered standard errors need at least 2 clusters, got " + g);
    var meat = new double[k][k];
    for (var s : sums.values()) for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) meat[a][b] += s[a] * s[b];
    double factor = (double) g / (g - 1) * (n - 1.0) / (n - k);
    return xtxInverse.multiply(new Array2DRowRealMatrix(meat, false)).multiply(xtxInverse).scalarMultiply(factor);
  }
}
