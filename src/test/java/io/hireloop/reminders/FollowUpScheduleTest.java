package io.hireloop.reminders;

import static io.hireloop.testing.Events.batch;
import static io.hireloop.testing.Events.created;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.Node;
import io.hireloop.journey.LiveReminderPolicy;
import io.hireloop.journey.ReminderPolicy;
import io.hireloop.platform.Json;
import io.hireloop.recommendations.Drafts;
import io.hireloop.recommendations.Recommendation;
import io.hireloop.recommendations.Recommendations;
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
 * The reminder schedule follows the live orchestrator config: a node whose default {@code follow_up_after_days} is one
 * day sends nothing within a test, and after a config version with 0.0001 days (8.64 s) an application's first
 * reminder falls due 8.64 s after it.
 */
class FollowUpScheduleTest {
  static final String SERVICE = TestNodes.token("svc", "service");
  static Node node;
  static Http http;

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("followup", Map.of("hireloop.reminders.after", List.of("6s", "20s", "34s"),
        "hireloop.reminders.poll-interval", "1s", "hireloop.reminders.enabled", true, "hireloop.reminders.config-refresh", "2s",
        "hireloop.configs.defaults.orchestrator.follow_up_after_days", 1));
    http = TestNodes.readyHttp(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void theScheduleShiftsToTheConfiguredFirstStep() {
    var base = new ReminderPolicy(List.of(Duration.ofDays(7), Duration.ofDays(14), Duration.ofDays(30)));
    assertEquals(List.of(Duration.ofDays(5), Duration.ofDays(12), Duration.ofDays(28)), base.withFirst(Duration.ofDays(5)).after());
    assertEquals(base, base.withFirst(Duration.ofDays(7)));
    var values = Json.read("{\"follow_up_after_days\": 0.5}");
    assertEquals(Duration.ofHours(12), FollowUpSchedule.policyFor(base, values).orElseThrow().after().get(0));
    for (var bad : List.of("{}", "{\"follow_up_after_days\": 0}", "{\"follow_up_after_days\": -2}", "{\"follow_up_after_days\": \"7\"}")) {
      assertTrue(FollowUpSchedule.policyFor(base, Json.read(bad)).isEmpty(), bad);
    }
  }

  @Test
  void aNewOrchestratorVersionChangesWhenTheFirstReminderFallsDue() {
    var live = LiveReminderPolicy.get(node.system());
    await().atMost(Duration.ofSeconds(30)).until(() -> live.current().after().get(0).equals(Duration.ofDays(1)));
    assertEquals(Duration.ofDays(1).plusSeconds(14), live.current().after().get(1), "later steps keep their distance");

    var rec = Recommendations.get(node.system()).submit(Drafts.strong("followup:days", "orchestrator",
        "{\"follow_up_after_days\": 0.0001}", Recommendation.Risk.LOW)).toCompletableFuture().join().recommendation();
    assertEquals(Recommendation.Status.APPLIED, rec.status(), rec.toString());
    var first = Duration.ofMillis(8640);
    await().atMost(Duration.ofSeconds(30)).until(() -> live.current().after().get(0).equals(first));

    var user = "u-followup-" + Long.toString(System.nanoTime(), 36);
    try (var client = new StreamClient(node.httpPort(), TestNodes.token(user, "user"))) {
      client.subscribe("user:" + user);
      await().atMost(Duration.ofSeconds(30)).until(() -> client.received.stream().anyMatch(m -> m.path("type").asText().equals("subscribed")));
      var now = Instant.now();
      assertEquals(200, http.post("/api/v1/events", SERVICE, batch(created("fu-1", user, "a-1", now))).status());
      await().atMost(Duration.ofSeconds(60)).until(() -> client.received.stream().anyMatch(m -> m.path("type").asText().equals("reminder")));
      var reminder = client.first("reminder").path("data");
      assertEquals(1, reminder.path("step").asInt());
      assertEquals(now.plus(first).toString(), reminder.path("due_at").asText());
      assertEquals("PT8.64S", reminder.path("after").asText());
      assertTrue(!Instant.parse(reminder.path("sent_at").asText()).isBefore(now.plus(first)), reminder.toString());
    }
  }
}
