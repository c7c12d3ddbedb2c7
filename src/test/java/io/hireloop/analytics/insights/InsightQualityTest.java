package io.hireloop.analytics.insights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import io.hireloop.journey.Domain.Outcome;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyEvent.ApplicationRecorded;
import io.hireloop.journey.JourneyEvent.StatusChanged;
import io.hireloop.journey.JourneyEvent.SuggestionFeedback;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Insight quality on planted journals. Every user applies about once a day for eight weeks with a personal interview
 * rate; four weeks in, every user gets a rewrite suggestion and a job suggestion. Users with a higher rate accept
 * the rewrite more often (so acting and level are confounded), the market lifts everyone's rate by .05 after the
 * showing (so the naive before/after change of those who acted is biased), and accepting the rewrite adds .15. The
 * difference-in-differences must find .15 in its interval and exclude the naive change; the job suggestion, with no
 * effect, must have an interval holding 0.
 */
class InsightQualityTest {
  static final Instant START = Instant.parse("2026-09-07T08:00:00Z"); // a Monday
  static final Instant SHOWN = START.plus(Duration.ofDays(28)).plus(Duration.ofHours(3));
  static final Instant NOW = START.plus(Duration.ofDays(90));
  static final InsightExposures.Settings EXPOSURES = new InsightExposures.Settings(Duration.ofDays(14), Duration.ofDays(21), 5);
  static final InsightQuality.Settings QUALITY = new InsightQuality.Settings(Duration.ofDays(28), 0.95, 199);
  static final String[] INDUSTRIES = {"software", "finance", "health", "retail"};

  static ApplicationContext context(String industry) {
    return new ApplicationContext("balanced", 70, "target", new JobCharacteristics("Engineer", "Acme", "mid", "Berlin", industry), 70, false);
  }

  /** A user's journal, oldest first. */
  static List<JourneyEvent> journal(int u, SplittableRandom rnd, boolean acceptsRewrite, double base, double rewriteEffect) {
    var events = new ArrayList<JourneyEvent>();
    int n = 0;
    for (int day = 0; day < 56; day++) {
      if (rnd.nextDouble() < 0.1) continue;
      var at = START.plus(Duration.ofDays(day)).plus(Duration.ofMinutes(rnd.nextInt(600)));
      boolean after = at.isAfter(SHOWN);
      double p = base + (after ? 0.05 : 0) + (after && acceptsRewrite ? rewriteEffect : 0);
      var app = "a" + u + "-" + n++;
      events.add(new ApplicationRecorded("e-" + app, "APPLICATION_CREATED", at, app, "job-" + app, "r1",
          context(INDUSTRIES[rnd.nextInt(INDUSTRIES.length)])));
      boolean interview = rnd.nextDouble() < p;
      events.add(new StatusChanged("s-" + app, at.plus(Duration.ofDays(5)), app, null, null, null,
          new Outcome(interview ? "interview" : "rejected", 5, null)));
    }
    events.add(new SuggestionFeedback("sg-r-" + u, acceptsRewrite ? "SUGGESTION_ACCEPTED" : "SUGGESTION_REJECTED", SHOWN, "rewrite",
        "{}", null, acceptsRewrite ? null : "not relevant"));
    boolean acceptsJob = rnd.nextBoolean();
    events.add(new SuggestionFeedback("sg-j-" + u, acceptsJob ? "SUGGESTION_ACCEPTED" : "SUGGESTION_REJECTED", SHOWN, "job", "{}",
        null, null));
    events.sort(Comparator.comparing(JourneyEvent::timestamp));
    return events;
  }

  static List<InsightExposures.Timeline> population(int users, long seed) {
    var rnd = new SplittableRandom(seed);
    var out = new ArrayList<InsightExposures.Timeline>();
    for (int u = 0; u < users; u++) {
      double base = rnd.nextDouble(0.05, 0.35);
      boolean accepts = rnd.nextDouble() < 0.2 + 2 * base; // the stronger users accept more often
      out.add(InsightExposures.of("u" + u, journal(u, rnd, accepts, base, 0.15), EXPOSURES, NOW));
    }
    return out;
  }

  static InsightQuality.KindQuality kind(InsightQuality.Report r, String kind) {
    return r.kinds().stream().filter(k -> k.kind().equals(kind)).findFirst().orElseThrow(() -> new AssertionError(kind + " in " + r));
  }

