package io.hireloop.stats.causal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;

/**
 * Fixed-effects (conditional) logistic regression: P(y = 1) = σ(α_s + x·β) with one free intercept α_s per stratum
 * (e.g. per user), estimated by the likelihood conditional on each stratum's number of events, in which every α_s
 * cancels (Chamberlain 1980; R's {@code survival::clogit} with {@code method = "exact"}). β is therefore identified
 * only from variation <em>within</em> strata, and every stratum-constant trait, measured or not, is adjusted for.
 *
 * <p>A stratum with n rows and k events contributes x_E·β − log e_k(w), where x_E sums the event rows and e_k is the
 * k-th elementary symmetric polynomial of w_j = exp(x_j·β), computed by the recursion
 * e_k(w_1..w_j) = e_k(w_1..w_{j−1}) + w_j·e_{k−1}(w_1..w_{j−1}) forwards and backwards, which also gives each row's
 * probability of being in the event set and so the exact score, in O(n·min(k, n−k)²) per stratum (a stratum with
 * k &gt; n/2 is fitted on its non-events with x negated: the same likelihood). Strata with k = 0 or k = n carry no
 * information and are skipped.
 *
 * <p>Fitting is Newton's method with step halving, the Hessian replaced by Hájek's approximation of the conditional
 * (rejective-sampling) covariance, O(n·p²) per stratum; the exact score makes the optimum exact. The covariance
 * reported is the inverse of the outer product of the per-stratum scores at the optimum: strata are the independent
 * units, so it is the information estimate clustered by stratum.
 * Columns constant within every informative stratum, or collinear with earlier ones, are dropped and named.
 */
public final class ConditionalLogit {
  private ConditionalLogit() {}

  public static final int MAX_ITERATIONS = 100;

  /**
   * @param beta one coefficient per column of the input (NaN for a dropped column)
   * @param covariance p×p over all input columns (NaN rows/columns for dropped ones)
   * @param dropped input columns left out (constant within strata or collinear)
   */
  public record Fit(double[] beta, double[][] covariance, double logLikelihood, int iterations, boolean converged,
      int strataUsed, int rowsUsed, List<Integer> dropped) {

    public double stdError(int column) {
      return Math.sqrt(covariance[column][column]);
    }

    /** Variance of Σ c_j β_j. */
    public double variance(double[] c) {
      double v = 0;
      for (int a = 0; a < c.length; a++) {
        if (c[a] == 0) continue;
        for (int b = 0; b < c.length; b++) if (c[b] != 0) v += c[a] * c[b] * covariance[a][b];
      }
      return v;
    }
  }

