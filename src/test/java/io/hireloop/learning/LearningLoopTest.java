package io.hireloop.learning;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.Node;
import io.hireloop.cli.DemoPopulation;
import io.hireloop.testing.Events;
import io.hireloop.testing.Http;
import io.hireloop.testing.StreamClient;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The closed loop on real parts: outcomes with a planted signal go in through the API, the training-set
 * projection labels them, the coordinator retrains the DL4J model after enough labels, registers it, and
 * the job_discovery config it derives reaches a WebSocket subscriber.
 */
class LearningLoopTest {

  @Test
  void labelledOutcomesTrainAModelAndPushAConfig() {
    try (var node = TestNodes.startShared("loop", Map.of("hireloop.learning.retrain-after-labels", 400))) {
      var http = new Http(node.httpPort());
      var service = TestNodes.token("svc", "service");
      var admin = TestNodes.token("ops", "admin");
      try (var stream = new StreamClient(node.httpPort(), admin)) {
        stream.subscribe("config:job_discovery", "models");
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.first("subscribed") != null);
        assertEquals(503, http.post("/api/v1/predictions/interview", service, Map.of("context", Events.context(80, "target", true))).status());

        var events = DemoPopulation.generate(200, 11, Instant.now());
        for (int i = 0; i < events.size(); i += 250) {
          var r = http.post("/api/v1/events", service, Map.of("events", events.subList(i, Math.min(events.size(), i + 250))));
          assertEquals(200, r.status(), r.body());
        }

        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
            .until(() -> stream.has("config_updated", "config:job_discovery"));
        assertTrue(stream.has("training_progress", "models"));
        assertTrue(stream.has("model_trained", "models"));
        var pushed = stream.first("config_updated").path("data");
        assertTrue(pushed.path("version").asInt() >= 1);
        assertTrue(pushed.path("values").has("min_fit_score_to_apply"));

        var model = http.get("/api/v1/models/interview", service).json();
        assertTrue(model.path("version").asInt() >= 1, model.toString());
        assertTrue(model.path("training_examples").asInt() >= 200, model.toString());
        assertTrue(model.path("metrics").path("auc").asDouble() > 0.7, "planted signal must be found: " + model);
        for (var m : new String[] {"log_loss", "brier", "ece"}) assertTrue(model.path("metrics").has(m), m);

        var config = http.get("/api/v1/configs/job_discovery", service).json();
        assertEquals("learning", config.path("optimized_by").asText());

        var good = http.post("/api/v1/predictions/interview", service, Map.of("context", Events.context(95, "safety", true))).json();
        var poor = http.post("/api/v1/predictions/interview", service, Map.of("context", Events.context(25, "reach", false))).json();
        assertTrue(good.path("probability").asDouble() > poor.path("probability").asDouble() + 0.2,
            "fit, category and tailoring must move the prediction: " + good + " vs " + poor);

        // the ensemble's document: interval around the probability, every member, an explanation that adds up
        double p = good.path("probability").asDouble();
        var interval = good.path("interval");
        assertTrue(interval.path("low").asDouble() <= p && p <= interval.path("high").asDouble(), good.toString());
        assertEquals(0.9, interval.path("level").asDouble(), 1e-9);
        assertEquals(0.9, good.path("outcome_set").path("level").asDouble(), 1e-9);
        assertTrue(good.path("outcome_set").path("outcomes").isArray(), good.toString());
        assertEquals(3, good.path("members").size(), good.toString());
        double sum = good.path("base_value").asDouble();
        for (var c : good.path("explanation")) sum += c.path("contribution").asDouble();
        assertEquals(good.path("logit").asDouble(), sum, 1e-3, "base + contributions = the blended logit: " + good);
        var top = good.path("explanation").get(0).path("feature").asText();
        assertTrue(java.util.Set.of("fit_score", "category", "tailoring", "resume_score").contains(top), "largest contribution: " + good);

        var ranked = http.post("/api/v1/predictions/score-jobs", service, Map.of("user_id", "u-new", "jobs", java.util.List.of(
            Map.of("job_id", "j-poor", "context", Events.context(25, "reach", false)),
            Map.of("job_id", "j-good", "context", Events.context(95, "safety", true))))).json();
        assertEquals("j-good", ranked.path("jobs").get(0).path("job_id").asText(), ranked.toString());
        assertTrue(ranked.path("jobs").get(0).path("probability").asDouble() > ranked.path("jobs").get(1).path("probability").asDouble());
        assertEquals(400, http.post("/api/v1/predictions/score-jobs", service, Map.of("jobs", java.util.List.of())).status());

        // the monitor singleton answers with the champion and its window (labels may not have reached it yet)
        var monitoring = http.get("/api/v1/models/interview/monitoring", service);
        assertEquals(200, monitoring.status(), monitoring.body());
        var doc = monitoring.json();
        assertEquals("interview", doc.path("name").asText(), doc.toString());
        assertEquals(2000, doc.path("window").asInt(), doc.toString());
        assertTrue(doc.has("versions") && doc.has("drift") && doc.has("alerts") && doc.has("page_hinkley"), doc.toString());
        assertEquals(403, http.get("/api/v1/models/interview/monitoring", TestNodes.token("u-1", "user")).status());

        var card = http.get("/api/v1/models/interview/versions/1", service).json();
        assertEquals(3, card.path("members").size(), card.toString());
        assertTrue(card.path("calibration_curve").size() > 0, card.toString());
        assertTrue(card.path("feature_importance").size() > 0, card.toString());
        assertTrue(card.path("drift_reference").path("numeric").size() > 0, "the card carries the training distribution: " + card);
      }
    }
  }
}
