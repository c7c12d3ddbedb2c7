package io.hireloop.api;

import static io.hireloop.testing.Events.batch;
import static io.hireloop.testing.Events.created;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.algorithms.Algorithm;
import io.hireloop.Node;
import io.hireloop.platform.Json;
import io.hireloop.testing.Events;
import io.hireloop.testing.Http;
import io.hireloop.testing.StreamClient;
import io.hireloop.testing.TestNodes;
import java.nio.charset.StandardCharsets;
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
 * Hostile requests against one real node (RELIABILITY.md "Hostile input"): bad tokens, and bodies that are too
 * large, too deep, too long, mistyped, not UTF-8, empty or not JSON, on the four writing endpoints. Each is a 4xx
 * with the error body, never a 5xx, and nothing is stored.
 */
class HostileInputTest {
  static final String PREVIOUS_SECRET = "previous-test-secret-0123456789";
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final Instant T = Instant.now().minus(Duration.ofDays(10));
  static final String USER = "u-hostile";
  static final String EXPERIMENT = "exp-hostile";
  static Node node;
  static Http http;

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("hostile", Map.of("hireloop.auth.previous-jwt-secrets", List.of(PREVIOUS_SECRET)));
    http = new Http(node.httpPort());
    await().atMost(Duration.ofSeconds(90)).until(() -> http.get("/health/ready", null).status() == 200);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  /** A writing endpoint, its token and a valid body (whose hostile variants are sent). */
  record Endpoint(String path, String token, Map<String, Object> valid, String hugeStringBody, String wrongTypeBody, String unknownFieldBody) {}

  static Map<String, Object> definition(String id) {
    var d = new LinkedHashMap<String, Object>();
    d.put("experiment_id", id);
    d.put("name", "hostile");
    d.put("hypothesis", "h");
    d.put("component", "job_discovery");
    d.put("parameter", "min_fit_score_to_apply");
    d.put("variants", List.of(Map.of("variant_id", "control", "value", 60, "allocation", 0.5),
        Map.of("variant_id", "t", "value", 70, "allocation", 0.5)));
    d.put("success_metric", "interview_rate");
    d.put("minimum_sample_size", 100);
    d.put("maximum_duration_days", 30);
    d.put("attribution_window_days", 7);
    d.put("expected_improvement", 0.1);
    d.put("rollback_plan", "revert");
    return d;
  }

  static final String HUGE = "x".repeat(900 * 1024);

  static List<Endpoint> endpoints() {
    var event = created("h-1", USER, "a-1", T);
    var hugeEvent = new LinkedHashMap<>(event);
    hugeEvent.put("job_id", HUGE);
    var wrongEvent = new LinkedHashMap<>(event);
    wrongEvent.put("context", Map.of("fit_score", "high"));
    var spec = definition(EXPERIMENT);
    var hugeSpec = new LinkedHashMap<>(spec);
    hugeSpec.put("variants", List.of(Map.of("variant_id", "control", "value", HUGE, "allocation", 0.5),
        Map.of("variant_id", "t", "value", 70, "allocation", 0.5)));
    var typoSpec = new LinkedHashMap<>(spec);
    typoSpec.put("allocaton_mode", "thompson");
    var context = Events.context(70, "target", true);
    var hugeContext = new LinkedHashMap<>(context);
    hugeContext.put("job_characteristics", Map.of("title", HUGE, "company", "c", "seniority", "s", "location", "l"));
    var prefs = "/api/v1/users/" + USER + "/preferences";
    return List.of(
        new Endpoint("/api/v1/events", SERVICE, batch(event), Json.write(batch(hugeEvent)),
            "{\"events\": {\"event_id\": 1}}", Json.write(batch(wrongEvent))),
        new Endpoint("/api/v1/experiments", ADMIN, spec, Json.write(hugeSpec),
            Json.write(Map.of("experiment_id", EXPERIMENT, "variants", "two")), Json.write(typoSpec)),
        new Endpoint("/api/v1/predictions/interview", SERVICE, Map.of("context", context, "user_id", USER),
            Json.write(Map.of("context", hugeContext)), "{\"context\": {\"fit_score\": \"high\"}}", "{\"context\": 7}"),
        new Endpoint(prefs, ADMIN, Map.of("market_insights_opt_out", true), Json.write(Map.of("market_insights_opt_out", HUGE)),
            "{\"market_insights_opt_out\": \"yes\"}", "{\"newsletter\": true}"));
  }

