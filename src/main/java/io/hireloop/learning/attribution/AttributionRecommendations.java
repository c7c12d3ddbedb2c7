package io.hireloop.learning.attribution;

import io.hireloop.learning.attribution.FactorEffect.Confidence;
import io.hireloop.platform.Json;
import io.hireloop.recommendations.Recommendation;
import io.hireloop.recommendations.RecommendationDraft;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an attribution report into recommendations (the routing rules then decide auto_apply, a_b_test or
 * manual_review). Only effects that are significant after adjustment and survived the refuters — causal_confidence
 * HIGH or MEDIUM — are recommended; a LOW one (no evidence, a failed refuter, or, like a naive "Tuesday effect", a
 * difference that disappears once who applies when is adjusted for) never is.
 *
 * <ul>
 *   <li>An edit type: {@code strategy_engine.edit_weight_<type>} = 1 + its effect relative to the interview rate (how
 *       strongly the strategy engine suggests it; below 1 for an edit that hurts). Risk low: it reorders suggestions.</li>
 *   <li>A weekday or hour that helps: {@code orchestrator.preferred_weekday} / {@code preferred_hours}. Risk medium: it
 *       changes when users are nudged to apply.</li>
 * </ul>
 * Strategy factors are not turned into configs: a category's or mode's effect is a trade-off (safer jobs get more
 * interviews, and pay less) that the attribution cannot weigh. The dedup key names the finding and its direction, so
 * a scheduled run that finds the same effect again does not repeat it.
 */
public final class AttributionRecommendations {
  private AttributionRecommendations() {}

  public static List<RecommendationDraft> drafts(AttributionReport report) {
    var out = new ArrayList<RecommendationDraft>();
    double rate = Math.max(report.interviewRate(), 1e-6);
    for (var e : report.edits()) {
      if (e.causalConfidence() == Confidence.LOW) continue;
      boolean helps = e.estimate() > 0;
      double weight = Math.round((1 + e.estimate() / rate) * 1000) / 1000.0;
      String key = "edit_weight_" + e.factor();
      // the change's impact: suggesting a helpful edit more (or a harmful one less) moves the rate by |effect|
      double sign = helps ? 1 : -1;
      out.add(new RecommendationDraft("attribution:edit:" + e.factor() + (helps ? ":boost" : ":demote"),
          Recommendation.Kind.CAUSAL_EFFECT,
          (helps ? "Suggest " : "Suggest less often: ") + e.factor().replace('_', ' ') + " (" + signed(e.estimate()) + " interview rate on the "
              + "applications sent with it)",
          evidence(report, e), impact(sign, e, rate), new Recommendation.ConfigChange("strategy_engine", Json.write(Map.of(key, weight))),
          Recommendation.Risk.LOW));
    }
    for (var e : report.timing()) {
      if (e.causalConfidence() == Confidence.LOW || e.estimate() <= 0) continue;
      String key = e.factor().equals("weekday") ? "preferred_weekday" : "preferred_hours";
      out.add(new RecommendationDraft("attribution:timing:" + e.factor() + ":" + e.level(), Recommendation.Kind.TIMING,
          "Nudge users to apply " + (e.factor().equals("weekday") ? "on " + e.level() : "at " + e.level() + " UTC") + " ("
              + signed(e.estimate()) + " interview rate)",
          evidence(report, e), impact(1, e, rate), new Recommendation.ConfigChange("orchestrator", Json.write(Map.of(key, e.level()))),
          Recommendation.Risk.MEDIUM));
    }
    return out;
  }

  private static Recommendation.Evidence evidence(AttributionReport report, FactorEffect e) {
    boolean confounded = e.refuters().stream().anyMatch(r -> !r.passed()) || (e.balance() != null && e.balance() >= 0.1);
    return new Recommendation.Evidence("attribution run " + report.runId() + " (" + report.ranAt() + ")", e.primaryMethod(),
        e.estimate(), e.stdError(), e.ciLow(), e.ciHigh(), (long) e.nTreated() + e.nControl(),
        Recommendation.CausalConfidence.valueOf(e.causalConfidence().name()), confounded, null);
  }

  /** Relative change of the interview rate: the effect over the rate, signed so that the change's benefit is positive. */
  private static Recommendation.Impact impact(double sign, FactorEffect e, double rate) {
    double a = sign * e.ciLow() / rate, b = sign * e.ciHigh() / rate;
    return new Recommendation.Impact("interview_rate", sign * e.estimate() / rate, Math.min(a, b), Math.max(a, b));
  }

  private static String signed(double v) {
    return (v >= 0 ? "+" : "") + Math.round(v * 1000) / 10.0 + " points";
  }
}
