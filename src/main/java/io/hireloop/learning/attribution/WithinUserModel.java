package io.hireloop.learning.attribution;

import io.hireloop.stats.causal.ConditionalLogit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * The primary estimator: a fixed-effects (conditional) logistic regression of the interview outcome with one intercept
 * per user ({@link ConditionalLogit}). Every trait of the user that does not change over the data's span — ability,
 * organisation, the kind of jobs they go for — is adjusted for without being measured, which is what separates "users
 * who edit get more interviews" from "editing gets a user more interviews". Identification comes from the users whose
 * factor changes over time (edits made mid-way, applications on different weekdays, mode switches), compared with
 * their own other applications, while time effects (calendar month; each industry's market per quarter of the span)
 * are estimated from everyone.
 *
 * <p>A factor's effect for one level is a contrast of coefficients on the log-odds scale (a binary factor: its
 * coefficient; a level of a categorical factor: that level minus the mean of the other levels). It is turned into a
 * risk difference on the applications at that level (the effect on the treated): the mean of σ(η) − σ(η − c·β) with η
 * each application's linear predictor, whose user intercept is an empirical-Bayes estimate (the intercepts cancel
 * from the estimation; a user with no interview gets a finite, shrunk intercept instead of −∞).
 */
final class WithinUserModel {

  /** A reported factor: its levels (the first is the reference, without a column) and each row's level. */
  record Factor(String name, List<String> levels, int[] columns, int[] rowLevel) {}

  record Design(List<String> names, double[][] x, List<Factor> factors, int[] rows) {}

  /** A fitted design: coefficients, covariance, and each row's linear predictor including its user's intercept. */
  record Fitted(Design design, ConditionalLogit.Fit fit, double[] eta) {}

  /** One level's effect: log-odds contrast with its SE and 95% CI, and the same as a risk difference on the treated. */
  record LevelEffect(String factor, String level, double logOdds, double logOddsSe, double logOddsLow, double logOddsHigh,
      double risk, double riskLow, double riskHigh, int nTreated, int nControl) {}

  static final double Z = 1.959963984540054;

  private WithinUserModel() {}

  /** The design of the joint model: edits, weekday, hour and category as factors, with the controls. */
  static Design joint(AttributionRows d, int[] rows, int minSupport) {
    var b = new Builder(d, rows, minSupport);
    for (var edit : d.editTypes) {
      int bit = d.bit(edit);
      b.binary("edit:" + edit, i -> d.hasEditBit(i, bit), minSupport);
    }
    b.categorical("weekday", i -> AttributionRows.weekdayName(d.weekday[i]), minSupport, weekdayOrder());
    b.categorical("hour", i -> AttributionRows.hourName(d.hourBucket[i]), minSupport, hourOrder());
    b.categorical("category", d::category, minSupport, null);
    b.controls(true);
    return b.build();
  }

  /**
   * The strategy model: the mode's total effect. Category mix, fit and tailoring are left out because a mode acts
   * through them (they are mediators); edits stay in as controls (they are not caused by the mode).
   */
  static Design strategy(AttributionRows d, int[] rows, int minSupport) {
    var b = new Builder(d, rows, minSupport);
    b.categorical("strategy_mode", d::mode, minSupport, null);
    for (var edit : d.editTypes) {
      int bit = d.bit(edit);
      b.control("edit=" + edit, i -> d.hasEditBit(i, bit) ? 1 : 0);
    }
    b.controls(false);
    return b.build();
  }

  static List<String> weekdayOrder() {
    var out = new ArrayList<String>();
    for (int w = 1; w <= 7; w++) out.add(AttributionRows.weekdayName(w));
    return out;
  }

  static List<String> hourOrder() {
    var out = new ArrayList<String>();
    for (int b = 0; b < AttributionRows.HOURS.length; b++) out.add(AttributionRows.hourName(b));
    return out;
  }

  static Fitted fit(AttributionRows d, Design design, int[] y, double[] start) {
    return fit(d, design, y, start, true);
  }

  /**
   * @param predictors whether to estimate the users' intercepts for the linear predictors (needed for risk differences;
   *     a refuter's refit is judged on the log-odds alone and skips them: {@link Fitted#eta()} is then null)
   */
  static Fitted fit(AttributionRows d, Design design, int[] y, double[] start, boolean predictors) {
    int m = design.rows().length;
    var yy = new int[m];
    var st = new int[m];
    for (int r = 0; r < m; r++) {
      yy[r] = y[design.rows()[r]];
      st[r] = d.user[design.rows()[r]];
    }
    var fit = ConditionalLogit.fit(design.x(), yy, st, start);
    return new Fitted(design, fit, predictors ? linearPredictors(design.x(), yy, st, fit.beta(), d.users) : null);
  }