  /**
   * @param x rows × p covariates (no intercept: it would cancel)
   * @param y 0/1 outcomes
   * @param stratum each row's stratum, any int labels
   * @param start starting β over the input columns (null = zeros); a previous fit's β speeds refits
   */
  public static Fit fit(double[][] x, int[] y, int[] stratum, double[] start) {
    int n = x.length;
    if (n == 0) throw new IllegalArgumentException("no rows");
    int p = x[0].length;
    var strata = Strata.of(x, y, stratum);
    if (strata.count() == 0) {
      throw new IllegalArgumentException("no stratum has both outcomes: within-stratum effects are not identified");
    }
    int[] kept = strata.independentColumns(p);
    if (kept.length == 0) throw new IllegalArgumentException("no covariate varies within a stratum");
    var s = strata.restrictedTo(kept);
    int q = kept.length;
    double[] beta = new double[q];
    if (start != null) for (int j = 0; j < q; j++) beta[j] = Double.isNaN(start[kept[j]]) ? 0 : start[kept[j]];
    var eval = s.evaluate(beta);
    int it = 0;
    boolean converged = false;
    while (it < MAX_ITERATIONS) {
      it++;
      double[] step = solve(eval.hessian(), eval.gradient());
      if (step == null) throw new IllegalArgumentException("the information matrix is singular: the design is degenerate");
      double decrement = 0; // the Newton decrement g·H⁻¹·g: twice the gain a full step promises
      for (int j = 0; j < q; j++) decrement += eval.gradient()[j] * step[j];
      if (decrement < 1e-12) {
        converged = true;
        break;
      }
      double t = 1;
      Evaluation next = null;
      for (int h = 0; h < 30; h++, t /= 2) {
        double[] trial = beta.clone();
        for (int j = 0; j < q; j++) trial[j] += t * step[j];
        var e = s.evaluate(trial);
        if (e.logLikelihood() >= eval.logLikelihood() - 1e-12 * Math.abs(eval.logLikelihood())) {
          next = e;
          beta = trial;
          break;
        }
      }
      if (next == null) {
        converged = true; // no ascent direction left at machine precision
        break;
      }
      double change = next.logLikelihood() - eval.logLikelihood();
      eval = next;
      if (change < 1e-13 * Math.max(1, Math.abs(eval.logLikelihood()))) {
        converged = true; // e.g. a coefficient drifting off to infinity under separation, gaining nothing
        break;
      }
    }
    // a column lost to separation has a vanishing score: its variance is reported infinite, the others are unaffected
    var cov = new org.hipparchus.linear.SingularValueDecomposition(new Array2DRowRealMatrix(eval.opg(), false)).getSolver()
        .getInverse().getData();
    var opg = eval.opg();
    double maxDiag = 0;
    for (int j = 0; j < q; j++) maxDiag = Math.max(maxDiag, opg[j][j]);
    for (int j = 0; j < q; j++) {
      if (opg[j][j] > 1e-12 * maxDiag) continue;
      for (int k = 0; k < q; k++) cov[j][k] = cov[k][j] = j == k ? Double.POSITIVE_INFINITY : Double.NaN;
    }
    double[] fullBeta = new double[p];
    Arrays.fill(fullBeta, Double.NaN);
    double[][] fullCov = new double[p][p];
    for (var row : fullCov) Arrays.fill(row, Double.NaN);
    for (int a = 0; a < q; a++) {
      fullBeta[kept[a]] = beta[a];
      for (int b = 0; b < q; b++) fullCov[kept[a]][kept[b]] = cov[a][b];
    }
    var dropped = new ArrayList<Integer>();
    int ki = 0;
    for (int j = 0; j < p; j++) {
      if (ki < q && kept[ki] == j) ki++;
      else dropped.add(j);
    }
    return new Fit(fullBeta, fullCov, eval.logLikelihood(), it, converged, s.count(), s.rowCount(), List.copyOf(dropped));
  }

  /**
   * Solves a·s = g. A column whose score vanishes everywhere (its coefficient running off to ±∞ under separation, e.g.
   * a rare month in which every labelled application failed) makes {@code a} singular: a ridge that grows from
   * 1e-10 of the largest diagonal until the system solves keeps the search direction defined for the other columns.
   */
  private static double[] solve(double[][] a, double[] g) {
    double maxDiag = 0;
    for (int j = 0; j < a.length; j++) maxDiag = Math.max(maxDiag, a[j][j]);
    for (double ridge = 0; ridge <= 1e-2 * maxDiag; ridge = ridge == 0 ? 1e-10 * maxDiag : ridge * 100) {
      var m = new Array2DRowRealMatrix(a, true);
      for (int j = 0; j < a.length; j++) m.addToEntry(j, j, ridge);
      try {
        return new CholeskyDecomposition(m, 1e-10, 1e-300).getSolver().solve(MatrixUtils.createRealVector(g)).toArray();
      } catch (RuntimeException e) {
        // not positive definite at this ridge: try a larger one
      }
      if (maxDiag == 0) break;
    }
    return null;
  }

  private record Evaluation(double logLikelihood, double[] gradient, double[][] opg, double[][] hessian) {}

  /**
   * The informative strata, their rows centred within the stratum (the conditional likelihood is invariant to a
   * per-stratum shift of x, and centring keeps exp(x·β) in range) and negated where the non-events are the
   * smaller set. Row data are flat arrays for speed.
   */
  private record Strata(int[] offset, int[] events, boolean[] flipped, double[][] rows, boolean[] isEvent) {

