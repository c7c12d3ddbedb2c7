package io.hireloop.api;

import static io.hireloop.testing.Events.batch;
import static io.hireloop.testing.Events.created;
import static io.hireloop.testing.Events.status;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.Node;
import io.hireloop.analytics.PerformanceProjection;
import io.hireloop.platform.ReadModelStore;
import io.hireloop.testing.Http;
import io.hireloop.testing.StreamClient;
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

/** Every endpoint of API.md against one real node (real cluster, real Cassandra), as an HTTP client sees it. */
class ApiTest {
  static Node node;
  static Http http;
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final Instant T = Instant.now().minus(Duration.ofDays(10));

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("api", Map.of("pekko.http.server.websocket.periodic-keep-alive-max-idle", "1s",
        "hireloop.http.rate-limit-per-second", 20));
    http = new Http(node.httpPort());
    await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready", null).status() == 200);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void healthAndMetrics() {
    assertEquals(200, http.get("/health/live", null).status());
    assertEquals("ready", http.get("/health/ready", null).json().path("status").asText());
    var metrics = http.get("/metrics", null);
    assertEquals(200, metrics.status());
    assertTrue(metrics.body().contains("hireloop_http_requests_total"), metrics.body());
    assertTrue(metrics.body().contains("jvm_memory_bytes_used"));
  }

  @Test
  void tokensAreRequiredAndChecked() {
    var none = http.get("/api/v1/users/u-x/events", null);
    assertEquals(401, none.status());
    assertEquals("unauthorized", none.errorCode());
    assertEquals(401, http.get("/api/v1/users/u-x/events", "not-a-jwt").status());
    var otherSecret = new Auth("another-secret-0123456789", "hireloop").issue("svc", "service", Duration.ofHours(1));
    assertEquals(401, http.get("/api/v1/users/u-x/events", otherSecret).status());
    var expired = new Auth(TestNodes.SECRET, "hireloop").issue("svc", "service", Duration.ofSeconds(-10));
    var r = http.get("/api/v1/users/u-x/events", expired);
    assertEquals(401, r.status());
    assertTrue(r.json().path("error").path("message").asText().contains("expired"));
  }

  @Test
  void ingestIsAcknowledgedWithSeqNrsAndRetriesAreDuplicates() {
    var body = batch(created("i-1", "u-ingest", "a-1", T), status("i-2", "u-ingest", "a-1", T.plusSeconds(3600), "phone_screen"));
    var first = http.post("/api/v1/events", SERVICE, body);
    assertEquals(200, first.status(), first.body());
    var results = first.json().path("results");
    assertEquals("accepted", results.get(0).path("status").asText());
    assertEquals(1, results.get(0).path("seq_nr").asLong());
    assertEquals(2, results.get(1).path("seq_nr").asLong());

    var retry = http.post("/api/v1/events", SERVICE, body);
    assertEquals(200, retry.status());
    assertEquals("duplicate", retry.json().path("results").get(0).path("status").asText());
    assertEquals(2, retry.json().path("results").get(1).path("seq_nr").asLong());

    var events = http.get("/api/v1/users/u-ingest/events", SERVICE).json();
    assertEquals(2, events.path("events").size());
    assertEquals("STATUS_CHANGED", events.path("events").get(1).path("event_type").asText());
    assertEquals("phone_screen", events.path("events").get(1).path("outcome").path("status").asText());
    assertEquals(2, events.path("next_after_seq").asLong());
  }

  @Test
  void anInvalidEventRejectsTheWholeBatchWithEveryProblem() {
    var bad = created("v-2", "u-valid", "a-2", T);
    @SuppressWarnings("unchecked")
    var ctx = (Map<String, Object>) bad.get("context");
    ctx.put("fit_score", 150);
    bad.remove("job_id");
    var r = http.post("/api/v1/events", SERVICE, batch(created("v-1", "u-valid", "a-1", T), bad));
    assertEquals(400, r.status(), r.body());
    assertEquals("validation_failed", r.errorCode());
    var fields = new ArrayList<String>();
    r.json().path("error").path("details").forEach(d -> fields.add(d.path("field").asText()));
    assertTrue(fields.contains("events[1].context.fit_score"), fields.toString());
    assertTrue(fields.contains("events[1].job_id"), fields.toString());
    assertEquals(0, http.get("/api/v1/users/u-valid/events", SERVICE).json().path("events").size());
  }

  @Test
  void stateRulesAcrossUsersPersistNothingOnFailure() {
    var r = http.post("/api/v1/events", SERVICE, batch(
        created("x-1", "u-multi-a", "a-1", T),
        status("x-2", "u-multi-b", "unknown-app", T, "interview")));
    assertEquals(400, r.status(), r.body());
    assertEquals("events[1].application_id", r.json().path("error").path("details").get(0).path("field").asText());
    assertEquals(0, http.get("/api/v1/users/u-multi-a/events", SERVICE).json().path("events").size());

    var future = http.post("/api/v1/events", SERVICE, batch(created("x-3", "u-multi-a", "a-9", Instant.now().plus(Duration.ofHours(1)))));
    assertEquals(400, future.status());
  }

  @Test
  void statusAfterTerminalIsAConflict() {
    assertEquals(200, http.post("/api/v1/events", SERVICE, batch(
        created("t-1", "u-term", "a-1", T), status("t-2", "u-term", "a-1", T.plusSeconds(60), "withdrawn"))).status());
    var r = http.post("/api/v1/events", SERVICE, batch(status("t-3", "u-term", "a-1", T.plusSeconds(120), "interview")));
    assertEquals(409, r.status(), r.body());
    assertEquals("conflict", r.errorCode());
  }

  @Test
  void usersSeeOnlyTheirOwnData() {
    var alice = TestNodes.token("u-alice", "user");
    assertEquals(200, http.post("/api/v1/events", alice, batch(created("al-1", "u-alice", "a-1", T))).status());
    var forOther = http.post("/api/v1/events", alice, batch(created("al-2", "u-bob", "a-1", T)));
    assertEquals(403, forOther.status());
    assertEquals("forbidden", forOther.errorCode());
    assertEquals(403, http.get("/api/v1/users/u-bob/events", alice).status());
    assertEquals(403, http.get("/api/v1/users/u-bob/performance", alice).status());
    assertEquals(200, http.get("/api/v1/users/u-alice/events", alice).status());
    assertEquals(0, http.get("/api/v1/users/u-bob/events", SERVICE).json().path("events").size());
  }

  @Test
  void limitsAnswer413And400() {
    var tooLarge = http.postDeclaringLength("/api/v1/events", SERVICE, 1_100_000, 1000);
    assertEquals(413, tooLarge.status(), tooLarge.body());
    assertEquals("too_large", tooLarge.errorCode());

    var many = new ArrayList<Map<String, Object>>();
    for (int i = 0; i < 501; i++) many.add(created("m-" + i, "u-many", "a-" + i, T));
    var tooMany = http.post("/api/v1/events", SERVICE, batch(many));
    assertEquals(400, tooMany.status());
    assertTrue(tooMany.body().contains("at most 500"), tooMany.body());

    assertEquals("malformed_json", http.post("/api/v1/events", SERVICE, "{not json").errorCode());
    assertEquals(400, http.get("/api/v1/users/u-x/events?limit=0", SERVICE).status());
    assertEquals(404, http.get("/api/v1/nothing-here", SERVICE).status());
    assertEquals("not_found", http.get("/api/v1/nothing-here", SERVICE).errorCode());
  }

  @Test
  void eventsArePaged() {
    var events = new ArrayList<Map<String, Object>>();
    for (int i = 0; i < 5; i++) events.add(created("p-" + i, "u-page", "a-" + i, T.plusSeconds(i)));
    assertEquals(200, http.post("/api/v1/events", SERVICE, batch(events)).status());
    var page = http.get("/api/v1/users/u-page/events?after_seq=2&limit=2", SERVICE).json();
    assertEquals(2, page.path("events").size());
    assertEquals(3, page.path("events").get(0).path("seq_nr").asLong());
    assertEquals(4, page.path("next_after_seq").asLong());
  }

  @Test
  void performanceReadModelFollowsTheJournal() {
    assertEquals(200, http.post("/api/v1/events", SERVICE, batch(
        created("pf-1", "u-perf", "a-1", T), created("pf-2", "u-perf", "a-2", T.plusSeconds(1)),
        status("pf-3", "u-perf", "a-1", T.plusSeconds(3600), "interview"),
        status("pf-4", "u-perf", "a-2", T.plusSeconds(7200), "ghosted"))).status());
    await().atMost(Duration.ofSeconds(60)).until(() ->
        http.get("/api/v1/users/u-perf/performance", SERVICE).json().path("as_of_seq_nr").asLong() == 4);
    var p = http.get("/api/v1/users/u-perf/performance", SERVICE).json();
    assertEquals(2, p.path("total_applications").asInt());
    assertEquals(1, p.path("interview_requests").asInt());
    assertEquals(0.5, p.path("interview_rate").asDouble(), 1e-9);
    assertEquals(1, p.path("ghosted").asInt());
    assertEquals(2, p.path("applications_by_category").path("target").asInt());
  }

  @Test
  void streamPushesOutcomesToTheUsersSubscribersOnly() {
    var carol = TestNodes.token("u-carol", "user");
    try (var stream = new StreamClient(node.httpPort(), carol)) {
      stream.subscribe("user:u-carol", "user:u-dave");
      await().atMost(Duration.ofSeconds(10)).until(() -> stream.first("subscribed") != null);
      var ack = stream.first("subscribed");
      assertEquals("user:u-carol", ack.path("topics").get(0).asText());
      assertEquals("user:u-dave", ack.path("refused").get(0).path("topic").asText());

      assertEquals(200, http.post("/api/v1/events", SERVICE, batch(
          created("c-1", "u-carol", "a-1", T), created("d-1", "u-dave", "a-1", T))).status());
      await().atMost(Duration.ofSeconds(10)).until(() -> stream.has("outcome_recorded", "user:u-carol"));
      await().atMost(Duration.ofSeconds(60)).until(() -> stream.has("performance_updated", "user:u-carol"));
      assertTrue(stream.received.stream().noneMatch(m -> m.path("topic").asText().equals("user:u-dave")));
    }
  }

  @Test
  void aTokenOverItsRateIsAnswered429() {
    var greedy = TestNodes.token("u-greedy", "user");
    int limited = 0;
    for (int i = 0; i < 300 && limited == 0; i++) {
      var r = http.get("/api/v1/configs/job_discovery", greedy);
      if (r.status() == 429) {
        limited++;
        assertEquals("rate_limited", r.errorCode());
        assertEquals("1", r.retryAfter(), "a refill of one second brings a token back");
      }
    }
    assertTrue(limited > 0, "300 requests at full speed must exceed 20/s with bursts of 40");
    assertEquals(200, http.get("/api/v1/users/u-other/events", TestNodes.token("u-other", "user")).status(), "other subjects unaffected");
  }

  @Test
  void idleStreamsAreKeptAliveWithPings() {
    try (var stream = new StreamClient(node.httpPort(), SERVICE)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> stream.pings.get() >= 2);
    }
  }

  @Test
  void modelsPredictionsAndConfigs() {
    var model = http.get("/api/v1/models/interview", SERVICE);
    assertEquals(200, model.status());
    assertEquals("cpu", model.json().path("backend").asText());
    assertEquals(404, http.get("/api/v1/models/nope", SERVICE).status());
    assertEquals(403, http.post("/api/v1/models/interview/train", SERVICE, "{}").status());

    var prediction = http.post("/api/v1/predictions/interview", SERVICE, Map.of("context", io.hireloop.testing.Events.context(70, "target", true)));
    assertTrue(prediction.status() == 503 || prediction.status() == 200, prediction.body());
    var invalid = http.post("/api/v1/predictions/interview", SERVICE, Map.of("context", Map.of("fit_score", 500)));
    assertEquals(400, invalid.status());
    assertTrue(invalid.body().contains("context.fit_score"), invalid.body());

    var config = http.get("/api/v1/configs/job_discovery", SERVICE).json();
    assertEquals("job_discovery", config.path("component").asText());
    assertTrue(config.path("values").has("min_fit_score_to_apply"));
    assertEquals(404, http.get("/api/v1/configs/payroll", SERVICE).status());

    var train = http.post("/api/v1/models/interview/train", ADMIN, "{}");
    assertEquals(202, train.status(), train.body());
    assertTrue(train.json().path("job_id").asText().startsWith("train-"));
  }

  /** Versions, promote and rollback of a registry filled directly (the offer model has no trainer). */
  @Test
  void modelVersionsPromoteAndRollback() throws Exception {
    // before any offer / response_time version exists (this method is the only one that registers offer versions)
    var ctx = Map.of("context", io.hireloop.testing.Events.context(70, "target", true));
    var invalidCtx = Map.of("context", Map.of("fit_score", 500));
    for (var path : List.of("offer", "response-time")) {
      var invalid = http.post("/api/v1/predictions/" + path, SERVICE, invalidCtx);
      assertEquals(400, invalid.status(), invalid.body());
      assertTrue(invalid.body().contains("context.fit_score"), invalid.body());
      var early = http.post("/api/v1/predictions/" + path, SERVICE, ctx);
      assertEquals(503, early.status(), path + ": " + early.body());
      assertTrue(early.body().contains("model has been trained yet"), early.body());
    }
    assertTrue(http.post("/api/v1/predictions/response-time", SERVICE, ctx).body().contains("no response_time model"));
    assertEquals(404, http.get("/api/v1/models/response_time", SERVICE).status());
    assertEquals(404, http.post("/api/v1/models/offer/train", ADMIN, "{}").status());

    var none = http.get("/api/v1/models/offer", SERVICE);
    assertEquals(404, none.status());
    assertTrue(none.body().contains("trained yet"), none.body());
    var registry = org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(node.system())
        .entityRefFor(io.hireloop.learning.ModelRegistry.ENTITY_KEY, "offer");
    for (var auc : new double[] {0.75, 0.70}) {
      int v = auc == 0.75 ? 1 : 2;
      var card = new io.hireloop.learning.ModelCard("offer", v, T, "job-" + v, "cpu", 1.0, "v2", null,
          new io.hireloop.learning.ModelCard.Metrics(auc, 0.5, 0.2, 0.03, 100, 0.1), null, null, "platt", null, null, null);
      var r = registry.<io.hireloop.learning.ModelRegistry.Registered>ask(rr -> new io.hireloop.learning.ModelRegistry.Register(
          card.toJson(), new io.hireloop.learning.ModelRegistry.Gate(0.005, 0.005), rr), Duration.ofSeconds(20)).toCompletableFuture().get();
      assertTrue(r.ok(), r.toString());
    }
    var doc = http.get("/api/v1/models/offer", SERVICE).json();
    assertEquals(1, doc.path("version").asInt(), doc.toString());
    assertEquals(1, doc.path("champion").asInt());
    assertEquals(2, doc.path("challenger").asInt());
    assertEquals(0.75, doc.path("metrics").path("auc").asDouble());
    var versions = http.get("/api/v1/models/offer/versions", SERVICE).json();
    assertEquals(2, versions.path("versions").size());
    assertEquals(2, versions.path("versions").get(0).path("version").asInt());
    var v2 = http.get("/api/v1/models/offer/versions/2", SERVICE).json();
    assertEquals("challenger", v2.path("aliases").get(0).asText(), v2.toString());
    assertEquals(0.70, v2.path("holdout").path("auc").asDouble());
    assertEquals(404, http.get("/api/v1/models/offer/versions/9", SERVICE).status());

    var reason = Map.of("reason", "better offers in review");
    assertEquals(403, http.post("/api/v1/models/offer/versions/2/promote", SERVICE, reason).status());
    assertEquals(400, http.post("/api/v1/models/offer/versions/2/promote", ADMIN, "{}").status());
    assertEquals(404, http.post("/api/v1/models/offer/versions/9/promote", ADMIN, reason).status());
    var promoted = http.post("/api/v1/models/offer/versions/2/promote", ADMIN, reason);
    assertEquals(200, promoted.status(), promoted.body());
    assertEquals(1, promoted.json().path("previous_version").asInt());
    assertEquals("ops", promoted.json().path("by").asText());
    assertEquals(409, http.post("/api/v1/models/offer/versions/2/promote", ADMIN, reason).status());

    assertEquals(403, http.post("/api/v1/models/offer/rollback", SERVICE, reason).status());
    var back = http.post("/api/v1/models/offer/rollback", ADMIN, Map.of("reason", "complaints"));
    assertEquals(200, back.status(), back.body());
    assertEquals(1, back.json().path("version").asInt());
    var noMore = http.post("/api/v1/models/offer/rollback", ADMIN, Map.of("reason", "again"));
    assertEquals(409, noMore.status(), noMore.body());
    assertEquals("conflict", noMore.errorCode());
  }

  static Map<String, Object> experimentDefinition(String id) {
    var def = new LinkedHashMap<String, Object>();
    def.put("experiment_id", id);
    def.put("name", "Lower threshold");
    def.put("hypothesis", "more interviews");
    def.put("component", "job_discovery");
    def.put("parameter", "min_fit_score_to_apply");
    def.put("variants", List.of(
        Map.of("variant_id", "control", "name", "60", "value", 60, "allocation", 0.5),
        Map.of("variant_id", "low", "name", "55", "value", 55, "allocation", 0.5,
            "impact", Map.of("job_recommendations_change", 0.1, "user_effort_change", 0.2))));
    def.put("success_metric", "interview_rate");
    def.put("guardrail_metrics", List.of("offer_rate"));
    def.put("minimum_sample_size", 4000);
    def.put("maximum_duration_days", 30);
    def.put("attribution_window_days", 14);
    def.put("expected_improvement", 0.2);
    def.put("rollback_plan", "revert min_fit_score_to_apply to 60");
    def.put("layer", "fit");
    return def;
  }

  @Test
  void experimentsNeedAdmin() {
    var def = experimentDefinition("exp-api-1");
    assertEquals(403, http.post("/api/v1/experiments", SERVICE, def).status());
    var created = http.post("/api/v1/experiments", ADMIN, def);
    assertEquals(201, created.status(), created.body());
    assertEquals("draft", created.json().path("status").asText());
    assertEquals(55, created.json().path("variants").get(1).path("value").asInt());
    assertEquals(409, http.post("/api/v1/experiments", ADMIN, def).status());
    assertEquals("draft", http.get("/api/v1/experiments/exp-api-1", ADMIN).json().path("status").asText());
    assertEquals(404, http.get("/api/v1/experiments/none", ADMIN).status());
    assertEquals(400, http.post("/api/v1/experiments", ADMIN, Map.of("name", "x")).status());
    assertEquals(403, http.post("/api/v1/experiments/exp-api-1/start", SERVICE, "{}").status());
  }

  @Test
  void experimentsAreListedNewestFirstForAdmins() {
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, experimentDefinition("exp-list-a")).status());
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, experimentDefinition("exp-list-b")).status());
    assertEquals(403, http.get("/api/v1/experiments", SERVICE).status());
    // the list reads the journal's experiment tag, which shows an event after its consistency delay
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
      var ids = new ArrayList<String>();
      http.get("/api/v1/experiments", ADMIN).json().path("experiments").forEach(e -> ids.add(e.path("experiment_id").asText()));
      return ids.contains("exp-list-a") && ids.contains("exp-list-b");
    });
    var list = http.get("/api/v1/experiments", ADMIN).json().path("experiments");
    var ids = new ArrayList<String>();
    list.forEach(e -> ids.add(e.path("experiment_id").asText()));
    assertTrue(ids.indexOf("exp-list-b") < ids.indexOf("exp-list-a"), "newest first: " + ids);
    var b = list.get(ids.indexOf("exp-list-b"));
    assertEquals("draft", b.path("status").asText());
    assertEquals(http.get("/api/v1/experiments/exp-list-b", ADMIN).json().path("name"), b.path("name"));
  }

  @Test
  void experimentDefinitionIsValidatedWithFieldPaths() {
    var def = experimentDefinition("exp-api-bad");
    def.put("variants", List.of(Map.of("variant_id", "a", "value", 1, "allocation", 0.7),
        Map.of("variant_id", "b", "value", 2, "allocation", 1.2)));
    def.put("success_metric", "happiness");
    var r = http.post("/api/v1/experiments", ADMIN, def);
    assertEquals(400, r.status(), r.body());
    var fields = new ArrayList<String>();
    r.json().path("error").path("details").forEach(d -> fields.add(d.path("field").asText()));
    assertTrue(fields.containsAll(List.of("variants[1].allocation", "variants", "success_metric")), fields.toString());
  }

  @Test
  void experimentLifecycleOverHttp() {
    var def = experimentDefinition("exp-api-life");
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, def).status());
    assertEquals(409, http.post("/api/v1/experiments/exp-api-life/pause", ADMIN, "{}").status());
    var started = http.post("/api/v1/experiments/exp-api-life/start", ADMIN, "{}");
    assertEquals(200, started.status(), started.body());
    assertEquals("running", started.json().path("status").asText());
    assertEquals(409, http.post("/api/v1/experiments/exp-api-life/start", ADMIN, "{}").status());
    assertEquals("paused", http.post("/api/v1/experiments/exp-api-life/pause", ADMIN, "{}").json().path("status").asText());
    assertEquals("running", http.post("/api/v1/experiments/exp-api-life/resume", ADMIN, "{}").json().path("status").asText());
    assertEquals("rolled_back", http.post("/api/v1/experiments/exp-api-life/rollback", ADMIN, "{}").json().path("status").asText());
    assertEquals(404, http.post("/api/v1/experiments/exp-api-life/explode", ADMIN, "{}").status());
    var history = http.get("/api/v1/experiments/exp-api-life/history", ADMIN).json().path("history");
    assertEquals(5, history.size(), history.toString());
    assertEquals("rolled_back", history.get(4).path("to").asText());
    assertFalse(history.get(4).path("by").asText().isEmpty());

    var harmful = experimentDefinition("exp-api-harm");
    harmful.put("variants", List.of(Map.of("variant_id", "control", "value", 60, "allocation", 0.5),
        Map.of("variant_id", "strict", "value", 80, "allocation", 0.5, "impact", Map.of("job_recommendations_change", -0.4))));
    harmful.remove("rollback_plan");
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, harmful).status());
    var refused = http.post("/api/v1/experiments/exp-api-harm/start", ADMIN, "{}");
    assertEquals(422, refused.status(), refused.body());
    assertEquals(2, refused.json().path("error").path("details").size(), refused.body());
    assertEquals("draft", http.get("/api/v1/experiments/exp-api-harm", ADMIN).json().path("status").asText());
  }

  @Test
  void assignmentIsStickySelfOnlyAndRecordsOneExposure() {
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, experimentDefinition("exp-api-assign")).status());
    var zed = TestNodes.token("u-zed", "user");
    String url = "/api/v1/experiments/exp-api-assign/assignment?user_id=u-zed";
    assertEquals(409, http.get(url, zed).status(), "draft: not running");
    assertEquals(404, http.get("/api/v1/experiments/none/assignment?user_id=u-zed", zed).status());
    assertEquals(200, http.post("/api/v1/experiments/exp-api-assign/start", ADMIN, "{}").status());

    var first = http.get(url, zed);
    assertEquals(200, first.status(), first.body());
    String variant = first.json().path("variant_id").asText();
    assertTrue(List.of("control", "low").contains(variant), first.body());
    assertEquals(variant.equals("control") ? 60 : 55, first.json().path("value").asInt());
    assertEquals(variant, http.get(url, zed).json().path("variant_id").asText());
    assertEquals(variant, http.get(url, SERVICE).json().path("variant_id").asText());
    assertEquals(403, http.get("/api/v1/experiments/exp-api-assign/assignment?user_id=u-erin", zed).status());
    assertEquals(400, http.get("/api/v1/experiments/exp-api-assign/assignment", SERVICE).status());

    var events = http.get("/api/v1/users/u-zed/events", zed).json().path("events");
    assertEquals(1, events.size(), events.toString());
    assertEquals("EXPERIMENT_EXPOSED", events.get(0).path("event_type").asText());
    assertEquals("exposure:exp-api-assign:u-zed", events.get(0).path("event_id").asText());
    assertEquals(variant, events.get(0).path("variant_id").asText());

    assertEquals(200, http.post("/api/v1/experiments/exp-api-assign/pause", ADMIN, "{}").status());
    assertEquals(409, http.get(url, zed).status(), "paused: no assignment");
  }

  @Test
  void rebuildGivesTheSameReadModel() {
    var events = new ArrayList<Map<String, Object>>();
    for (int u = 0; u < 6; u++) {
      events.add(created("rb-" + u + "-1", "u-rb-" + u, "a-1", T));
      events.add(status("rb-" + u + "-2", "u-rb-" + u, "a-1", T.plusSeconds(60), u % 2 == 0 ? "interview" : "rejected"));
    }
    assertEquals(200, http.post("/api/v1/events", SERVICE, batch(events)).status());
    for (int u = 0; u < 6; u++) {
      var user = "u-rb-" + u; // users spread over the four projection instances: wait for each
      await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/api/v1/users/" + user + "/performance", SERVICE)
          .json().path("as_of_seq_nr").asLong() == 2);
    }
    var projection = new PerformanceProjection(node.system(), new ReadModelStore(node.system()));
    var live = projection.dump().toCompletableFuture().join();
    assertTrue(live.keySet().containsAll(List.of("u-rb-0", "u-rb-5")));

    assertEquals(403, http.post("/api/v1/admin/projections/user-performance/rebuild", SERVICE, "{}").status());
    assertEquals(404, http.post("/api/v1/admin/projections/nope/rebuild", ADMIN, "{}").status());
    var r = http.post("/api/v1/admin/projections/user-performance/rebuild", ADMIN, "{}");
    assertEquals(202, r.status(), r.body());
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> projection.dump().toCompletableFuture().join().equals(live));
    var listing = http.get("/api/v1/admin/projections", ADMIN);
    assertEquals(200, listing.status(), listing.body());
    var list = listing.json().path("projections");
    assertTrue(list.toString().contains("user-performance") && list.toString().contains("training-set"), list.toString());
  }
}