  /** The contrast vector of one level: +1 on it, −1/(K−1) on every other level (the reference has no column). */
  static double[] contrast(Design design, Factor f, int level) {
    var c = new double[design.names().size()];
    int k = f.levels().size();
    for (int l = 1; l < k; l++) {
      if (f.columns()[l] < 0) continue;
      c[f.columns()[l]] = l == level ? 1 : -1.0 / (k - 1);
    }
    return c;
  }

  static double dot(double[] c, double[] beta) {
    double s = 0;
    for (int j = 0; j < c.length; j++) if (c[j] != 0 && !Double.isNaN(beta[j])) s += c[j] * beta[j];
    return s;
  }

  /** A level's log-odds contrast and its standard error (a column lost to the fit counts as 0). */
  record LogOdds(double estimate, double se) {}

  static LogOdds logOdds(Fitted f, Factor factor, int level) {
    var c = contrast(f.design(), factor, level);
    for (int j = 0; j < c.length; j++) if (c[j] != 0 && Double.isNaN(f.fit().beta()[j])) c[j] = 0;
    return new LogOdds(dot(c, f.fit().beta()), Math.sqrt(Math.max(0, f.fit().variance(c))));
  }

  /** The level's effect with its risk differences (three passes over the rows: the estimate and the CI's ends). */
  static LevelEffect effect(Fitted f, Factor factor, int level) {
    var estimate = logOdds(f, factor, level);
    double lo = estimate.estimate(), se = estimate.se();
    double low = lo - Z * se, high = lo + Z * se;
    int treated = 0;
    for (int l : factor.rowLevel()) if (l == level) treated++;
    return new LevelEffect(factor.name(), factor.levels().get(level), lo, se, low, high, risk(f, factor, level, lo),
        risk(f, factor, level, low), risk(f, factor, level, high), treated, factor.rowLevel().length - treated);
  }

