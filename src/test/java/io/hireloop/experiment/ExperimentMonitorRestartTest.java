package io.hireloop.experiment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hireloop.Node;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rollout in progress survives the monitor's restart: the new node's monitor finds the experiment in the
 * journal (no new exposure, outcome or status change reaches it) and advances the remaining stages.
 */
class ExperimentMonitorRestartTest {
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final Map<String, Object> SETTINGS = Map.of("hireloop.http.rate-limit-per-second", 0,
      "hireloop.experiments.monitor.tick", "1s", "hireloop.experiments.monitor.evaluate-every", "1s",
      "hireloop.experiments.stage-interval", "6s", "hireloop.experiments.rollout-stages", List.of(0.5, 1.0));

  @Test
  void aRolloutInProgressIsPickedUpAgainAfterARestart() {
    String id = "exp-restart";
    try (Node node = TestNodes.startShared("exprestart", SETTINGS)) {
      var http = new Http(node.httpPort());
      await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready", null).status() == 200);
      var def = ExperimentRolloutTest.definition(id, "job_discovery", "fit_score_weight", List.of());
      assertEquals(201, http.post("/api/v1/experiments", ADMIN, def).status());
      assertEquals(200, http.post("/api/v1/experiments/" + id + "/start", ADMIN, "{}").status());
      var approved = http.post("/api/v1/experiments/" + id + "/approve", ADMIN, Map.of("variant_id", "low"));
      assertEquals(200, approved.status(), approved.body());
      assertEquals("in_progress", approved.json().path("rollout").path("status").asText(), approved.body());
    } // closed at once: stage 2 is due 6 s later

    try (Node node = TestNodes.startShared("exprestart", SETTINGS)) {
      var http = new Http(node.httpPort());
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
          http.get("/api/v1/experiments/" + id, ADMIN).json().path("status").asText().equals("rolled_out"));
      var config = http.get("/api/v1/configs/job_discovery", SERVICE).json();
      assertEquals(1.0, config.path("values").path("rollout_fraction").asDouble(), config.toString());
      assertEquals(55, config.path("values").path("fit_score_weight").asInt(), config.toString());
    }
  }
}
