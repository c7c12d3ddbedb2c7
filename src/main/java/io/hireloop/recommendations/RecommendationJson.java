package io.hireloop.recommendations;

import io.hireloop.platform.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON of recommendations (API.md "Recommendations"): the one place their records become documents. */
public final class RecommendationJson {
  private RecommendationJson() {}

  public static Map<String, Object> render(Recommendation r) {
    var m = new LinkedHashMap<String, Object>();
    m.put("id", r.id());
    m.put("dedup_key", r.dedupKey());
    m.put("kind", r.kind().wire());
    m.put("title", r.title());
    m.put("status", r.status().wire());
    m.put("route", r.route().wire());
    m.put("route_reasons", r.routeReasons());
    m.put("evidence", evidence(r.evidence()));
    m.put("expected_impact", impact(r.impact()));
    var change = new LinkedHashMap<String, Object>();
    change.put("component", r.change().component());
    change.put("values", Json.read(r.change().valuesJson()));
    m.put("change", change);
    m.put("risk", r.risk().wire());
    m.put("blocked_by", r.blockedBy());
    m.put("config_version", r.configVersion());
    m.put("experiment_id", r.experimentId());
    m.put("decided_by", r.decidedBy());
    m.put("decision_reason", r.decisionReason());
    m.put("created_at", r.createdAt().toString());
    m.put("updated_at", r.history().get(r.history().size() - 1).at().toString());
    m.put("history", r.history().stream().map(s -> {
      var h = new LinkedHashMap<String, Object>();
      h.put("status", s.status().wire());
      h.put("by", s.by());
      h.put("reason", s.reason());
      h.put("at", s.at().toString());
      return (Map<String, Object>) h;
    }).toList());
    return m;
  }

  public static Map<String, Object> list(List<Recommendation> recommendations) {
    return Map.of("recommendations", recommendations.stream().map(RecommendationJson::render).toList());
  }

  /** The {@code recommendation_updated} message: what happened ({@code change}) and the recommendation now. */
  static Map<String, Object> update(String change, Recommendation r) {
    var m = new LinkedHashMap<String, Object>();
    m.put("change", change);
    m.put("recommendation", render(r));
    return m;
  }

  private static Map<String, Object> evidence(Recommendation.Evidence e) {
    var m = new LinkedHashMap<String, Object>();
    m.put("source", e.source());
    m.put("method", e.method());
    m.put("estimate", e.estimate());
    m.put("std_error", e.stdError());
    m.put("ci_low", e.ciLow());
    m.put("ci_high", e.ciHigh());
    m.put("sample_size", e.sampleSize());
    m.put("causal_confidence", e.causalConfidence() == null ? null : e.causalConfidence().wire());
    m.put("confounded", e.confounded());
    if (e.model() == null) {
      m.put("model", null);
    } else {
      var model = new LinkedHashMap<String, Object>();
      model.put("name", e.model().model());
      model.put("version", e.model().version());
      model.put("auc", e.model().auc());
      model.put("ece", e.model().ece());
      model.put("train_rows", e.model().trainRows());
      model.put("confidence", e.model().confidence());
      m.put("model", model);
    }
    return m;
  }

  private static Map<String, Object> impact(Recommendation.Impact i) {
    var m = new LinkedHashMap<String, Object>();
    m.put("metric", i.metric());
    m.put("expected", i.expected());
    m.put("low", i.low());
    m.put("high", i.high());
    return m;
  }
}