  @Test
  void differenceInDifferencesRecoversThePlantedEffectWhereTheNaiveChangeDoesNot() {
    var r = InsightQuality.compute(population(400, 21), QUALITY, NOW);
    var rewrite = kind(r, "suggestion_rewrite");
    assertEquals(400, rewrite.shownUsers());
    assertTrue(rewrite.actedUsers() > 100 && rewrite.actedUsers() < 350, "acted " + rewrite.actedUsers());
    assertEquals("did_cr1", rewrite.method());
    assertTrue(rewrite.ciLow() <= 0.15 && 0.15 <= rewrite.ciHigh(), "planted .15 outside " + rewrite);
    assertTrue(rewrite.ciLow() > 0, "the effect is found: " + rewrite);
    assertTrue(rewrite.naiveChange() > 0.175, "the naive change carries the market's .05 as well: " + rewrite.naiveChange());
    assertTrue(rewrite.actedBefore().interviewRate() > rewrite.otherBefore().interviewRate() + 0.03,
        "those who act were stronger before: " + rewrite);
    var job = kind(r, "suggestion_job");
    assertTrue(job.ciLow() < 0 && 0 < job.ciHigh(), "no effect planted for job suggestions: " + job);
    var json = r.toJson();
    assertEquals(400, json.get("users_read"));
    var kinds = (List<?>) json.get("kinds");
    var first = (Map<?, ?>) kinds.stream().filter(k -> ((Map<?, ?>) k).get("kind").equals("suggestion_rewrite")).findFirst().orElseThrow();
    assertEquals(true, ((Map<?, ?>) first.get("outcome_effect")).get("improved"));
  }

  @Test
  void actingCountsOnlyWithinTheActWindowAndWeeklyInsightsAreFollowedByShare() {
    var events = new ArrayList<JourneyEvent>();
    // two weeks: finance applications get interviews, the others do not; then the week closes and finance follows
    for (int d = 0; d < 14; d++) {
      var at = START.plus(Duration.ofDays(d));
      var industry = d % 2 == 0 ? "finance" : "retail";
      events.add(new ApplicationRecorded("e" + d, "APPLICATION_CREATED", at, "a" + d, "j" + d, "r1", context(industry)));
      events.add(new StatusChanged("s" + d, at.plus(Duration.ofHours(20)), "a" + d, null, null, null,
          new Outcome(industry.equals("finance") ? "interview" : "rejected", 1, null)));
    }
    for (int d = 14; d < 21; d++) {
      events.add(new ApplicationRecorded("e" + d, "APPLICATION_CREATED", START.plus(Duration.ofDays(d)), "a" + d, "j" + d, "r1",
          context("finance")));
    }
    // a rejection first, the accept 30 days later: outside the 14-day act window
    events.add(new SuggestionFeedback("f1", "SUGGESTION_REJECTED", START.plus(Duration.ofDays(2)), "plan", "{}", null, null));
    events.add(new SuggestionFeedback("f2", "SUGGESTION_ACCEPTED", START.plus(Duration.ofDays(32)), "plan", "{}", null, null));
    events.sort(Comparator.comparing(JourneyEvent::timestamp));
    var t = InsightExposures.of("u", events, EXPOSURES, NOW);
    var byKind = new java.util.HashMap<String, InsightExposures.Exposure>();
    t.exposures().forEach(e -> byKind.put(e.kind(), e));
    assertFalse(byKind.get("suggestion_plan").acted(), "accepted after the act window: " + byKind);
    assertEquals(START.plus(Duration.ofDays(2)), byKind.get("suggestion_plan").at());
    var tryThis = byKind.get(InsightExposures.TRY_THIS_WEEK);
    assertNotNull(tryThis, byKind.toString());
    assertEquals("company_types 'finance'", tryThis.detail());
    assertTrue(tryThis.acted(), "only finance after the insight: " + tryThis);
    assertEquals(21, t.applications().size());
    assertEquals(7, t.applications().stream().filter(a -> Boolean.TRUE.equals(a.interviewed())).count());
  }

  @Test
  void tooFewApplicationsGiveNoEstimateButTheCounts() {
    var r = InsightQuality.compute(population(400, 3).subList(0, 1), QUALITY, NOW);
    var rewrite = kind(r, "suggestion_rewrite");
    assertEquals(1, rewrite.shownUsers());
    assertNull(rewrite.effect());
    assertNotNull(rewrite.note());
  }

  @Test
  void theServiceFoldsEveryUsersJournal() {
    var rnd = new SplittableRandom(5);
    var journals = new java.util.LinkedHashMap<String, List<JourneyEvent>>();
    for (int u = 0; u < 40; u++) journals.put("u" + u, journal(u, rnd, u % 2 == 0, 0.2, 0.15));
    var source = new InsightQualityService.Journals() {
      @Override
      public CompletionStage<List<String>> users(int max) {
        return CompletableFuture.completedFuture(List.copyOf(journals.keySet()).subList(0, Math.min(max, journals.size())));
      }

      @Override
      public CompletionStage<List<JourneyEvent>> events(String userId) {
        return CompletableFuture.completedFuture(journals.get(userId));
      }
    };
    var kit = org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create("InsightQualityTest");
    try {
      var service = new InsightQualityService(kit.system(), source,
          new InsightQualityService.Settings(EXPOSURES, QUALITY, 20, 4), Runnable::run, java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
      var r = service.report().toCompletableFuture().join();
      assertEquals(20, r.users(), "max-users caps the users read");
      var rewrite = kind(r, "suggestion_rewrite");
      assertEquals(20, rewrite.shownUsers());
      assertEquals(10, rewrite.actedUsers());
      assertEquals("did_wild_cluster_bootstrap", rewrite.method(), "fewer than 30 users: " + rewrite);
      assertTrue(rewrite.ciLow() < rewrite.effect() && rewrite.effect() < rewrite.ciHigh(), rewrite.toString());
    } finally {
      kit.shutdownTestKit();
    }
  }
}
