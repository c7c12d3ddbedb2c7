package io.hireloop.journey;

import static io.hireloop.testing.Events.created;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.Node;
import io.hireloop.platform.Metrics;
import io.hireloop.testing.Events;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pacing is overload protection: a freshly started node with the shipped pacing settings takes a new client's
 * 400-event batches, sent one after another, without holding or refusing any (its read models have no backlog).
 */
class ColdNodePacingTest {
  static Node node;
  static Http http;
  static final String SERVICE = TestNodes.token("svc", "service");

  @BeforeAll
  static void start() {
    // the shipped pacing settings (TestNodes turns pacing off for the other tests)
    var shipped = TestNodes.config(Map.of()).getConfig("hireloop.ingest.pacing");
    node = TestNodes.startShared("coldpace", Map.of(
        "hireloop.ingest.pacing.target-lag", shipped.getString("target-lag"),
        "hireloop.ingest.pacing.burst", shipped.getInt("burst")));
    http = TestNodes.readyHttp(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static List<Map<String, Object>> batch(int b) {
    var events = new ArrayList<Map<String, Object>>();
    var at = Instant.now().minusSeconds(86_400);
    for (int u = 0; u < 100; u++) {
      var user = "cold-" + b + "-" + u;
      for (int i = 0; i < 4; i++) events.add(created(user + "-e" + i, user, user + "-a" + i, at.plusSeconds(i)));
    }
    return events;
  }

  @Test
  void aFreshNodeTakesBatchesSentOneAfterAnotherWithoutPacing() {
    assertTrue(IngestAdmission.get(node.system()).enabled());
    // the first asks after a start on a loaded machine can time out (503); retrying the same event ids is safe
    var first = List.of(created("cold-first-e", "cold-first", "cold-first-a", Instant.now().minusSeconds(3600)));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120))
        .until(() -> http.post("/api/v1/events", SERVICE, Events.batch(first)).status() == 200);
    double delayed = Metrics.INGEST_PACED.labels("delayed").get();
    double refused = Metrics.INGEST_PACED.labels("refused").get();
    for (int b = 0; b < 2; b++) {
      var r = http.post("/api/v1/events", SERVICE, Events.batch(batch(b)));
      assertEquals(200, r.status(), r.body());
    }
    assertTrue(Double.isInfinite(IngestAdmission.get(node.system()).pace()), "unpaced after 801 events in a few seconds: "
        + IngestAdmission.get(node.system()).pace() + " events/s");
    assertEquals(0, Metrics.INGEST_PACED.labels("delayed").get() - delayed, "no batch held");
    assertEquals(0, Metrics.INGEST_PACED.labels("refused").get() - refused, "no batch refused");
  }
}
