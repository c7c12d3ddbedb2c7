package io.hireloop.stats.causal;

import java.util.HashMap;
import java.util.SplittableRandom;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.MatrixUtils;

/**
 * Restricted wild cluster bootstrap (WCR; Cameron, Gelbach &amp; Miller 2008; MacKinnon &amp; Webb 2017; the
 * algebra of Roodman, MacKinnon, Nielsen &amp; Webb 2019, "Fast and wild") for one OLS coefficient when there are
 * too few clusters for the CR1 standard error to be trusted.
 *
 * <p>Test of β_j = β₀: fit the restricted model (y − β₀x_j on the other columns), keep its residuals u_r, and
 * build bootstrap samples y* = X_{−j}γ̂_r + β₀x_j + v_g·u_r with one weight v_g per cluster. Each sample is refitted
 * unrestricted and its CR1 t-statistic t* = (β*_j − β₀)/se*(β*_j) compared with the sample's
 * t = (β̂_j − β₀)/se_CR1; the p-value is the share of |t*| ≥ |t| (symmetric). Weights: Webb's six-point
 * distribution (±√½, ±1, ±√(3/2), each 1/6) when G ≤ {@value #WEBB_UP_TO} clusters, because Rademacher (±1) then has
 * too few distinct sign vectors; Rademacher above. When the weight vectors can all be enumerated within the
 * requested number of draws (2^G or 6^G), they are, and the p-value is the exact randomisation one.
 *
 * <p>Per draw only G×G numbers are needed: with s_g = X_g'u_r,g, d_g = a_j·s_g (a_j the j-th row of (X'X)⁻¹) and
 * P_gh = (X'X)⁻¹X_g'X_g a_j · s_h, the bootstrap numerator is Σ v_g d_g and the cluster scores of the bootstrap
 * residuals projected on a_j are v_g d_g − Σ_h P_gh v_h. All of it is linear in β₀, so the confidence interval is
 * found by inverting the test (bisection on β₀ with the same weight draws): {β₀ : p(β₀) &gt; 1 − level}. A bound
 * is infinite when p stays above the level as far as 10⁶ standard errors out (the set is then unbounded).
 */
public final class WildClusterBootstrap {
  public static final int WEBB_UP_TO = 12;
  public static final int DEFAULT_DRAWS = 9_999;
  private static final double[] WEBB = {-Math.sqrt(1.5), -1, -Math.sqrt(0.5), Math.sqrt(0.5), 1, Math.sqrt(1.5)};
  private static final double[] RADEMACHER = {-1, 1};

  private WildClusterBootstrap() {}

  /**
   * @param estimate β̂_j; @param crStdError its CR1 standard error; @param pValue of β_j = 0; ciLow/ciHigh the
   * inverted-test interval (±infinity where unbounded); @param stdError the interval's half-width / z₀.₉₇₅ (NaN
   * when unbounded), a standard error on the interval's scale; @param draws weight vectors used;
   * @param enumerated all weight vectors were used (exact randomisation p-value).
   */
  public record Result(double estimate, double crStdError, double pValue, double ciLow, double ciHigh, double stdError,
      int clusters, String weights, int draws, boolean enumerated) {}

