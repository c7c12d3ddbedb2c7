package io.hireloop.learning.attribution;

import io.hireloop.learning.attribution.AttributionReport.Skipped;
import io.hireloop.learning.attribution.FactorEffect.Confidence;
import io.hireloop.learning.attribution.FactorEffect.MethodEstimate;
import io.hireloop.learning.attribution.FactorEffect.RefuterCheck;
import io.hireloop.learning.attribution.WithinUserModel.Design;
import io.hireloop.learning.attribution.WithinUserModel.Factor;
import io.hireloop.learning.attribution.WithinUserModel.Fitted;
import io.hireloop.learning.ensemble.LabelledSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntPredicate;

/**
 * What causes interviews, from the labelled applications of the training set (each with what was known when it was
 * created, {@link io.hireloop.learning.features.ApplicationSnapshot}). Pure Java, no Pekko: the attribution service runs
 * it on a schedule and on demand, {@code bin/hireloop evaluate} on a simulation.
 *
 * <p>The primary estimate of every factor is within-user ({@link WithinUserModel}): a fixed-effects logistic regression
 * with one intercept per user, so a user's constant traits (ability, organisation) cannot masquerade as the effect of
 * what they do. Two models are fitted: a joint one for edits, weekday, hour and category (each adjusted for the
 * others, for the job's own terms, calendar month and each industry's market per quarter) and one for the strategy
 * mode's total effect (without the mediators a mode acts through). Cross-checks compare applications across users:
 * propensity weighting and matching (ATT) on the pre-application covariates, the system's suggestions as an instrument
 * (edits only), and the within-user linear before/after (edits only). Refuters refit the primary models: placebo
 * (factors permuted within each user), random common cause, a subset of users, and a dummy outcome.
 *
 * <p>{@code causal_confidence}: HIGH when the primary estimate is significant after Holm's adjustment within its
 * family (all edit types; the levels of one timing or strategy factor) at 5%, every refuter passes, every cross-check
 * agrees (same sign, and all CIs share a point) and the weighted covariates are balanced (max |SMD| &lt; 0.1); MEDIUM
 * when it is significant and the refuters pass; LOW otherwise.
 */
public final class Attribution {
  private Attribution() {}

  public static final String PRIMARY = "within_user_logit";

  /**
   * @param minSupport applications needed at a level and outside it for the level to be estimated
   * @param maxPrimaryRows cap on the rows of the within-user models (whole users are sampled beyond it)
   * @param maxCrossCheckRows cap on the rows of the cross-checks (idem)
   * @param refuters whether to run the four refuters (four refits per model)
   * @param crossChecks whether to run the cross-checks (without them nothing can reach HIGH confidence)
   */
  public record Settings(int minSupport, int maxPrimaryRows, int maxCrossCheckRows, boolean refuters, boolean crossChecks,
      long seed) {
    public static Settings defaults() {
      return new Settings(30, 5_000_000, 150_000, true, true, 1);
    }

    /** The within-user estimates alone (for repeated runs such as a coverage study). */
    public Settings primaryOnly() {
      return new Settings(minSupport, maxPrimaryRows, maxCrossCheckRows, false, false, seed);
    }
  }

  /** Progress of a run: a stage name and how many of its steps are done. */
  public interface Progress {
    void step(String stage, int done, int total);

    Progress NONE = (stage, done, total) -> {};
  }

