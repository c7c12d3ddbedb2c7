package io.hireloop.quality;

import static io.hireloop.testing.Events.batch;
import static io.hireloop.testing.Events.created;
import static io.hireloop.testing.Events.status;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.Node;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Invalid and valid events through the API; the report's numbers equal what was sent. */
class DataQualityApiTest {
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static Node node;
  static Http http;

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("dq", Map.of());
    http = new Http(node.httpPort());
    await().atMost(Duration.ofSeconds(90)).until(() -> http.get("/health/ready", null).status() == 200);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static Map<String, Object> withIndustry(Map<String, Object> event) {
    @SuppressWarnings("unchecked")
    var ctx = (Map<String, Object>) event.get("context");
    @SuppressWarnings("unchecked")
    var job = new LinkedHashMap<>((Map<String, Object>) ctx.get("job_characteristics"));
    job.put("industry", "software");
    var ctx2 = new LinkedHashMap<>(ctx);
    ctx2.put("job_characteristics", job);
    var e = new LinkedHashMap<>(event);
    e.put("context", ctx2);
    return e;
  }

  @Test
  void rejectionsCompletenessAndReportingDelay() {
    var t = Instant.now().minus(Duration.ofDays(10));
    // rejected: a fit score out of range twice (two requests), and a status change for an unknown application
    var badFit = new LinkedHashMap<>(created("q-bad", "u-q1", "a-9", t));
    @SuppressWarnings("unchecked")
    var ctx = new LinkedHashMap<>((Map<String, Object>) badFit.get("context"));
    ctx.put("fit_score", 150);
    badFit.put("context", ctx);
    assertEquals(400, http.post("/api/v1/events", SERVICE, batch(badFit)).status());
    assertEquals(400, http.post("/api/v1/events", SERVICE, batch(badFit)).status());
    assertEquals(400, http.post("/api/v1/events", SERVICE, batch(status("q-x", "u-q1", "a-404", t, "viewed"))).status());

    // accepted: three applications (two with the optional industry), two status changes reported 2 and 5 days late
    var now = Instant.now();
    var ok = http.post("/api/v1/events", SERVICE, batch(
        withIndustry(created("q-1", "u-q1", "a-1", t)),
        created("q-2", "u-q1", "a-2", t),
        withIndustry(created("q-3", "u-q2", "a-3", t)),
        status("q-4", "u-q1", "a-1", now.minus(Duration.ofDays(2)), "interview"),
        status("q-5", "u-q2", "a-3", now.minus(Duration.ofDays(5)), "rejected")));
    assertEquals(200, ok.status(), ok.body());

    await().atMost(Duration.ofSeconds(90)).until(() -> report().path("outcome_reporting_delay").path("count").asInt() == 2
        && report().path("completeness").path("APPLICATION_CREATED").path("events").asInt() == 3);
    var r = report();
    var failures = r.path("validation_failures");
    assertEquals(3, failures.path("total").asInt(), failures.toString());
    assertEquals(2, failures.path("by_rule").path("range:context.fit_score").asInt());
    assertEquals(1, failures.path("by_rule").path("unknown_application:application_id").asInt());

    var created = r.path("completeness").path("APPLICATION_CREATED");
    assertEquals(2.0 / 3, created.path("present_fraction").path("context.job_characteristics.industry").asDouble(), 1e-9);
    var status = r.path("completeness").path("STATUS_CHANGED");
    assertEquals(2, status.path("events").asInt());
    assertEquals(1.0, status.path("present_fraction").path("outcome.days_to_response").asDouble(), 1e-9);
    assertEquals(0.0, status.path("present_fraction").path("outcome.response_type").asDouble(), 1e-9);

    var delay = r.path("outcome_reporting_delay");
    double day = 86400;
    assertEquals(5 * day, delay.path("max_seconds").asDouble(), 120);
    assertEquals(3.5 * day, delay.path("mean_seconds").asDouble(), 120);
    assertEquals(1, delay.path("histogram").get(3).path("count").asInt(), delay.toString()); // (1 d, 3 d]: the 2-day one
    assertEquals(1, delay.path("histogram").get(4).path("count").asInt(), delay.toString()); // (3 d, 7 d]: the 5-day one
  }

  static JsonNode report() {
    var reply = http.get("/api/v1/analytics/data-quality", ADMIN);
    assertEquals(200, reply.status(), reply.body());
    return reply.json();
  }

  @Test
  void adminOnly() {
    assertEquals(403, http.get("/api/v1/analytics/data-quality", SERVICE).status());
    var metrics = http.get("/metrics", null).body();
    assertTrue(metrics.contains("hireloop_validation_failures_total"), "metrics list the validation failures");
  }
}
