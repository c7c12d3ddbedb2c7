package io.hireloop.recommendations;

import io.hireloop.recommendations.Recommendation.CausalConfidence;
import io.hireloop.recommendations.Recommendation.ConfigChange;
import io.hireloop.recommendations.Recommendation.Evidence;
import io.hireloop.recommendations.Recommendation.Impact;
import io.hireloop.recommendations.Recommendation.Kind;
import io.hireloop.recommendations.Recommendation.ModelEvidence;
import io.hireloop.recommendations.Recommendation.Risk;

/** Recommendation drafts for tests: a causal finding on one parameter, with knobs for what the rules look at. */
public final class Drafts {
  private Drafts() {}

  public static Evidence causal(CausalConfidence confidence, boolean confounded, double ciLow, double ciHigh, long n) {
    return new Evidence("attribution run 2026-12-06T10:00Z", "ipw_att", (ciLow + ciHigh) / 2, (ciHigh - ciLow) / 3.92, ciLow, ciHigh, n,
        confidence, confounded, null);
  }

  /** Strong: HIGH, CI [0.12, 0.30], 5,000 applications, impact +12 % [+5 %, +19 %]. */
  public static RecommendationDraft strong(String key, String component, String valuesJson, Risk risk) {
    return new RecommendationDraft(key, Kind.CAUSAL_EFFECT, "strong finding " + key, causal(CausalConfidence.HIGH, false, 0.12, 0.30, 5000),
        new Impact("interview_rate", 0.12, 0.05, 0.19), new ConfigChange(component, valuesJson), risk);
  }

  /** Weak: MEDIUM, CI [-0.02, 0.20], 800 applications, impact +8 % [-1 %, +17 %]. */
  public static RecommendationDraft weak(String key, String component, String valuesJson) {
    return new RecommendationDraft(key, Kind.CAUSAL_EFFECT, "weak finding " + key, causal(CausalConfidence.MEDIUM, false, -0.02, 0.20, 800),
        new Impact("interview_rate", 0.08, -0.01, 0.17), new ConfigChange(component, valuesJson), Risk.LOW);
  }

  /** Confounded: strong-looking figures, but a refuter failed (and confidence LOW). */
  public static RecommendationDraft confounded(String key, String component, String valuesJson) {
    return new RecommendationDraft(key, Kind.CAUSAL_EFFECT, "confounded finding " + key, causal(CausalConfidence.LOW, true, 0.10, 0.40, 9000),
        new Impact("interview_rate", 0.2, 0.1, 0.3), new ConfigChange(component, valuesJson), Risk.LOW);
  }

  public static RecommendationDraft model(String key, double confidence, String valuesJson) {
    return new RecommendationDraft(key, Kind.MODEL_CONFIG, "model finding " + key,
        new Evidence("interview model v3", "ensemble", null, null, null, null, 3000L, null, false,
            new ModelEvidence("interview", 3, 0.78, 0.02, 3000, confidence)),
        new Impact("interview_rate", 0.0, -0.1, 0.1), new ConfigChange("job_discovery", valuesJson), Risk.LOW);
  }
}
