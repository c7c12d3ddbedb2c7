package io.hireloop.stats.causal;

import java.util.ArrayList;
import java.util.List;

/**
 * Whole-analysis entry points that return a {@link CausalEstimate}: propensity model + estimator + balance.
 * {@link #estimator} gives the point estimator alone, for bootstrap and refuters.
 */
public final class Causal {
  private Causal() {}

  /** Propensity-score matching on the logit with the default caliper (0.2 sd of the logit). */
  public static CausalEstimate psm(List<String> names, double[][] x, int[] t, double[] y, String estimand) {
    var fit = Propensity.fit(x, t);
    var logits = fit.logits();
    var m = Matching.match(logits, t, y, estimand, Matching.defaultCaliper(logits));
    var warnings = new ArrayList<String>();
    if (m.droppedByCaliper() > 0) {
      warnings.add(m.droppedByCaliper() + " unit(s) dropped: no match within the caliper "
          + String.format("%.4f", m.caliper()) + " (0.2 sd of the logit propensity score)");
    }
    var balance = Balance.table(names, x, t, m.weights());
    warnings.addAll(overlapWarnings(fit.scores()));
    warnings.addAll(imbalanceWarnings(balance));
    var notes = List.of("matched " + m.matchedTreated() + " treated and " + m.matchedControl()
            + " distinct controls (1:1 with replacement)",
        "standard error: Abadie–Imbens, conditional variance from " + Matching.VARIANCE_NEIGHBOURS
            + " same-arm neighbours; the propensity model is treated as known");
    return CausalEstimate.normal("psm", estimand, m.estimate(), m.stdError(), m.nTreated(), m.nControl(),
        Stats.naiveDifference(y, t), balance, warnings, notes);
  }

  /** Hajek IPW; the standard error accounts for the fitted propensity model (stacked estimating equations). */
  public static CausalEstimate ipw(List<String> names, double[][] x, int[] t, double[] y, String estimand) {
    var fit = Propensity.fit(x, t);
    var r = Weighting.ipw(fit, x, t, y, estimand);
    var balance = Balance.table(names, x, t, r.weights());
    var warnings = new ArrayList<>(overlapWarnings(fit.scores()));
    warnings.addAll(imbalanceWarnings(balance));
    return CausalEstimate.normal("ipw", estimand, r.estimate(), r.stdError(), Stats.count(t, 1), Stats.count(t, 0),
        Stats.naiveDifference(y, t), balance, warnings,
        List.of("standard error: sandwich of the IPW and logit estimating equations (the fitted propensity accounted for)"));
  }

  public static CausalEstimate doublyRobust(List<String> names, double[][] x, int[] t, double[] y) {
    var fit = Propensity.fit(x, t);
    var r = DoublyRobust.aipw(x, fit.scores(), t, y);
    var ipwWeights = Weighting.ipw(fit.scores(), t, y, "ate").weights();
    var balance = Balance.table(names, x, t, ipwWeights);
    var warnings = new ArrayList<>(overlapWarnings(fit.scores()));
    warnings.addAll(imbalanceWarnings(balance));
    return CausalEstimate.normal("dr", "ate", r.estimate(), r.stdError(), Stats.count(t, 1), Stats.count(t, 0),
        Stats.naiveDifference(y, t), balance, warnings, List.of("balance after: the IPW (ATE) weights"));
  }

  /** Propensity scores below {@code 0.01} or above {@code 0.99}: units the other arm can hardly represent. */
  public static final double OVERLAP_LIMIT = 0.01;

  static List<String> overlapWarnings(double[] e) {
    int low = 0, high = 0;
    for (double v : e) {
      if (v < OVERLAP_LIMIT) low++;
      if (v > 1 - OVERLAP_LIMIT) high++;
    }
    if (low + high == 0) return List.of();
    return List.of(String.format("poor overlap: %d of %d units (%.1f%%) have propensity scores outside [0.01, 0.99] "
        + "(%d below, %d above); their weights are extreme and the estimate leans on extrapolation",
        low + high, e.length, 100.0 * (low + high) / e.length, low, high));
  }

  static List<String> imbalanceWarnings(List<BalanceRow> balance) {
    var bad = new ArrayList<String>();
    for (var b : balance) {
      if (!(Math.abs(b.smdAfter()) <= CausalEstimate.SMD_LIMIT)) bad.add(String.format("%s %.3f", b.covariate(), b.smdAfter()));
    }
    return bad.isEmpty() ? List.of() : List.of("imbalance after adjustment: |SMD| > " + CausalEstimate.SMD_LIMIT
        + " for " + String.join(", ", bad) + "; the estimate may still be confounded by these covariates");
  }

  /** The point estimator of a covariate-adjusting method ("psm", "ipw", "dr"), for refuters and bootstrap. */
  public static Refuters.Estimator estimator(String method, String estimand) {
    return switch (method) {
      case "psm" -> (y, t, x) -> {
        var logits = Propensity.fit(x, t).logits();
        return Matching.match(logits, t, y, estimand, Matching.defaultCaliper(logits)).estimate();
      };
      case "ipw" -> (y, t, x) -> Weighting.ipw(Propensity.fit(x, t).scores(), t, y, estimand).estimate();
      case "dr" -> (y, t, x) -> DoublyRobust.aipw(x, Propensity.fit(x, t).scores(), t, y).estimate();
      default -> throw new IllegalArgumentException("no covariate estimator for method " + method);
    };
  }
}
