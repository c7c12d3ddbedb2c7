package io.hireloop.analytics.insights;

import static io.hireloop.analytics.insights.Journal.app;
import static io.hireloop.analytics.insights.Journal.feedback;
import static io.hireloop.analytics.insights.Journal.rewrite;
import static io.hireloop.analytics.insights.Journal.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.platform.Json;
import io.hireloop.stream.StreamMessage;
import io.hireloop.testing.EntityTestConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.testkit.javadsl.ProjectionTestKit;
import org.apache.pekko.projection.testkit.javadsl.TestProjection;
import org.apache.pekko.projection.testkit.javadsl.TestSourceProvider;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The "user-insights" handler run by Pekko's ProjectionTestKit over hand-built journals, rows in memory. */
class UserInsightsProjectionTest {
  static final ActorTestKit testKit = ActorTestKit.create("insights", EntityTestConfig.config());
  static final ProjectionTestKit projectionTestKit = ProjectionTestKit.create(testKit.system());
  static final Instant MON = Instant.parse("2026-03-02T09:00:00Z");
  static final InsightSettings SETTINGS = new InsightSettings(5, 2, Duration.ZERO, Duration.ofMinutes(10));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  final MemoryInsightRows rows = new MemoryInsightRows();
  final List<StreamMessage> pushed = new CopyOnWriteArrayList<>();
  final UserInsightsProjection projection = new UserInsightsProjection(rows, SETTINGS, pushed::add);

  /** Week of 2026-03-02: 6 backend (3 interviews), 5 analyst (none), 2 designer; a rewrite; feedback. Then one event on 03-10. */
  static List<JourneyEvent> journal() {
    var j = new ArrayList<JourneyEvent>();
    for (int i = 1; i <= 6; i++) j.add(app("b" + i, MON.plusSeconds(3600L * i), "Backend Engineer", "software", "mid", "balanced", true));
    for (int i = 1; i <= 5; i++) j.add(app("d" + i, MON.plusSeconds(3600L * (10 + i)), "Data Analyst", "retail", "junior", "aggressive", false));
    j.add(app("x1", MON.plusSeconds(86_400), "Designer", "media", "mid", "balanced", false));
    j.add(app("x2", MON.plusSeconds(86_500), "Designer", "media", "mid", "balanced", false));
    for (int i = 1; i <= 3; i++) j.add(status("b" + i, MON.plus(Duration.ofDays(2)), "phone_screen"));
    j.add(status("d1", MON.plus(Duration.ofDays(3)), "rejected"));
    j.add(rewrite("r1", MON.plus(Duration.ofHours(6)), "bullet", List.of("added_metrics_to_bullets"), true));
    j.add(rewrite("r2", MON.plus(Duration.ofHours(7)), "summary", List.of("added_keywords"), false));
    j.add(feedback("f1", MON.plus(Duration.ofDays(4)), "SUGGESTION_ACCEPTED", "rewrite", null));
    j.add(feedback("f2", MON.plus(Duration.ofDays(4)), "SUGGESTION_EDITED", "rewrite", null));
    j.add(feedback("f3", MON.plus(Duration.ofDays(4)), "SUGGESTION_REJECTED", "job", "too senior"));
    j.add(feedback("f4", MON.plus(Duration.ofDays(4)), "SUGGESTION_REJECTED", "job", "too senior"));
    j.add(feedback("f5", MON.plus(Duration.ofDays(4)), "SUGGESTION_REJECTED", "job", "wrong city"));
    j.add(status("b4", Instant.parse("2026-03-10T10:00:00Z"), "interview")); // first event of the next week
    return j;
  }

  static List<EventEnvelope<JourneyEvent>> envelopes(String userId, List<JourneyEvent> events, long writtenAt) {
    var out = new ArrayList<EventEnvelope<JourneyEvent>>();
    for (int i = 0; i < events.size(); i++) {
      out.add(EventEnvelope.create(Offset.sequence(i + 1), "JobSeeker|" + userId, i + 1, events.get(i), writtenAt));
    }
    return out;
  }

  /** A projection over the envelopes, one at a time through the grouped handler (as a group of one). */
  TestProjection<Offset, EventEnvelope<JourneyEvent>> over(List<EventEnvelope<JourneyEvent>> envelopes) {
    Handler<List<EventEnvelope<JourneyEvent>>> grouped = projection.handler();
    var source = TestSourceProvider.<Offset, EventEnvelope<JourneyEvent>>create(Source.from(envelopes), EventEnvelope::offset);
    return TestProjection.create(ProjectionId.of("user-insights-test", "t"), source, () -> new Handler<>() {
      @Override
      public java.util.concurrent.CompletionStage<Done> process(EventEnvelope<JourneyEvent> env) throws Exception {
        return grouped.process(List.of(env));
      }
    });
  }

  static JsonNode json(Object doc) {
    return Json.read(Json.write(doc));
  }

