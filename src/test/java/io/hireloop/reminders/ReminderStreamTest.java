package io.hireloop.reminders;

import static io.hireloop.testing.Events.batch;
import static io.hireloop.testing.Events.created;
import static io.hireloop.testing.Events.status;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.Node;
import io.hireloop.testing.Http;
import io.hireloop.testing.StreamClient;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Follow-up reminders end to end with delays of seconds (6 s, 20 s, 34 s): projection → Cassandra →
 * scheduler singleton → entity → WebSocket. A response cancels the later ones; a late import gets no flood.
 */
class ReminderStreamTest {
  static final String SERVICE = TestNodes.token("svc", "service");
  static Node node;
  static Http http;

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("remind", Map.of("hireloop.reminders.after", List.of("6s", "20s", "34s"),
        "hireloop.reminders.poll-interval", "1s", "hireloop.reminders.enabled", true,
        // the first step follows the live orchestrator config (in days): keep it at the schedule's 6 s
        "hireloop.configs.defaults.orchestrator.follow_up_after_days", 6.0 / 86400));
    http = new Http(node.httpPort());
    await().atMost(Duration.ofSeconds(90)).until(() -> http.get("/health/ready", null).status() == 200);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static List<Integer> steps(StreamClient client, String applicationId) {
    return client.received.stream().filter(m -> m.path("type").asText().equals("reminder"))
        .map(m -> m.path("data")).filter(d -> d.path("application_id").asText().equals(applicationId))
        .map(d -> d.path("step").asInt()).toList();
  }

  @Test
  void remindersArriveOnceAndAResponseCancelsTheRest() {
    var user = "u-remind-" + Long.toString(System.nanoTime(), 36);
    try (var client = new StreamClient(node.httpPort(), TestNodes.token(user, "user"))) {
      client.subscribe("user:" + user);
      await().atMost(Duration.ofSeconds(30)).until(() -> client.received.stream().anyMatch(m -> m.path("type").asText().equals("subscribed")));
      var now = Instant.now();
      var ingest = http.post("/api/v1/events", SERVICE, batch(
          created("rm-1", user, "a-1", now),
          created("rm-2", user, "a-2", now),
          // a late import: 21 s old, so the 6 s reminder is already replaced by the 20 s one
          created("rm-3", user, "a-3", now.minusSeconds(21))));
      assertEquals(200, ingest.status(), ingest.body());

      await().atMost(Duration.ofSeconds(60)).until(() -> steps(client, "a-2").contains(1));
      var answer = http.post("/api/v1/events", SERVICE, batch(status("rm-4", user, "a-2", Instant.now(), "viewed")));
      assertEquals(200, answer.status(), answer.body());

      await().atMost(Duration.ofSeconds(120)).until(() -> steps(client, "a-1").contains(3) && steps(client, "a-3").contains(3));
      // a-2's later reminders are settled as answered by the entity, not sent
      await().atMost(Duration.ofSeconds(60)).until(() -> answered() >= 2);

      assertEquals(List.of(1, 2, 3), steps(client, "a-1"));
      assertEquals(List.of(1), steps(client, "a-2"));
      assertEquals(List.of(2, 3), steps(client, "a-3"));

      JsonNode first = client.received.stream().filter(m -> m.path("type").asText().equals("reminder")
          && m.path("data").path("application_id").asText().equals("a-1")).findFirst().orElseThrow().path("data");
      assertEquals("user:" + user, client.first("reminder").path("topic").asText());
      assertEquals(user, first.path("user_id").asText());
      assertEquals("job-a-1", first.path("job_id").asText());
      assertEquals(now.plusSeconds(6).toString(), first.path("due_at").asText());
      assertEquals(0, first.path("days_since_application").asInt());

      // stored in the journal as REMINDER_SENT
      var events = http.get("/api/v1/users/" + user + "/events", SERVICE).json().path("events");
      long sent = 0;
      for (var e : events) if (e.path("event_type").asText().equals("REMINDER_SENT")) sent++;
      assertEquals(6, sent);
    }
  }

  static double answered() {
    return http.get("/metrics", null).body().lines()
        .filter(l -> l.startsWith("hireloop_reminders_total{outcome=\"answered\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
