package io.hireloop.recommendations;

import io.hireloop.config.ConfigChannel;
import io.hireloop.platform.Json;
import io.hireloop.platform.serialization.HireloopSerializable;
import io.hireloop.recommendations.Recommendation.ConfigChange;
import io.hireloop.recommendations.Recommendation.Evidence;
import io.hireloop.recommendations.Recommendation.Impact;
import io.hireloop.recommendations.Recommendation.Kind;
import io.hireloop.recommendations.Recommendation.Risk;
import java.util.ArrayList;
import java.util.List;

/**
 * What a producer (a scheduled analysis, the learning loop) submits through {@link Recommendations#submit}.
 * {@code dedupKey} names the finding ("model:interview:v3:job_discovery", "edit:added_metrics:2026-W49"): a draft
 * whose key was submitted before is answered with the recommendation already made, whatever happened to it since.
 */
public record RecommendationDraft(String dedupKey, Kind kind, String title, Evidence evidence, Impact impact, ConfigChange change,
    Risk risk) implements HireloopSerializable {

  /** What is wrong with the draft; empty when it may be submitted. */
  public List<String> problems() {
    var p = new ArrayList<String>();
    if (blank(dedupKey)) p.add("dedup_key: required");
    if (kind == null) p.add("kind: required");
    if (blank(title)) p.add("title: required");
    if (risk == null) p.add("risk: required");
    if (evidence == null || blank(evidence.source())) p.add("evidence.source: required");
    if (impact == null || blank(impact.metric())) {
      p.add("impact.metric: required");
    } else if (!(impact.low() <= impact.expected() && impact.expected() <= impact.high())) {
      p.add("impact: low <= expected <= high");
    }
    if (change == null || !ConfigChannel.COMPONENTS.contains(change.component())) {
      p.add("change.component: one of " + new java.util.TreeSet<>(ConfigChannel.COMPONENTS));
    }
    if (change == null || !nonEmptyObject(change.valuesJson())) p.add("change.values: a non-empty JSON object");
    return p;
  }

  static boolean nonEmptyObject(String json) {
    try {
      var node = json == null ? null : Json.read(json);
      return node != null && node.isObject() && !node.isEmpty();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
