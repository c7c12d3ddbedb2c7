package io.hireloop.stats.causal;

import java.util.ArrayList;
import java.util.List;

/**
 * The common result of every causal estimator. {@code estimand} is "ate", "att" or a method-specific
 * name ("late" for IV, "did" for difference-in-differences, "rd_sharp" for the discontinuity). Intervals
 * are two-sided 95% unless replaced by a bootstrap interval ({@link #withInterval}).
 */
public record CausalEstimate(String method, String estimand, double estimate, double stdError, double ciLow,
    double ciHigh, double pValue, int nTreated, int nControl, double naiveDifference, List<BalanceRow> balance,
    List<Refutation> refutations, List<String> warnings) {

  public CausalEstimate {
    balance = List.copyOf(balance);
    refutations = List.copyOf(refutations);
    warnings = List.copyOf(warnings);
  }

  /** Normal-approximation estimate: CI = estimate ± 1.96·SE, two-sided p-value of estimate/SE. */
  static CausalEstimate normal(String method, String estimand, double estimate, double se, int nTreated,
      int nControl, double naive, List<BalanceRow> balance, List<String> warnings) {
    double z = Stats.Z975;
    return new CausalEstimate(method, estimand, estimate, se, estimate - z * se, estimate + z * se,
        Stats.twoSidedNormalP(estimate / se), nTreated, nControl, naive, balance, List.of(), warnings);
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
        naiveDifference, balance, results, w);
  }

  /**
   * The same estimate with another interval (e.g. a percentile bootstrap) and standard error; the p-value is
   * recomputed from the new standard error (normal approximation) so that the three agree.
   */
  public CausalEstimate withInterval(double low, double high, double se) {
    return new CausalEstimate(method, estimand, estimate, se, low, high, Stats.twoSidedNormalP(estimate / se), nTreated,
        nControl, naiveDifference, balance, refutations, warnings);
  }
}
