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
    warnings.add("matched " + m.matchedTreated() + " treated and " + m.matchedControl() + " distinct controls (with replacement)");
    return CausalEstimate.normal("psm", estimand, m.estimate(), m.stdError(), m.nTreated(), m.nControl(),
        Stats.naiveDifference(y, t), Balance.table(names, x, t, m.weights()), warnings);
  }

  public static CausalEstimate ipw(List<String> names, double[][] x, int[] t, double[] y, String estimand) {
    var fit = Propensity.fit(x, t);
    var r = Weighting.ipw(fit.scores(), t, y, estimand);
    return CausalEstimate.normal("ipw", estimand, r.estimate(), r.stdError(), Stats.count(t, 1), Stats.count(t, 0),
        Stats.naiveDifference(y, t), Balance.table(names, x, t, r.weights()), overlapWarnings(fit.scores()));
  }

  public static CausalEstimate doublyRobust(List<String> names, double[][] x, int[] t, double[] y) {
    var fit = Propensity.fit(x, t);
    var r = DoublyRobust.aipw(x, fit.scores(), t, y);
    var ipwWeights = Weighting.ipw(fit.scores(), t, y, "ate").weights();
    return CausalEstimate.normal("dr", "ate", r.estimate(), r.stdError(), Stats.count(t, 1), Stats.count(t, 0),
        Stats.naiveDifference(y, t), Balance.table(names, x, t, ipwWeights), overlapWarnings(fit.scores()));
  }

  private static List<String> overlapWarnings(double[] e) {
    int extreme = 0;
    for (double v : e) if (v < 0.01 || v > 0.99) extreme++;
    return extreme == 0 ? List.of() : List.of(extreme + " unit(s) have propensity scores outside [0.01, 0.99]: "
        + "weak overlap, weights are extreme");
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