  public static AttributionReport run(List<LabelledSnapshot> rows, Settings s, Progress progress) {
    long t0 = System.nanoTime();
    var d = new AttributionRows(rows);
    var notes = new ArrayList<String>();
    var skipped = new ArrayList<Skipped>();
    var edits = new ArrayList<FactorEffect>();
    var timing = new ArrayList<FactorEffect>();
    var strategy = new ArrayList<FactorEffect>();
    int[] primaryRows = d.userSample(s.maxPrimaryRows(), s.seed());
    int[] crossRows = d.userSample(s.maxCrossCheckRows(), s.seed() + 7);
    int usersPrimary = countUsers(d, primaryRows), usersCross = countUsers(d, crossRows);
    if (primaryRows.length < d.n) notes.add("the within-user models ran on " + usersPrimary + " of " + d.users + " users ("
        + primaryRows.length + " applications, the cap hireloop.attribution.max-primary-rows)");
    notes.add("cross-checks (weighting, matching, instrument, linear before/after) ran on " + usersCross + " users ("
        + crossRows.length + " applications)");
    notes.add("weekday and hour are UTC");
    var models = new ArrayList<Model>();
    int totalSteps = 2 * (s.refuters() ? 5 : 1) + 1;
    int[] done = {0};
    Runnable tick = () -> progress.step("attribution", ++done[0], totalSteps);
    progress.step("attribution", 0, totalSteps);
    for (boolean joint : new boolean[] {true, false}) {
      var design = joint ? WithinUserModel.joint(d, primaryRows, s.minSupport()) : WithinUserModel.strategy(d, primaryRows, s.minSupport());
      if (design.factors().isEmpty()) {
        skipped.add(new Skipped(joint ? "edits" : "strategy", joint ? "edits, timing, category" : "strategy_mode",
            "no factor has " + s.minSupport() + " applications at a level and outside it"));
        done[0] += s.refuters() ? 5 : 1;
        continue;
      }
      try {
        var fitted = WithinUserModel.fit(d, design, d.y, null);
        tick.run();
        models.add(new Model(design, fitted, s.refuters() ? refuters(d, design, fitted, s, tick) : List.of()));
      } catch (IllegalArgumentException e) {
        skipped.add(new Skipped(joint ? "edits" : "strategy", joint ? "edits, timing, category" : "strategy_mode",
            "the within-user model could not be fitted: " + e.getMessage()));
        done[0] += s.refuters() ? 5 : 1;
      }
    }
    // the cross-sectional covariates, built once per edit (each leaves itself out) and once for every timing level
    var crossDesigns = new java.util.HashMap<String, CrossSection.Design>();
    var crossY = new double[crossRows.length];
    for (int r = 0; r < crossRows.length; r++) crossY[r] = d.y[crossRows[r]];
    for (var m : models) {
      var adjusted = holmByFamily(m);
      for (int fi = 0; fi < m.design().factors().size(); fi++) {
        var f = m.design().factors().get(fi);
        boolean isEdit = f.name().startsWith("edit:");
        String group = isEdit ? "edits" : f.name().equals("weekday") || f.name().equals("hour") ? "timing" : "strategy";
        for (int level = isEdit ? 1 : 0; level < f.levels().size(); level++) {
          var effect = effect(d, m, fi, level, group, crossRows, crossY, crossDesigns, s, adjusted.get(fi + "/" + level));
          (group.equals("edits") ? edits : group.equals("timing") ? timing : strategy).add(effect);
        }
      }
    }
    tick.run();
    for (var edit : d.editTypes) {
      if (edits.stream().noneMatch(e -> e.factor().equals(edit))) {
        skipped.add(new Skipped("edits", edit, "needs at least " + s.minSupport() + " applications with and without it"));
      }
    }
    double rate = 0;
    for (int v : d.y) rate += v;
    return new AttributionReport(UUID.randomUUID().toString(), Instant.now(), (System.nanoTime() - t0) / 1_000_000, d.n, d.users,
        usersPrimary, usersCross, d.n == 0 ? 0 : rate / d.n, edits, timing, strategy, skipped, notes);
  }

  private record Model(Design design, Fitted fitted, List<Fitted[]> refits) {}

  /** A level's two-sided p-value and its Holm adjustment within its family. */
  record PValues(double raw, double adjusted, int family) {}

  /**
   * Holm-adjusted p-values of the primary estimates, per family of comparisons: all edit types together, and each
   * categorical factor's levels together (seven weekdays are seven chances to find a "best day" by luck).
   * Keyed "factorIndex/level".
   */
  static java.util.Map<String, PValues> holmByFamily(Model m) {
    var families = new java.util.LinkedHashMap<String, List<String>>();
    var raw = new java.util.HashMap<String, Double>();
    var factors = m.design().factors();
    for (int fi = 0; fi < factors.size(); fi++) {
      var f = factors.get(fi);
      boolean isEdit = f.name().startsWith("edit:");
      for (int level = isEdit ? 1 : 0; level < f.levels().size(); level++) {
        var e = WithinUserModel.logOdds(m.fitted(), f, level);
        var key = fi + "/" + level;
        raw.put(key, twoSidedP(e.estimate() / e.se()));
        families.computeIfAbsent(isEdit ? "edits" : f.name(), k -> new ArrayList<>()).add(key);
      }
    }
    var out = new java.util.HashMap<String, PValues>();
    for (var keys : families.values()) {
      var p = keys.stream().mapToDouble(raw::get).toArray();
      var adj = io.hireloop.stats.MultipleTesting.holm(p);
      for (int i = 0; i < keys.size(); i++) out.put(keys.get(i), new PValues(p[i], adj[i], keys.size()));
    }
    return out;
  }

  static double twoSidedP(double z) {
    return Double.isFinite(z) ? org.hipparchus.special.Erf.erfc(Math.abs(z) / Math.sqrt(2)) : Double.isNaN(z) ? Double.NaN : 0;
  }

  private static int countUsers(AttributionRows d, int[] rows) {
    var seen = new boolean[d.users];
    int k = 0;
    for (int r : rows) if (!seen[d.user[r]]) {
      seen[d.user[r]] = true;
      k++;
    }
    return k;
  }