    static Strata of(double[][] x, int[] y, int[] stratum) {
      int n = x.length;
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) order[i] = i;
      Arrays.sort(order, (a, b) -> Integer.compare(stratum[a], stratum[b]));
      var offsets = new ArrayList<Integer>();
      var events = new ArrayList<Integer>();
      var flips = new ArrayList<Boolean>();
      var rows = new ArrayList<double[]>();
      var isEvent = new ArrayList<Boolean>();
      int p = x[0].length;
      for (int from = 0; from < n; ) {
        int to = from;
        while (to < n && stratum[order[to]] == stratum[order[from]]) to++;
        int k = 0;
        for (int i = from; i < to; i++) {
          int yi = y[order[i]];
          if (yi != 0 && yi != 1) throw new IllegalArgumentException("outcomes must be 0 or 1, got " + yi);
          k += yi;
        }
        int size = to - from;
        if (k > 0 && k < size) {
          boolean flip = k > size - k;
          double[] mean = new double[p];
          for (int i = from; i < to; i++) for (int j = 0; j < p; j++) mean[j] += x[order[i]][j] / size;
          offsets.add(rows.size());
          events.add(flip ? size - k : k);
          flips.add(flip);
          for (int i = from; i < to; i++) {
            var r = new double[p];
            for (int j = 0; j < p; j++) {
              double v = x[order[i]][j], d = v - mean[j];
              // a stratum-constant column must centre to exactly 0, not to rounding noise, to be recognised as such
              r[j] = Math.abs(d) <= 1e-12 * Math.max(1, Math.abs(v)) ? 0 : (flip ? -d : d);
            }
            rows.add(r);
            isEvent.add((y[order[i]] == 1) != flip);
          }
        }
        from = to;
      }
      offsets.add(rows.size());
      var ev = new boolean[isEvent.size()];
      for (int i = 0; i < ev.length; i++) ev[i] = isEvent.get(i);
      var fl = new boolean[flips.size()];
      for (int i = 0; i < fl.length; i++) fl[i] = flips.get(i);
      return new Strata(offsets.stream().mapToInt(Integer::intValue).toArray(), events.stream().mapToInt(Integer::intValue).toArray(),
          fl, rows.toArray(new double[0][]), ev);
    }

    int count() {
      return events.length;
    }

    int rowCount() {
      return rows.length;
    }

