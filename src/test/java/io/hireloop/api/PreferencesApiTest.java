package io.hireloop.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.Node;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET/POST /api/v1/users/{id}/preferences on a real node: stored in the journal, checked, authorised. */
class PreferencesApiTest {
  static Node node;
  static Http http;
  static final String ADMIN = TestNodes.token("ops", "admin");

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("prefs", Map.of());
    http = new Http(node.httpPort());
    await().atMost(Duration.ofSeconds(90)).until(() -> http.get("/health/ready", null).status() == 200);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void setGetValidateAndAuthorise() {
    var dora = TestNodes.token("u-dora", "user");
    var path = "/api/v1/users/u-dora/preferences";

    var initial = http.get(path, dora);
    assertEquals(200, initial.status(), initial.body());
    assertEquals("u-dora", initial.json().path("user_id").asText());
    assertFalse(initial.json().path("market_insights_opt_out").asBoolean(true));
    assertFalse(initial.json().path("experiments_opt_out").asBoolean(true));
    assertTrue(initial.json().path("updated_at").isNull());

    var set = http.post(path, dora, Map.of("market_insights_opt_out", true));
    assertEquals(200, set.status(), set.body());
    assertTrue(set.json().path("market_insights_opt_out").asBoolean());
    assertFalse(set.json().path("experiments_opt_out").asBoolean(true));
    assertFalse(set.json().path("updated_at").isNull());

    // wrong type and unknown field: 400 naming the fields, nothing stored
    var bad = http.post(path, dora, "{\"experiments_opt_out\": \"yes\", \"newsletter\": true}");
    assertEquals(400, bad.status(), bad.body());
    assertEquals("validation_failed", bad.errorCode());
    var fields = bad.json().path("error").path("details").toString();
    assertTrue(fields.contains("experiments_opt_out") && fields.contains("newsletter"), fields);

    // the admin reads the same; the other flag kept its value
    var admin = http.post(path, ADMIN, Map.of("experiments_opt_out", true));
    assertEquals(200, admin.status(), admin.body());
    assertTrue(admin.json().path("market_insights_opt_out").asBoolean());
    assertTrue(admin.json().path("experiments_opt_out").asBoolean());
    assertEquals(admin.json(), http.get(path, dora).json());

    // stored as a journal event of the user
    var events = http.get("/api/v1/users/u-dora/events", ADMIN).json().path("events");
    assertEquals(2, events.size());
    assertEquals("PREFERENCES_CHANGED", events.get(1).path("event_type").asText());
    assertTrue(events.get(1).path("experiments_opt_out").asBoolean());

    // another user and a service may not
    assertEquals(403, http.get(path, TestNodes.token("u-eve", "user")).status());
    assertEquals(403, http.post(path, TestNodes.token("svc", "service"), Map.of("market_insights_opt_out", false)).status());
  }
}
