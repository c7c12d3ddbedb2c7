package io.hireloop.journey;

import static io.hireloop.testing.Events.created;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.Node;
import io.hireloop.testing.Events;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ingest pacing on a real node: with a target lag no projection can meet (1 ms), the pacer cuts the pace once
 * the read side reports; a batch that would wait longer than max-wait is refused with 429, Retry-After and
 * nothing written, and the same batch sent again after Retry-After is accepted once.
 */
class IngestPacingTest {
  static Node node;
  static Http http;
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("pacing", Map.of(
        "hireloop.ingest.pacing.target-lag", "1ms",
        "hireloop.ingest.pacing.min-rate", 10,
        "hireloop.ingest.pacing.max-wait", "1s",
        "hireloop.ingest.pacing.tick", "100ms"));
    http = TestNodes.readyHttp(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static List<Map<String, Object>> applications(String user, int n) {
    var events = new ArrayList<Map<String, Object>>();
    var at = Instant.now().minusSeconds(86_400);
    for (int i = 0; i < n; i++) events.add(created(user + "-e" + i, user, user + "-a" + i, at.plusSeconds(i)));
    return events;
  }

  @Test
  void refusesWhatWouldWaitTooLongWritesNothingAndAcceptsTheRetry() {
    var admission = IngestAdmission.get(node.system());
    assertTrue(admission.enabled());
    assertTrue(Double.isInfinite(admission.pace()), "nothing paced before the read side reports");
    // the projections handle these events > 1 ms after their write, and with a batch every 100 ms they are never
    // idle for a window (a backlog, not one late batch): the pacer cuts, down to min-rate
    var sent = new int[1];
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
      if (admission.pace() < 30) return true;
      http.post("/api/v1/events", SERVICE, Events.batch(applications("pace-first-" + sent[0]++, 2)));
      return false;
    });

    // 100 events at <= 30 events/s hold the bucket for > 3 s: admitted now (nothing queued), the next waits
    var big = http.post("/api/v1/events", SERVICE, Events.batch(applications("pace-big", 100)));
    assertEquals(200, big.status(), big.body());
    var refused = http.post("/api/v1/events", SERVICE, Events.batch(applications("pace-late", 3)));
    assertEquals(429, refused.status(), refused.body());
    assertEquals("read_side_behind", refused.errorCode());
    assertTrue(refused.json().path("error").path("message").asText().contains("retry after"), refused.body());
    long retryAfter = Long.parseLong(refused.retryAfter());
    assertTrue(retryAfter >= 2, "Retry-After " + retryAfter);
    assertEquals(0, http.get("/api/v1/users/pace-late/events", ADMIN).json().path("events").size(),
        "a refused batch writes nothing");

    // the client waits as told and sends the same batch again (paced again at most a few times)
    Http.Reply accepted = refused;
    for (int round = 0; round < 10 && accepted.status() == 429; round++) {
      sleepSeconds(Long.parseLong(accepted.retryAfter()));
      accepted = http.post("/api/v1/events", SERVICE, Events.batch(applications("pace-late", 3)));
    }
    assertEquals(200, accepted.status(), accepted.body());
    var results = accepted.json().path("results");
    assertEquals(3, results.size());
    results.forEach(r -> assertEquals("accepted", r.path("status").asText(), r.toString()));
    assertEquals(3, http.get("/api/v1/users/pace-late/events", ADMIN).json().path("events").size());
    var metrics = http.get("/metrics", null).body();
    assertTrue(metrics.contains("hireloop_ingest_paced_total{outcome=\"refused\",}"), "refusals counted on /metrics");
  }

  private static void sleepSeconds(long seconds) {
    try {
      Thread.sleep(seconds * 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