    /**
     * Columns of the within-stratum design that are linearly independent, in input order: a pivot-free Cholesky of
     * the centred Gram matrix that skips any column whose residual variance is below 1e-9 of its own.
     */
    int[] independentColumns(int p) {
      double[][] gram = new double[p][p];
      for (var r : rows) for (int a = 0; a < p; a++) {
        if (r[a] == 0) continue;
        for (int b = 0; b < p; b++) gram[a][b] += r[a] * r[b];
      }
      double[][] l = new double[p][p];
      var kept = new ArrayList<Integer>();
      for (int j = 0; j < p; j++) {
        double d = gram[j][j];
        for (int k : kept) d -= l[j][k] * l[j][k];
        if (gram[j][j] <= 0 || d <= 1e-9 * gram[j][j]) continue;
        double root = Math.sqrt(d);
        l[j][j] = root;
        for (int i = j + 1; i < p; i++) {
          double v = gram[i][j];
          for (int k : kept) v -= l[i][k] * l[j][k];
          l[i][j] = v / root;
        }
        kept.add(j);
      }
      // l[i][k] for k a skipped column stays 0, so skipped columns never enter later residuals
      return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    Strata restrictedTo(int[] columns) {
      var r = new double[rows.length][];
      for (int i = 0; i < rows.length; i++) {
        r[i] = new double[columns.length];
        for (int j = 0; j < columns.length; j++) r[i][j] = rows[i][columns[j]];
      }
      return new Strata(offset, events, flipped, r, isEvent);
    }

    /**
     * Log-likelihood, gradient, score outer product and approximate Hessian at β. Strata are cut into a fixed number of
     * chunks that run in parallel and are summed in chunk order, so the result does not depend on scheduling.
     */
    Evaluation evaluate(double[] beta) {
      int q = beta.length;
      int g = count();
      int chunks = Math.min(g, 64);
      var parts = new Evaluation[chunks];
      IntStream.range(0, chunks).parallel().forEach(c -> {
        var acc = new Evaluation(0, new double[q], new double[q][q], new double[q][q]);
        double ll = 0;
        var score = new double[q];
        for (int st = (int) ((long) g * c / chunks); st < (int) ((long) g * (c + 1) / chunks); st++) {
          java.util.Arrays.fill(score, 0);
          ll += stratum(st, beta, score, acc.hessian());
          for (int a = 0; a < q; a++) {
            acc.gradient()[a] += score[a];
            if (score[a] == 0) continue;
            for (int b = 0; b < q; b++) acc.opg()[a][b] += score[a] * score[b];
          }
        }
        parts[c] = new Evaluation(ll, acc.gradient(), acc.opg(), acc.hessian());
      });
      var total = new Evaluation(0, new double[q], new double[q][q], new double[q][q]);
      double ll = 0;
      for (var part : parts) {
        ll += part.logLikelihood();
        for (int a = 0; a < q; a++) {
          total.gradient()[a] += part.gradient()[a];
          for (int b = 0; b < q; b++) {
            total.opg()[a][b] += part.opg()[a][b];
            total.hessian()[a][b] += part.hessian()[a][b];
          }
        }
      }
      return new Evaluation(ll, total.gradient(), total.opg(), total.hessian());
    }

    /**
     * One stratum: its conditional log-likelihood (returned), its score (into {@code score}) and its share of the
     * approximate information (added to {@code hessian}). With w_j = exp(x_j·β), the inclusion probability of row j in
     * the event set is π_j = w_j·e_{k−1}(w without j)/e_k(w), from forward and backward elementary symmetric
     * polynomials in O(n·k²); the score is Σ_events x_j − Σ_j π_j·x_j (exact). The information Cov(Σ_event-set x) is
     * approximated as for rejective sampling (Hájek 1964): Σ_j d_j (x_j − x̄)(x_j − x̄)ᵀ with d_j = π_j(1 − π_j) and x̄
     * their d-weighted mean; it steers the Newton steps only (the covariance reported is the score outer product).
     */
    private double stratum(int s, double[] beta, double[] score, double[][] hessian) {
      int from = offset[s], to = offset[s + 1], m = events[s], q = beta.length, n = to - from;
      double maxEta = Double.NEGATIVE_INFINITY;
      double[] eta = new double[n];
      for (int i = 0; i < n; i++) {
        double e = 0;
        var r = rows[from + i];
        for (int j = 0; j < q; j++) e += r[j] * beta[j];
        eta[i] = e;
        maxEta = Math.max(maxEta, e);
      }
      double[] w = new double[n];
      double numerator = 0;
      for (int i = 0; i < n; i++) {
        w[i] = Math.exp(eta[i] - maxEta);
        if (isEvent[from + i]) {
          numerator += eta[i] - maxEta;
          var r = rows[from + i];
          for (int j = 0; j < q; j++) score[j] += r[j];
        }
      }
      // forward[i][k] = e_k(w_0..w_{i-1}); backward[i][k] = e_k(w_i..w_{n-1})
      double[][] forward = new double[n + 1][m + 1];
      double[][] backward = new double[n + 1][m + 1];
      forward[0][0] = 1;
      for (int i = 0; i < n; i++) {
        forward[i + 1][0] = 1;
        for (int k = 1; k <= m; k++) forward[i + 1][k] = forward[i][k] + w[i] * forward[i][k - 1];
      }
      backward[n][0] = 1;
      for (int i = n - 1; i >= 0; i--) {
        backward[i][0] = 1;
        for (int k = 1; k <= m; k++) backward[i][k] = backward[i + 1][k] + w[i] * backward[i + 1][k - 1];
      }
      double ek = forward[n][m];
      double[] d = new double[n];
      double dSum = 0;
      double[] mean = new double[q];
      for (int i = 0; i < n; i++) {
        double without = 0; // e_{m-1} of the weights other than w_i
        for (int a = 0; a < m; a++) without += forward[i][a] * backward[i + 1][m - 1 - a];
        double pi = Math.min(1, w[i] * without / ek);
        var r = rows[from + i];
        for (int j = 0; j < q; j++) score[j] -= pi * r[j];
        d[i] = pi * (1 - pi);
        dSum += d[i];
        for (int j = 0; j < q; j++) mean[j] += d[i] * r[j];
      }
      if (dSum > 0) {
        for (int j = 0; j < q; j++) mean[j] /= dSum;
        var c = new double[q];
        for (int i = 0; i < n; i++) {
          if (d[i] == 0) continue;
          var r = rows[from + i];
          for (int j = 0; j < q; j++) c[j] = r[j] - mean[j];
          for (int a = 0; a < q; a++) {
            if (c[a] == 0) continue;
            double da = d[i] * c[a];
            var h = hessian[a];
            for (int b = 0; b < q; b++) h[b] += da * c[b];
          }
        }
      }
      return numerator - Math.log(ek);
    }
  }
}
