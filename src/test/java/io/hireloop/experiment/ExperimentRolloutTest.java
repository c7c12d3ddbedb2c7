package io.hireloop.experiment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.Node;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.testing.Http;
import io.hireloop.testing.StreamClient;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitor acting on results, on one real node with Cassandra: a winner is rolled out by stages as config
 * versions; a harmful treatment is stopped and rolled back (by "system", with the reason) and the config
 * returns to the version before the rollout; sabotaged assignment (exposures forced into one variant) is
 * caught as SRM, blocks the decision and rolls a stage back. Results arrive on {@code experiment:<id>}.
 */
class ExperimentRolloutTest {
  static Node node;
  static Http http;
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final int USERS = 240;
  static final Duration LONG = Duration.ofSeconds(120);

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("exprollouts", Map.of("hireloop.http.rate-limit-per-second", 0,
        "hireloop.experiments.monitor.tick", "1s", "hireloop.experiments.monitor.evaluate-every", "1s",
        "hireloop.experiments.stage-interval", "12s", "hireloop.experiments.rollout-stages", List.of(0.1, 0.5, 1.0)));
    http = new Http(node.httpPort());
    await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready", null).status() == 200);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static Map<String, Object> definition(String id, String component, String parameter, List<String> guardrails) {
    var def = new LinkedHashMap<String, Object>();
    def.put("experiment_id", id);
    def.put("name", "n");
    def.put("hypothesis", "h");
    def.put("component", component);
    def.put("parameter", parameter);
    def.put("variants", List.of(Map.of("variant_id", "control", "value", 60, "allocation", 0.5),
        Map.of("variant_id", "low", "value", 55, "allocation", 0.5)));
    def.put("success_metric", "interview_rate");
    def.put("guardrail_metrics", guardrails);
    def.put("minimum_sample_size", 100);
    def.put("maximum_duration_days", 30);
    def.put("attribution_window_days", 0);
    def.put("expected_improvement", 1.0);
    def.put("baseline_rate", 0.2);
    def.put("rollback_plan", "revert to 60");
    return def;
  }

  /** Defines, starts and assigns USERS users over HTTP; returns user → variant. */
  static Map<String, String> startAndAssign(Map<String, Object> def) {
    String id = (String) def.get("experiment_id");
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, def).status());
    assertEquals(200, http.post("/api/v1/experiments/" + id + "/start", ADMIN, "{}").status());
    return ExperimentDriver.assign(http, SERVICE, id, USERS);
  }

  static void outcomes(Map<String, String> variants, int controlEvery, int treatmentEvery) {
    ExperimentDriver.outcomes(http, SERVICE, variants, controlEvery, treatmentEvery);
  }

  static JsonNode config(String component) {
    return http.get("/api/v1/configs/" + component, SERVICE).json();
  }

  static JsonNode experiment(String id) {
    return http.get("/api/v1/experiments/" + id, ADMIN).json();
  }

  static List<JsonNode> history(String id) {
    var out = new ArrayList<JsonNode>();
    http.get("/api/v1/experiments/" + id + "/history", ADMIN).json().path("history").forEach(out::add);
    return out;
  }

  @Test
  void aWinnerPassingEveryCheckIsRolledOutByStagesAsConfigVersions() throws Exception {
    String id = "exp-ro-win";
    int before = config("job_discovery").path("version").asInt();
    try (var stream = new StreamClient(node.httpPort(), ADMIN)) {
      stream.subscribe("experiment:" + id, "config:job_discovery");
      var variants = startAndAssign(definition(id, "job_discovery", "min_fit_score_to_apply", List.of("offer_rate")));
      outcomes(variants, 5, 2); // 20% vs 50%
      await().atMost(LONG).pollInterval(Duration.ofSeconds(1)).until(() -> experiment(id).path("status").asText().equals("rolled_out"));
      var stages = history(id).stream().filter(h -> h.path("type").asText().equals("rollout_stage")).toList();
      assertEquals(3, stages.size(), stages.toString());
      for (int i = 0; i < 3; i++) {
        assertEquals("system", stages.get(i).path("by").asText());
        assertEquals(List.of(0.1, 0.5, 1.0).get(i), stages.get(i).path("rollout_fraction").asDouble());
        assertEquals(before + 1 + i, stages.get(i).path("config_version").asInt(), stages.toString());
      }
      var c = config("job_discovery");
      assertEquals(before + 3, c.path("version").asInt(), c.toString());
      assertEquals(55, c.path("values").path("min_fit_score_to_apply").asInt());
      assertEquals(1.0, c.path("values").path("rollout_fraction").asDouble());
      assertEquals(id, c.path("values").path("rollout_experiment_id").asText());
      var results = http.get("/api/v1/experiments/" + id + "/results", ADMIN).json();
      assertEquals("completed", results.path("rollout").path("status").asText(), results.toString());
      await().atMost(Duration.ofSeconds(30)).until(() -> stream.has("experiment_results", "experiment:" + id)
          && stream.has("rollout_stage", "experiment:" + id) && stream.has("config_updated", "config:job_discovery"));
      long stageMessages = stream.received.stream().filter(m -> m.path("type").asText().equals("rollout_stage")).count();
      assertEquals(3, stageMessages);
    }
  }

  @Test
  void aHarmfulTreatmentIsStoppedAndTheConfigReturnsToThePreviousVersion() {
    String id = "exp-ro-harm";
    var previous = config("strategy_engine");
    var variants = startAndAssign(definition(id, "strategy_engine", "weekly_application_target", List.of()));
    // an admin approves the treatment before outcomes arrive: stage 1 is written
    var approved = http.post("/api/v1/experiments/" + id + "/approve", ADMIN, Map.of("variant_id", "low"));
    assertEquals(200, approved.status(), approved.body());
    assertEquals(previous.path("version").asInt() + 1, approved.json().path("config").path("version").asInt(), approved.body());
    assertEquals(0.1, approved.json().path("config").path("values").path("rollout_fraction").asDouble(), approved.body());
    assertEquals("ops", history(id).stream().filter(h -> h.path("type").asText().equals("rollout_stage")).findFirst()
        .orElseThrow().path("by").asText());

    outcomes(variants, 2, 10); // 50% vs 10%: significantly worse
    await().atMost(LONG).pollInterval(Duration.ofSeconds(1)).until(() -> experiment(id).path("status").asText().equals("rolled_back"));
    var rollback = history(id).stream().filter(h -> h.path("type").asText().equals("rolled_back")).findFirst().orElseThrow();
    assertEquals("system", rollback.path("by").asText());
    assertTrue(rollback.path("reason").asText().startsWith("stop_for_harm"), rollback.toString());
    var status = history(id).stream().filter(h -> h.path("to").asText().equals("rolled_back")).findFirst().orElseThrow();
    assertEquals("system", status.path("by").asText());
    var after = config("strategy_engine");
    assertEquals(previous.path("version").asInt() + 2, after.path("version").asInt(), after.toString());
    assertEquals(previous.path("values"), after.path("values"), "the values of the version before the rollout");
    assertEquals("rollback", after.path("optimized_by").asText());
    assertEquals(rollback.path("config_version").asInt(), after.path("version").asInt());
    // stays rolled back: no more stages, no second rollback
    assertEquals(409, http.post("/api/v1/experiments/" + id + "/rollout", ADMIN, "{}").status());
  }

  @Test
  void sabotagedAssignmentIsCaughtAsSrmBlocksTheDecisionAndRollsAStageBack() {
    String id = "exp-ro-srm";
    var previous = config("orchestrator");
    var def = definition(id, "orchestrator", "follow_up_after_days", List.of());
    var variants = startAndAssign(def);
    var approved = http.post("/api/v1/experiments/" + id + "/approve", ADMIN, Map.of("variant_id", "low"));
    assertEquals(200, approved.status(), approved.body());
    // sabotage: 160 more users exposed straight into "low", bypassing the hash
    var sharding = ClusterSharding.get(node.system());
    for (int u = 0; u < 160; u++) {
      String user = id + "-forced" + u;
      var exposure = new JourneyEvent.ExperimentExposed("exposure:" + id + ":" + user, Instant.now(), id, "low");
      sharding.entityRefFor(JobSeeker.ENTITY_KEY, user)
          .<JobSeeker.Verdict>ask(r -> new JobSeeker.Record(List.of(exposure), Instant.now(), r), Duration.ofSeconds(30))
          .toCompletableFuture().join();
    }
    await().atMost(LONG).pollInterval(Duration.ofSeconds(1)).until(() -> experiment(id).path("status").asText().equals("rolled_back"));
    var results = http.get("/api/v1/experiments/" + id + "/results", ADMIN).json();
    assertTrue(results.path("srm").path("mismatch").asBoolean(), results.toString());
    assertEquals("continue_test", results.path("decision").asText(), "SRM blocks every decision");
    var rollback = history(id).stream().filter(h -> h.path("type").asText().equals("rolled_back")).findFirst().orElseThrow();
    assertTrue(rollback.path("reason").asText().startsWith("sample-ratio mismatch"), rollback.toString());
    assertEquals(previous.path("values"), config("orchestrator").path("values"));
    assertNotNull(results.path("rollout").path("config_version"));
  }
}
