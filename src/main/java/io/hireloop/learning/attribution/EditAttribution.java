package io.hireloop.learning.attribution;

import io.hireloop.learning.ensemble.LabelledSnapshot;
import io.hireloop.stats.causal.BalanceRow;
import io.hireloop.stats.causal.Causal;
import io.hireloop.stats.causal.CausalEstimate;
import io.hireloop.stats.causal.Ols;
import io.hireloop.stats.causal.Refutation;
import io.hireloop.stats.causal.Refuters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The causal effect of each resume edit type on the interview probability of the applications sent after it,
 * estimated from the same {@link LabelledSnapshot}s the interview models train on. Pure Java, no Pekko.
 *
 * <p><b>Treatment</b>: the edit type is in the snapshot's {@code editTypes} (the user had accepted it before the
 * application was created; edits accumulate on the resume and are never removed). <b>Outcome</b>: the interview
 * label. An edit type is analysed only when at least {@link Settings#minSupport} treated and as many control
 * applications exist.
 *
 * <p><b>Covariates</b> (all measured before the application, none a consequence of the edit): fit score, category,
 * tailoring, strategy mode, the user's seniority, log(1 + prior applications), the user's smoothed prior interview
 * rate ((interviews + a·m)/(labelled + a), m the pooled rate, a = {@link Settings#priorStrength}) and the other edit
 * types. {@code resumeScore} is deliberately <em>not</em> a covariate: edits raise it, so it is a mediator (part of
 * the path edit → better resume → interview); conditioning on it would remove part of the very effect we measure
 * (and open collider paths). The same holds for anything recorded after the edit because of it.
 *
 * <p><b>Methods</b> (all risk differences of the interview probability):
 * <ul>
 *   <li>{@code ipw} and {@code psm}: estimand ATT — the effect on the applications actually sent with the edit,
 *       which is what a recommendation to the users who would make it needs, and which keeps the weights
 *       bounded (controls weighted e/(1−e), treated weight 1) where edits are common among able users.</li>
 *   <li>{@code dr}: augmented IPW (Causal.doublyRobust, ATE), consistent if either the propensity or the outcome
 *       model is right.</li>
 *   <li>{@code within_user}: the staggered before/after design — a two-way fixed-effects regression
 *       y ~ edit + user effects + calendar-week effects + the time-varying covariates, errors clustered by user.
 *       Each user who made the edit is compared with their own applications before it, against the same-week
 *       change of the users who had not (yet) made it; this removes every constant user trait (ability,
 *       organisation) that the cross-sectional methods can only proxy. {@code DifferenceInDifferences} is the
 *       2×2 special case; adoption here is staggered, so the generalised form is fitted directly with {@link Ols}.
 *       Valid under parallel trends and a constant effect.</li>
 * </ul>
 * The reported (primary) estimate is {@code ipw} (ATT): its log-odds conversion is exact and the balance reported is
 * that of its weights. {@code within_user} is the cross-check against unmeasured user-level confounding, but on the
 * simulator it is biased toward zero (a constant log-odds effect is heterogeneous on the risk scale, and staggered
 * two-way fixed effects weight such effects badly), so it enters the confidence rule, not the headline figure. Log-odds are derived from a risk difference d with the
 * treated applications' observed interview rate p₁ as the treated outcome: logit(p₁) − logit(p₁ − d) (for
 * {@code within_user}, p₁ is the treated rate of the switchers, the users whose before/after identifies it) (exact for the
 * ATT; an approximation for the ATE and the regression estimate; the marginal odds ratio is also slightly closer to
 * zero than a constant conditional one, non-collapsibility). CI endpoints are mapped the same (monotone) way.
 *
 * <p><b>Confidence</b>: HIGH only when every method agrees in sign, their 95% CIs share a common point, balance
 * after ATT weighting holds (max |SMD| &lt; 0.1), no refuter failed and the primary CI excludes zero; MEDIUM when
 * the methods agree in sign; LOW otherwise. Refuters: placebo treatment and random common cause on the IPW
 * estimator (stats.causal.Refuters).
 */
public final class EditAttribution {
  private EditAttribution() {}

  static final double Z = 1.959963984540054;

  public record Settings(int minSupport, double priorStrength, int refuterSimulations, long seed) {
    public static Settings defaults() {
      return new Settings(30, 5, 10, 1);
    }
  }

  /** One method's estimate: risk difference with its 95% CI, and the same on the log-odds scale. */
  public record MethodEstimate(String method, String estimand, double estimate, double stdError, double ciLow, double ciHigh,
      double logOdds, double logOddsCiLow, double logOddsCiHigh) {}

  public enum Confidence { HIGH, MEDIUM, LOW }

  /**
   * The attribution of one edit type. {@code estimate}, {@code stdError}, {@code ciLow}, {@code ciHigh} and the
   * log-odds fields are those of {@code primaryMethod}; {@code balance} is the max |SMD| after ATT weighting.
   */
  public record EditEffect(String editType, String primaryMethod, double estimate, double logOdds, double stdError,
      double ciLow, double ciHigh, double logOddsCiLow, double logOddsCiHigh, List<MethodEstimate> methodEstimates,
      double naiveDifference, double naiveLogOdds, int nTreated, int nControl, double balance,
      List<Refutation> refuters, Confidence causalConfidence, List<String> warnings) {
    public EditEffect {
      methodEstimates = List.copyOf(methodEstimates);
      refuters = List.copyOf(refuters);
      warnings = List.copyOf(warnings);
    }
  }

  /** An edit type seen too rarely (or always) to be analysed. */
  public record Skipped(String editType, int nTreated, int nControl, String reason) {}

  public record Report(List<EditEffect> effects, List<Skipped> skipped) {
    public Report {
      effects = List.copyOf(effects);
      skipped = List.copyOf(skipped);
    }
  }

  public static Report analyse(List<LabelledSnapshot> rows) {
    return analyse(rows, Settings.defaults());
  }

  public static Report analyse(List<LabelledSnapshot> rows, Settings s) {
    var types = new TreeSet<String>();
    for (var r : rows) types.addAll(r.snapshot().editTypes());
    int n = rows.size();
    var y = new double[n];
    double pooled = 0;
    for (int i = 0; i < n; i++) pooled += y[i] = rows.get(i).label() ? 1 : 0;
    pooled = n == 0 ? 0 : pooled / n;
    var effects = new ArrayList<EditEffect>();
    var skipped = new ArrayList<Skipped>();
    for (var edit : types) {
      var t = new int[n];
      int n1 = 0;
      for (int i = 0; i < n; i++) n1 += t[i] = rows.get(i).snapshot().editTypes().contains(edit) ? 1 : 0;
      int n0 = n - n1;
      if (n1 < s.minSupport() || n0 < s.minSupport()) {
        skipped.add(new Skipped(edit, n1, n0, "needs at least " + s.minSupport() + " treated and " + s.minSupport() + " control applications"));
        continue;
      }
      try {
        effects.add(one(rows, edit, types, y, t, pooled, s));
      } catch (IllegalArgumentException e) {
        skipped.add(new Skipped(edit, n1, n0, "estimation failed: " + e.getMessage()));
      }
    }
    return new Report(effects, skipped);
  }

  private static EditEffect one(List<LabelledSnapshot> rows, String edit, TreeSet<String> types, double[] y, int[] t,
      double pooled, Settings s) {
    int n = rows.size();
    var warnings = new ArrayList<String>();
    var design = Design.crossSectional(rows, edit, types, pooled, s.priorStrength());
    double p1 = 0, p0 = 0;
    int n1 = 0;
    for (int i = 0; i < n; i++) {
      if (t[i] == 1) {
        p1 += y[i];
        n1++;
      } else {
        p0 += y[i];
      }
    }
    p1 /= n1;
    p0 /= n - n1;
    double naive = p1 - p0;
    var methods = new ArrayList<MethodEstimate>();
    var ipw = Causal.ipw(design.names, design.x, t, y, "att");
    methods.add(of(ipw, p1));
    warnings.addAll(ipw.warnings());
    try {
      methods.add(of(Causal.psm(design.names, design.x, t, y, "att"), p1));
    } catch (IllegalArgumentException e) {
      warnings.add("psm failed: " + e.getMessage());
    }
    try {
      methods.add(of(Causal.doublyRobust(design.names, design.x, t, y), p1));
    } catch (IllegalArgumentException e) {
      warnings.add("dr failed: " + e.getMessage());
    }
    MethodEstimate within = null;
    try {
      within = withinUser(rows, edit, types, y, t, p1);
      methods.add(within);
    } catch (IllegalArgumentException e) {
      warnings.add("within_user failed: " + e.getMessage());
    }
    double balance = 0;
    for (BalanceRow b : ipw.balance()) if (!Double.isNaN(b.smdAfter())) balance = Math.max(balance, Math.abs(b.smdAfter()));
    var est = Causal.estimator("ipw", "att");
    var refuters = List.of(
        Refuters.placebo(y, t, design.x, est, ipw.estimate(), s.refuterSimulations(), s.seed()),
        Refuters.randomCommonCause(y, t, design.x, est, ipw.estimate(), s.refuterSimulations(), s.seed() + 1));
    var primary = methods.get(0); // ipw, ATT: see the class comment
    boolean sameSign = methods.stream().allMatch(m -> Math.signum(m.estimate()) == Math.signum(primary.estimate()));
    double maxLow = methods.stream().mapToDouble(MethodEstimate::ciLow).max().orElseThrow();
    double minHigh = methods.stream().mapToDouble(MethodEstimate::ciHigh).min().orElseThrow();
    boolean refutersPass = refuters.stream().allMatch(Refutation::passed);
    boolean excludesZero = primary.ciLow() > 0 || primary.ciHigh() < 0;
    Confidence c = sameSign && maxLow <= minHigh && balance < 0.1 && refutersPass && excludesZero ? Confidence.HIGH
        : sameSign ? Confidence.MEDIUM : Confidence.LOW;
    if (!refutersPass) warnings.add("a refuter failed: the IPW estimate is fragile");
    if (balance >= 0.1) warnings.add("covariate balance after weighting not reached (max |SMD| " + balance + ")");
    return new EditEffect(edit, primary.method(), primary.estimate(), primary.logOdds(), primary.stdError(), primary.ciLow(),
        primary.ciHigh(), primary.logOddsCiLow(), primary.logOddsCiHigh(), methods, naive, logit(p1) - logit(p0), n1, n - n1,
        balance, refuters, c, warnings);
  }

  private static MethodEstimate of(CausalEstimate e, double p1) {
    return method(e.method(), e.estimand(), e.estimate(), e.stdError(), p1);
  }

  private static MethodEstimate method(String name, String estimand, double d, double se, double p1) {
    double lo = d - Z * se, hi = d + Z * se;
    return new MethodEstimate(name, estimand, d, se, lo, hi, toLogOdds(d, p1), toLogOdds(lo, p1), toLogOdds(hi, p1));
  }

  /** logit(p₁) − logit(p₁ − d): the log-odds ratio of a risk difference d at a treated rate p₁. */
  static double toLogOdds(double d, double p1) {
    return logit(p1) - logit(p1 - d);
  }

  static double logit(double p) {
    double q = Math.min(1 - 1e-6, Math.max(1e-6, p));
    return Math.log(q / (1 - q));
  }

  /**
   * Two-way fixed effects: every column (outcome, the edit, the time-varying covariates, week dummies) is demeaned
   * within user, then OLS without intercept; CR1 errors clustered by user. Users who never change treatment status
   * inform only the week effects and the covariates (they are the "did not make it yet" comparison).
   */
  static MethodEstimate withinUser(List<LabelledSnapshot> rows, String edit, TreeSet<String> types, double[] y, int[] t, double p1) {
    int n = rows.size();
    Instant first = rows.stream().map(r -> r.snapshot().appliedAt()).min(Instant::compareTo).orElseThrow();
    var week = new int[n];
    int weeks = 0;
    for (int i = 0; i < n; i++) {
      week[i] = (int) (Duration.between(first, rows.get(i).snapshot().appliedAt()).toDays() / 7);
      weeks = Math.max(weeks, week[i] + 1);
    }
    int buckets = Math.min(weeks, 60);
    var cols = new ArrayList<double[]>();
    var tc = new double[n];
    for (int i = 0; i < n; i++) tc[i] = t[i];
    cols.add(tc);
    for (int b = 1; b < buckets; b++) {
      var c = new double[n];
      for (int i = 0; i < n; i++) c[i] = (long) week[i] * buckets / weeks == b ? 1 : 0;
      cols.add(c);
    }
    var fit = new double[n];
    var tail = new double[n];
    for (int i = 0; i < n; i++) {
      var ctx = rows.get(i).snapshot().context();
      fit[i] = Double.isNaN(ctx.fitScore()) ? 0 : ctx.fitScore();
      tail[i] = ctx.tailoringApplied() ? 1 : 0;
    }
    cols.add(fit);
    cols.add(tail);
    for (var other : types) {
      if (other.equals(edit)) continue;
      var c = new double[n];
      for (int i = 0; i < n; i++) c[i] = rows.get(i).snapshot().editTypes().contains(other) ? 1 : 0;
      cols.add(c);
    }
    for (var cat : levels(rows, true)) cols.add(indicator(rows, true, cat));
    for (var mode : levels(rows, false)) cols.add(indicator(rows, false, mode));
    var users = new String[n];
    var groups = new HashMap<String, List<Integer>>();
    for (int i = 0; i < n; i++) groups.computeIfAbsent(users[i] = rows.get(i).userId(), k -> new ArrayList<>()).add(i);
    var yd = demean(y, groups);
    var kept = new ArrayList<double[]>();
    for (int j = 0; j < cols.size(); j++) {
      var d = demean(cols.get(j), groups);
      double ss = 0;
      for (double v : d) ss += v * v;
      if (ss > 1e-9) kept.add(d);
      else if (j == 0) throw new IllegalArgumentException("no user changes treatment status within the data");
    }
    // drop columns collinear with earlier ones (e.g. edits always made together): greedy QR check
    var x = new double[n][];
    var chosen = new ArrayList<double[]>();
    for (var c : kept) {
      chosen.add(c);
      try {
        Ols.fit(matrix(chosen, n), yd);
      } catch (IllegalArgumentException e) {
        if (chosen.size() == 1) throw e;
        chosen.remove(chosen.size() - 1);
      }
    }
    x = matrix(chosen, n);
    var ols = Ols.fit(x, yd);
    double se = Math.sqrt(ols.clusteredCovariance(users).getEntry(0, 0));
    // The effect is identified by the switchers (users with applications before and after the edit), who are not
    // the typical treated user: convert to log-odds at the switchers' own treated interview rate.
    double sw = 0;
    int swn = 0;
    for (var g : groups.values()) {
      int k = 0;
      for (int i : g) k += t[i];
      if (k == 0 || k == g.size()) continue;
      for (int i : g) {
        if (t[i] == 1) {
          sw += y[i];
          swn++;
        }
      }
    }
    return method("within_user", "twfe", ols.beta()[0], se, swn == 0 ? p1 : sw / swn);
  }

  private static double[][] matrix(List<double[]> cols, int n) {
    var x = new double[n][cols.size()];
    for (int j = 0; j < cols.size(); j++) for (int i = 0; i < n; i++) x[i][j] = cols.get(j)[i];
    return x;
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

  /** Levels of category (or strategy mode) except the most frequent one (the reference). */
  private static List<String> levels(List<LabelledSnapshot> rows, boolean category) {
    var counts = new LinkedHashMap<String, Integer>();
    for (var r : rows) counts.merge(level(r, category), 1, Integer::sum);
    var ref = counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
    return counts.keySet().stream().filter(k -> !k.equals(ref)).sorted().toList();
  }

  private static String level(LabelledSnapshot r, boolean category) {
    var c = r.snapshot().context();
    var v = category ? c.category() : c.strategyMode();
    return v == null ? "" : v;
  }

  private static double[] indicator(List<LabelledSnapshot> rows, boolean category, String value) {
    var out = new double[rows.size()];
    for (int i = 0; i < out.length; i++) out[i] = level(rows.get(i), category).equals(value) ? 1 : 0;
    return out;
  }

  /** The cross-sectional covariate matrix (constant columns dropped: the propensity model cannot take them). */
  private record Design(List<String> names, double[][] x) {
    static Design crossSectional(List<LabelledSnapshot> rows, String edit, TreeSet<String> types, double pooled, double a) {
      int n = rows.size();
      var names = new ArrayList<String>();
      var cols = new ArrayList<double[]>();
      var fit = new double[n];
      var tail = new double[n];
      var sen = new double[n];
      var senMissing = new double[n];
      var prior = new double[n];
      var rate = new double[n];
      for (int i = 0; i < n; i++) {
        var sn = rows.get(i).snapshot();
        fit[i] = Double.isNaN(sn.context().fitScore()) ? 0 : sn.context().fitScore();
        tail[i] = sn.context().tailoringApplied() ? 1 : 0;
        sen[i] = sn.userSeniority() == null ? 0 : sn.userSeniority();
        senMissing[i] = sn.userSeniority() == null ? 1 : 0;
        prior[i] = Math.log1p(sn.priorApplications());
        rate[i] = (sn.priorInterviews() + a * pooled) / (sn.priorLabelled() + a);
      }
      names.addAll(List.of("fit_score", "tailoring_applied", "user_seniority", "user_seniority_missing", "log_prior_applications",
          "smoothed_prior_interview_rate"));
      cols.addAll(List.of(fit, tail, sen, senMissing, prior, rate));
      for (var cat : levels(rows, true)) {
        names.add("category=" + cat);
        cols.add(indicator(rows, true, cat));
      }
      for (var mode : levels(rows, false)) {
        names.add("strategy_mode=" + mode);
        cols.add(indicator(rows, false, mode));
      }
      for (var other : types) {
        if (other.equals(edit)) continue;
        var c = new double[n];
        for (int i = 0; i < n; i++) c[i] = rows.get(i).snapshot().editTypes().contains(other) ? 1 : 0;
        names.add("edit=" + other);
        cols.add(c);
      }
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
      return new Design(keptNames, matrix(kept, n));
    }
  }
}
