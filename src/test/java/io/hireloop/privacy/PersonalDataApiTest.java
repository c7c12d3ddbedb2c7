package io.hireloop.privacy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.Node;
import io.hireloop.platform.Json;
import io.hireloop.testing.Events;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user's own data on a real node: the profile (PUT/GET, stored in the journal, validated) and the export (the journal
 * and the user's read-model rows, only to the user or an admin).
 */
class PersonalDataApiTest {
  static Node node;
  static Http http;
  static final String ADMIN = TestNodes.token("ops", "admin");

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("export", Map.of());
    http = TestNodes.readyHttp(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void theProfileIsValidatedStoredInTheJournalAndReadBack() {
    var user = TestNodes.token("u-pro", "user");
    var path = "/api/v1/users/u-pro/profile";
    var empty = http.get(path, user);
    assertEquals(200, empty.status(), empty.body());
    assertEquals(0, empty.json().path("target_roles").size());
    assertTrue(empty.json().path("updated_at").isNull());

    var set = http.put(path, user, Map.of("target_roles", java.util.List.of("Backend Engineer", "SRE"), "seniority", "mid",
        "years_experience", 4.5, "industries", java.util.List.of("software"), "locations", java.util.List.of("Berlin")));
    assertEquals(200, set.status(), set.body());
    var read = http.get(path, TestNodes.token("svc", "service")).json();
    assertEquals("mid", read.path("seniority").asText());
    assertEquals(2, read.path("target_roles").size());
    assertEquals(0, read.path("skills").size(), "a field left out is cleared");
    assertFalse(read.path("updated_at").isNull());

    // unknown field, wrong seniority, years out of range, a blank item: 400 naming each, nothing stored
    var bad = http.put(path, user, "{\"seniority\": \"guru\", \"years_experience\": 99, \"skills\": [\" \"], \"salary\": 1}");
    assertEquals(400, bad.status(), bad.body());
    var details = bad.json().path("error").path("details").toString();
    for (var f : new String[] {"seniority", "years_experience", "skills[0]", "salary"}) assertTrue(details.contains(f), f + " in " + details);
    var events = http.get("/api/v1/users/u-pro/events", ADMIN).json().path("events");
    assertEquals(1, events.size(), events.toString());
    assertEquals("PROFILE_UPDATED", events.get(0).path("event_type").asText());
    assertEquals("mid", http.get(path, user).json().path("seniority").asText());

    assertEquals(403, http.put(path, TestNodes.token("u-other", "user"), Map.of("seniority", "lead")).status());
  }

  @Test
  void theUsersJournalAndReadModelRowsOnlyToTheUserOrAnAdmin() {
    var service = TestNodes.token("svc", "service");
    var t0 = Instant.parse("2026-11-02T09:00:00Z");
    var r = http.post("/api/v1/events", service, Events.batch(
        Events.created("ex-1", "u-ex", "a-1", t0),
        Events.created("ex-2", "u-ex", "a-2", t0.plusSeconds(3600)),
        Events.status("ex-3", "u-ex", "a-1", t0.plus(Duration.ofDays(3)), "phone_screen"),
        Events.created("ex-4", "u-other", "a-9", t0)));
    assertEquals(200, r.status(), r.body());
    // the read side catches up in the background: the performance read model is one of the exported tables
    await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/api/v1/users/u-ex/performance", service).json()
        .path("total_applications").asInt() == 2);

    var own = http.get("/api/v1/users/u-ex/export", TestNodes.token("u-ex", "user"));
    assertEquals(200, own.status(), own.body());
    var doc = Json.read(own.body());
    assertEquals("u-ex", doc.path("user_id").asText());
    var journal = doc.path("journal");
    assertEquals(3, journal.size(), journal.toString());
    assertEquals("ex-1", journal.get(0).path("event_id").asText());
    assertFalse(own.body().contains("u-other"), "another user's data never appears");
    var models = doc.path("read_models");
    assertEquals(1, models.path("user_performance").size(), models.toString());
    assertEquals("u-ex", models.path("user_performance").get(0).path("user_id").asText());
    await().atMost(Duration.ofSeconds(60)).until(() -> Json.read(http.get("/api/v1/users/u-ex/export", ADMIN).body())
        .path("read_models").path("training_examples").size() >= 3); // two applications and the user's history row
    assertTrue(doc.path("notes").size() > 0);

    assertEquals(403, http.get("/api/v1/users/u-ex/export", TestNodes.token("u-other", "user")).status());
    assertEquals(403, http.get("/api/v1/users/u-ex/export", service).status());
    var nobody = Json.read(http.get("/api/v1/users/u-nobody/export", ADMIN).body());
    assertEquals(0, nobody.path("journal").size());
  }
}
