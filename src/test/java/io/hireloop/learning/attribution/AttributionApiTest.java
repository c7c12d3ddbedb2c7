package io.hireloop.learning.attribution;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.Node;
import io.hireloop.simulation.SimulationModel;
import io.hireloop.simulation.Simulator;
import io.hireloop.testing.Http;
import io.hireloop.testing.StreamClient;
import io.hireloop.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attribution end to end on a real node: a simulated population goes in through the ingest API, the training-set
 * projection labels it, POST /attribution/run starts a run whose progress and completion arrive on the attribution
 * topic, and the report is served per group and as a user's counterfactuals.
 */
class AttributionApiTest {
  @TempDir
  Path dir;

  @Test
  void runOnDemandServeTheGroupsAndAUsersCounterfactuals() throws Exception {
    var sim = new Simulator(SimulationModel.defaults(), 200, 10, 5, LocalDate.parse("2026-01-05")).run(dir);
    try (Node node = TestNodes.startShared("attr", Map.of("hireloop.attribution.min-applications", 1000,
        "hireloop.attribution.interval", "0s", "hireloop.attribution.max-cross-check-rows", 20000))) {
      var http = TestNodes.readyHttp(node);
      var admin = TestNodes.token("ops", "admin");
      var service = TestNodes.token("svc", "service");
      var user = TestNodes.token("u-1", "user");

      var none = http.get("/api/v1/attribution/edits", admin);
      assertEquals(404, none.status(), none.body());
      assertTrue(none.body().contains("POST /api/v1/attribution/run"), none.body());
      assertEquals(403, http.post("/api/v1/attribution/run", service, Map.of()).status());
      assertEquals(403, http.get("/api/v1/attribution/edits", user).status());
      assertEquals(404, http.get("/api/v1/attribution/whatever", admin).status());

      try (var stream = new StreamClient(node.httpPort(), admin)) {
        stream.subscribe("attribution");
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.first("subscribed") != null);
        // before any data: the run fails and says why, on the topic
        assertEquals(202, http.post("/api/v1/attribution/run", admin, Map.of()).status());
        await().atMost(Duration.ofSeconds(60)).until(() -> stream.first("attribution_failed") != null);
        var reason = stream.first("attribution_failed").path("data").path("reason").asText();
        assertTrue(reason.contains("needs at least 1000 labelled applications"), reason);
        assertEquals(404, http.get("/api/v1/attribution/edits", admin).status(), "a failed run stores nothing");

        post(http, service, sim.eventsFile());
        // the projection labels the applications in the background: a run may still find too few and fail; ask again
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() -> {
          if (stream.has("attribution_finished", "attribution")) return true;
          var started = http.post("/api/v1/attribution/run", admin, Map.of());
          assertEquals(202, started.status(), started.body());
          var runId = started.json().path("run_id").asText();
          await().atMost(Duration.ofMinutes(3)).until(() -> stream.received.stream().anyMatch(m ->
              runId.equals(m.path("data").path("run_id").asText())
                  && (m.path("type").asText().equals("attribution_finished") || m.path("type").asText().equals("attribution_failed"))));
          return stream.has("attribution_finished", "attribution");
        });
        assertTrue(stream.has("attribution_progress", "attribution"));
      }

      var edits = http.get("/api/v1/attribution/edits", service);
      assertEquals(200, edits.status(), edits.body());
      var factors = edits.json().path("factors");
      assertTrue(factors.size() >= 3, edits.body());
      var first = factors.get(0);
      for (var field : new String[] {"estimate", "std_error", "ci_low", "ci_high", "method_estimates", "naive_difference",
          "refuters", "balance", "n_treated", "n_control", "causal_confidence"}) {
        assertTrue(first.has(field), field + " in " + first);
      }
      assertTrue(first.path("method_estimates").has(Attribution.PRIMARY), first.toString());
      var timing = http.get("/api/v1/attribution/timing", admin).json();
      assertTrue(timing.path("factors").toString().contains("Tuesday"), timing.toString());
      assertEquals("strategy", http.get("/api/v1/attribution/strategy", admin).json().path("group").asText());

      var own = http.get("/api/v1/users/u-1/counterfactuals", user);
      assertEquals(200, own.status(), own.body());
      var cf = own.json();
      double now = cf.path("now").path("interview_rate").asDouble();
      assertTrue(now > 0 && now < 1, cf.toString());
      assertTrue(cf.path("now").path("ci_low").asDouble() < now && now < cf.path("now").path("ci_high").asDouble());
      for (var option : cf.path("edits")) {
        assertFalse(cf.path("edits_made").toString().contains(option.path("edit_type").asText()), "only edits not made: " + cf);
        assertTrue(option.path("ci_low").asDouble() <= option.path("interview_rate_after").asDouble());
      }
      assertEquals(403, http.get("/api/v1/users/u-2/counterfactuals", user).status());

      // the run's findings became recommendations: edits with HIGH or MEDIUM confidence only, never the naive Tuesday
      var confident = new java.util.HashSet<String>();
      for (var f : factors) if (!f.path("causal_confidence").asText().equals("LOW")) confident.add(f.path("factor").asText());
      await().atMost(Duration.ofSeconds(60)).until(() -> confident.isEmpty()
          || http.get("/api/v1/recommendations", admin).body().contains("attribution:edit:"));
      var recommendations = http.get("/api/v1/recommendations", admin);
      assertEquals(200, recommendations.status(), recommendations.body());
      for (var r : recommendations.json().path("recommendations")) {
        var key = r.path("dedup_key").asText();
        assertFalse(key.contains("Tuesday"), key);
        if (key.startsWith("attribution:edit:")) assertTrue(confident.contains(key.split(":")[2]), key + " but confident: " + confident);
      }
    }
  }

  /** The simulated events through the ingest API in file (time) order, batches of 250; a paced batch is sent again. */
  static void post(Http http, String token, Path events) throws Exception {
    var lines = Files.readAllLines(events);
    for (int i = 0; i < lines.size(); i += 250) {
      var body = "{\"events\":[" + String.join(",", new ArrayList<>(lines.subList(i, Math.min(lines.size(), i + 250)))) + "]}";
      var r = http.post("/api/v1/events", token, body);
      while (r.status() == 429 || r.status() == 503) {
        Thread.sleep(200);
        r = http.post("/api/v1/events", token, body);
      }
      assertEquals(200, r.status(), r.body());
    }
  }
}