  @Test
  void patternsGiveRatesWithSampleSizesAndIntervalsAndClaimNothingBelowTheMinimum() {
    projectionTestKit.run(over(envelopes("u-1", journal(), System.currentTimeMillis())), Duration.ofSeconds(30), () -> {
      var p = json(projection.patterns("u-1").toCompletableFuture().join().orElseThrow());
      assertEquals(13, p.path("applications").asInt());
      var best = p.path("roles").path("best");
      assertEquals("Backend Engineer", best.path("value").asText());
      assertEquals(4, best.path("successes").asInt(), "b4 reached interview in the second week");
      assertEquals(6, best.path("sample_size").asInt());
      assertEquals(4 / 6.0, best.path("rate").asDouble(), 1e-9);
      assertTrue(best.path("interval").path("low").asDouble() < 4 / 6.0 && best.path("interval").path("high").asDouble() > 4 / 6.0);
      JsonNode designer = null;
      for (var v : p.path("roles").path("values")) if (v.path("value").asText().equals("Designer")) designer = v;
      assertTrue(designer.path("insufficient_sample").asBoolean(), designer.toString());
      assertTrue(designer.path("rate").isMissingNode(), "no rate claimed from 2 applications");
      assertEquals("software", p.path("company_types").path("best").path("value").asText());
      assertEquals("rv-1", p.path("best_resume_version").path("value").asText());
      // the accepted bullet rewrite (15:00) comes after b1..b6 (10:00..15:00) and before d1..d5 and x1, x2
      var sections = p.path("sections").path("values");
      assertEquals(2, sections.size(), "only the accepted rewrite counts: its edit type and rewrite:bullet");
      var edit = sections.get(0);
      assertEquals("edit:added_metrics_to_bullets", edit.path("section").asText());
      assertEquals(7, edit.path("with").path("sample_size").asInt(), sections.toString());
      assertEquals(0, edit.path("with").path("successes").asInt());
      assertEquals(6, edit.path("without").path("sample_size").asInt());
      assertEquals(-4 / 6.0, edit.path("lift").asDouble(), 1e-9);
      assertEquals(0, p.path("sections").path("best").size(), "a section with a negative lift is not best");
      var job = p.path("suggestions").path("job");
      assertEquals(3, job.path("rejected").asInt());
      assertEquals("too senior", job.path("rejection_reasons").get(0).path("reason").asText());
      assertEquals(2, job.path("rejection_reasons").get(0).path("count").asInt());
      assertTrue(p.path("suggestions").path("rewrite").path("acceptance").path("insufficient_sample").asBoolean());
    });
  }

  @Test
  void aWeekClosesWithTheFirstEventOfALaterWeekAndIsPushedOnlyWhenLive() {
    var live = envelopes("u-live", journal(), System.currentTimeMillis());
    var old = envelopes("u-old", journal(), System.currentTimeMillis() - Duration.ofHours(2).toMillis());
    var all = new ArrayList<>(live);
    all.addAll(old);
    projectionTestKit.run(over(all), Duration.ofSeconds(30), () -> {
      assertEquals(2, rows.weeks.size(), rows.weeks.keySet().toString());
      var doc = json(projection.weekly("u-live", LocalDate.parse("2026-03-02")).toCompletableFuture().join().orElseThrow());
      assertEquals("2026-03-08", doc.path("week_end").asText());
      assertEquals(13, doc.path("activity").path("applications").asInt());
      assertEquals(3, doc.path("activity").path("interview_requests").asInt(), "b4's interview is in the next week");
      assertEquals(3 / 13.0, doc.path("interview_rate_to_date").path("rate").asDouble(), 1e-9);
      boolean backend = false;
      for (var f : doc.path("what_worked")) {
        assertTrue(f.path("sample_size").asInt() >= 5 && f.path("difference").asDouble() > 0, f.toString());
        if (f.path("value").asText().equals("Backend Engineer")) backend = f.path("successes").asInt() == 3 && f.path("sample_size").asInt() == 6;
      }
      assertTrue(backend, doc.path("what_worked").toString());
      assertEquals(3, doc.path("what_didnt").size(), "the three lowest, each from at least 5 applications");
      for (var f : doc.path("what_didnt")) {
        assertEquals(0.0, f.path("rate").asDouble(), doc.path("what_didnt").toString());
        assertTrue(f.path("sample_size").asInt() >= 5);
      }
      // 0 of 5 is low, but its interval (0–0.43) still covers the overall 0.23: no "stop" without evidence
      assertEquals(0, doc.path("stop_doing").size());
      assertFalse(doc.path("try_this_week").isEmpty());
      // two users, segments of at least 2 users: compared with the cohort mid/software/berlin
      var vs = doc.path("vs_similar_users");
      assertEquals(2, vs.path("segment_users").asInt(), vs.toString());
      assertEquals(3 / 13.0, vs.path("your_rate").asDouble(), 1e-9);
      assertTrue(projection.weekly("u-live", LocalDate.parse("2026-03-09")).toCompletableFuture().join().isEmpty(), "still open");
      assertEquals(1, pushed.size(), "only the live user's week is pushed, once");
      var msg = Json.read(pushed.get(0).toJson());
      assertEquals("user:u-live", msg.path("topic").asText());
      assertEquals("insight", msg.path("type").asText());
      assertEquals("2026-03-02", msg.path("data").path("week_start").asText());
    });
  }

