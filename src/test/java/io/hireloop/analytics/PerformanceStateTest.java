package io.hireloop.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import io.hireloop.journey.Domain.Outcome;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyEvent.ApplicationRecorded;
import io.hireloop.journey.JourneyEvent.ResumeChanged;
import io.hireloop.journey.JourneyEvent.StatusChanged;
import io.hireloop.journey.JourneyEvent.StrategyChanged;
import io.hireloop.journey.JourneyEvent.SuggestionFeedback;
import io.hireloop.platform.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The UserPerformance numbers of API.md from a hand-built journal. */
class PerformanceStateTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  /** The journal, in seq_nr order (seq_nr = index + 1). */
  static List<JourneyEvent> journal() {
    var j = new ArrayList<JourneyEvent>();
    j.add(created("e1", "a1", "reach", "aggressive", 60));          // resume score start: the first application's
    j.add(status("e2", "a1", "viewed", 2));                           // first reported response: 2 days
    j.add(status("e3", "a1", "phone_screen", 3));                     // counts as interview request
    j.add(status("e4", "a1", "rejected", 9));                         // still interviewed; now a rejection
    j.add(created("e5", "a2", "target", "aggressive", 65));
    j.add(new ApplicationRecorded("e6", "APPLICATION_SUBMITTED", T0, "a2", "j-a2", "r1",
        ctx("target", "aggressive", 90)));                            // SUBMITTED of a known app: not a new application
    j.add(status("e7", "a2", "interview", 5));
    j.add(status("e8", "a2", "offer", null));
    j.add(status("e9", "a2", "offer_accepted", null));                // one offer, not two
    j.add(created("e10", "a3", "safety", "balanced", 70));
    j.add(status("e11", "a3", "ghosted", null));
    j.add(created("e12", "a4", "target", "balanced", 70));            // no response yet
    j.add(created("e13", "a5", "target", "balanced", 70));
    j.add(status("e14", "a5", "rejected", 1));                        // fastest response
    j.add(resume("e15", "RESUME_REWRITTEN", 60, 70, true));           // accepted: current 70
    j.add(resume("e16", "RESUME_REWRITTEN", 70, 75, false));          // rejected: current stays 70
    j.add(resume("e17", "SCORE_CHANGED", 70, 72, true));              // not a rewrite; current 72
    j.add(new StrategyChanged("e18", "MODE_CHANGED", T0, "aggressive", "balanced", "why", null));
    j.add(new SuggestionFeedback("e19", "SUGGESTION_ACCEPTED", T0, "job", "{}", null, null));
    j.add(status("e20", "unknown-app", "offer", 4));                  // ignored (cannot happen through the entity)
    return j;
  }

  static PerformanceState fold(List<JourneyEvent> events) {
    var s = PerformanceState.EMPTY;
    for (int i = 0; i < events.size(); i++) s = s.apply(i + 1, events.get(i));
    return s;
  }

  /** A mode's rates with Wilson 95% intervals, computed independently of the stats package (z = 1.959964). */
  static Map<String, Object> modeRates(int n, int interviews, int offers) {
    var m = new LinkedHashMap<String, Object>();
    m.put("applications", n);
    m.put("interview_requests", interviews);
    m.put("interview_rate", (double) interviews / n);
    m.put("interview_rate_interval", wilson(interviews, n));
    m.put("offers", offers);
    m.put("offer_rate", (double) offers / n);
    m.put("offer_rate_interval", wilson(offers, n));
    return m;
  }

  static Map<String, Double> wilson(int x, int n) {
    double z = 1.959963984540054, p = (double) x / n, d = 1 + z * z / n;
    double c = (p + z * z / (2.0 * n)) / d, h = z / d * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
    return Map.of("low", Math.max(0, c - h), "high", Math.min(1, c + h));
  }

  @Test
  void handBuiltJournalGivesTheExpectedUserPerformance() {
    var p = fold(journal()).toUserPerformance("u-1");

    var expected = new LinkedHashMap<String, Object>();
    expected.put("user_id", "u-1");
    expected.put("total_applications", 5);
    expected.put("applications_by_category", Map.of("reach", 1, "target", 3, "safety", 1));
    expected.put("interview_requests", 2);
    expected.put("interview_rate", 0.4);
    expected.put("offers", 1);
    expected.put("offer_rate", 0.2);
    expected.put("rejections", 2);
    expected.put("ghosted", 1);
    expected.put("avg_days_to_response", (2 + 5 + 1) / 3.0);
    expected.put("fastest_response_days", 1);
    expected.put("strategy_distribution", Map.of("aggressive", 0.4, "balanced", 0.6));
    expected.put("interview_rate_by_mode", Map.of("aggressive", 1.0, "balanced", 0.0));
    expected.put("rates_by_mode", Map.of("aggressive", modeRates(2, 2, 1), "balanced", modeRates(3, 0, 0)));
    expected.put("resume_score_start", 60.0);
    expected.put("resume_score_current", 72.0);
    expected.put("score_improvement", 12.0);
    expected.put("rewrites_accepted", 1);
    expected.put("rewrites_rejected", 1);
    expected.put("as_of_seq_nr", 20L);
    assertEquals(expected, p);
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(p.keySet()), "field order of the document");
  }

  @Test
  void everyInterviewAndOfferStatusCountsAsAnInterviewRequest() {
    for (var s : List.of("phone_screen", "interview", "offer", "offer_accepted", "offer_declined")) {
      var state = fold(List.of(created("e1", "a1", "target", "m", 50), status("e2", "a1", s, null)));
      assertEquals(1, state.toUserPerformance("u").get("interview_requests"), s);
      assertEquals(1.0, state.toUserPerformance("u").get("interview_rate"), s);
      assertEquals(s.startsWith("offer") ? 1 : 0, state.toUserPerformance("u").get("offers"), s);
    }
    for (var s : List.of("viewed", "rejected", "ghosted", "withdrawn")) {
      var state = fold(List.of(created("e1", "a1", "target", "m", 50), status("e2", "a1", s, null)));
      assertEquals(0, state.toUserPerformance("u").get("interview_requests"), s);
    }
  }

  @Test
  void emptyStateHasZeroRatesAndNoScores() {
    var p = PerformanceState.EMPTY.toUserPerformance("u");
    assertEquals(0, p.get("total_applications"));
    assertEquals(0.0, p.get("interview_rate"));
    assertEquals(0.0, p.get("offer_rate"));
    assertNull(p.get("avg_days_to_response"));
    assertNull(p.get("fastest_response_days"));
    assertNull(p.get("score_improvement"));
    assertEquals(Map.of(), p.get("strategy_distribution"));
  }

  @Test
  void resumeScoreStartsFromTheFirstRewriteWhenNoApplicationCameFirst() {
    var s = fold(List.of(resume("e1", "SCORE_CHANGED", 55, 58, false), resume("e2", "RESUME_REWRITTEN", 55, 64, true),
        created("e3", "a1", "target", "m", 80)));
    assertEquals(55.0, s.resumeScoreStart());
    assertEquals(64.0, s.resumeScoreCurrent());
    assertEquals(9.0, s.toUserPerformance("u").get("score_improvement"));
    assertEquals(1, s.rewritesAccepted());
    assertEquals(0, s.rewritesRejected());
  }

  @Test
  void replayingAppliedSeqNrsIsANoOp() {
    var journal = journal();
    var state = fold(journal);
    // at-least-once delivery: every event again, with its original seq_nr
    var again = state;
    for (int i = 0; i < journal.size(); i++) {
      again = again.apply(i + 1, journal.get(i));
      assertSame(state, again);
    }
    // even a different event under an old seq_nr changes nothing
    assertSame(state, state.apply(3, created("x", "a99", "reach", "m", 10)));
    assertSame(state, state.apply(20, status("y", "a4", "offer", 1)));
    // the next seq_nr is applied
    var next = state.apply(21, status("e21", "a4", "interview", 4));
    assertEquals(21, next.asOfSeqNr());
    assertEquals(3, next.toUserPerformance("u").get("interview_requests"));
  }

  @Test
  void replayingARedeliveredPrefixGivesTheSameState() {
    var journal = journal();
    var s = PerformanceState.EMPTY;
    for (int i = 0; i < 12; i++) s = s.apply(i + 1, journal.get(i));
    for (int i = 5; i < journal.size(); i++) s = s.apply(i + 1, journal.get(i)); // 6..12 delivered twice
    assertEquals(fold(journal), s);
  }

  @Test
  void jsonRoundTripGivesAnEqualState() throws Exception {
    for (var state : List.of(PerformanceState.EMPTY, fold(journal()), fold(journal().subList(0, 3)))) {
      String json = Json.MAPPER.writeValueAsString(state);
      var back = Json.MAPPER.readValue(json, PerformanceState.class);
      assertEquals(state, back, json);
      assertEquals(state.toUserPerformance("u"), back.toUserPerformance("u"));
    }
  }

  // ------------------------------------------------------------ builders

  static ApplicationContext ctx(String category, String mode, double resumeScore) {
    return new ApplicationContext(mode, 70, category, new JobCharacteristics("t", "c", "mid", "l", null), resumeScore, false);
  }

  static JourneyEvent created(String id, String app, String category, String mode, double resumeScore) {
    return new ApplicationRecorded(id, "APPLICATION_CREATED", T0, app, "j-" + app, "r1", ctx(category, mode, resumeScore));
  }

  static JourneyEvent status(String id, String app, String status, Integer days) {
    return new StatusChanged(id, T0, app, null, null, null, new Outcome(status, days, null));
  }

  static JourneyEvent resume(String id, String type, double before, double after, boolean accepted) {
    return new ResumeChanged(id, type, T0, "r2", null, before, after, after - before, null, null, null, accepted);
  }
}