  static final String[] REFUTERS = {"placebo_treatment", "random_common_cause", "data_subset", "dummy_outcome"};
  static final double SUBSET_SHARE = 0.8;
  static final double Z99 = 2.5758293035489;

  /** The four refits of a model, in {@link #REFUTERS} order (null where a refit failed). */
  private static List<Fitted[]> refuters(AttributionRows d, Design design, Fitted main, Settings s, Runnable tick) {
    var out = new Fitted[4];
    var start = main.fit().beta();
    out[0] = tryFit(d, WithinUserModel.placebo(d, design, s.seed() + 11), d.y, start);
    tick.run();
    var withRandom = WithinUserModel.withRandomColumn(design, s.seed() + 12);
    out[1] = tryFit(d, withRandom, d.y, java.util.Arrays.copyOf(start, start.length + 1));
    tick.run();
    out[2] = tryFit(d, WithinUserModel.subset(d, design, SUBSET_SHARE, s.seed() + 13), d.y, start);
    tick.run();
    out[3] = tryFit(d, design, WithinUserModel.dummyOutcome(d, s.seed() + 14), start);
    tick.run();
    return List.<Fitted[]>of(out);
  }

  private static Fitted tryFit(AttributionRows d, Design design, int[] y, double[] start) {
    try {
      return WithinUserModel.fit(d, design, y, start, false);
    } catch (IllegalArgumentException e) {
      return null; // judged as a failed refuter
    }
  }

  private static FactorEffect effect(AttributionRows d, Model m, int factorIndex, int level, String group, int[] crossRows,
      double[] crossY, java.util.Map<String, CrossSection.Design> crossDesigns, Settings s, PValues p) {
    var f = m.design().factors().get(factorIndex);
    var main = WithinUserModel.effect(m.fitted(), f, level);
    var warnings = new ArrayList<String>();
    var methods = new ArrayList<MethodEstimate>();
    double riskSe = (main.riskHigh() - main.riskLow()) / (2 * WithinUserModel.Z);
    var primary = new MethodEstimate(PRIMARY, "att", main.risk(), riskSe, main.riskLow(), main.riskHigh(), main.logOdds());
    methods.add(primary);
    // naive: the rate at this level against the rate at the others
    double[] rate = new double[2];
    int[] count = new int[2];
    for (int r = 0; r < f.rowLevel().length; r++) {
      int at = f.rowLevel()[r] == level ? 1 : 0;
      rate[at] += d.y[m.design().rows()[r]];
      count[at]++;
    }
    double p1 = rate[1] / count[1], p0 = rate[0] / count[0];
    Double balance = null;
    boolean isEdit = f.name().startsWith("edit:");
    String factorName = isEdit ? f.name().substring("edit:".length()) : f.name();
    if (s.crossChecks() && (isEdit || group.equals("timing"))) {
      IntPredicate treated = isEdit ? i -> d.hasEdit(i, factorName) : timingLevel(d, f.name(), f.levels().get(level));
      var t = new int[crossRows.length];
      int nt = 0;
      for (int r = 0; r < crossRows.length; r++) nt += t[r] = treated.test(crossRows[r]) ? 1 : 0;
      if (nt >= s.minSupport() && crossRows.length - nt >= s.minSupport()) {
        var x = crossDesigns.computeIfAbsent(isEdit ? factorName : "", k -> CrossSection.covariates(d, crossRows, isEdit ? k : null, true));
        try {
          var w = CrossSection.ipw(x, t, crossY);
          methods.add(w.estimate());
          balance = w.balance();
          warnings.addAll(w.warnings());
        } catch (IllegalArgumentException e) {
          warnings.add("ipw failed: " + e.getMessage());
        }
        if (isEdit) {
          try {
            methods.add(CrossSection.psm(x, t, crossY));
          } catch (IllegalArgumentException e) {
            warnings.add("psm failed: " + e.getMessage());
          }
          var z = new double[crossRows.length];
          int nz = 0;
          for (int r = 0; r < crossRows.length; r++) nz += (z[r] = d.suggested(crossRows[r], factorName) ? 1 : 0) > 0 ? 1 : 0;
          if (nz >= s.minSupport()) {
            try {
              var iv = CrossSection.iv(CrossSection.covariates(d, crossRows, factorName, false), t, crossY, z, warnings);
              if (iv != null) methods.add(iv);
            } catch (IllegalArgumentException e) {
              warnings.add("iv failed: " + e.getMessage());
            }
          } else {
            warnings.add("the system suggested this edit before too few applications (" + nz + ") to use suggestions as an instrument");
          }
          try {
            methods.add(CrossSection.did(d, crossRows, treated, crossY));
          } catch (IllegalArgumentException e) {
            warnings.add("did_within_user failed: " + e.getMessage());
          }
        }
      } else {
        warnings.add("too few applications at this level in the cross-check sample for the cross-checks");
      }
    }
    var refuters = new ArrayList<RefuterCheck>();
    if (!m.refits().isEmpty()) {
      var refits = m.refits().get(0);
      for (int k = 0; k < REFUTERS.length; k++) {
        if (refits[k] == null) {
          refuters.add(new RefuterCheck(REFUTERS[k], Double.NaN, Double.NaN, false, "the refit failed"));
          continue;
        }
        var factor = refits[k].design().factors().get(factorIndex);
        refuters.add(judge(REFUTERS[k], WithinUserModel.logOdds(refits[k], factor, level), main));
      }
    }
    boolean significant = p.adjusted() < 0.05;
    boolean refutersPass = refuters.stream().allMatch(RefuterCheck::passed);
    double maxLow = methods.stream().mapToDouble(MethodEstimate::ciLow).max().orElseThrow();
    double minHigh = methods.stream().mapToDouble(MethodEstimate::ciHigh).min().orElseThrow();
    boolean sameSign = methods.stream().allMatch(me -> Math.signum(me.estimate()) == Math.signum(primary.estimate()));
    boolean agree = methods.size() > 1 && sameSign && maxLow <= minHigh;
    boolean balanced = balance == null || balance < 0.1;
    var confidence = significant && refutersPass && agree && balanced ? Confidence.HIGH
        : significant && refutersPass ? Confidence.MEDIUM : Confidence.LOW;
    if (!significant) {
      warnings.add(p.family() > 1 ? "no evidence of an effect: Holm-adjusted p " + round(p.adjusted()) + " ≥ 0.05 over the "
          + p.family() + " comparisons of its family (unadjusted p " + round(p.raw()) + ")"
          : "no evidence of an effect: p " + round(p.raw()) + " ≥ 0.05");
    }
    if (!refutersPass) {
      refuters.stream().filter(r -> !r.passed()).forEach(r -> warnings.add("refuter " + r.name() + " failed (" + r.rule() + ")"));
    }
    if (methods.size() > 1 && !agree) warnings.add("the cross-checks disagree with the within-user estimate (sign or intervals)");
    if (methods.size() == 1) warnings.add("no cross-check available for this factor: confidence is at most MEDIUM");
    if (!balanced) warnings.add("covariate balance after weighting not reached (max |SMD| " + Math.round(balance * 1000) / 1000.0 + ")");
    if (f.name().equals("strategy_mode")) {
      warnings.add("users switch mode after a run of low interview rates, so the applications just before a switch are "
          + "selected for bad luck (regression to the mean flatters the new mode)");
    }
    var byMethod = new java.util.LinkedHashMap<String, MethodEstimate>();
    for (var me : methods) byMethod.put(me.method(), me);
    return new FactorEffect(group, factorName, f.levels().get(level), PRIMARY, primary.estimate(), primary.stdError(),
        primary.ciLow(), primary.ciHigh(), main.logOdds(), main.logOddsLow(), main.logOddsHigh(), byMethod, p1 - p0,
        logit(p1) - logit(p0), p.raw(), p.adjusted(), refuters, balance, main.nTreated(), main.nControl(), confidence, warnings);
  }

