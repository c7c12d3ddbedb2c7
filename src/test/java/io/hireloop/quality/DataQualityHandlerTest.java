package io.hireloop.quality;

import static io.hireloop.testing.Events.base;
import static io.hireloop.testing.Events.context;
import static io.hireloop.testing.Events.created;
import static io.hireloop.testing.Events.status;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.IngestParser;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.platform.Json;
import io.hireloop.platform.ReadModelStore;
import io.hireloop.testing.ReadModelTestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.testkit.javadsl.TestProjection;
import org.apache.pekko.projection.testkit.javadsl.TestSourceProvider;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The "data-quality" handler run by ProjectionTestKit, writing to the real (shared) Cassandra. Ingest batches
 * (API.md JSON) go through the ingest parser as the route does: rejected batches are counted by rule, the
 * events of accepted ones become journal envelopes with chosen write times. Rows and report are compared
 * with a recomputation from the JSON alone (API.md's optional fields, the chosen delays, the declared rules).
 * Light setup ({@link ReadModelTestKit}): a local actor system, no projections but this one; only this
 * test's users are read.
 */
class DataQualityHandlerTest {
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  static ReadModelTestKit kit;
  static ReadModelStore store;

  @BeforeAll
  static void start() {
    kit = ReadModelTestKit.start("dqhandler");
    store = kit.store();
  }

  @AfterAll
  static void stop() {
    if (kit != null) kit.close();
  }

  /** API.md's optional fields of each ingested family (the `?` ones, and STATUS_CHANGED's application fields). */
  static List<String> optionalFields(String eventType) {
    return switch (eventType) {
      case "APPLICATION_CREATED", "APPLICATION_SUBMITTED" -> List.of("context.job_characteristics.industry");
      case "STATUS_CHANGED" -> List.of("job_id", "resume_version_id", "context", "outcome.days_to_response", "outcome.response_type");
      case "MODE_CHANGED", "TARGET_ADJUSTED", "PLAN_GENERATED" -> List.of("from_mode");
      case "RESUME_REWRITTEN", "SCORE_CHANGED" -> List.of("rewrite_type", "gaps_addressed", "edit_types", "suggested_by_system");
      case "SUGGESTION_ACCEPTED", "SUGGESTION_EDITED", "SUGGESTION_REJECTED" -> List.of("final_content", "rejection_reason");
      default -> throw new IllegalArgumentException(eventType);
    };
  }

  @SuppressWarnings("unchecked")
  static boolean has(Map<String, Object> json, String path) {
    Object at = json;
    for (var part : path.split("\\.")) {
      if (!(at instanceof Map<?, ?> m) || !m.containsKey(part)) return false;
      at = ((Map<String, Object>) m).get(part);
    }
    return at != null;
  }

  /** One ingest event and how long after its timestamp it reached the journal. */
  record Sent(Map<String, Object> json, Duration writtenAfter) {}

  /** One ingest request: its events and, for an invalid one, the rules its problems must be counted under. */
  record Batch(List<Sent> events, Map<String, Long> rules) {}

  static Sent sent(Map<String, Object> json) {
    return new Sent(json, Duration.ofSeconds(1));
  }

  static Map<String, Object> with(Map<String, Object> json, Object... kv) {
    var m = new LinkedHashMap<>(json);
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  static Map<String, Object> industry(Map<String, Object> created, String industry) {
    var ctx = new LinkedHashMap<>(context(70, "target", true));
    var job = new LinkedHashMap<>((Map<String, Object>) ctx.get("job_characteristics"));
    job.put("industry", industry);
    ctx.put("job_characteristics", job);
    return with(created, "context", ctx);
  }

  static Map<String, Object> strategy(String id, String type, String user, Instant at, String fromMode) {
    var e = base(id, type, user, at);
    if (fromMode != null) e.put("from_mode", fromMode);
    e.put("to_mode", "aggressive");
    e.put("reason", "interview rate below target");
    e.put("metrics", Map.of("resume_score", 70, "total_applications", 12, "interview_rate", 0.1, "applications_last_7_days", 4));
    return e;
  }

  static Map<String, Object> resume(String id, String type, String user, Instant at, boolean optionals) {
    var e = base(id, type, user, at);
    e.put("resume_version_id", "rv-" + id);
    e.put("before_score", 60);
    e.put("after_score", 70);
    e.put("score_delta", 10);
    if (optionals) {
      e.put("rewrite_type", "bullet");
      e.put("gaps_addressed", List.of("quantified impact"));
      e.put("edit_types", List.of("added_metrics_to_bullets"));
      e.put("suggested_by_system", true);
    }
    e.put("user_accepted", true);
    return e;
  }

  static Map<String, Object> feedback(String id, String type, String user, Instant at, String finalContent, String reason) {
    var e = base(id, type, user, at);
    e.put("suggestion_type", "rewrite");
    e.put("suggested_content", Map.of("bullet", "Led a team"));
    if (finalContent != null) e.put("final_content", finalContent);
    if (reason != null) e.put("rejection_reason", reason);
    return e;
  }

  static List<Batch> batches(String u1, String u2) {
    var full = with(status("d-5", u1, "a-2", T0.plusSeconds(86_400), "viewed"),
        "job_id", "job-a-2", "resume_version_id", "r-1", "context", context(70, "target", true),
        "outcome", Map.of("status", "viewed", "response_type", "email"));
    var ok1 = List.of(
        sent(industry(created("d-1", u1, "a-1", T0), "fintech")),
        sent(created("d-2", u1, "a-2", T0.plusSeconds(60))),
        sent(with(industry(created("d-3", u1, "a-3", T0.plusSeconds(120)), "health"), "event_type", "APPLICATION_SUBMITTED")),
        new Sent(status("d-4", u1, "a-1", T0.plusSeconds(3 * 86_400), "phone_screen"), Duration.ofDays(2)), // reported 2 days late
        new Sent(full, Duration.ofSeconds(-30))); // the client's clock is 30 s ahead: counted as no delay
    var ok2 = List.of(
        sent(industry(created("d-6", u2, "b-1", T0), "retail")),
        sent(strategy("d-7", "MODE_CHANGED", u2, T0.plusSeconds(10), "balanced")),
        sent(strategy("d-8", "TARGET_ADJUSTED", u2, T0.plusSeconds(20), null)),
        sent(resume("d-9", "RESUME_REWRITTEN", u2, T0.plusSeconds(30), true)),
        sent(resume("d-10", "SCORE_CHANGED", u2, T0.plusSeconds(40), false)),
        sent(feedback("d-11", "SUGGESTION_EDITED", u2, T0.plusSeconds(50), "Led a team of 5", null)),
        sent(feedback("d-12", "SUGGESTION_REJECTED", u2, T0.plusSeconds(60), null, "too senior")),
        sent(feedback("d-13", "SUGGESTION_ACCEPTED", u2, T0.plusSeconds(70), null, null)),
        new Sent(status("d-14", u2, "b-1", T0.plusSeconds(7200), "rejected"), Duration.ofMinutes(90)));
    // invalid batches: nothing of them is folded, their problems are counted by rule (the valid event with them too is dropped)
    var badScore = with(created("x-1", u1, "a-9", T0), "context", context(150, "target", true));
    var badType = with(created("x-2", u1, "a-10", T0), "event_type", "APPLICATION_EXPLODED", "timestamp", "yesterday");
    var badCategory1 = with(created("x-3", u2, "b-9", T0), "context", context(70, "dream", true));
    var badCategory2 = with(created("x-4", u2, "b-10", T0), "context", context(70, "stretch", true));
    return List.of(
        new Batch(ok1, Map.of()),
        new Batch(List.of(sent(badScore), sent(created("x-5", u1, "a-11", T0))), Map.of("range:context.fit_score", 1L)),
        new Batch(ok2, Map.of()),
        new Batch(List.of(sent(badType)), Map.of("unknown_event_type:event_type", 1L, "timestamp_format:timestamp", 1L)),
        new Batch(List.of(sent(badCategory1), sent(badCategory2)), Map.of("enum:context.category", 2L)));
  }

  /** What one user's row must hold, from the JSON of the accepted events. */
  record Expected(long asOfSeqNr, Map<String, Integer> events, Map<String, Map<String, Integer>> present, List<Long> delaysMillis) {}

  static Map<String, Expected> recompute(List<Batch> batches, Map<String, Long> lastSeq) {
    var events = new TreeMap<String, Map<String, Integer>>();
    var present = new TreeMap<String, Map<String, Map<String, Integer>>>();
    var delays = new TreeMap<String, List<Long>>();
    for (var b : batches) {
      if (!b.rules().isEmpty()) continue;
      for (var s : b.events()) {
        var user = (String) s.json().get("user_id");
        var type = (String) s.json().get("event_type");
        events.computeIfAbsent(user, u -> new TreeMap<>()).merge(type, 1, Integer::sum);
        var fields = present.computeIfAbsent(user, u -> new TreeMap<>()).computeIfAbsent(type, t -> new TreeMap<>());
        for (var f : optionalFields(type)) fields.merge(f, has(s.json(), f) ? 1 : 0, Integer::sum);
        if (type.equals("STATUS_CHANGED")) delays.computeIfAbsent(user, u -> new ArrayList<>()).add(Math.max(0, s.writtenAfter().toMillis()));
      }
    }
    var out = new TreeMap<String, Expected>();
    events.forEach((u, e) -> out.put(u, new Expected(lastSeq.get(u), e, present.get(u), delays.getOrDefault(u, List.of()))));
    return out;
  }

  record Row(DataQualityState state, Instant updatedAt) {}

  static Map<String, Row> rows(Set<String> users) throws Exception {
    return store.session().selectAll("SELECT user_id, as_of_seq_nr, state, updated_at FROM " + store.table("data_quality_users"))
        .thenApply(rs -> {
          var m = new TreeMap<String, Row>();
          for (var r : rs) {
            if (!users.contains(r.getString("user_id"))) continue;
            var state = DataQualityProjection.read(r.getString("state"));
            assertEquals(state.asOfSeqNr(), r.getLong("as_of_seq_nr"));
            m.put(r.getString("user_id"), new Row(state, r.getInstant("updated_at")));
          }
          return (Map<String, Row>) m;
        }).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static Map<String, Expected> asExpected(Map<String, Row> rows) {
    var m = new TreeMap<String, Expected>();
    rows.forEach((u, r) -> m.put(u, new Expected(r.state().asOfSeqNr(), new TreeMap<>(r.state().events()),
        copy(r.state().present()), r.state().delaysMillis())));
    return m;
  }

  static Map<String, Map<String, Integer>> copy(Map<String, Map<String, Integer>> present) {
    var m = new TreeMap<String, Map<String, Integer>>();
    present.forEach((t, f) -> m.put(t, new TreeMap<>(f)));
    return m;
  }

  static void project(DataQualityProjection projection, List<List<EventEnvelope<JourneyEvent>>> groups, Runnable check) {
    var source = TestSourceProvider.<Offset, List<EventEnvelope<JourneyEvent>>>create(Source.from(groups), g -> g.get(g.size() - 1).offset());
    var test = TestProjection.create(ProjectionId.of("data-quality-handler-test", "t"), source, projection::handler);
    kit.projections().run(test, ReadModelTestKit.RUN_TIMEOUT, check::run);
  }

  static void assertRows(Map<String, Expected> want) {
    try {
      assertEquals(want, asExpected(rows(want.keySet())));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void rowsCountOptionalFieldsAndDelaysOnceAndTheReportCountsRejectionsByRule() throws Exception {
    var u1 = ReadModelTestKit.unique("u-dq1");
    var u2 = ReadModelTestKit.unique("u-dq2");
    var batches = batches(u1, u2);
    var projection = new DataQualityProjection(store);
    var counter = new RejectionCounter(store);
    var countedBefore = counter.totals().toCompletableFuture().get(20, TimeUnit.SECONDS);

    // ingest as the route does: a batch with problems is rejected whole and its problems counted
    var seq = new TreeMap<String, Long>();
    long offset = 0;
    var envelopes = new ArrayList<EventEnvelope<JourneyEvent>>();
    var rules = new TreeMap<String, Long>(countedBefore); // the counters are per keyspace: expect this test's on top
    for (var b : batches) {
      var parsed = IngestParser.parse(Json.MAPPER.valueToTree(Map.of("events", b.events().stream().map(Sent::json).toList())));
      assertEquals(b.rules().isEmpty(), parsed.ok(), parsed.problems().toString());
      if (!parsed.ok()) {
        counter.rejected(parsed.problems());
        b.rules().forEach((r, n) -> rules.merge(r, n, Long::sum));
        continue;
      }
      for (var item : parsed.items()) {
        var delay = b.events().get(item.index()).writtenAfter();
        long s = seq.merge(item.userId(), 1L, Long::sum);
        envelopes.add(EventEnvelope.create(Offset.sequence(++offset), JobSeeker.ENTITY_KEY.name() + "|" + item.userId(), s,
            item.event(), item.event().timestamp().plus(delay).toEpochMilli()));
      }
      if (b.events().get(0).json().get("user_id").equals(u1)) {
        // a platform-written event in u1's journal: not ingested, so it moves the row's seq_nr and counts nothing
        long s = seq.merge(u1, 1L, Long::sum);
        var reminder = new JourneyEvent.ReminderSent("rem-a-2-1", T0.plus(Duration.ofDays(7)), "a-2", 1, Duration.ofDays(7));
        envelopes.add(EventEnvelope.create(Offset.sequence(++offset), JobSeeker.ENTITY_KEY.name() + "|" + u1, s, reminder,
            reminder.timestamp().toEpochMilli()));
      }
    }
    var want = recompute(batches, seq);
    assertEquals(2, want.size());
    assertTrue(want.get(u1).present().get("STATUS_CHANGED").get("job_id") == 1, "sanity: one full, one minimal status " + want);

    // the two users interleaved, in groups that split each user's events; then every group again
    var interleaved = new ArrayList<EventEnvelope<JourneyEvent>>();
    var first = envelopes.stream().filter(e -> e.persistenceId().endsWith(u1)).toList();
    var second = envelopes.stream().filter(e -> e.persistenceId().endsWith(u2)).toList();
    for (int i = 0; i < Math.max(first.size(), second.size()); i++) {
      if (i < first.size()) interleaved.add(first.get(i));
      if (i < second.size()) interleaved.add(second.get(i));
    }
    var groups = new ArrayList<List<EventEnvelope<JourneyEvent>>>();
    for (int i = 0; i < interleaved.size(); i += 4) groups.add(interleaved.subList(i, Math.min(interleaved.size(), i + 4)));
    var replayed = new ArrayList<>(groups);
    replayed.addAll(groups);
    project(projection, replayed, () -> assertRows(want));
    var written = rows(want.keySet());

    // a replay by a fresh handler (offsets lost): nothing is written again, not even updated_at
    project(new DataQualityProjection(store), List.of(interleaved.subList(0, 7), interleaved.subList(3, interleaved.size())),
        () -> assertRows(want));
    assertEquals(written, rows(want.keySet()));

    // the report: rejections by rule (counter writes are best effort and asynchronous), completeness and delays
    await().atMost(Duration.ofSeconds(30)).until(() -> counter.totals().toCompletableFuture().get(10, TimeUnit.SECONDS).equals(rules));
    assertEquals(want.size(), projection.all().toCompletableFuture().get(20, TimeUnit.SECONDS).size(),
        "the report sums every row: no other test writes data_quality_users in the shared keyspace");
    var report = Json.read(Json.write(new DataQualityReport(projection, counter).build().toCompletableFuture().get(20, TimeUnit.SECONDS)));
    assertEquals(rules.values().stream().mapToLong(Long::longValue).sum(), report.path("validation_failures").path("total").asLong());
    assertEquals(rules, Json.MAPPER.convertValue(report.path("validation_failures").path("by_rule"),
        new com.fasterxml.jackson.core.type.TypeReference<TreeMap<String, Long>>() {}));
    var completeness = report.path("completeness");
    var types = new TreeMap<String, Integer>();
    want.values().forEach(e -> e.events().forEach((t, n) -> types.merge(t, n, Integer::sum)));
    var reported = new java.util.TreeSet<String>();
    completeness.fieldNames().forEachRemaining(reported::add);
    assertEquals(types.keySet(), reported);
    types.forEach((type, n) -> {
      assertEquals(n, completeness.path(type).path("events").asInt(), type);
      for (var field : optionalFields(type)) {
        int has = want.values().stream().mapToInt(e -> e.present().getOrDefault(type, Map.of()).getOrDefault(field, 0)).sum();
        assertEquals((double) has / n, completeness.path(type).path("present_fraction").path(field).asDouble(-1), 1e-12, type + " " + field);
      }
    });
    var delays = want.values().stream().flatMap(e -> e.delaysMillis().stream()).sorted().toList();
    var delay = report.path("outcome_reporting_delay");
    assertEquals(delays.size(), delay.path("count").asInt());
    assertEquals(delays.get(delays.size() - 1) / 1000.0, delay.path("max_seconds").asDouble(), 1e-9);
    assertEquals(delays.stream().mapToLong(Long::longValue).average().orElseThrow() / 1000.0, delay.path("mean_seconds").asDouble(), 1e-9);
    assertEquals(0L, delays.get(0), "the 30 s clock skew counts as no delay");
  }
}