  /** 4xx with the error body; the status when given. */
  static void refused(String what, Http.Reply r, int status) {
    assertTrue(r.status() >= 400 && r.status() < 500, what + ": " + r.status() + " " + r.body());
    if (status > 0) assertEquals(status, r.status(), what + ": " + r.body());
    var error = r.json().path("error");
    assertFalse(error.path("code").asText().isEmpty(), what + ": " + r.body());
    assertFalse(error.path("message").asText().isEmpty(), what + ": " + r.body());
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code json} with a malformed byte inside its first string value. */
  static byte[] invalidUtf8(String json) {
    int at = json.indexOf(": \"") >= 0 ? json.indexOf(": \"") + 3 : json.indexOf(":\"") + 2;
    var head = utf8(json.substring(0, at));
    var tail = utf8(json.substring(at));
    var out = new byte[head.length + 2 + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    out[head.length] = (byte) 0xC3; // a lead byte followed by '(' is no UTF-8
    out[head.length + 1] = '(';
    System.arraycopy(tail, 0, out, head.length + 2, tail.length);
    return out;
  }

  /**
   * A 1.2 MiB body without a length: the node answers 413 once it has read 1 MiB and closes while the client may still
   * be sending. Closing a socket with unread bytes makes the node's kernel reset the connection, and the reset can
   * discard the answer before the client reads it — TCP, not the node — so a reset before any answer is tried again.
   */
  static Http.Reply streamedOverTheLimit(String path, String token) {
    IllegalStateException reset = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        return http.send("POST", path, token, "application/json", utf8("{\"pad\": \"" + "x".repeat(1200 * 1024) + "\"}"), true);
      } catch (IllegalStateException e) {
        if (!(e.getCause() instanceof java.io.IOException)) throw e;
        reset = e;
      }
    }
    throw reset;
  }

  @Test
  void hostileBodiesAre4xxWithTheErrorBodyAndStoreNothing() {
    for (var e : endpoints()) {
      var valid = Json.write(e.valid());
      var p = e.path();
      refused(p + " declared 2 MiB", http.postDeclaringLength(p, e.token(), 2L << 20, 64 * 1024), 413);
      refused(p + " streamed 1.2 MiB", streamedOverTheLimit(p, e.token()), 413);
      refused(p + " 10,000 levels deep", http.send("POST", p, e.token(), "application/json",
          utf8("{\"x\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}"), false), 400);
      refused(p + " 900 KB string", http.post(p, e.token(), e.hugeStringBody()), 400);
      refused(p + " wrong types", http.post(p, e.token(), e.wrongTypeBody()), 400);
      refused(p + " unknown or misplaced fields", http.post(p, e.token(), e.unknownFieldBody()), 400);
      refused(p + " an array", http.post(p, e.token(), "[1, 2]"), 400);
      refused(p + " null", http.post(p, e.token(), "null"), 400);
      var notUtf8 = http.send("POST", p, e.token(), "application/json", invalidUtf8(valid), false);
      refused(p + " invalid UTF-8", notUtf8, 400);
      assertEquals("malformed_json", notUtf8.errorCode(), notUtf8.body());
      refused(p + " empty", http.send("POST", p, e.token(), "application/json", new byte[0], false), 400);
      refused(p + " truncated", http.post(p, e.token(), valid.substring(0, valid.length() / 2)), 400);
      refused(p + " trailing garbage", http.post(p, e.token(), valid + " {\"again\": true}"), 400);
      refused(p + " text/plain", http.send("POST", p, e.token(), "text/plain", utf8(valid), false), 415);
      refused(p + " form", http.send("POST", p, e.token(), "application/x-www-form-urlencoded", utf8(valid), false), 415);
      refused(p + " no content type", http.send("POST", p, e.token(), null, utf8(valid), false), 415);
      refused(p + " PUT", http.send("PUT", p, e.token(), "application/json", utf8(valid), false), 405);
    }
    assertNothingStored();
  }

  @Test
  void anEventOutsideTheJournalsTimeRangeIsRefused() {
    // year -999,999,999 parses as ISO-8601 but overflows epoch milliseconds: it used to be stored and then fail
    // the read side's handlers on every retry of its slice
    for (var ts : List.of("-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "1969-12-31T23:59:59Z")) {
      var e = Events.base("h-ts", "MODE_CHANGED", USER, T);
      e.put("timestamp", ts);
      e.put("to_mode", "aggressive");
      e.put("reason", "r");
      e.put("metrics", Map.of("resume_score", 1, "total_applications", 1, "interview_rate", 0.1, "applications_last_7_days", 1));
      var r = http.post("/api/v1/events", SERVICE, batch(e));
      refused(ts, r, 400);
      assertEquals("events[0].timestamp", r.json().path("error").path("details").get(0).path("field").asText(), r.body());
    }
    assertNothingStored();
  }

  @Test
  void ingestIgnoresUnknownFieldsAndNeverStoresThem() {
    var e = new LinkedHashMap<>(created("h-tolerant", "u-tolerant", "a-1", T));
    e.put("nickname", "x".repeat(400));
    var ctx = new LinkedHashMap<>(Events.context(70, "target", true));
    ctx.put("mood", Map.of("deep", List.of(1, 2)));
    e.put("context", ctx);
    var r = http.post("/api/v1/events", SERVICE, batch(e));
    assertEquals(200, r.status(), r.body());
    var stored = http.get("/api/v1/users/u-tolerant/events", SERVICE);
    assertEquals(1, stored.json().path("events").size(), stored.body());
    assertFalse(stored.body().contains("nickname") || stored.body().contains("mood"), stored.body());
  }

  @Test
  void hostileTokensAre401sAndChangeNothing() {
    var cases = new ArrayList<Object[]>();
    AuthTest.hostile(TestNodes.SECRET).forEach(a -> cases.add(a.get()));
    assertTrue(cases.size() > 20);
    for (var c : cases) {
      var name = (String) c[0];
      var token = (String) c[1];
      var ingest = http.post("/api/v1/events", token, batch(created("jwt-1", "u-jwt", "a-1", T)));
      refused(name + " ingest", ingest, 401);
      assertEquals("unauthorized", ingest.errorCode(), name);
      refused(name + " experiment", http.post("/api/v1/experiments", token, definition("exp-jwt")), 401);
      // 401, or 414 where the token makes the URI longer than the server reads
      refused(name + " stream", http.get("/api/v1/stream?access_token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8), null), 0);
    }
    assertEquals(0, http.get("/api/v1/users/u-jwt/events", SERVICE).json().path("events").size());
    assertEquals(404, http.get("/api/v1/experiments/exp-jwt", ADMIN).status());
  }

  @Test
  void aTokenOfThePreviousSecretIsAcceptedWhileConfigured() {
    var previous = new Auth(PREVIOUS_SECRET, "hireloop").issue("svc-old", "service", Duration.ofMinutes(5));
    assertEquals(200, http.get("/api/v1/users/u-rot/events", previous).status());
    var unknown = AuthTest.token(Algorithm.HMAC256("never-configured-secret-0123"), b -> b);
    refused("a secret never configured", http.get("/api/v1/users/u-rot/events", unknown), 401);
  }

  @Test
  void hostileStreamMessagesGetErrorsAndTheConnectionStaysUsable() {
    try (var ws = new StreamClient(node.httpPort(), SERVICE)) {
      ws.send("not json");
      ws.send("[".repeat(10_000));
      ws.send("{\"subscribe\": [\"" + "x".repeat(100_000) + "\"]}");
      ws.send("{\"subscribe\": [1, {\"a\": 2}]}");
      ws.send(Json.write(Map.of("subscribe", java.util.Collections.nCopies(101, "models"))));
      await().atMost(Duration.ofSeconds(30)).until(() -> ws.received.stream().filter(m -> m.path("type").asText().equals("error")).count() == 5);
      var codes = ws.received.stream().map(m -> m.path("error").path("code").asText()).toList();
      assertEquals(List.of("malformed_json", "malformed_json", "too_large", "validation_failed", "validation_failed"), codes);
      ws.subscribe("models");
      await().atMost(Duration.ofSeconds(30)).until(() -> ws.first("subscribed") != null);
      assertEquals("models", ws.first("subscribed").path("topics").get(0).asText());
    }
  }

  /** Nothing of the hostile requests reached a journal. */
  static void assertNothingStored() {
    var events = http.get("/api/v1/users/" + USER + "/events", SERVICE);
    assertEquals(200, events.status(), events.body());
    assertEquals(0, events.json().path("events").size(), events.body());
    assertEquals(404, http.get("/api/v1/experiments/" + EXPERIMENT, ADMIN).status());
    var prefs = http.get("/api/v1/users/" + USER + "/preferences", ADMIN);
    assertTrue(prefs.json().path("updated_at").isNull(), prefs.body());
  }
}