  /**
   * @param x n × k design (with its intercept column); @param j the tested column; @param clusters id per row
   */
  public static Result test(double[][] x, double[] y, int j, String[] clusters, int draws, long seed, double level) {
    int n = y.length;
    int k = x[0].length;
    if (draws < 99) throw new IllegalArgumentException("the wild cluster bootstrap needs at least 99 draws, got " + draws);
    var ids = new HashMap<String, Integer>();
    var g = new int[n];
    for (int i = 0; i < n; i++) g[i] = ids.computeIfAbsent(clusters[i], c -> ids.size());
    int gCount = ids.size();
    if (gCount < 2) throw new IllegalArgumentException("the wild cluster bootstrap needs at least 2 clusters, got " + gCount);
    var full = Ols.fit(x, y);
    double crSe = Math.sqrt(full.clusteredCovariance(clusters).getEntry(j, j));
    double beta = full.beta()[j];
    // (X'X)⁻¹ and its j-th row
    var xtx = new double[k][k];
    for (var row : x) for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) xtx[a][b] += row[a] * row[b];
    var inv = MatrixUtils.inverse(new Array2DRowRealMatrix(xtx, false)).getData();
    var aj = inv[j];
    // restricted residuals u_r(β₀) = uA − β₀·uB: y and x_j each residualised on the other columns
    var others = new double[n][k - 1];
    var xj = new double[n];
    for (int i = 0; i < n; i++) {
      for (int a = 0, c = 0; a < k; a++) if (a != j) others[i][c++] = x[i][a];
      xj[i] = x[i][j];
    }
    var uA = Ols.fit(others, y).residuals();
    var uB = Ols.fit(others, xj).residuals();
    // per cluster: sA_g = X_g'uA_g, sB_g = X_g'uB_g, M_g = X_g'X_g
    var sA = new double[gCount][k];
    var sB = new double[gCount][k];
    var m = new double[gCount][k][k];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < k; a++) {
        sA[g[i]][a] += x[i][a] * uA[i];
        sB[g[i]][a] += x[i][a] * uB[i];
        for (int b = 0; b < k; b++) m[g[i]][a][b] += x[i][a] * x[i][b];
      }
    }
    // c_g = (X'X)⁻¹ M_g a_j
    var c = new double[gCount][k];
    for (int h = 0; h < gCount; h++) {
      var mA = new double[k];
      for (int a = 0; a < k; a++) mA[a] = Ols.dot(m[h][a], aj);
      for (int a = 0; a < k; a++) c[h][a] = Ols.dot(inv[a], mA);
    }
    var dA = new double[gCount];
    var dB = new double[gCount];
    var pA = new double[gCount][gCount];
    var pB = new double[gCount][gCount];
    for (int h = 0; h < gCount; h++) {
      dA[h] = Ols.dot(aj, sA[h]);
      dB[h] = Ols.dot(aj, sB[h]);
      for (int l = 0; l < gCount; l++) {
        pA[h][l] = Ols.dot(c[h], sA[l]);
        pB[h][l] = Ols.dot(c[h], sB[l]);
      }
    }
    double factor = (double) gCount / (gCount - 1) * (n - 1.0) / (n - k);
    boolean webb = gCount <= WEBB_UP_TO;
    var support = webb ? WEBB : RADEMACHER;
    double combos = Math.pow(support.length, gCount);
    boolean enumerated = combos <= draws;
    int b = enumerated ? (int) combos : draws;
    var v = new double[b][gCount];
    var random = new SplittableRandom(seed);
    for (int r = 0; r < b; r++) {
      long code = r;
      for (int h = 0; h < gCount; h++) {
        if (enumerated) {
          v[r][h] = support[(int) (code % support.length)];
          code /= support.length;
        } else {
          v[r][h] = support[random.nextInt(support.length)];
        }
      }
    }
    var problem = new Problem(beta, crSe, dA, dB, pA, pB, v, factor);
    double p0 = problem.pValue(0);
    double alpha = 1 - level;
    // scale for the interval search: the CR1 SE, or when that has collapsed the bootstrap spread of β*_j
    double scale = crSe;
    if (!(scale > 1e-8 * Math.max(1, Math.abs(beta)))) scale = problem.spread(beta);
    if (!(scale > 0)) scale = Math.max(1e-8, 1e-3 * Math.abs(beta));
    double low = problem.bound(beta, -scale, alpha);
    double high = problem.bound(beta, scale, alpha);
    double se = Double.isFinite(low) && Double.isFinite(high) ? (high - low) / (2 * Stats.Z975) : Double.NaN;
    return new Result(beta, crSe, p0, low, high, se, gCount, webb ? "webb" : "rademacher", b, enumerated);
  }

  /** The bootstrap test as a function of the hypothesised value β₀, with the weight draws fixed. */
  private record Problem(double beta, double crSe, double[] dA, double[] dB, double[][] pA, double[][] pB, double[][] v,
      double factor) {

    double pValue(double beta0) {
      int gCount = dA.length;
      var d = new double[gCount];
      var p = new double[gCount][gCount];
      for (int h = 0; h < gCount; h++) {
        d[h] = dA[h] - beta0 * dB[h];
        for (int l = 0; l < gCount; l++) p[h][l] = pA[h][l] - beta0 * pB[h][l];
      }
      double t = (beta - beta0) / crSe;
      if (!Double.isFinite(t)) t = beta == beta0 ? 0 : Math.copySign(Double.MAX_VALUE, beta - beta0);
      int extreme = 0;
      for (var w : v) {
        double num = 0, var = 0;
        for (int h = 0; h < gCount; h++) num += w[h] * d[h];
        for (int h = 0; h < gCount; h++) {
          double e = w[h] * d[h];
          for (int l = 0; l < gCount; l++) e -= p[h][l] * w[l];
          var += e * e;
        }
        double tStar = num / Math.sqrt(factor * var);
        if (Double.isNaN(tStar)) tStar = 0;
        if (Math.abs(tStar) >= Math.abs(t) * (1 - 1e-12)) extreme++;
      }
      return (double) extreme / v.length;
    }

    /** Standard deviation of the bootstrap β*_j − β₀ at β₀. */
    double spread(double beta0) {
      double s = 0, s2 = 0;
      for (var w : v) {
        double num = 0;
        for (int h = 0; h < dA.length; h++) num += w[h] * (dA[h] - beta0 * dB[h]);
        s += num;
        s2 += num * num;
      }
      double mean = s / v.length;
      return Math.sqrt(Math.max(0, s2 / v.length - mean * mean));
    }

    /** The end of the acceptance region from β̂ in the direction of step: doubling, then bisection. */
    double bound(double from, double step, double alpha) {
      double inside = from;
      double outside = Double.NaN;
      double d = step;
      for (int i = 0; i < 80; i++) {
        double candidate = from + d;
        if (pValue(candidate) <= alpha) {
          outside = candidate;
          break;
        }
        inside = candidate;
        if (Math.abs(d) > 1e6 * Math.abs(step)) break;
        d *= 2;
      }
      if (Double.isNaN(outside)) return step < 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      for (int i = 0; i < 60; i++) {
        double mid = (inside + outside) / 2;
        if (mid == inside || mid == outside) break;
        if (pValue(mid) <= alpha) outside = mid;
        else inside = mid;
        if (Math.abs(outside - inside) <= 1e-5 * Math.abs(step)) break;
      }
      return (inside + outside) / 2;
    }
  }
}
