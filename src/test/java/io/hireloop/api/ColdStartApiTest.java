package io.hireloop.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.Node;
import io.hireloop.testing.Events;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cold start and onboarding on a real node: 24 peers (12 listing kubernetes with 3 interviews in 4 applications, 12
 * listing excel with none) reach the user-profiles read model through the journal; a new user's questions, answers and
 * cold start; their own applications take weight from the prior; access rules and errors.
 */
class ColdStartApiTest {
  static Node node;
  static Http http;
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("coldstart", Map.of("hireloop.cold-start.population-refresh", "1s"));
    http = TestNodes.readyHttp(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void fromTheProfileAloneThenBlendedWithTheUsersOwnOutcomes() {
    var t0 = Instant.now().minus(20, ChronoUnit.DAYS);
    var events = new ArrayList<Map<String, Object>>();
    for (int i = 0; i < 24; i++) {
      var user = "cs-peer-" + i;
      boolean strong = i < 12;
      var put = http.put("/api/v1/users/" + user + "/profile", SERVICE, Map.of("target_roles", List.of("SRE"), "seniority", "mid",
          "skills", List.of(strong ? "kubernetes" : "excel"), "locations", List.of("Berlin")));
      assertEquals(200, put.status(), put.body());
      for (int a = 0; a < 4; a++) {
        events.add(Events.created(user + "-c" + a, user, "app-" + a, t0.plusSeconds(a * 3600L)));
        if (strong && a < 3) events.add(Events.status(user + "-s" + a, user, "app-" + a, t0.plus(Duration.ofDays(2 + a)), "phone_screen"));
      }
    }
    var ingest = http.post("/api/v1/events", SERVICE, Events.batch(events));
    assertEquals(200, ingest.status(), ingest.body());

    var user = TestNodes.token("cs-new", "user");
    assertEquals(404, http.get("/api/v1/users/cs-new/cold-start", user).status(), "no profile, no events: unknown");
    assertEquals(404, http.get("/api/v1/users/cs-new/onboarding/questions", user).status());
    assertEquals(200, http.put("/api/v1/users/cs-new/profile", user, Map.of()).status());

    // the read side catches up in the background: wait until every peer weighs in
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
        http.get("/api/v1/users/cs-new/onboarding/questions", user).json().path("peers").asInt() == 24);
    var q = http.get("/api/v1/users/cs-new/onboarding/questions", user).json();
    assertEquals(6, q.path("questions").size(), q.toString());
    assertEquals("skills", q.path("questions").get(0).path("field").asText(), "the field that splits the rate comes first: " + q);
    assertTrue(q.path("questions").get(0).path("expected_gain").asDouble() > 0);
    assertEquals(2, q.path("questions").get(0).path("options").size(), q.toString());

    // answers merge into the profile (a PROFILE_UPDATED each)
    assertEquals(200, http.post("/api/v1/users/cs-new/onboarding/answers", user, Map.of("skills", List.of("Kubernetes"))).status());
    var seniority = http.post("/api/v1/users/cs-new/onboarding/answers", user, Map.of("seniority", "mid"));
    assertEquals(200, seniority.status(), seniority.body());
    var profile = http.get("/api/v1/users/cs-new/profile", user).json();
    assertEquals("mid", profile.path("seniority").asText());
    assertEquals("Kubernetes", profile.path("skills").get(0).asText(), "the earlier answer is kept");
    var after = http.get("/api/v1/users/cs-new/onboarding/questions", user).json();
    assertTrue(after.path("answered").toString().contains("skills"), after.toString());
    assertFalse(after.path("questions").toString().contains("\"skills\""), after.toString());

    var cs = http.get("/api/v1/users/cs-new/cold-start", user).json();
    assertEquals("similar_users", cs.path("basis").asText(), cs.toString());
    assertEquals(12, cs.path("segment").path("users").asInt(), cs.toString());
    assertEquals(0.75, cs.path("peer_benchmark").path("interview_rate").asDouble(), 1e-9);
    assertEquals(0.375, cs.path("peer_benchmark").path("all_users_rate").asDouble(), 1e-9);
    assertEquals(0.75, cs.path("prediction").path("interview_rate").asDouble(), 1e-9);
    assertEquals(1.0, cs.path("prediction").path("prior_weight").asDouble(), 1e-9);
    assertEquals(0, cs.path("prediction").path("own_applications").asInt());
    assertEquals("sre", cs.path("predicted_strong").path("roles").get(0).path("value").asText());
    assertEquals(0, cs.path("first_actions").size());
    assertTrue(cs.path("notes").toString().contains("no attribution report"), cs.toString());
    assertFalse(cs.toString().contains("cs-peer-"), "peers are never named");

    // the user's own applications arrive: the prior's weight falls to m / (m + n)
    var own = new ArrayList<Map<String, Object>>();
    for (int a = 0; a < 5; a++) own.add(Events.created("cs-new-c" + a, "cs-new", "own-" + a, t0.plusSeconds(a * 60L)));
    assertEquals(200, http.post("/api/v1/events", SERVICE, Events.batch(own)).status());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
        http.get("/api/v1/users/cs-new/cold-start", user).json().path("prediction").path("own_applications").asInt() == 5);
    var blended = http.get("/api/v1/users/cs-new/cold-start", SERVICE).json().path("prediction");
    assertEquals(20.0 / 25, blended.path("prior_weight").asDouble(), 1e-6);
    assertEquals(0.75 * 20 / 25, blended.path("interview_rate").asDouble(), 1e-6);

    // the user's row of the read model is personal data: it is in their export
    var export = io.hireloop.platform.Json.read(http.get("/api/v1/users/cs-new/export", user).body());
    var rows = export.path("read_models").path("user_profiles");
    assertEquals(1, rows.size(), export.path("read_models").toString());
    assertEquals(5, rows.get(0).path("applications").asInt());

    // only the user, a service or an admin; bad answers are 400 and change nothing
    assertEquals(403, http.get("/api/v1/users/cs-new/cold-start", TestNodes.token("cs-peer-1", "user")).status());
    assertEquals(403, http.post("/api/v1/users/cs-new/onboarding/answers", TestNodes.token("cs-peer-1", "user"),
        Map.of("seniority", "lead")).status());
    assertEquals(200, http.get("/api/v1/users/cs-new/onboarding/questions", ADMIN).status());
    var bad = http.post("/api/v1/users/cs-new/onboarding/answers", user, Map.of("seniority", "guru", "salary", 1));
    assertEquals(400, bad.status(), bad.body());
    assertTrue(bad.body().contains("salary") && bad.body().contains("seniority"), bad.body());
    assertEquals(400, http.post("/api/v1/users/cs-new/onboarding/answers", user, Map.of()).status());
    assertEquals("mid", http.get("/api/v1/users/cs-new/profile", user).json().path("seniority").asText());
  }
}