  /** Mean over the rows at {@code level} of σ(η) − σ(η − b): the risk difference of a log-odds contrast b on them. */
  static double risk(Fitted f, Factor factor, int level, double b) {
    if (f.eta() == null) return Double.NaN;
    double s = 0;
    int n = 0;
    var eta = f.eta();
    for (int r = 0; r < eta.length; r++) {
      if (factor.rowLevel()[r] != level) continue;
      s += sigmoid(eta[r]) - sigmoid(eta[r] - b);
      n++;
    }
    return n == 0 ? Double.NaN : s / n;
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * η = α_u + x·β with α_u the posterior mode under a normal prior N(μ, τ²) fitted to the users (three rounds of
   * empirical Bayes): the intercepts cancel from the conditional likelihood, so they are estimated afterwards, given β.
   */
  static double[] linearPredictors(double[][] x, int[] y, int[] user, double[] beta, int users) {
    int m = x.length;
    var offset = new double[m];
    for (int r = 0; r < m; r++) offset[r] = dot(x[r], beta);
    var alpha = new double[users];
    var info = new double[users];
    double mu = 0, tau2 = 4;
    var present = new boolean[users];
    for (int u : user) present[u] = true;
    double pooled = 0;
    for (int v : y) pooled += v;
    pooled = Math.min(0.99, Math.max(0.01, pooled / Math.max(1, m)));
    mu = Math.log(pooled / (1 - pooled));
    java.util.Arrays.fill(alpha, mu);
    for (int round = 0; round < 3; round++) {
      for (int it = 0; it < 25; it++) {
        var g = new double[users];
        var h = new double[users];
        for (int r = 0; r < m; r++) {
          double p = sigmoid(alpha[user[r]] + offset[r]);
          g[user[r]] += y[r] - p;
          h[user[r]] += p * (1 - p);
        }
        double maxStep = 0;
        for (int u = 0; u < users; u++) {
          if (!present[u]) continue;
          double gu = g[u] - (alpha[u] - mu) / tau2, hu = h[u] + 1 / tau2;
          double step = Math.max(-2, Math.min(2, gu / hu));
          alpha[u] += step;
          info[u] = hu;
          maxStep = Math.max(maxStep, Math.abs(step));
        }
        if (maxStep < 1e-6) break;
      }
      double sum = 0, sq = 0, postVar = 0;
      int k = 0;
      for (int u = 0; u < users; u++) {
        if (!present[u]) continue;
        sum += alpha[u];
        sq += alpha[u] * alpha[u];
        postVar += 1 / info[u];
        k++;
      }
      mu = sum / k;
      tau2 = Math.max(0.05, sq / k - mu * mu + postVar / k);
    }
    var eta = new double[m];
    for (int r = 0; r < m; r++) eta[r] = alpha[user[r]] + offset[r];
    return eta;
  }

  /** Builds named columns; factor levels below the support are merged into the reference level. */
  private static final class Builder {
    private final AttributionRows d;
    private final int[] rows;
    private final List<String> names = new ArrayList<>();
    private final List<double[]> cols = new ArrayList<>();
    private final List<Factor> factors = new ArrayList<>();
    private final int minSupport;

    Builder(AttributionRows d, int[] rows, int minSupport) {
      this.d = d;
      this.rows = rows;
      this.minSupport = minSupport;
    }

    void binary(String name, java.util.function.IntPredicate treated, int minSupport) {
      var level = new int[rows.length];
      int t = 0;
      for (int r = 0; r < rows.length; r++) t += level[r] = treated.test(rows[r]) ? 1 : 0;
      if (t < minSupport || rows.length - t < minSupport) return;
      var col = new double[rows.length];
      for (int r = 0; r < rows.length; r++) col[r] = level[r];
      factors.add(new Factor(name, List.of("no", "yes"), new int[] {-1, cols.size()}, level));
      names.add(name);
      cols.add(col);
    }

    /** Levels in {@code order} (or by frequency); the most frequent is the reference. */
    void categorical(String name, IntFunction<String> levelOf, int minSupport, List<String> order) {
      var counts = new LinkedHashMap<String, Integer>();
      for (int r : rows) counts.merge(levelOf.apply(r), 1, Integer::sum);
      counts.remove("");
      var supported = new ArrayList<String>();
      if (order != null) for (var l : order) if (counts.getOrDefault(l, 0) >= minSupport) supported.add(l);
      if (order == null) counts.entrySet().stream().filter(e -> e.getValue() >= minSupport)
          .sorted(Map.Entry.comparingByKey()).forEach(e -> supported.add(e.getKey()));
      if (supported.size() < 2) return;
      var ref = supported.stream().max(java.util.Comparator.comparing(counts::get)).orElseThrow();
      var levels = new ArrayList<String>();
      levels.add(ref);
      for (var l : supported) if (!l.equals(ref)) levels.add(l);
      var columns = new int[levels.size()];
      columns[0] = -1;
      var rowLevel = new int[rows.length];
      java.util.Arrays.fill(rowLevel, -1);
      for (int l = 1; l < levels.size(); l++) {
        var col = new double[rows.length];
        for (int r = 0; r < rows.length; r++) if (levelOf.apply(rows[r]).equals(levels.get(l))) col[r] = 1;
        columns[l] = cols.size();
        names.add(name + "=" + levels.get(l));
        cols.add(col);
      }
      for (int r = 0; r < rows.length; r++) rowLevel[r] = levels.indexOf(levelOf.apply(rows[r]));
      factors.add(new Factor(name, List.copyOf(levels), columns, rowLevel));
    }

    /** A control column; one non-zero in fewer than {@code minSupport} rows is left out (it would only add noise). */
    void control(String name, java.util.function.IntToDoubleFunction value) {
      var col = new double[rows.length];
      int nonZero = 0;
      for (int r = 0; r < rows.length; r++) if ((col[r] = value.applyAsDouble(rows[r])) != 0) nonZero++;
      if (nonZero < minSupport) return;
      names.add(name);
      cols.add(col);
    }

    /** Calendar month, each industry's market per quarter of the span, and (with {@code job}) the job's own terms. */
    void controls(boolean job) {
      if (job) {
        control("fit", d::fit);
        control("tailored", i -> d.tailored(i) ? 1 : 0);
        control("seniority_above", i -> Math.max(0, d.seniorityGap(i)));
        control("seniority_below", i -> Math.max(0, -d.seniorityGap(i)));
      }
      var months = new java.util.TreeSet<Integer>();
      for (int r : rows) months.add(d.month[r]);
      int refMonth = months.isEmpty() ? 0 : months.first();
      for (int mo : months) if (mo != refMonth) control("month=" + mo, i -> d.month[i] == mo ? 1 : 0);
      var industries = new java.util.TreeSet<String>();
      for (int r : rows) industries.add(d.industry(r));
      for (var ind : industries) {
        control("industry=" + ind, i -> d.industry(i).equals(ind) ? 1 : 0);
        for (int p = 1; p < 4; p++) {
          int q = p;
          control("industry=" + ind + "×period=" + p, i -> d.industry(i).equals(ind) && d.period[i] == q ? 1 : 0);
        }
      }
    }

    Design build() {
      var x = new double[rows.length][cols.size()];
      for (int j = 0; j < cols.size(); j++) {
        var c = cols.get(j);
        for (int r = 0; r < rows.length; r++) x[r][j] = c[r];
      }
      return new Design(List.copyOf(names), x, List.copyOf(factors), rows);
    }
  }

  // ---- refuters: each is one refit of the whole model, judged per level ----

  /** The design with every factor column permuted within each user (one permutation per user, shared by the columns). */
  static Design placebo(AttributionRows d, Design design, long seed) {
    var x = copy(design.x());
    var byUser = new LinkedHashMap<Integer, List<Integer>>();
    for (int r = 0; r < design.rows().length; r++) byUser.computeIfAbsent(d.user[design.rows()[r]], k -> new ArrayList<>()).add(r);
    var factorCols = new ArrayList<Integer>();
    for (var f : design.factors()) for (int c : f.columns()) if (c >= 0) factorCols.add(c);
    var rnd = new SplittableRandom(seed);
    for (var rs : byUser.values()) {
      var perm = new ArrayList<>(rs);
      for (int i = perm.size() - 1; i > 0; i--) java.util.Collections.swap(perm, i, rnd.nextInt(i + 1));
      for (int k = 0; k < rs.size(); k++) for (int c : factorCols) x[rs.get(k)][c] = design.x()[perm.get(k)][c];
    }
    return new Design(design.names(), x, design.factors(), design.rows());
  }

  static Design withRandomColumn(Design design, long seed) {
    var rnd = new SplittableRandom(seed);
    var x = new double[design.x().length][];
    for (int r = 0; r < x.length; r++) {
      x[r] = java.util.Arrays.copyOf(design.x()[r], design.x()[r].length + 1);
      x[r][x[r].length - 1] = rnd.nextGaussian();
    }
    var names = new ArrayList<>(design.names());
    names.add("random_common_cause");
    return new Design(List.copyOf(names), x, design.factors(), design.rows());
  }

  /** The design restricted to a random share of the users (levels of the factors kept per row). */
  static Design subset(AttributionRows d, Design design, double share, long seed) {
    var rnd = new SplittableRandom(seed);
    var keep = new boolean[d.users];
    for (int u = 0; u < d.users; u++) keep[u] = rnd.nextDouble() < share;
    var idx = new ArrayList<Integer>();
    for (int r = 0; r < design.rows().length; r++) if (keep[d.user[design.rows()[r]]]) idx.add(r);
    var rows = new int[idx.size()];
    var x = new double[idx.size()][];
    for (int k = 0; k < rows.length; k++) {
      rows[k] = design.rows()[idx.get(k)];
      x[k] = design.x()[idx.get(k)];
    }
    var factors = new ArrayList<Factor>();
    for (var f : design.factors()) {
      var rl = new int[rows.length];
      for (int k = 0; k < rows.length; k++) rl[k] = f.rowLevel()[idx.get(k)];
      factors.add(new Factor(f.name(), f.levels(), f.columns(), rl));
    }
    return new Design(design.names(), x, List.copyOf(factors), rows);
  }

  /** Outcomes redrawn at each user's own interview rate: no factor can then have a within-user effect. */
  static int[] dummyOutcome(AttributionRows d, long seed) {
    var pos = new double[d.users];
    var cnt = new double[d.users];
    for (int i = 0; i < d.n; i++) {
      pos[d.user[i]] += d.y[i];
      cnt[d.user[i]]++;
    }
    var rnd = new SplittableRandom(seed);
    var y = new int[d.n];
    for (int i = 0; i < d.n; i++) y[i] = rnd.nextDouble() < pos[d.user[i]] / cnt[d.user[i]] ? 1 : 0;
    return y;
  }

  private static double[][] copy(double[][] x) {
    var out = new double[x.length][];
    for (int r = 0; r < x.length; r++) out[r] = x[r].clone();
    return out;
  }
}
