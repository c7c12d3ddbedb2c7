package io.hireloop.learning.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.hireloop.learning.attribution.FactorEffect.Confidence;
import io.hireloop.learning.attribution.FactorEffect.RefuterCheck;
import io.hireloop.platform.Json;
import io.hireloop.recommendations.Recommendation.Route;
import io.hireloop.recommendations.RoutingRules;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** From an attribution report to recommendations, routed by the shipped rules (hireloop.recommendations.rules). */
class AttributionRecommendationsTest {
  static final RoutingRules RULES = new RoutingRules(RoutingRules.Settings.from(
      ConfigFactory.load().getConfig("hireloop.recommendations.rules")));

  static FactorEffect effect(String group, String factor, String level, double estimate, double low, double high, Confidence c,
      boolean refutersPass) {
    var refuters = List.of(new RefuterCheck("placebo_treatment", 0.01, 0, refutersPass, "rule"));
    return new FactorEffect(group, factor, level, Attribution.PRIMARY, estimate, (high - low) / 3.92, low, high, estimate * 8,
        low * 8, high * 8, Map.of(), estimate + 0.03, estimate * 8 + 0.2, 0.001, 0.004, refuters, 0.03, 20_000, 40_000, c, List.of());
  }

  static AttributionReport report(List<FactorEffect> edits, List<FactorEffect> timing) {
    return new AttributionReport("attr-1", Instant.parse("2026-12-06T06:00:00Z"), 1000, 60_000, 2000, 2000, 2000, 0.14, edits,
        timing, List.of(), List.of(), List.of());
  }

  @Test
  void aStrongEditIsAutoAppliedAModerateOneTestedAndNoEvidenceNothing() {
    var r = report(List.of(
        effect("edits", "added_metrics_to_bullets", "yes", 0.039, 0.028, 0.049, Confidence.HIGH, true),
        effect("edits", "added_certifications", "yes", 0.02, 0.005, 0.035, Confidence.MEDIUM, true),
        effect("edits", "reorganized_sections", "yes", 0.005, -0.006, 0.016, Confidence.LOW, true)), List.of());
    var drafts = AttributionRecommendations.drafts(r);
    assertEquals(2, drafts.size(), drafts.toString());
    var strong = drafts.get(0);
    assertTrue(strong.problems().isEmpty(), strong.problems().toString());
    assertEquals("strategy_engine", strong.change().component());
    assertEquals(1.279, Json.read(strong.change().valuesJson()).path("edit_weight_added_metrics_to_bullets").asDouble(), 1e-9);
    assertEquals(Route.AUTO_APPLY, RULES.route(strong).route(), RULES.route(strong).reasons().toString());
    assertEquals(Route.A_B_TEST, RULES.route(drafts.get(1)).route(), RULES.route(drafts.get(1)).reasons().toString());
    assertTrue(drafts.stream().noneMatch(d -> d.dedupKey().contains("reorganized_sections")));
  }

  @Test
  void aHarmfulEditIsDemotedWithAPositiveImpactAndATimingDifferenceThatVanishesIsNotRecommended() {
    var r = report(List.of(effect("edits", "added_keywords", "yes", -0.02, -0.03, -0.01, Confidence.HIGH, true)),
        List.of(effect("timing", "weekday", "Tuesday", -0.004, -0.011, 0.004, Confidence.LOW, true),
            effect("timing", "hour", "07-10", 0.012, 0.004, 0.02, Confidence.MEDIUM, true)));
    var drafts = AttributionRecommendations.drafts(r);
    assertEquals(2, drafts.size(), drafts.toString());
    var demote = drafts.get(0);
    assertTrue(demote.dedupKey().endsWith(":demote"));
    assertTrue(Json.read(demote.change().valuesJson()).path("edit_weight_added_keywords").asDouble() < 1);
    assertTrue(demote.impact().low() > 0, "suggesting a harmful edit less helps: " + demote.impact());
    assertEquals(Route.AUTO_APPLY, RULES.route(demote).route());
    var hour = drafts.get(1);
    assertEquals("orchestrator", hour.change().component());
    assertTrue(drafts.stream().noneMatch(d -> d.dedupKey().contains("Tuesday")), "the naive Tuesday effect is not recommended");
    assertEquals(Route.A_B_TEST, RULES.route(hour).route(), RULES.route(hour).reasons().toString());
  }

  @Test
  void aFailedRefuterMarksTheEvidenceConfoundedAndTheRulesNeverApplyIt() {
    var r = report(List.of(effect("edits", "added_metrics_to_bullets", "yes", 0.039, 0.028, 0.049, Confidence.MEDIUM, false)), List.of());
    var d = AttributionRecommendations.drafts(r).get(0);
    assertTrue(d.evidence().confounded());
    assertEquals(Route.MANUAL_REVIEW, RULES.route(d).route());
  }
}
