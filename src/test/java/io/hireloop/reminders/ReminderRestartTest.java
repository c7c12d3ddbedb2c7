package io.hireloop.reminders;

import static io.hireloop.testing.Events.batch;
import static io.hireloop.testing.Events.created;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.Node;
import io.hireloop.testing.Http;
import io.hireloop.testing.StreamClient;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reminder scheduled before the node stops (the projection wrote its row) is delivered by the next node
 * on the same Cassandra: nothing of it lives in memory.
 */
class ReminderRestartTest {
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final Map<String, Object> CONFIG = Map.of("hireloop.reminders.after", List.of("40s", "400s"),
      "hireloop.reminders.poll-interval", "1s", "hireloop.reminders.enabled", true,
      // the first step follows the live orchestrator config (in days): keep it at the schedule's 40 s
      "hireloop.configs.defaults.orchestrator.follow_up_after_days", 40.0 / 86400);

  @Test
  void aReminderScheduledBeforeARestartIsDeliveredAfterIt() {
    var user = "u-restart-" + Long.toString(System.nanoTime(), 36);
    Instant applied;
    Instant stopped;
    try (var node = TestNodes.startShared("remrestart", CONFIG)) {
      var http = ready(node);
      applied = Instant.now();
      assertEquals(200, http.post("/api/v1/events", SERVICE, batch(created("rr-1-" + user, user, "a-1", applied))).status());
      // the reminders projection has handled the event: its offset is stored after the row is written
      await().atMost(Duration.ofSeconds(30)).until(() -> remindersOffsets(http) > 0);
      stopped = Instant.now();
    }
    var due = applied.plusSeconds(40);
    assertTrue(stopped.isBefore(due), "the first node must stop before the reminder is due; it stopped at " + stopped);

    try (var node = TestNodes.startShared("remrestart", CONFIG);
        var client = new StreamClient(node.httpPort(), TestNodes.token(user, "user"))) {
      ready(node);
      client.subscribe("user:" + user);
      await().atMost(Duration.ofSeconds(120)).until(() -> client.has("reminder", "user:" + user));
      var data = client.first("reminder").path("data");
      assertEquals("a-1", data.path("application_id").asText());
      assertEquals(1, data.path("step").asInt());
      assertEquals(due.toString(), data.path("due_at").asText());
      assertTrue(!Instant.parse(data.path("sent_at").asText()).isBefore(due));
    }
  }

  static Http ready(Node node) {
    var http = new Http(node.httpPort());
    await().atMost(Duration.ofSeconds(90)).until(() -> http.get("/health/ready", null).status() == 200);
    return http;
  }

  static long remindersOffsets(Http http) {
    var list = http.get("/api/v1/admin/projections", ADMIN).json().path("projections");
    long n = 0;
    for (var p : list) {
      if (p.path("name").asText().equals(ReminderProjection.NAME) && !p.path("offset").isNull()) n++;
    }
    return n;
  }
}
