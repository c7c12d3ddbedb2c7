package io.hireloop.stats;

import java.util.Arrays;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.exception.MathIllegalArgumentException;
import org.hipparchus.special.Gamma;

/**
 * Weibull accelerated-failure-time regression for right-censored times:
 * {@code log T = intercept + x·beta + scale·W}, W standard minimum-extreme-value, so
 * {@code S(t | x) = exp(−(t / e^η)^(1/scale))} with {@code η = intercept + x·beta}. A positive coefficient
 * lengthens the time (multiplies every quantile by {@code e^beta}).
 *
 * <p>Fitted by maximising the log-likelihood minus {@code l2/2 · ‖beta‖²} (the intercept and the scale are not
 * penalised) with Newton's method on (intercept, beta, log scale): analytic gradient and Hessian, Levenberg
 * damping when the negated Hessian is not positive definite, and step halving until the objective rises. The
 * penalty keeps collinear columns (one-hot blocks beside the intercept) and separable data finite.
 *
 * @param converged whether the objective's relative change fell below 1e-10 within the iteration limit
 */
public record WeibullAft(double intercept, double[] beta, double scale, double logLikelihood, int iterations, boolean converged) {

  public static final int MAX_ITERATIONS = 100;

  public WeibullAft {
    beta = beta.clone();
    if (!(scale > 0)) throw new IllegalArgumentException("scale must be > 0: " + scale);
  }

  /** @param time each > 0; @param event true: the event happened then, false: censored then */
  public static WeibullAft fit(double[][] x, double[] time, boolean[] event, double l2) {
    int n = time.length;
    if (x.length != n || event.length != n) throw new IllegalArgumentException("x, time and event differ in length");
    if (n == 0) throw new IllegalArgumentException("no observations");
    if (!(l2 >= 0)) throw new IllegalArgumentException("l2 must be >= 0: " + l2);
    int p = x[0].length;
    var y = new double[n];
    int events = 0;
    double totalTime = 0;
    for (int i = 0; i < n; i++) {
      if (x[i].length != p) throw new IllegalArgumentException("row " + i + " has " + x[i].length + " columns, expected " + p);
      if (!(time[i] > 0) || Double.isInfinite(time[i])) throw new IllegalArgumentException("time must be finite and > 0: " + time[i]);
      y[i] = Math.log(time[i]);
      totalTime += time[i];
      if (event[i]) events++;
    }
    if (events == 0) throw new IllegalArgumentException("no events: the time scale cannot be estimated");
    int k = p + 2; // [intercept, beta..., log scale]
    var theta = new double[k];
    theta[0] = Math.log(totalTime / events); // the exponential model's MLE: a start where every term is finite
    double f = objective(x, y, event, theta, l2);
    int iter = 0;
    boolean converged = false;
    var grad = new double[k];
    var hess = new double[k][k];
    while (iter < MAX_ITERATIONS) {
      iter++;
      derivatives(x, y, event, theta, l2, grad, hess);
      var step = newtonStep(grad, hess);
      double t = 1;
      double next = Double.NEGATIVE_INFINITY;
      var candidate = new double[k];
      for (int h = 0; h < 40; h++) {
        for (int j = 0; j < k; j++) candidate[j] = theta[j] + t * step[j];
        candidate[k - 1] = Math.max(-20, Math.min(20, candidate[k - 1]));
        next = objective(x, y, event, candidate, l2);
        if (next >= f) break;
        t /= 2;
      }
      if (!(next >= f)) {
        converged = true; // no ascent left along the (damped) Newton direction: at the optimum to machine precision
        break;
      }
      double change = next - f;
      theta = candidate.clone();
      f = next;
      if (change <= 1e-10 * (1 + Math.abs(f))) {
        converged = true;
        break;
      }
    }
    double penalty = 0;
    for (int j = 1; j <= p; j++) penalty += theta[j] * theta[j];
    return new WeibullAft(theta[0], Arrays.copyOfRange(theta, 1, p + 1), Math.exp(theta[k - 1]), f + l2 / 2 * penalty, iter, converged);
  }

  /** Penalised log-likelihood (without the constant Σ −log t of events); −∞ when not finite. */
  static double objective(double[][] x, double[] y, boolean[] event, double[] theta, double l2) {
    int p = theta.length - 2;
    double s = theta[p + 1];
    double sigma = Math.exp(s);
    double ll = 0;
    for (int i = 0; i < y.length; i++) {
      double z = (y[i] - eta(theta, x[i])) / sigma;
      double ez = Math.exp(z);
      ll += (event[i] ? z - s : 0) - ez;
    }
    double penalty = 0;
    for (int j = 1; j <= p; j++) penalty += theta[j] * theta[j];
    double out = ll - l2 / 2 * penalty;
    return Double.isFinite(out) ? out : Double.NEGATIVE_INFINITY;
  }

  private static double eta(double[] theta, double[] row) {
    double e = theta[0];
    for (int j = 0; j < row.length; j++) e += theta[j + 1] * row[j];
    return e;
  }