  private static IntPredicate timingLevel(AttributionRows d, String factor, String level) {
    return factor.equals("weekday") ? i -> AttributionRows.weekdayName(d.weekday[i]).equals(level)
        : i -> AttributionRows.hourName(d.hourBucket[i]).equals(level);
  }

  /**
   * Placebo and dummy outcome must bring the effect to zero (|new| ≤ z₉₉·SE of the refit); random common cause must
   * leave it where it was (|Δ| ≤ SE/4); a subset of users must agree within sampling error (|Δ| ≤ z₉₉·SE·√(1/share − 1)).
   */
  static RefuterCheck judge(String name, WithinUserModel.LogOdds refit, WithinUserModel.LevelEffect main) {
    double v = refit.estimate(), se = main.logOddsSe();
    return switch (name) {
      case "placebo_treatment", "dummy_outcome" -> new RefuterCheck(name, v, 0, Math.abs(v) <= Z99 * refit.se(),
          "|new estimate| ≤ 2.576 × its standard error (expected 0)");
      case "random_common_cause" -> new RefuterCheck(name, v, main.logOdds(), Math.abs(v - main.logOdds()) <= se / 4,
          "|change| ≤ standard error / 4");
      default -> new RefuterCheck(name, v, main.logOdds(),
          Math.abs(v - main.logOdds()) <= Z99 * se * Math.sqrt(1 / SUBSET_SHARE - 1),
          "|change| ≤ 2.576 × standard error × √(1/0.8 − 1)");
    };
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  static double logit(double p) {
    double q = Math.min(1 - 1e-6, Math.max(1e-6, p));
    return Math.log(q / (1 - q));
  }
}
