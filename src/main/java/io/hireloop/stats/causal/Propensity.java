package io.hireloop.stats.causal;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.exception.MathIllegalArgumentException;

/**
 * Propensity scores by logistic regression with an intercept, fitted by iteratively reweighted least
 * squares (Newton–Raphson with step halving). Covariates are standardised internally for a well-conditioned
 * Hessian; the returned coefficients are on the original scale (index 0 is the intercept). Scores are clipped
 * to [1e-6, 1 − 1e-6].
 *
 * <p>Complete or quasi-complete separation (a covariate combination that predicts treatment perfectly) makes
 * the maximum-likelihood estimate infinite: it shows as fitted probabilities at 0 or 1 with coefficients that
 * keep growing, or as no convergence within {@link #MAX_ITERATIONS}; both throw {@link FitException}.
 */
public final class Propensity {
  public static final double CLIP = 1e-6;
  public static final int MAX_ITERATIONS = 100;

  /** The fitted model: coefficients (intercept first) and clipped scores per row. */
  public record Fit(double[] coefficients, double[] scores, int iterations) {
    /** logit(score) per row. */
    public double[] logits() {
      var out = new double[scores.length];
      for (int i = 0; i < out.length; i++) out[i] = Math.log(scores[i] / (1 - scores[i]));
      return out;
    }
  }

  /** The logistic regression has no finite solution or did not converge. */
  public static final class FitException extends IllegalArgumentException {
    public FitException(String message) {
      super(message);
    }
  }

  private Propensity() {}

  /** @param x n rows × p covariates (no intercept column); @param t 0/1 treatment */
  public static Fit fit(double[][] x, int[] t) {
    int n = t.length;
    Stats.checkTreatment(t, n);
    int p = x.length == 0 ? 0 : x[0].length;
    if (n < p + 3) throw new IllegalArgumentException("too few rows for a propensity model: " + n + " rows, " + p + " covariates");
    var mean = new double[p];
    var sd = new double[p];
    for (int j = 0; j < p; j++) {
      double s = 0, s2 = 0;
      for (int i = 0; i < n; i++) s += x[i][j];
      mean[j] = s / n;
      for (int i = 0; i < n; i++) s2 += (x[i][j] - mean[j]) * (x[i][j] - mean[j]);
      sd[j] = Math.sqrt(s2 / (n - 1));
      if (!(sd[j] > 0)) throw new IllegalArgumentException("covariate " + j + " is constant: it cannot enter the propensity model");
    }
    int k = p + 1;
    var z = new double[n][k];
    for (int i = 0; i < n; i++) {
      z[i][0] = 1;
      for (int j = 0; j < p; j++) z[i][j + 1] = (x[i][j] - mean[j]) / sd[j];
    }
    var b = new double[k];
    double ll = logLikelihood(z, t, b);
    int iter = 0;
    boolean converged = false;
    while (iter < MAX_ITERATIONS) {
      iter++;
      var grad = new double[k];
      var hess = new double[k][k];
      for (int i = 0; i < n; i++) {
        double pr = sigmoid(Ols.dot(z[i], b));
        double w = pr * (1 - pr);
        double r = t[i] - pr;
        for (int a = 0; a < k; a++) {
          grad[a] += z[i][a] * r;
          for (int c = 0; c <= a; c++) hess[a][c] += w * z[i][a] * z[i][c];
        }
      }
      for (int a = 0; a < k; a++) for (int c = a + 1; c < k; c++) hess[a][c] = hess[c][a];
      double[] step;
      try {
        step = new CholeskyDecomposition(new Array2DRowRealMatrix(hess, false), 1e-12, 1e-14)
            .getSolver().solve(new ArrayRealVector(grad, false)).toArray();
      } catch (MathIllegalArgumentException e) {
        throw new FitException("propensity model: the information matrix is singular after " + iter
            + " iterations — probably perfect separation (a covariate predicts treatment exactly) or collinear covariates");
      }
      double scale = 1;
      double[] next = new double[k];
      double nextLl = Double.NEGATIVE_INFINITY;
      for (int half = 0; half < 30; half++) {
        for (int a = 0; a < k; a++) next[a] = b[a] + scale * step[a];
        nextLl = logLikelihood(z, t, next);
        if (nextLl >= ll - 1e-12) break;
        scale /= 2;
      }
      double change = 0;
      for (int a = 0; a < k; a++) change = Math.max(change, Math.abs(next[a] - b[a]));
      b = next;
      double gain = nextLl - ll;
      ll = nextLl;
      if (change < 1e-8 || (Math.abs(gain) < 1e-12 * (1 + Math.abs(ll)) && change < 1e-4)) {
        converged = true;
        break;
      }
    }
    double maxAbsEta = 0;
    for (int i = 0; i < n; i++) maxAbsEta = Math.max(maxAbsEta, Math.abs(Ols.dot(z[i], b)));
    if (!converged) {
      throw new FitException("propensity model did not converge in " + MAX_ITERATIONS
          + " iterations — the covariates probably separate treated from controls (perfect prediction)");
    }
    if (maxAbsEta > 30 && -ll < 1e-6 * n) {
      throw new FitException("propensity model: treated and controls are perfectly separated by the covariates "
          + "(log-likelihood ≈ 0); there is no overlap to estimate a causal effect");
    }
    var coef = new double[k];
    coef[0] = b[0];
    for (int j = 0; j < p; j++) {
      coef[j + 1] = b[j + 1] / sd[j];
      coef[0] -= b[j + 1] * mean[j] / sd[j];
    }
    var scores = new double[n];
    for (int i = 0; i < n; i++) scores[i] = Math.min(1 - CLIP, Math.max(CLIP, sigmoid(Ols.dot(z[i], b))));
    return new Fit(coef, scores, iter);
  }

  static double sigmoid(double eta) {
    return eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
  }

  private static double logLikelihood(double[][] z, int[] t, double[] b) {
    double ll = 0;
    for (int i = 0; i < t.length; i++) {
      double eta = Ols.dot(z[i], b);
      // log(1 + e^eta) computed stably
      double log1pExp = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
      ll += t[i] * eta - log1pExp;
    }
    return ll;
  }
}
