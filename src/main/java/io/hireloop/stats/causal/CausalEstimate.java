package io.hireloop.stats.causal;

import java.util.ArrayList;
import java.util.List;

/**
 * The common result of every causal estimator. {@code estimand} is "ate", "att" or a method-specific
 * name ("late" for IV, "did" for difference-in-differences, "rd_sharp" for the discontinuity). Intervals
 * are two-sided 95% unless replaced by a bootstrap interval ({@link #withInterval}). {@code warnings} name assumptions
 * that fail on this data (weak overlap, imbalance after adjustment, a failed refuter, ...); {@code notes} say how
 * the number was obtained and hold no judgement.
 */
public record CausalEstimate(String method, String estimand, double estimate, double stdError, double ciLow,
    double ciHigh, double pValue, int nTreated, int nControl, double naiveDifference, List<BalanceRow> balance,
    List<Refutation> refutations, List<String> warnings, List<String> notes) {

  /** A covariate is imbalanced after adjustment when its |SMD| exceeds this (Austin 2009; Stuart 2010). */
  public static final double SMD_LIMIT = 0.1;

  public CausalEstimate {
    balance = List.copyOf(balance);
    refutations = List.copyOf(refutations);
    warnings = List.copyOf(warnings);
    notes = List.copyOf(notes);
  }

  /** Without notes. */
  public CausalEstimate(String method, String estimand, double estimate, double stdError, double ciLow, double ciHigh,
      double pValue, int nTreated, int nControl, double naiveDifference, List<BalanceRow> balance,
      List<Refutation> refutations, List<String> warnings) {
    this(method, estimand, estimate, stdError, ciLow, ciHigh, pValue, nTreated, nControl, naiveDifference, balance,
        refutations, warnings, List.of());
  }

  /** Normal-approximation estimate: CI = estimate ± 1.96·SE, two-sided p-value of estimate/SE. */
  static CausalEstimate normal(String method, String estimand, double estimate, double se, int nTreated,
      int nControl, double naive, List<BalanceRow> balance, List<String> warnings) {
    double z = Stats.Z975;
    return normal(method, estimand, estimate, se, nTreated, nControl, naive, balance, warnings, List.of());
  }

  /** As {@link #normal(String, String, double, double, int, int, double, List, List)}, with notes. */
  public static CausalEstimate normal(String method, String estimand, double estimate, double se, int nTreated,
      int nControl, double naive, List<BalanceRow> balance, List<String> warnings, List<String> notes) {
    double z = Stats.Z975;
    return new CausalEstimate(method, estimand, estimate, se, estimate - z * se, estimate + z * se,
        Stats.twoSidedNormalP(estimate / se), nTreated, nControl, naive, balance, List.of(), warnings, notes);
  }

  /** The same estimate with more warnings and notes. */
  public CausalEstimate with(List<String> moreWarnings, List<String> moreNotes) {
    var w = new ArrayList<>(warnings);
    w.addAll(moreWarnings);
    var n = new ArrayList<>(notes);
    n.addAll(moreNotes);
    return new CausalEstimate(method, estimand, estimate, stdError, ciLow, ciHigh, pValue, nTreated, nControl,
        naiveDifference, balance, refutations, w, n);
  }

  /** The same estimate with another p-value and interval (e.g. a wild cluster bootstrap), standard error se. */
  public CausalEstimate withInference(double se, double low, double high, double p) {
    return new CausalEstimate(method, estimand, estimate, se, low, high, p, nTreated, nControl, naiveDifference,
        balance, refutations, warnings, notes);
  }

  /** True when any refuter failed: the estimate should not be trusted as it stands. */
  public boolean flagged() {
    return refutations.stream().anyMatch(r -> !r.passed());
  }

  /** The same estimate with refutations attached; a failed refuter adds a warning. */
  public CausalEstimate withRefutations(List<Refutation> results) {
    var w = new ArrayList<>(warnings);
    for (var r : results) {
      if (!r.passed()) w.add("refuter " + r.name() + " failed (new estimate " + r.newEstimate() + ", p = " + r.pValue()
          + "): the estimate is flagged as fragile");
    }
    return new CausalEstimate(method, estimand, estimate, stdError, ciLow, ciHigh, pValue, nTreated, nControl,
        naiveDifference, balance, results, w, notes);
  }

  /**
   * The same estimate with another interval (e.g. a percentile bootstrap) and standard error; the p-value is
   * recomputed from the new standard error (normal approximation) so that the three agree.
   */
  public CausalEstimate withInterval(double low, double high, double se) {
    return new CausalEstimate(method, estimand, estimate, se, low, high, Stats.twoSidedNormalP(estimate / se), nTreated,
        nControl, naiveDifference, balance, refutations, warnings, notes);
  }
}
