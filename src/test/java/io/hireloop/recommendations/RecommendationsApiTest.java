package io.hireloop.recommendations;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.Node;
import io.hireloop.recommendations.Recommendation.Risk;
import io.hireloop.recommendations.Recommendation.Status;
import io.hireloop.testing.Http;
import io.hireloop.testing.StreamClient;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recommendations and configs end to end on a node: producers submit through {@link Recommendations}, admins decide over
 * HTTP, configs carry the provenance, history and rollbacks; a change waits while an experiment tests its parameter.
 * Each test uses its own component parameter and reads versions relative to where the config stood.
 */
class RecommendationsApiTest {
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String USER = TestNodes.token("u-1", "user");
  static Node node;
  static Http http;

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("recs", Map.of("hireloop.recommendations.recheck-every", "1s", "hireloop.experiments.auto-act", "off"));
    http = TestNodes.readyHttp(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static Recommendation submit(RecommendationDraft d) {
    var s = Recommendations.get(node.system()).submit(d).toCompletableFuture().join();
    assertFalse(s.duplicate());
    return s.recommendation();
  }

  static JsonNode config(String component) {
    var r = http.get("/api/v1/configs/" + component, SERVICE);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  static JsonNode recommendation(String id) {
    var r = http.get("/api/v1/recommendations/" + id, ADMIN);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  @Test
  void aStrongEffectIsAppliedAtOnceWithProvenanceLearning() {
    int before = config("strategy_engine").path("version").asInt();
    var rec = submit(Drafts.strong("api:strong", "strategy_engine", "{\"low_interview_rate_threshold\": 0.07}", Risk.LOW));
    assertEquals(Status.APPLIED, rec.status(), rec.toString());
    assertEquals(before + 1, rec.configVersion());

    var cfg = config("strategy_engine");
    assertEquals(before + 1, cfg.path("version").asInt());
    assertEquals(0.07, cfg.path("values").path("low_interview_rate_threshold").asDouble());
    assertEquals("learning", cfg.path("provenance").asText());
    assertEquals("learning", cfg.path("optimized_by").asText());
    assertEquals(rec.id(), cfg.path("recommendation_id").asText());
    assertEquals("attribution run 2026-12-06T10:00Z", cfg.path("source").asText());
    assertEquals(RecommendationBook.SYSTEM, cfg.path("actor").asText());

    var json = recommendation(rec.id());
    assertEquals("applied", json.path("status").asText());
    assertEquals("auto_apply", json.path("route").asText());
    assertEquals("HIGH", json.path("evidence").path("causal_confidence").asText());
    assertEquals(0.05, json.path("expected_impact").path("low").asDouble());
    assertEquals(List.of("approved", "applied"), statuses(json));
    // the same finding again: the recommendation already made, nothing written
    var again = Recommendations.get(node.system()).submit(Drafts.strong("api:strong", "strategy_engine",
        "{\"low_interview_rate_threshold\": 0.01}", Risk.LOW)).toCompletableFuture().join();
    assertTrue(again.duplicate());
    assertEquals(before + 1, config("strategy_engine").path("version").asInt());
  }

  @Test
  void aWeakEffectBecomesADraftExperimentWithTheChangeAsTreatment() {
    var cfgBefore = config("job_discovery");
    var rec = submit(Drafts.weak("api:weak", "job_discovery", "{\"fit_score_weight\": 0.09}"));
    assertEquals(Status.EXPERIMENT_CREATED, rec.status(), rec.toString());
    assertEquals(rec.id() + "-ab", rec.experimentId());

    var exp = http.get("/api/v1/experiments/" + rec.experimentId(), ADMIN);
    assertEquals(200, exp.status(), exp.body());
    var e = exp.json();
    assertEquals("draft", e.path("status").asText());
    assertEquals("job_discovery", e.path("component").asText());
    assertEquals("fit_score_weight", e.path("parameter").asText());
    assertEquals("control", e.path("variants").get(0).path("variant_id").asText());
    assertEquals(cfgBefore.path("values").path("fit_score_weight"), e.path("variants").get(0).path("value"));
    assertEquals("treatment", e.path("variants").get(1).path("variant_id").asText());
    assertEquals(0.09, e.path("variants").get(1).path("value").asDouble());
    assertEquals(0.08, e.path("expected_improvement").asDouble());
    assertTrue(e.path("minimum_sample_size").asLong() >= 1000);
    assertEquals(cfgBefore.path("version"), config("job_discovery").path("version"), "a test changes no config");
  }

  @Test
  void aManualRecommendationApprovedByAnAdminIsAConfigVersionWithProvenanceApproval() {
    int before = config("orchestrator").path("version").asInt();
    var rec = submit(Drafts.confounded("api:approve", "orchestrator", "{\"follow_up_after_days\": 5}"));
    assertEquals(Status.PENDING_REVIEW, rec.status(), "confounded evidence is never applied by the rules");
    assertEquals(before, config("orchestrator").path("version").asInt());

    assertEquals(403, http.post("/api/v1/recommendations/" + rec.id() + "/approve", SERVICE, Map.of("reason", "x")).status());
    var noReason = http.post("/api/v1/recommendations/" + rec.id() + "/approve", ADMIN, "{}");
    assertEquals(400, noReason.status());
    assertEquals("validation_failed", noReason.errorCode());
    assertEquals("pending_review", recommendation(rec.id()).path("status").asText());

    var approved = http.post("/api/v1/recommendations/" + rec.id() + "/approve", ADMIN, Map.of("reason", "checked by hand on 200 users"));
    assertEquals(200, approved.status(), approved.body());
    assertEquals("applied", approved.json().path("status").asText());
    assertEquals("ops", approved.json().path("decided_by").asText());
    assertEquals("checked by hand on 200 users", approved.json().path("decision_reason").asText());
    var cfg = config("orchestrator");
    assertEquals(before + 1, cfg.path("version").asInt());
    assertEquals(approved.json().path("config_version").asInt(), cfg.path("version").asInt());
    assertEquals("approval", cfg.path("provenance").asText());
    assertEquals("ops", cfg.path("actor").asText());
    assertEquals(5, cfg.path("values").path("follow_up_after_days").asInt());
    assertTrue(cfg.path("reason").asText().contains("checked by hand on 200 users"), cfg.toString());

    var twice = http.post("/api/v1/recommendations/" + rec.id() + "/approve", ADMIN, Map.of("reason", "again"));
    assertEquals(409, twice.status(), twice.body());
    assertEquals(before + 1, config("orchestrator").path("version").asInt());
  }

  @Test
  void aRejectedRecommendationRecordsItsReasonAndChangesNoConfig() {
    var before = config("job_discovery");
    var rec = submit(Drafts.confounded("api:reject", "job_discovery", "{\"min_fit_score_to_apply\": 20}"));
    assertEquals(Status.PENDING_REVIEW, rec.status());
    assertEquals(400, http.post("/api/v1/recommendations/" + rec.id() + "/reject", ADMIN, Map.of("reason", " ")).status());
    assertEquals(403, http.post("/api/v1/recommendations/" + rec.id() + "/reject", USER, Map.of("reason", "no")).status());

    var rejected = http.post("/api/v1/recommendations/" + rec.id() + "/reject", ADMIN, Map.of("reason", "confounded by seniority"));
    assertEquals(200, rejected.status(), rejected.body());
    assertEquals("rejected", rejected.json().path("status").asText());
    assertEquals("confounded by seniority", rejected.json().path("decision_reason").asText());
    assertEquals("ops", rejected.json().path("history").get(1).path("by").asText());
    assertEquals(before, config("job_discovery"));
    assertEquals(409, http.post("/api/v1/recommendations/" + rec.id() + "/approve", ADMIN, Map.of("reason", "changed my mind")).status());
    assertEquals(before, config("job_discovery"));

    var listed = http.get("/api/v1/recommendations?status=rejected", SERVICE).json().path("recommendations");
    assertTrue(listed.findValuesAsText("id").contains(rec.id()), listed.toString());
    for (var r : listed) assertEquals("rejected", r.path("status").asText());
  }

  @Test
  void aRollbackIsANewVersionAndTheHistoryKeepsTheLaterOnes() {
    var rec = submit(Drafts.strong("api:rollback", "strategy_engine", "{\"weekly_application_target\": 14}", Risk.LOW));
    assertEquals(Status.APPLIED, rec.status());
    int applied = rec.configVersion();
    var target = http.get("/api/v1/configs/strategy_engine/history", SERVICE).json();
    int to = applied - 1;
    var toValues = target.path("versions").get(to).path("values");

    var back = http.post("/api/v1/configs/strategy_engine/rollback", ADMIN, Map.of("to_version", to, "reason", "target too high"));
    assertEquals(200, back.status(), back.body());
    var v = back.json();
    assertEquals(applied + 1, v.path("version").asInt());
    assertEquals("rollback", v.path("provenance").asText());
    assertEquals(to, v.path("restores_version").asInt());
    assertEquals("target too high", v.path("reason").asText());
    assertEquals("ops", v.path("actor").asText());
    assertEquals(toValues, v.path("values"));

    var history = http.get("/api/v1/configs/strategy_engine/history", SERVICE).json();
    assertEquals(applied + 1, history.path("current_version").asInt());
    var versions = history.path("versions");
    assertEquals(applied + 2, versions.size());
    for (int i = 0; i < versions.size(); i++) assertEquals(i, versions.get(i).path("version").asInt());
    assertEquals("defaults", versions.get(0).path("provenance").asText());
    assertEquals(14, versions.get(applied).path("values").path("weekly_application_target").asInt(), "the rolled-back version stays");
    assertEquals(rec.id(), versions.get(applied).path("recommendation_id").asText());
  }

  @Test
  void badConfigRequestsAreRefusedAndChangeNothing() {
    int before = config("strategy_engine").path("version").asInt();
    assertEquals(404, http.get("/api/v1/configs/payroll/history", SERVICE).status());
    assertEquals(404, http.post("/api/v1/configs/payroll/rollback", ADMIN, Map.of("to_version", 0, "reason", "x")).status());
    var unknown = http.post("/api/v1/configs/strategy_engine/rollback", ADMIN, Map.of("to_version", 999, "reason", "x"));
    assertEquals(400, unknown.status(), unknown.body());
    assertTrue(unknown.body().contains("to_version"), unknown.body());
    assertEquals(400, http.post("/api/v1/configs/strategy_engine/rollback", ADMIN, Map.of("to_version", -1, "reason", "x")).status());
    assertEquals(400, http.post("/api/v1/configs/strategy_engine/rollback", ADMIN, Map.of("to_version", 0)).status());
    assertEquals(403, http.post("/api/v1/configs/strategy_engine/rollback", SERVICE, Map.of("to_version", 0, "reason", "x")).status());
    if (before > 0) {
      assertEquals(409, http.post("/api/v1/configs/strategy_engine/rollback", ADMIN, Map.of("to_version", before, "reason", "x")).status());
    }
    assertEquals(before, config("strategy_engine").path("version").asInt());
    assertEquals(before + 1, http.get("/api/v1/configs/strategy_engine/history", USER).json().path("versions").size());

    assertEquals(403, http.get("/api/v1/recommendations", USER).status());
    assertEquals(400, http.get("/api/v1/recommendations?status=maybe", ADMIN).status());
    assertEquals(404, http.get("/api/v1/recommendations/rec-404", ADMIN).status());
    assertEquals(404, http.post("/api/v1/recommendations/rec-404/approve", ADMIN, Map.of("reason", "x")).status());
  }

  @Test
  void aLearnedChangeWaitsWhileAnExperimentTestsItsParameterAndIsAppliedWhenItEnds() {
    String exp = "exp-recs-wait";
    var def = definition(exp, "job_discovery", "min_fit_score_to_apply");
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, def).status());
    assertEquals(200, http.post("/api/v1/experiments/" + exp + "/start", ADMIN, "{}").status());
    var recommendations = Recommendations.get(node.system());
    await().atMost(Duration.ofSeconds(30)).until(() -> recommendations.claims()
        .owner("job_discovery", Set.of("min_fit_score_to_apply")).toCompletableFuture().join().isPresent());

    try (var stream = new StreamClient(node.httpPort(), ADMIN)) {
      stream.subscribe(RecommendationBook.TOPIC);
      await().atMost(Duration.ofSeconds(30)).until(() -> stream.received.stream().anyMatch(m -> m.path("type").asText().equals("subscribed")));
      int before = config("job_discovery").path("version").asInt();
      // the champion's config, as the learning loop submits it
      var rec = submit(Drafts.model("api:model:wait", 0.9, "{\"min_fit_score_to_apply\": 52, \"fit_score_weight\": 0.06}"));
      assertEquals(Status.WAITING_FOR_EXPERIMENT, rec.status(), rec.toString());
      assertEquals(exp, rec.blockedBy());
      assertEquals(before, config("job_discovery").path("version").asInt(), "nothing written under the experiment");
      assertEquals(exp, recommendation(rec.id()).path("blocked_by").asText());

      assertEquals(200, http.post("/api/v1/experiments/" + exp + "/complete", ADMIN, "{}").status());
      await().atMost(Duration.ofSeconds(60)).until(() -> recommendation(rec.id()).path("status").asText().equals("applied"));
      var cfg = config("job_discovery");
      assertEquals(before + 1, cfg.path("version").asInt());
      assertEquals(52, cfg.path("values").path("min_fit_score_to_apply").asInt());
      assertEquals("learning", cfg.path("provenance").asText());
      assertEquals(List.of("approved", "waiting_for_experiment", "approved", "applied"), statuses(recommendation(rec.id())));
      await().atMost(Duration.ofSeconds(30)).until(() -> changes(stream, rec.id()).contains("applied"));
      assertEquals(List.of("submitted", "blocked", "unblocked", "applied"), changes(stream, rec.id()));
    }
  }

  static List<String> changes(StreamClient stream, String id) {
    return stream.received.stream().filter(m -> m.path("type").asText().equals("recommendation_updated"))
        .filter(m -> m.path("data").path("recommendation").path("id").asText().equals(id))
        .map(m -> m.path("data").path("change").asText()).toList();
  }

  static List<String> statuses(JsonNode rec) {
    return rec.path("history").findValuesAsText("status");
  }

  static Map<String, Object> definition(String id, String component, String parameter) {
    var def = new LinkedHashMap<String, Object>();
    def.put("experiment_id", id);
    def.put("name", "n");
    def.put("hypothesis", "h");
    def.put("component", component);
    def.put("parameter", parameter);
    def.put("variants", List.of(Map.of("variant_id", "control", "value", 60, "allocation", 0.5),
        Map.of("variant_id", "low", "value", 55, "allocation", 0.5)));
    def.put("success_metric", "interview_rate");
    def.put("minimum_sample_size", 100);
    def.put("maximum_duration_days", 30);
    def.put("attribution_window_days", 0);
    def.put("expected_improvement", 1.0);
    def.put("baseline_rate", 0.2);
    def.put("rollback_plan", "revert to 60");
    return def;
  }
}
