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
   * The informative strata in sparse rows (CSR: {@code rowStart}, {@code col}, {@code val}; designs of indicators are
   * mostly zeros), grouped by stratum. {@code sign} is −1 where the non-events are the smaller set: that stratum is fitted
   * on its non-events with x negated (the same likelihood). x is not centred: the conditional likelihood ignores a
   * per-stratum shift of x·β, and exp is kept in range by subtracting each stratum's largest x·β instead.
   */
  private record Strata(int[] offset, int[] events, double[] sign, int[] rowStart, int[] col, double[] val, boolean[] isEvent,
      int p) {

    static Strata of(double[][] x, int[] y, int[] stratum) {
      int n = x.length, p = x[0].length;
      long min = Long.MAX_VALUE;
      for (int s : stratum) min = Math.min(min, s);
      var keys = new long[n];
      for (int i = 0; i < n; i++) keys[i] = ((stratum[i] - min) << 32) | i;
      java.util.Arrays.sort(keys);
      var offsets = new IntList();
      var events = new IntList();
      var signs = new java.util.ArrayList<Double>();
      var rowStart = new IntList();
      var col = new IntList();
      var val = new DoubleList();
      var isEvent = new java.util.BitSet();
      int rowsKept = 0;
      for (int from = 0; from < n; ) {
        long label = keys[from] >>> 32;
        int to = from;
        while (to < n && (keys[to] >>> 32) == label) to++;
        int k = 0;
        for (int r = from; r < to; r++) {
          int yi = y[(int) keys[r]];
          if (yi != 0 && yi != 1) throw new IllegalArgumentException("outcomes must be 0 or 1, got " + yi);
          k += yi;
        }
        int size = to - from;
        if (k > 0 && k < size) {
          boolean flip = k > size - k;
          offsets.add(rowsKept);
          events.add(flip ? size - k : k);
          signs.add(flip ? -1.0 : 1.0);
          for (int r = from; r < to; r++) {
            int i = (int) keys[r];
            rowStart.add(col.size());
            for (int j = 0; j < p; j++) {
              double v = x[i][j];
              if (v != 0) {
                col.add(j);
                val.add(v);
              }
            }
            if ((y[i] == 1) != flip) isEvent.set(rowsKept);
            rowsKept++;
          }
        }
        from = to;
      }
      offsets.add(rowsKept);
      rowStart.add(col.size());
      var ev = new boolean[rowsKept];
      for (int r = 0; r < rowsKept; r++) ev[r] = isEvent.get(r);
      var sg = new double[signs.size()];
      for (int s = 0; s < sg.length; s++) sg[s] = signs.get(s);
      return new Strata(offsets.toArray(), events.toArray(), sg, rowStart.toArray(), col.toArray(), val.toArray(), ev, p);
    }

    int count() {
      return events.length;
    }

    int rowCount() {
      return isEvent.length;
    }

    /** Runs {@code body(chunk, fromStratum, toStratum)} over a fixed split of the strata, in parallel. */
    private void chunks(int count, java.util.function.IntConsumer body) {
      IntStream.range(0, count).parallel().forEach(body);
    }

    private int chunkCount() {
      return Math.min(count(), 64);
    }

    private int chunkFrom(int c) {
      return (int) ((long) count() * c / chunkCount());
    }

    /**
     * Columns of the within-stratum design that are linearly independent, in input order: a pivot-free Cholesky of the
     * centred Gram matrix Σ x xᵀ − Σ_strata n·x̄ x̄ᵀ that skips any column whose residual is below 1e-9 of the column's
     * raw sum of squares (so a column constant within every stratum, whose centred sum is rounding noise, is skipped).
     */
    int[] independentColumns(int p) {
      int chunks = chunkCount();
      var parts = new double[chunks][][];
      var raws = new double[chunks][];
      chunks(chunks, c -> {
        var g = new double[p][p];
        var raw = new double[p];
        var sum = new double[p];
        for (int s = chunkFrom(c); s < chunkFrom(c + 1); s++) {
          java.util.Arrays.fill(sum, 0);
          int rows = offset[s + 1] - offset[s];
          for (int r = offset[s]; r < offset[s + 1]; r++) {
            for (int a = rowStart[r]; a < rowStart[r + 1]; a++) {
              double va = val[a];
              sum[col[a]] += va;
              raw[col[a]] += va * va;
              var ga = g[col[a]];
              for (int b = rowStart[r]; b < rowStart[r + 1]; b++) ga[col[b]] += va * val[b];
            }
          }
          for (int a = 0; a < p; a++) {
            if (sum[a] == 0) continue;
            double ma = sum[a] / rows;
            for (int b = 0; b < p; b++) if (sum[b] != 0) g[a][b] -= ma * sum[b];
          }
        }
        parts[c] = g;
        raws[c] = raw;
      });
      double[][] gram = new double[p][p];
      double[] raw = new double[p];
      for (int c = 0; c < chunks; c++) {
        for (int a = 0; a < p; a++) {
          raw[a] += raws[c][a];
          for (int b = 0; b < p; b++) gram[a][b] += parts[c][a][b];
        }
      }
      double[][] l = new double[p][p];
      var kept = new java.util.ArrayList<Integer>();
      for (int j = 0; j < p; j++) {
        double d = gram[j][j];
        for (int k : kept) d -= l[j][k] * l[j][k];
        if (raw[j] <= 0 || d <= 1e-9 * raw[j]) continue;
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
      var map = new int[p];
      java.util.Arrays.fill(map, -1);
      for (int j = 0; j < columns.length; j++) map[columns[j]] = j;
      var rs = new int[rowStart.length];
      var cl = new IntList();
      var vl = new DoubleList();
      for (int r = 0; r < isEvent.length; r++) {
        rs[r] = cl.size();
        for (int a = rowStart[r]; a < rowStart[r + 1]; a++) {
          if (map[col[a]] < 0) continue;
          cl.add(map[col[a]]);
          vl.add(val[a]);
        }
      }
      rs[isEvent.length] = cl.size();
      return new Strata(offset, events, sign, rs, cl.toArray(), vl.toArray(), isEvent, columns.length);
    }

    /**
     * Log-likelihood, gradient, score outer product and approximate Hessian at β. Strata are cut into a fixed number of
     * chunks that run in parallel and are summed in chunk order, so the result does not depend on scheduling.
     */
    Evaluation evaluate(double[] beta) {
      int q = beta.length;
      int chunks = chunkCount();
      var parts = new Evaluation[chunks];
      chunks(chunks, c -> {
        var acc = new Evaluation(0, new double[q], new double[q][q], new double[q][q]);
        double ll = 0;
        var score = new double[q];
        var weighted = new double[q];
        for (int st = chunkFrom(c); st < chunkFrom(c + 1); st++) {
          java.util.Arrays.fill(score, 0);
          ll += stratum(st, beta, score, acc.hessian(), weighted);
          for (int a = 0; a < q; a++) {
            acc.gradient()[a] += score[a];
            if (score[a] == 0) continue;
            var o = acc.opg()[a];
            for (int b = 0; b < q; b++) o[b] += score[a] * score[b];
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
     * their d-weighted mean, computed as Σ d_j x_j x_jᵀ − (Σ d_j x_j)(Σ d_j x_j)ᵀ/Σ d_j over the sparse rows; it steers
     * the Newton steps only (the covariance reported is the score outer product).
     */
    private double stratum(int s, double[] beta, double[] score, double[][] hessian, double[] weighted) {
      int from = offset[s], to = offset[s + 1], m = events[s], n = to - from, q = beta.length;
      double sg = sign[s];
      double maxEta = Double.NEGATIVE_INFINITY;
      double[] eta = new double[n];
      for (int i = 0; i < n; i++) {
        double e = 0;
        for (int a = rowStart[from + i]; a < rowStart[from + i + 1]; a++) e += val[a] * beta[col[a]];
        eta[i] = sg * e;
        maxEta = Math.max(maxEta, eta[i]);
      }
      double[] w = new double[n];
      double numerator = 0;
      for (int i = 0; i < n; i++) {
        w[i] = Math.exp(eta[i] - maxEta);
        if (isEvent[from + i]) {
          numerator += eta[i] - maxEta;
          for (int a = rowStart[from + i]; a < rowStart[from + i + 1]; a++) score[col[a]] += sg * val[a];
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
      double dSum = 0;
      java.util.Arrays.fill(weighted, 0);
      for (int i = 0; i < n; i++) {
        double without = 0; // e_{m-1} of the weights other than w_i
        for (int a = 0; a < m; a++) without += forward[i][a] * backward[i + 1][m - 1 - a];
        double pi = Math.min(1, w[i] * without / ek);
        double d = pi * (1 - pi);
        dSum += d;
        int r = from + i;
        for (int a = rowStart[r]; a < rowStart[r + 1]; a++) {
          double va = val[a];
          score[col[a]] -= pi * sg * va;
          if (d == 0) continue;
          weighted[col[a]] += d * va;
          var h = hessian[col[a]];
          double dva = d * va;
          for (int b = rowStart[r]; b < rowStart[r + 1]; b++) h[col[b]] += dva * val[b];
        }
      }
      if (dSum > 0) {
        for (int a = 0; a < q; a++) {
          if (weighted[a] == 0) continue;
          double wa = weighted[a] / dSum;
          var h = hessian[a];
          for (int b = 0; b < q; b++) if (weighted[b] != 0) h[b] -= wa * weighted[b];
        }
      }
      return numerator - Math.log(ek);
    }
  }

  /** A growable int array (the CSR arrays are built row by row). */
  private static final class IntList {
    private int[] a = new int[1024];
    private int n;

    void add(int v) {
      if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
      a[n++] = v;
    }

    int size() {
      return n;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(a, n);
    }
  }

  private static final class DoubleList {
    private double[] a = new double[1024];
    private int n;

    void add(double v) {
      if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
      a[n++] = v;
    }

    double[] toArray() {
      return java.util.Arrays.copyOf(a, n);
    }
  }
}