  @Test
  void redeliveryChangesNothingAndAGroupIsSplitByUser() throws Exception {
    var live = envelopes("u-a", journal(), System.currentTimeMillis());
    var group = new ArrayList<>(live);
    group.addAll(envelopes("u-b", journal().subList(0, 5), System.currentTimeMillis()));
    projection.handler().process(group).toCompletableFuture().join();
    var before = rows.dump().toCompletableFuture().join();
    int saves = rows.saves;
    projection.handler().process(live.subList(3, live.size())).toCompletableFuture().join();
    assertEquals(before, rows.dump().toCompletableFuture().join());
    assertEquals(saves, rows.saves, "nothing written for envelopes already folded in");
    assertEquals(1, pushed.size());
    assertEquals(5, json(projection.patterns("u-b").toCompletableFuture().join().orElseThrow()).path("applications").asInt());
    assertTrue(projection.patterns("u-none").toCompletableFuture().join().isEmpty());
  }

  @Test
  void segmentsAndBenchmarkComeFromEveryUsersSummary() throws Exception {
    // three users in the same cohort with 1/6, 3/6 and 5/6 interviews; a fourth elsewhere (a segment of one: suppressed)
    var group = new ArrayList<EventEnvelope<JourneyEvent>>();
    for (int u = 0; u < 3; u++) {
      var events = new ArrayList<JourneyEvent>();
      for (int i = 0; i < 6; i++) events.add(app("a" + i, MON.plusSeconds(60L * i), "Engineer", "software", "mid", i % 2 == 0 ? "balanced" : "aggressive", true));
      for (int i = 0; i < 1 + 2 * u; i++) events.add(status("a" + i, MON.plus(Duration.ofDays(1)), "phone_screen"));
      if (u == 2) events.add(status("a0", MON.plus(Duration.ofDays(4)), "offer"));
      group.addAll(envelopes("u-s" + u, events, System.currentTimeMillis()));
    }
    group.addAll(envelopes("u-lone", List.of(app("z", MON, "Nurse", "health", "senior", "balanced", false)), System.currentTimeMillis()));
    projection.handler().process(group).toCompletableFuture().join();

    var list = json(projection.segmentList().toCompletableFuture().join());
    var ids = new ArrayList<String>();
    list.path("segments").forEach(s -> ids.add(s.path("segment_id").asText()));
    assertTrue(ids.contains("cohort-mid-software-berlin") && ids.contains("seniority-mid") && ids.contains("experience-3-5y"), ids.toString());
    assertFalse(ids.contains("seniority-senior"), "a segment of one user is suppressed");
    assertTrue(projection.segment("industry-health").toCompletableFuture().join().isEmpty());

    var seg = json(projection.segment("cohort-mid-software-berlin").toCompletableFuture().join().orElseThrow());
    assertEquals(3, seg.path("users").asInt());
    assertEquals(18, seg.path("applications").asInt());
    assertEquals((1 + 3 + 5) / 18.0, seg.path("avg_interview_rate").asDouble(), 1e-9);
    assertEquals(2.0, seg.path("applications_to_interview").path("value").asDouble(), 1e-9);
    assertEquals(1, seg.path("time_to_offer_days").path("users_with_offer").asInt());
    assertEquals(4.0, seg.path("time_to_offer_days").path("median").asDouble(), 1e-9);
    // even-numbered applications (balanced) got the interviews first: 1+2+3 of 9 vs 0+1+2 of 9
    assertEquals("balanced", seg.path("strategies_that_work").get(0).path("value").asText(), seg.toString());
    assertEquals(9, seg.path("strategies_that_work").get(0).path("sample_size").asInt());
    assertEquals("aggressive", seg.path("common_pitfalls").get(0).path("value").asText());

    var b = json(projection.benchmark("u-s1").toCompletableFuture().join().orElseThrow());
    var vs = b.path("vs_segment");
    assertEquals("cohort-mid-software-berlin", vs.path("segment_id").asText());
    assertEquals(0.5, vs.path("your_rate").asDouble(), 1e-9);
    assertEquals(0.5, vs.path("segment_average").asDouble(), 1e-9);
    assertEquals(50.0, vs.path("percentile").asDouble(), 1e-9, "one below, one tie (itself) counted half, one above: 1.5 of 3");
    assertNull(json(projection.benchmark("u-lone").toCompletableFuture().join().orElseThrow()).path("vs_segment").path("segment_id").textValue());
    assertTrue(projection.benchmark("u-nobody").toCompletableFuture().join().isEmpty());
  }
}
