package io.hireloop.recommendations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.hireloop.recommendations.Recommendation.CausalConfidence;
import io.hireloop.recommendations.Recommendation.ConfigChange;
import io.hireloop.recommendations.Recommendation.Impact;
import io.hireloop.recommendations.Recommendation.Kind;
import io.hireloop.recommendations.Recommendation.Risk;
import io.hireloop.recommendations.Recommendation.Route;
import org.junit.jupiter.api.Test;

/** The routing rules alone: no actor system, settings from the shipped hireloop.conf or built by hand. */
class RoutingRulesTest {
  static final RoutingRules.Settings SHIPPED =
      RoutingRules.Settings.from(ConfigFactory.load().getConfig("hireloop.recommendations.rules"));
  static final RoutingRules RULES = new RoutingRules(SHIPPED);
  static final String ONE = "{\"follow_up_after_days\": 5}";

  @Test
  void theShippedSettings() {
    assertEquals(new RoutingRules.Settings(true, Risk.LOW, CausalConfidence.HIGH, 1000, 0.2, true, Risk.MEDIUM, Route.MANUAL_REVIEW), SHIPPED);
  }

  @Test
  void strongEvidenceAtLowRiskIsAppliedAutomatically() {
    var r = RULES.route(Drafts.strong("s", "orchestrator", ONE, Risk.LOW));
    assertEquals(Route.AUTO_APPLY, r.route(), r.reasons().toString());
    assertTrue(r.reasons().contains("the estimate's interval excludes 0"), r.reasons().toString());
  }

  @Test
  void strongEvidenceAboveTheAutoRiskIsTestedAndHighRiskIsReviewed() {
    assertEquals(Route.A_B_TEST, RULES.route(Drafts.strong("s", "orchestrator", ONE, Risk.MEDIUM)).route());
    var high = RULES.route(Drafts.strong("s", "orchestrator", ONE, Risk.HIGH));
    assertEquals(Route.MANUAL_REVIEW, high.route());
    assertTrue(high.reasons().stream().anyMatch(x -> x.contains("above a_b_test's medium")), high.reasons().toString());
  }

  @Test
  void weakEvidenceOnOneParameterGoesToAnExperimentAndOnSeveralToReview() {
    var weak = RULES.route(Drafts.weak("w", "orchestrator", ONE));
    assertEquals(Route.A_B_TEST, weak.route(), weak.reasons().toString());
    assertTrue(weak.reasons().contains("causal_confidence MEDIUM below HIGH"), weak.reasons().toString());
    var two = RULES.route(Drafts.weak("w", "job_discovery", "{\"min_fit_score_to_apply\": 55, \"fit_score_weight\": 0.07}"));
    assertEquals(Route.MANUAL_REVIEW, two.route());
    assertTrue(two.reasons().contains("the change sets 2 parameters; an experiment tests one"), two.reasons().toString());
  }

  @Test
  void eachStrengthConditionAloneKeepsAFindingFromAutoApply() {
    var base = Drafts.strong("s", "orchestrator", ONE, Risk.LOW);
    var ciCoversZero = with(base, Drafts.causal(CausalConfidence.HIGH, false, -0.01, 0.3, 5000), base.impact());
    var small = with(base, Drafts.causal(CausalConfidence.HIGH, false, 0.12, 0.3, 999), base.impact());
    var impactReachesZero = with(base, base.evidence(), new Impact("interview_rate", 0.1, 0.0, 0.2));
    for (var d : java.util.List.of(ciCoversZero, small, impactReachesZero)) {
      assertEquals(Route.A_B_TEST, RULES.route(d).route(), d.toString());
    }
  }

  @Test
  void confoundedOrLowConfidenceEvidenceIsNeverAutoApplied() {
    var confounded = RULES.route(Drafts.confounded("c", "orchestrator", ONE));
    assertEquals(Route.MANUAL_REVIEW, confounded.route());
    assertTrue(confounded.reasons().get(0).contains("confounded"), confounded.reasons().toString());
    // HIGH confidence but a refuter failed: still not applied
    var base = Drafts.strong("s", "orchestrator", ONE, Risk.LOW);
    var refuted = with(base, Drafts.causal(CausalConfidence.HIGH, true, 0.12, 0.3, 5000), base.impact());
    assertEquals(Route.MANUAL_REVIEW, RULES.route(refuted).route());
    var missing = with(base, Drafts.causal(null, false, 0.12, 0.3, 5000), base.impact());
    assertEquals(Route.MANUAL_REVIEW, RULES.route(missing).route());

    // even with every other rule wide open, the low-confidence route decides, and a_b_test only when testable
    var open = new RoutingRules(new RoutingRules.Settings(true, Risk.HIGH, CausalConfidence.LOW, 0, 0, true, Risk.HIGH, Route.A_B_TEST));
    assertEquals(Route.A_B_TEST, open.route(Drafts.confounded("c", "orchestrator", ONE)).route());
    assertEquals(Route.MANUAL_REVIEW, open.route(Drafts.confounded("c", "job_discovery", "{\"a\": 1, \"b\": 2}")).route());
    assertThrows(IllegalArgumentException.class,
        () -> new RoutingRules.Settings(true, Risk.LOW, CausalConfidence.HIGH, 0, 0, true, Risk.LOW, Route.AUTO_APPLY));
  }

  @Test
  void aModelsConfigFollowsItsConfidence() {
    String three = "{\"min_fit_score_to_apply\": 55, \"fit_score_weight\": 0.07, \"expected_interview_rate_at_threshold\": 0.2}";
    assertEquals(Route.AUTO_APPLY, RULES.route(Drafts.model("m", 0.2, three)).route());
    var weak = RULES.route(Drafts.model("m", 0.19, three));
    assertEquals(Route.MANUAL_REVIEW, weak.route(), "three parameters: not one experiment");
    assertTrue(weak.reasons().contains("model confidence 0.190 < 0.200"), weak.reasons().toString());
  }

  @Test
  void disabledRoutes() {
    var none = new RoutingRules(new RoutingRules.Settings(false, Risk.LOW, CausalConfidence.HIGH, 1000, 0.2, false, Risk.MEDIUM,
        Route.MANUAL_REVIEW));
    var r = none.route(Drafts.strong("s", "orchestrator", ONE, Risk.LOW));
    assertEquals(Route.MANUAL_REVIEW, r.route());
    assertTrue(r.reasons().contains("auto_apply is disabled") && r.reasons().contains("a_b_test is disabled"), r.reasons().toString());
  }

  static RecommendationDraft with(RecommendationDraft d, Recommendation.Evidence e, Impact impact) {
    return new RecommendationDraft(d.dedupKey(), Kind.CAUSAL_EFFECT, d.title(), e, impact, new ConfigChange(d.change().component(),
        d.change().valuesJson()), d.risk());
  }
}
