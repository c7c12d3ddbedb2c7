package io.hireloop.experiment;

import static io.hireloop.testing.Events.batch;
import static io.hireloop.testing.Events.created;
import static io.hireloop.testing.Events.status;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.Node;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ramps, layers with a holdout, mid-flight allocation changes and Thompson updates over HTTP on one real
 * node (shared Cassandra), and stickiness when the node restarts on the same Cassandra.
 */
public class AllocationHttpTest {
  static final String PREFIX = "allochttp";
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static Node node;
  static Http http;

  @BeforeAll
  static void start() {
    node = TestNodes.startShared(PREFIX, Map.of());
    http = new Http(node.httpPort());
    await().atMost(Duration.ofSeconds(90)).until(() -> http.get("/health/ready", null).status() == 200);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  /** The results test's definition (passes the ethics checks), in {@code layer} with {@code mode} (null: defaults). */
  public static Map<String, Object> definition(String id, String layer, String mode) {
    var def = ExperimentResultsTest.definition(id);
    if (layer != null) def.put("layer", layer);
    if (mode != null) def.put("allocation_mode", mode);
    return def;
  }

  static JsonNode assign(String id, String user) {
    var r = http.get("/api/v1/experiments/" + id + "/assignment?user_id=" + user, SERVICE);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  static int events(String user) {
    return http.get("/api/v1/users/" + user + "/events", SERVICE).json().path("events").size();
  }

  /** user → variant of the users in the experiment; users outside get the control's value and no exposure. */
  static Map<String, String> assignAll(String id, String prefix, int users) {
    var in = new LinkedHashMap<String, String>();
    for (int u = 0; u < users; u++) {
      var a = assign(id, prefix + u);
      if (a.path("in_experiment").asBoolean()) {
        in.put(prefix + u, a.path("variant_id").asText());
      } else {
        assertEquals("control", a.path("variant_id").asText());
        assertEquals(60, a.path("value").asInt());
      }
    }
    return in;
  }

  @Test
  void rampsNeverMoveExposedUsersAndOutsidersGetControlWithoutExposure() {
    String id = "exp-ramp-http";
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, definition(id, null, null)).status());
    assertEquals(200, http.post("/api/v1/experiments/" + id + "/ramp", ADMIN, Map.of("traffic", 0.1)).status());
    assertEquals(400, http.post("/api/v1/experiments/" + id + "/ramp", ADMIN, Map.of("traffic", 1.5)).status());
    assertEquals(403, http.post("/api/v1/experiments/" + id + "/ramp", SERVICE, Map.of("traffic", 0.5)).status());
    assertEquals(200, http.post("/api/v1/experiments/" + id + "/start", ADMIN, "{}").status());
    int users = 200;
    var at10 = assignAll(id, "ramp-u", users);
    assertTrue(at10.size() > 5 && at10.size() < 45, "about 10% in: " + at10.size());
    String outsider = null;
    for (int u = 0; u < users && outsider == null; u++) if (!at10.containsKey("ramp-u" + u)) outsider = "ramp-u" + u;
    assertEquals(0, events(outsider), "no exposure outside the traffic");
    assertEquals("outside_traffic", assign(id, outsider).path("reason").asText());

    var ramped = http.post("/api/v1/experiments/" + id + "/ramp", ADMIN, Map.of("traffic", 0.5));
    assertEquals(200, ramped.status(), ramped.body());
    assertEquals(0.5, ramped.json().path("allocation").path("traffic").asDouble());
    var at50 = assignAll(id, "ramp-u", users);
    at10.forEach((user, variant) -> assertEquals(variant, at50.get(user), user + " moved at 50%"));
    assertTrue(at50.size() > 70 && at50.size() < 130, "about 50% in: " + at50.size());

    var down = http.post("/api/v1/experiments/" + id + "/ramp", ADMIN, Map.of("traffic", 0.2));
    assertEquals(409, down.status(), down.body());
    assertTrue(down.json().path("error").path("message").asText().contains("already exposed"), down.body());

    assertEquals(200, http.post("/api/v1/experiments/" + id + "/ramp", ADMIN, Map.of("traffic", 1.0)).status());
    var at100 = assignAll(id, "ramp-u", users);
    assertEquals(users, at100.size());
    at50.forEach((user, variant) -> assertEquals(variant, at100.get(user), user + " moved at 100%"));
    assertEquals(1, events("ramp-u0"), "one exposure however often asked");

    var change = http.post("/api/v1/experiments/" + id + "/allocation", ADMIN,
        Map.of("variants", List.of(Map.of("variant_id", "control", "allocation", 0.2), Map.of("variant_id", "low", "allocation", 0.8))));
    assertEquals(409, change.status(), change.body());
    assertTrue(change.json().path("error").path("message").asText().contains("100% traffic"), change.body());

    var history = http.get("/api/v1/experiments/" + id + "/history", ADMIN).json().path("history");
    var ramps = new ArrayList<String>();
    history.forEach(h -> {
      if (h.path("type").asText().equals("ramp")) ramps.add(h.path("from").asText() + "->" + h.path("to").asText() + " by " + h.path("by").asText());
    });
    assertEquals(List.of("100.0%->10.0% by ops", "10.0%->50.0% by ops", "50.0%->100.0% by ops"), ramps);
  }

