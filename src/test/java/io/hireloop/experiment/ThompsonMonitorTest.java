package io.hireloop.experiment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.Node;
import io.hireloop.stats.HypothesisTests;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitor updates a {@code thompson} experiment's weights by itself (every few seconds here) on one real
 * node: the planted better variant's weight rises, the history says {@code system:thompson}, exposed users keep
 * their variant, and {@code /results} shows no sample-ratio mismatch although the split moved (against the
 * definition's 50/50 it would).
 */
class ThompsonMonitorTest {
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final Duration LONG = Duration.ofSeconds(120);
  static Node node;
  static Http http;

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("thompsonmon", Map.of("hireloop.experiments.monitor.tick", "1s",
        "hireloop.experiments.monitor.evaluate-every", "1s", "hireloop.experiments.thompson.update-every", "2s",
        "hireloop.experiments.auto-act", "off"));
    http = TestNodes.readyHttp(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static JsonNode allocation(String id) {
    return http.get("/api/v1/experiments/" + id + "/allocation", ADMIN).json().path("allocation");
  }

  @Test
  void theMonitorRaisesTheBetterVariantsWeightAndTheResultsShowNoSrm() {
    String id = "exp-thompson-monitor";
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, AllocationHttpTest.definition(id, null, "thompson")).status());
    assertEquals(200, http.post("/api/v1/experiments/" + id + "/start", ADMIN, "{}").status());
    var first = ExperimentDriver.assign(http, SERVICE, id, 120);
    ExperimentDriver.outcomes(http, SERVICE, first, 10, 2); // control 10 %, low 50 %

    await().atMost(LONG).pollInterval(Duration.ofMillis(500)).until(() -> allocation(id).path("weights").path("low").asDouble() > 0.9);
    var history = new ArrayList<JsonNode>();
    http.get("/api/v1/experiments/" + id + "/history", ADMIN).json().path("history").forEach(history::add);
    var updates = history.stream().filter(h -> h.path("type").asText().equals("thompson_update")).toList();
    assertTrue(!updates.isEmpty(), history.toString());
    updates.forEach(h -> assertEquals(ThompsonUpdates.BY, h.path("by").asText(), h.toString()));

    var again = ExperimentDriver.assign(http, SERVICE, id, 120);
    assertEquals(first, again, "exposed users keep their variant");
    var fresh = new java.util.LinkedHashMap<String, String>();
    for (int u = 0; u < 100; u++) {
      var r = http.get("/api/v1/experiments/" + id + "/assignment?user_id=" + id + "-new" + u, SERVICE);
      assertEquals(200, r.status(), r.body());
      fresh.put(id + "-new" + u, r.json().path("variant_id").asText());
    }
    long low = fresh.values().stream().filter("low"::equals).count();
    assertTrue(low > 75, "new users follow the raised weight: " + low + " of 100");

    var results = new JsonNode[1];
    await().atMost(LONG).pollInterval(Duration.ofMillis(500)).until(() -> {
      results[0] = http.get("/api/v1/experiments/" + id + "/results", ADMIN).json();
      int exposed = 0;
      for (var v : results[0].path("variants")) exposed += v.path("exposed_users").asInt();
      return exposed == 220;
    });
    var srm = results[0].path("srm");
    assertEquals(false, srm.path("mismatch").asBoolean(), results[0].toString());
    assertTrue(srm.path("splits").asInt() >= 2, srm.toString());
    assertTrue(srm.path("p_value").asDouble() >= HypothesisTests.SRM_THRESHOLD, srm.toString());
    // the same exposures against the definition's 50/50 (what the check used before) are a mismatch
    var v = results[0].path("variants");
    long[] observed = {v.get(0).path("exposed_users").asLong(), v.get(1).path("exposed_users").asLong()};
    assertTrue(HypothesisTests.srm(observed, new double[] {0.5, 0.5}).mismatch(), List.of(observed[0], observed[1]).toString());
  }
}
