package io.hireloop.learning.attribution;

import io.hireloop.learning.attribution.FactorEffect.MethodEstimate;
import io.hireloop.stats.causal.BalanceRow;
import io.hireloop.stats.causal.Causal;
import io.hireloop.stats.causal.CausalEstimate;
import io.hireloop.stats.causal.InstrumentalVariables;
import io.hireloop.stats.causal.Ols;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The secondary estimators, which compare applications across users: they can adjust only for what is measured before
 * the application, so they are cross-checks of the within-user estimate, not substitutes for it. Each runs on a sample
 * of whole users ({@link AttributionRows#userSample}) to bound its cost.
 *
 * <p>Covariates (all fixed before the application; none a consequence of the factor): fit score, tailoring, category,
 * strategy mode, the user's usual seniority, log(1 + prior applications), the user's smoothed prior interview rate
 * ((interviews + a·m)/(labelled + a), m the pooled rate), time (weeks since the data's start) and the season (the
 * smoothed interview rate of the calendar month); for an edit also the other edit types.
 * {@code resume_score} is deliberately left out: edits raise it, so it is a mediator of their effect.
 */
final class CrossSection {
  private CrossSection() {}

  static final double PRIOR_STRENGTH = 5;
  static final double Z = 1.959963984540054;

  record Design(List<String> names, double[][] x) {}

  /**
   * @param rows the sampled rows
   * @param edit the edit under study (left out of the covariates), or null
   * @param otherEdits whether the other edit types are covariates (not for the instrument: they are themselves chosen)
   */
  static Design covariates(AttributionRows d, int[] rows, String edit, boolean otherEdits) {
    int n = rows.length;
    double pooled = 0;
    for (int r : rows) pooled += d.y[r];
    pooled /= Math.max(1, n);
    var names = new ArrayList<String>();
    var cols = new ArrayList<double[]>();
    double p = pooled;
    add(names, cols, "fit_score", rows, d::fit);
    add(names, cols, "tailoring_applied", rows, i -> d.tailored(i) ? 1 : 0);
    add(names, cols, "user_seniority", rows, i -> {
      var s = d.rows.get(i).snapshot().userSeniority();
      return s == null ? 0 : s;
    });
    add(names, cols, "user_seniority_missing", rows, i -> d.rows.get(i).snapshot().userSeniority() == null ? 1 : 0);
    add(names, cols, "log_prior_applications", rows, i -> Math.log1p(d.rows.get(i).snapshot().priorApplications()));
    add(names, cols, "smoothed_prior_interview_rate", rows, i -> {
      var s = d.rows.get(i).snapshot();
      return (s.priorInterviews() + PRIOR_STRENGTH * p) / (s.priorLabelled() + PRIOR_STRENGTH);
    });
    dummies(names, cols, "category", rows, d::category);
    dummies(names, cols, "strategy_mode", rows, d::mode);
    // time enters as two smooth terms, not month dummies: sparse dummies (the few days of a month at the span's edge)
    // separate the propensity models of edits, which accumulate over time
    var monthRate = new double[13];
    var monthCount = new double[13];
    for (int r : rows) {
      monthRate[d.month[r]] += d.y[r];
      monthCount[d.month[r]]++;
    }
    add(names, cols, "calendar_month_interview_rate", rows, i -> (monthRate[d.month[i]] + PRIOR_STRENGTH * p) / (monthCount[d.month[i]] + PRIOR_STRENGTH));
    add(names, cols, "weeks_since_start", rows, i -> d.weeksSinceStart(i));
    if (otherEdits) {
      for (var other : d.editTypes) {
        if (other.equals(edit)) continue;
        int bit = d.bit(other);
        add(names, cols, "edit=" + other, rows, i -> d.hasEditBit(i, bit) ? 1 : 0);
      }
    }
    // the propensity model cannot take constant columns
    var keptNames = new ArrayList<String>();
    var kept = new ArrayList<double[]>();
    for (int j = 0; j < cols.size(); j++) {
      double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
      for (double v : cols.get(j)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      if (hi > lo) {
        keptNames.add(names.get(j));
        kept.add(cols.get(j));
      }
    }
    return new Design(List.copyOf(keptNames), matrix(kept, n));
  }

  private static void add(List<String> names, List<double[]> cols, String name, int[] rows, java.util.function.IntToDoubleFunction f) {
    var c = new double[rows.length];
    for (int r = 0; r < rows.length; r++) c[r] = f.applyAsDouble(rows[r]);
    names.add(name);
    cols.add(c);
  }

  /** One indicator per level except the most frequent (the reference). */
  private static void dummies(List<String> names, List<double[]> cols, String name, int[] rows, java.util.function.IntFunction<String> level) {
    var counts = new java.util.TreeMap<String, Integer>();
    for (int r : rows) counts.merge(level.apply(r), 1, Integer::sum);
    var ref = counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
    for (var l : counts.keySet()) {
      if (l.equals(ref)) continue;
      add(names, cols, name + "=" + l, rows, i -> level.apply(i).equals(l) ? 1 : 0);
    }
  }

  static double[][] matrix(List<double[]> cols, int n) {
    var x = new double[n][cols.size()];
    for (int j = 0; j < cols.size(); j++) for (int i = 0; i < n; i++) x[i][j] = cols.get(j)[i];
    return x;
  }

  record Weighted(MethodEstimate estimate, double balance, List<String> warnings) {}

  /** IPW (ATT) on the design; balance is the largest |SMD| after weighting. */
  static Weighted ipw(Design x, int[] t, double[] y) {
    var e = Causal.ipw(x.names(), x.x(), t, y, "att");
    double balance = 0;
    for (BalanceRow b : e.balance()) if (!Double.isNaN(b.smdAfter())) balance = Math.max(balance, Math.abs(b.smdAfter()));
    return new Weighted(of(e), balance, e.warnings());
  }

  static MethodEstimate psm(Design x, int[] t, double[] y) {
    return of(Causal.psm(x.names(), x.x(), t, y, "att"));
  }

  private static MethodEstimate of(CausalEstimate e) {
    return new MethodEstimate(e.method(), e.estimand(), e.estimate(), e.stdError(), e.estimate() - Z * e.stdError(),
        e.estimate() + Z * e.stdError(), null);
  }

  /**
   * Two-stage least squares with the system's suggestion of the edit (shown before the application, accepted or not) as
   * the instrument for having made it: suggestions arrive independently of the user, so they move edits without
   * moving anything else that drives interviews. Estimand: the effect on the compliers (users who make the edit
   * because it was suggested). Null with a warning when the first stage is weak (F &lt; 10).
   */
  static MethodEstimate iv(Design w, int[] t, double[] y, double[] suggested, List<String> warnings) {
    var d = new double[t.length];
    var z = new double[t.length][1];
    for (int i = 0; i < t.length; i++) {
      d[i] = t[i];
      z[i][0] = suggested[i];
    }
    var r = InstrumentalVariables.twoStage(y, d, z, w.x(), true);
    if (!(r.firstStageF() >= 10)) {
      warnings.add("the suggestions are a weak instrument for this edit (first-stage F " + Math.round(r.firstStageF() * 10) / 10.0
          + " < 10): the instrumental-variable estimate is left out");
      return null;
    }
    return new MethodEstimate("iv_suggestions", "late", r.estimate(), r.stdError(), r.estimate() - Z * r.stdError(),
        r.estimate() + Z * r.stdError(), null);
  }

  /**
   * The user's before/after in a linear probability model: two-way fixed effects (user and calendar week) with the
   * time-varying covariates, errors clustered by user (the staggered-adoption generalisation of difference in
   * differences). Linear in the probability, so a constant log-odds effect becomes heterogeneous and this estimate is
   * pulled toward zero; it is a sign check on the primary estimate.
   */
  static MethodEstimate did(AttributionRows d, int[] rows, IntPredicate treated, double[] y) {
    int n = rows.length;
    var t = new double[n];
    for (int r = 0; r < n; r++) t[r] = treated.test(rows[r]) ? 1 : 0;
    var cols = new ArrayList<double[]>();
    cols.add(t);
    long first = Long.MAX_VALUE;
    for (int r : rows) first = Math.min(first, d.rows.get(r).snapshot().appliedAt().getEpochSecond());
    var week = new int[n];
    int weeks = 0;
    for (int r = 0; r < n; r++) {
      week[r] = (int) ((d.rows.get(rows[r]).snapshot().appliedAt().getEpochSecond() - first) / (7 * 86400));
      weeks = Math.max(weeks, week[r] + 1);
    }
    int buckets = Math.min(weeks, 60);
    for (int b = 1; b < buckets; b++) {
      var c = new double[n];
      for (int r = 0; r < n; r++) c[r] = (long) week[r] * buckets / weeks == b ? 1 : 0;
      cols.add(c);
    }
    var fit = new double[n];
    var tail = new double[n];
    for (int r = 0; r < n; r++) {
      fit[r] = d.fit(rows[r]);
      tail[r] = d.tailored(rows[r]) ? 1 : 0;
    }
    cols.add(fit);
    cols.add(tail);
    var users = new String[n];
    var groups = new HashMap<String, List<Integer>>();
    for (int r = 0; r < n; r++) groups.computeIfAbsent(users[r] = d.userId[rows[r]], k -> new ArrayList<>()).add(r);
    var yd = demean(y, groups);
    var kept = new ArrayList<double[]>();
    for (int j = 0; j < cols.size(); j++) {
      var c = demean(cols.get(j), groups);
      double ss = 0;
      for (double v : c) ss += v * v;
      if (ss > 1e-9) kept.add(c);
      else if (j == 0) throw new IllegalArgumentException("no user changes treatment status within the data");
    }
    var ols = Ols.fit(matrix(kept, n), yd);
    double se = Math.sqrt(ols.clusteredCovariance(users).getEntry(0, 0));
    double b = ols.beta()[0];
    return new MethodEstimate("did_within_user", "within_user", b, se, b - Z * se, b + Z * se, null);
  }

  private static double[] demean(double[] v, Map<String, List<Integer>> groups) {
    var out = new double[v.length];
    for (var g : groups.values()) {
      double s = 0;
      for (int i : g) s += v[i];
      double m = s / g.size();
      for (int i : g) out[i] = v[i] - m;
    }
    return out;
  }
}