  @Test
  void anAllocationChangeMidFlightAppliesOnlyToTrafficNotYetAssigned() {
    String id = "exp-realloc-http";
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, definition(id, null, null)).status());
    http.post("/api/v1/experiments/" + id + "/ramp", ADMIN, Map.of("traffic", 0.5));
    assertEquals(200, http.post("/api/v1/experiments/" + id + "/start", ADMIN, "{}").status());
    var before = assignAll(id, "rea-u", 120);
    var change = http.post("/api/v1/experiments/" + id + "/allocation", ADMIN,
        Map.of("variants", List.of(Map.of("variant_id", "control", "allocation", 0.1), Map.of("variant_id", "low", "allocation", 0.9))));
    assertEquals(200, change.status(), change.body());
    var unknown = http.post("/api/v1/experiments/" + id + "/allocation", ADMIN,
        Map.of("variants", List.of(Map.of("variant_id", "control", "allocation", 0.5), Map.of("variant_id", "nope", "allocation", 0.5))));
    assertEquals(400, unknown.status(), unknown.body());
    http.post("/api/v1/experiments/" + id + "/ramp", ADMIN, Map.of("traffic", 1.0));
    var after = assignAll(id, "rea-u", 120);
    before.forEach((user, variant) -> assertEquals(variant, after.get(user), user + " moved"));
    var slices = http.get("/api/v1/experiments/" + id + "/allocation", ADMIN).json().path("allocation").path("slices");
    assertEquals(2, slices.size(), slices.toString());
    assertEquals(0.9, slices.get(1).path("weights").path("low").asDouble(), 1e-9);
  }

  @Test
  void experimentsOfALayerNeverShareAUserAndTheHoldoutIsInNone() {
    assertEquals(200, http.post("/api/v1/layers/search", ADMIN, Map.of("holdout", 0.2)).status());
    assertEquals(400, http.post("/api/v1/layers/search", ADMIN, Map.of("holdout", 0.95)).status());
    for (String id : List.of("exp-layer-a", "exp-layer-b", "exp-layer-c")) {
      assertEquals(201, http.post("/api/v1/experiments", ADMIN, definition(id, "search", null)).status());
    }
    var a = http.post("/api/v1/experiments/exp-layer-a/start", ADMIN, Map.of("layer_share", 0.4));
    assertEquals(200, a.status(), a.body());
    assertEquals(0.2, a.json().path("allocation").path("layer_range").path("from").asDouble(), 1e-9);
    assertEquals(200, http.post("/api/v1/experiments/exp-layer-b/start", ADMIN, "{}").status()); // the rest: [0.6, 1)
    var c = http.post("/api/v1/experiments/exp-layer-c/start", ADMIN, "{}");
    assertEquals(409, c.status(), c.body());
    assertTrue(c.json().path("error").path("message").asText().contains("no free range"), c.body());
    assertEquals("draft", http.get("/api/v1/experiments/exp-layer-c", ADMIN).json().path("status").asText());
    var holdoutUp = http.post("/api/v1/layers/search", ADMIN, Map.of("holdout", 0.3));
    assertEquals(409, holdoutUp.status(), holdoutUp.body());

    int users = 200;
    var inA = assignAll("exp-layer-a", "lay-u", users);
    var inB = assignAll("exp-layer-b", "lay-u", users);
    int neither = 0;
    for (int u = 0; u < users; u++) {
      String user = "lay-u" + u;
      assertFalse(inA.containsKey(user) && inB.containsKey(user), user + " is in both experiments of the layer");
      if (!inA.containsKey(user) && !inB.containsKey(user)) {
        neither++;
        assertTrue(Assignment.bucket("layer:search", user) < 0.2, user + " is in neither but not in the holdout");
        assertEquals(0, events(user));
      }
    }
    assertTrue(neither > 20 && neither < 65, "about 20% held out: " + neither);

    assertEquals(200, http.post("/api/v1/experiments/exp-layer-a/complete", ADMIN, "{}").status());
    await().atMost(Duration.ofSeconds(60)).until(() ->
        http.get("/api/v1/layers/search", ADMIN).json().path("experiments").size() == 1);
    var cStarted = http.post("/api/v1/experiments/exp-layer-c/start", ADMIN, "{}");
    assertEquals(200, cStarted.status(), cStarted.body());
    var layer = http.get("/api/v1/layers/search", ADMIN).json();
    assertEquals(0.2, layer.path("holdout").asDouble(), 1e-9);
    assertEquals(List.of("exp-layer-b", "exp-layer-c"), List.of(layer.path("experiments").get(0).path("experiment_id").asText(),
        layer.path("experiments").get(1).path("experiment_id").asText()));
  }

  @Test
  void aRangeLeftHeldByAnExperimentThatIsNotRunningIsReclaimedAtTheNextStart() {
    // a lost release message: the layer still holds all of itself for an experiment that does not run
    var held = org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(node.system())
        .entityRefFor(Layer.ENTITY_KEY, "leaky")
        .<Layer.Reply>ask(r -> new Layer.Do("reserve", "exp-ghost", null, "test", r), Duration.ofSeconds(30))
        .toCompletableFuture().join();
    assertEquals(new Layer.Range(0, 1), held.range());
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, definition("exp-leaky", "leaky", null)).status());
    var started = http.post("/api/v1/experiments/exp-leaky/start", ADMIN, "{}");
    assertEquals(200, started.status(), started.body());
    var layer = http.get("/api/v1/layers/leaky", ADMIN).json().path("experiments");
    assertEquals(1, layer.size(), layer.toString());
    assertEquals("exp-leaky", layer.get(0).path("experiment_id").asText());
  }

  @Test
  void thompsonUpdatesFavourTheBetterArmForNewUsersOnly() {
    String id = "exp-thompson-http";
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, definition(id, null, "thompson")).status());
    assertEquals(200, http.post("/api/v1/experiments/" + id + "/start", ADMIN, "{}").status());
    int users = 120;
    var first = assignAll(id, "th-u", users);
    assertEquals(users, first.size());
    var at = Instant.now();
    var events = new ArrayList<Map<String, Object>>();
    int[] k = new int[3]; // control users, low users, conversions
    first.forEach((user, variant) -> {
      boolean low = variant.equals("low");
      int n = k[low ? 1 : 0]++;
      events.add(created(user + "-c", user, "a-1", at));
      if (low ? n % 2 == 0 : n % 10 == 0) {
        events.add(status(user + "-s", user, "a-1", at.plusMillis(1), "interview"));
        k[2]++;
      }
    });
    assertEquals(200, http.post("/api/v1/events", SERVICE, batch(events)).status());
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      int eligible = 0, conversions = 0;
      for (var v : http.get("/api/v1/experiments/" + id + "/results", ADMIN).json().path("variants")) {
        eligible += v.path("eligible_users").asInt();
        conversions += v.path("conversions").asInt();
      }
      return eligible == users && conversions == k[2];
    });
    var update = http.post("/api/v1/experiments/" + id + "/allocation/thompson", ADMIN, "{}");
    assertEquals(200, update.status(), update.body());
    double lowWeight = update.json().path("allocation").path("weights").path("low").asDouble();
    assertTrue(lowWeight > 0.9, update.body());
    var arms = update.json().path("thompson");
    assertEquals(users, arms.get(0).path("users").asInt() + arms.get(1).path("users").asInt());

    var again = assignAll(id, "th-u", users);
    assertEquals(first, again, "exposed users keep their variant after an allocation update");
    var fresh = assignAll(id, "th-new-", 100);
    long low = fresh.values().stream().filter("low"::equals).count();
    assertTrue(low > 80, "new users follow the new weights: " + low + " of 100 low");
    var history = http.get("/api/v1/experiments/" + id + "/history", ADMIN).json().path("history");
    assertEquals("thompson_update", history.get(history.size() - 1).path("type").asText());
    var fixed = http.post("/api/v1/experiments/exp-realloc-http/allocation/thompson", ADMIN, "{}");
    assertTrue(fixed.status() == 409 || fixed.status() == 404, fixed.body()); // a fixed experiment (or not created yet)
  }

  @Test
  void usersWhoOptedOutGetControlAndNoExposure() {
    String id = "exp-optout-http";
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, definition(id, null, null)).status());
    assertEquals(200, http.post("/api/v1/experiments/" + id + "/start", ADMIN, "{}").status());
    // a user who opted out before ever being asked
    assertEquals(200, http.post("/api/v1/users/oo-1/preferences", TestNodes.token("oo-1", "user"), Map.of("experiments_opt_out", true)).status());
    for (int k = 0; k < 2; k++) {
      var a = assign(id, "oo-1");
      assertEquals(List.of("control", "false", "opted_out"),
          List.of(a.path("variant_id").asText(), a.path("in_experiment").asText(), a.path("reason").asText()), a.toString());
    }
    var events = http.get("/api/v1/users/oo-1/events", SERVICE).json().path("events");
    events.forEach(e -> assertFalse(e.path("event_type").asText().equals("EXPERIMENT_EXPOSED"), events.toString()));

    // users exposed first, then opting out: control within the node's cache TTL, nothing more recorded
    String treated = null;
    for (int u = 0; treated == null; u++) if (assign(id, "oo-t" + u).path("variant_id").asText().equals("low")) treated = "oo-t" + u;
    String user = treated;
    assertEquals(1, events(user));
    assertEquals(200, http.post("/api/v1/users/" + user + "/preferences", TestNodes.token(user, "user"), Map.of("experiments_opt_out", true)).status());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> assign(id, user).path("reason").asText().equals("opted_out"));
    assertEquals("control", assign(id, user).path("variant_id").asText());
    assertEquals(2, events(user), "the exposure and the preference change, no second exposure");
    // and back in: the recorded variant again
    assertEquals(200, http.post("/api/v1/users/" + user + "/preferences", TestNodes.token(user, "user"), Map.of("experiments_opt_out", false)).status());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> assign(id, user).path("in_experiment").asBoolean());
    assertEquals("low", assign(id, user).path("variant_id").asText());
  }

  @Test
  void assignmentsAndAllocationsAreStickyAcrossANodeRestart() {
    String id = "exp-restart-http";
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, definition(id, "restart-layer", null)).status());
    http.post("/api/v1/experiments/" + id + "/ramp", ADMIN, Map.of("traffic", 0.3));
    assertEquals(200, http.post("/api/v1/experiments/" + id + "/start", ADMIN, Map.of("layer_share", 0.5)).status());
    http.post("/api/v1/experiments/" + id + "/ramp", ADMIN, Map.of("traffic", 0.6));
    var before = assignAll(id, "rs-u", 150);
    var allocationBefore = http.get("/api/v1/experiments/" + id + "/allocation", ADMIN).body();
    var layerBefore = http.get("/api/v1/layers/restart-layer", ADMIN).body();

    node.close();
    node = TestNodes.startShared(PREFIX, Map.of());
    http = new Http(node.httpPort());
    await().atMost(Duration.ofSeconds(90)).until(() -> http.get("/health/ready", null).status() == 200);

    assertEquals(allocationBefore, http.get("/api/v1/experiments/" + id + "/allocation", ADMIN).body());
    assertEquals(layerBefore, http.get("/api/v1/layers/restart-layer", ADMIN).body());
    var after = assignAll(id, "rs-u", 150);
    assertEquals(before, after);
    assertEquals(1, events(before.keySet().iterator().next()));
  }
}