  /** Gradient and Hessian of the penalised objective. */
  private static void derivatives(double[][] x, double[] y, boolean[] event, double[] theta, double l2, double[] grad, double[][] hess) {
    int k = theta.length;
    int p = k - 2;
    double sigma = Math.exp(theta[k - 1]);
    Arrays.fill(grad, 0);
    for (var row : hess) Arrays.fill(row, 0);
    var u = new double[k - 1]; // [1, x] at the non-zero positions nz[0..m)
    var nz = new int[k - 1];
    for (int i = 0; i < y.length; i++) {
      int m = 0;
      u[m] = 1;
      nz[m++] = 0;
      for (int j = 0; j < p; j++) {
        if (x[i][j] != 0) {
          u[m] = x[i][j];
          nz[m++] = j + 1;
        }
      }
      double z = (y[i] - eta(theta, x[i])) / sigma;
      double ez = Math.exp(z);
      double d = event[i] ? 1 : 0;
      double gEta = -(d - ez) / sigma;
      double gS = -d - z * (d - ez);
      double hEtaEta = -ez / (sigma * sigma);
      double hEtaS = (d - ez - z * ez) / sigma;
      double hSS = z * d - z * ez - z * z * ez;
      // one-hot rows are sparse: only pairs of non-zero columns contribute (lower triangle, nz ascending)
      for (int a = 0; a < m; a++) {
        double ua = u[a];
        int ia = nz[a];
        grad[ia] += gEta * ua;
        double w = hEtaEta * ua;
        var ha = hess[ia];
        for (int b = 0; b <= a; b++) ha[nz[b]] += w * u[b];
        hess[k - 1][ia] += hEtaS * ua;
      }
      grad[k - 1] += gS;
      hess[k - 1][k - 1] += hSS;
    }
    for (int a = 0; a < k; a++) for (int b = 0; b < a; b++) hess[b][a] = hess[a][b];
    for (int j = 1; j <= p; j++) {
      grad[j] -= l2 * theta[j];
      hess[j][j] -= l2;
    }
  }

  /** Solves (−H + λI) step = g with the smallest damping λ ≥ 0 (from a ladder) that makes the matrix positive definite. */
  private static double[] newtonStep(double[] grad, double[][] hess) {
    int k = grad.length;
    double scale = 0;
    for (int j = 0; j < k; j++) scale = Math.max(scale, Math.abs(hess[j][j]));
    double damping = 0;
    for (int attempt = 0; attempt < 30; attempt++) {
      var m = new double[k][k];
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++) m[a][b] = -hess[a][b];
        m[a][a] += damping;
      }
      try {
        var chol = new CholeskyDecomposition(new Array2DRowRealMatrix(m, false), 1e-12, 1e-14);
        return chol.getSolver().solve(new ArrayRealVector(grad, false)).toArray();
      } catch (MathIllegalArgumentException e) {
        damping = damping == 0 ? Math.max(1e-8, 1e-6 * scale) : damping * 10;
      }
    }
    var step = new double[k]; // gradient ascent as a last resort
    for (int j = 0; j < k; j++) step[j] = grad[j] / Math.max(1, scale);
    return step;
  }

  /** The (unpenalised) log-likelihood of observations under this model, with the −log t term of events. */
  public double logLikelihood(double[][] x, double[] time, boolean[] event) {
    double ll = 0;
    double s = Math.log(scale);
    for (int i = 0; i < time.length; i++) {
      double y = Math.log(time[i]);
      double z = (y - linearPredictor(x[i])) / scale;
      ll += (event[i] ? z - s - y : 0) - Math.exp(z);
    }
    return ll;
  }

  /** η = intercept + x·beta: the log of the time scale. */
  public double linearPredictor(double[] x) {
    double e = intercept;
    for (int j = 0; j < beta.length; j++) e += beta[j] * x[j];
    return e;
  }

  public double linearPredictor(float[] x) {
    double e = intercept;
    for (int j = 0; j < beta.length; j++) e += beta[j] * x[j];
    return e;
  }

  /** S(t) for linear predictor η. */
  public double survival(double eta, double t) {
    if (t <= 0) return 1;
    return Math.exp(-Math.exp((Math.log(t) - eta) / scale));
  }

  /** The q-quantile of T: e^η · (−log(1 − q))^scale. */
  public double quantile(double eta, double q) {
    return Math.exp(eta) * Math.pow(-Math.log1p(-q), scale);
  }

  public double median(double eta) {
    return quantile(eta, 0.5);
  }

  /** ∫₀^τ S(t) dt = e^η · Γ(1 + scale) · P(scale, (τ / e^η)^(1/scale)), P the regularised lower incomplete gamma. */
  public double restrictedMean(double eta, double tau) {
    if (tau <= 0) return 0;
    double lambda = Math.exp(eta);
    double u = Math.pow(tau / lambda, 1 / scale);
    if (u == 0) return tau;
    double area = lambda * Math.exp(Gamma.logGamma(1 + scale)) * Gamma.regularizedGammaP(scale, u, 1e-12, 10_000);
    return Math.min(tau, area);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeibullAft w && w.intercept == intercept && Arrays.equals(w.beta, beta) && w.scale == scale;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(beta) + Double.hashCode(intercept) + Double.hashCode(scale);
  }

  @Override
  public String toString() {
    return "WeibullAft[intercept=" + intercept + ", beta=" + Arrays.toString(beta) + ", scale=" + scale + "]";
  }
}
