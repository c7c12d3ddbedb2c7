package io.hireloop.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.Node;
import io.hireloop.testing.Events;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/analytics/insight-quality} on a real node: users who answered a rewrite suggestion (two accepted,
 * two rejected) with applications before and after it; the report reads their journals and counts them per group and
 * period. Too few users for an estimate: the counts and a note, no effect. Not for user tokens.
 */
class InsightQualityApiTest {
  static Node node;
  static Http http;
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("iq", Map.of());
    http = TestNodes.readyHttp(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void theReportCountsWhoActedAndTheirApplicationsAroundTheShowing() {
    var shown = Instant.now().minus(Duration.ofDays(40));
    for (int u = 0; u < 4; u++) {
      var user = "iq-u" + u;
      var events = new ArrayList<Map<String, Object>>();
      for (int a = 0; a < 6; a++) {
        // three applications in the 28 days before the suggestion, three after; outcomes known (older than 21 days)
        var at = shown.plus(Duration.ofDays(a < 3 ? -20 + 5 * a : 1 + 4 * (a - 3)));
        var app = user + "-a" + a;
        events.add(Events.created("c-" + app, user, app, at));
        events.add(Events.status("s-" + app, user, app, at.plus(Duration.ofDays(2)), a % 2 == 0 ? "interview" : "rejected"));
      }
      var feedback = Events.base("f-" + user, u < 2 ? "SUGGESTION_ACCEPTED" : "SUGGESTION_REJECTED", user, shown);
      feedback.put("suggestion_type", "rewrite");
      feedback.put("suggested_content", Map.of("text", "quantify the impact"));
      events.add(feedback);
      var ingest = http.post("/api/v1/events", SERVICE, Events.batch(events));
      assertEquals(200, ingest.status(), ingest.body());
    }
    assertEquals(403, http.get("/api/v1/analytics/insight-quality", TestNodes.token("iq-u0", "user")).status());
    JsonNode doc = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(
        () -> http.get("/api/v1/analytics/insight-quality", ADMIN).json(), d -> d.path("users_read").asInt() == 4);
    JsonNode rewrite = null;
    for (var k : doc.path("kinds")) if (k.path("kind").asText().equals("suggestion_rewrite")) rewrite = k;
    assertTrue(rewrite != null, doc.toString());
    assertEquals(4, rewrite.path("shown_users").asInt());
    assertEquals(2, rewrite.path("acted_users").asInt());
    assertEquals(6, rewrite.path("acted").path("before").path("applications").asInt(), rewrite.toString());
    assertEquals(6, rewrite.path("acted").path("after").path("applications").asInt(), rewrite.toString());
    assertEquals(6, rewrite.path("did_not_act").path("after").path("applications").asInt(), rewrite.toString());
    // a0, a2 interviewed before the showing; a4 after: 4 of 6 before and 2 of 6 after for each pair of users
    assertEquals(4, rewrite.path("acted").path("before").path("interviews").asInt(), rewrite.toString());
    assertEquals(2, rewrite.path("did_not_act").path("after").path("interviews").asInt(), rewrite.toString());
    assertEquals("did_wild_cluster_bootstrap", rewrite.path("outcome_effect").path("method").asText(), rewrite.toString());
    assertEquals(0.0, rewrite.path("outcome_effect").path("estimate").asDouble(), 1e-9, "the same pattern in both groups: " + rewrite);
    assertEquals("interview_rate", doc.path("outcome").asText());
  }
}
