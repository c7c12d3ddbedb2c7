package io.hireloop.experiment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.Node;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole loop on one real node: define and start experiments, assign users over HTTP (exposures go to
 * their journals), ingest outcomes with a planted effect (or none), and read the results computed from
 * the exposure projection.
 */
class ExperimentResultsTest {
  static Node node;
  static Http http;
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final int USERS = 240;

  @BeforeAll
  static void start() {
    // rollouts by hand here, in one stage (ExperimentRolloutTest covers the monitor and staged rollouts)
    node = TestNodes.startShared("experiments", Map.of("hireloop.http.rate-limit-per-second", 0,
        "hireloop.experiments.auto-act", false, "hireloop.experiments.rollout-stages", List.of(1.0)));
    http = new Http(node.httpPort());
    await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready", null).status() == 200);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static Map<String, Object> definition(String id) {
    var def = new LinkedHashMap<String, Object>();
    def.put("experiment_id", id);
    def.put("name", "Lower threshold");
    def.put("hypothesis", "more interviews");
    def.put("component", "job_discovery");
    def.put("parameter", "min_fit_score_to_apply");
    def.put("variants", List.of(Map.of("variant_id", "control", "value", 60, "allocation", 0.5),
        Map.of("variant_id", "low", "value", 55, "allocation", 0.5)));
    def.put("success_metric", "interview_rate");
    def.put("minimum_sample_size", 100);
    def.put("maximum_duration_days", 30);
    def.put("attribution_window_days", 0);
    def.put("expected_improvement", 1.0); // 0.2 → 0.4 needs 82 users per variant
    def.put("baseline_rate", 0.2);
    def.put("rollback_plan", "revert to 60");
    return def;
  }

  /** Runs an experiment with the given conversion period per arm (every k-th user of the arm converts). */
  static JsonNode run(String id, int controlEvery, int treatmentEvery) {
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, definition(id)).status());
    assertEquals(200, http.post("/api/v1/experiments/" + id + "/start", ADMIN, "{}").status());
    var variants = ExperimentDriver.assign(http, SERVICE, id, USERS);
    var conversions = ExperimentDriver.outcomes(http, SERVICE, variants, controlEvery, treatmentEvery);
    int totalConversions = conversions.values().stream().mapToInt(Integer::intValue).sum();
    var results = new JsonNode[1];
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
      var r = http.get("/api/v1/experiments/" + id + "/results", ADMIN);
      if (r.status() != 200) return false;
      results[0] = r.json();
      int eligible = 0, conv = 0;
      for (var v : r.json().path("variants")) {
        eligible += v.path("eligible_users").asInt();
        conv += v.path("conversions").asInt();
      }
      return eligible == USERS && conv == totalConversions;
    });
    return results[0];
  }

  @Test
  void aPlantedEffectIsFoundWithTheRightSignAndANullEffectIsNot() {
    var planted = run("exp-it-planted", 5, 2); // 20% vs 50%
    var c = planted.path("comparisons").get(0);
    assertEquals("low", c.path("variant_id").asText());
    assertTrue(c.path("absolute_difference").asDouble() > 0.2, planted.toString());
    assertTrue(c.path("p_value").asDouble() < 0.001, planted.toString());
    assertTrue(c.path("ci").get(0).asDouble() > 0, planted.toString());
    assertEquals(false, planted.path("srm").path("mismatch").asBoolean(), planted.toString());
    assertEquals("roll_out_winner", planted.path("decision").asText(), planted.toString());

    var none = run("exp-it-null", 4, 4); // 25% vs 25%
    var n = none.path("comparisons").get(0);
    assertTrue(n.path("p_value").asDouble() > 0.05, none.toString());
    assertTrue(n.path("always_valid_p_value").asDouble() > 0.05, none.toString());
    assertEquals("no_significant_difference", none.path("decision").asText(), none.toString());

    assertEquals(403, http.get("/api/v1/experiments/exp-it-null/results", SERVICE).status());
    assertEquals(404, http.get("/api/v1/experiments/none/results", ADMIN).status());
  }

  @Test
  void aWinnerPassingEveryCheckIsRolledOutIntoTheConfigAndOthersWaitForApproval() {
    int before = http.get("/api/v1/configs/job_discovery", SERVICE).json().path("version").asInt();
    run("exp-it-rollout", 5, 2);
    var rolled = http.post("/api/v1/experiments/exp-it-rollout/rollout", ADMIN, "{}");
    assertEquals(200, rolled.status(), rolled.body());
    assertEquals("rolled_out", rolled.json().path("status").asText());
    var config = http.get("/api/v1/configs/job_discovery", SERVICE).json();
    assertEquals(before + 1, config.path("version").asInt(), config.toString());
    assertEquals(55, config.path("values").path("min_fit_score_to_apply").asInt(), config.toString());
    assertEquals("experiment", config.path("optimized_by").asText());
    assertTrue(config.path("source").asText().contains("exp-it-rollout"), config.toString());
    assertEquals(409, http.post("/api/v1/experiments/exp-it-rollout/rollout", ADMIN, "{}").status(), "already rolled out");

    run("exp-it-approve", 4, 4);
    var refused = http.post("/api/v1/experiments/exp-it-approve/rollout", ADMIN, "{}");
    assertEquals(409, refused.status(), refused.body());
    assertTrue(refused.body().contains("checks.p_value"), refused.body());
    assertEquals(400, http.post("/api/v1/experiments/exp-it-approve/approve", ADMIN, "{}").status());
    assertEquals(403, http.post("/api/v1/experiments/exp-it-approve/approve", SERVICE, Map.of("variant_id", "low")).status());
    var approved = http.post("/api/v1/experiments/exp-it-approve/approve", ADMIN, Map.of("variant_id", "control"));
    assertEquals(200, approved.status(), approved.body());
    assertEquals(60, approved.json().path("config").path("values").path("min_fit_score_to_apply").asInt(), approved.body());
    assertEquals(before + 2, approved.json().path("config").path("version").asInt());
    var history = http.get("/api/v1/experiments/exp-it-approve/history", ADMIN).json().path("history");
    assertEquals("rolled_out", history.get(history.size() - 1).path("to").asText());
    assertEquals("ops", history.get(history.size() - 1).path("by").asText());
  }
}
