package io.hireloop.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.ranking.RankingEvaluation.CandidatePolicy;
import io.hireloop.ranking.RankingLog.LoggedJob;
import io.hireloop.ranking.RankingLog.LoggedRanking;
import io.hireloop.ranking.RankingOutcomes.Application;
import io.hireloop.ranking.RankingOutcomes.UserOutcomes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The evaluation from logged rankings as {@link Reranker} logs them, with outcomes joined (no Cassandra). */
class RankingEvaluationTest {
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  static final Duration WINDOW = Duration.ofDays(14);

  /** The log and the outcomes; {@code fullyApplied}: rankings whose every top job was applied to (complete at once). */
  record Logged(List<LoggedRanking> rankings, Map<String, UserOutcomes> outcomes, int fullyApplied) {}

  /**
   * 300 rankings of 10 jobs (ids unique per ranking) served by λ .3, ε .2, k 3, 20 days ago to 40 users; the user
   * applied to each shown job with chance .5 an hour later, and got an interview with the job's probability.
   */
  static Logged logged(SplittableRandom rnd) {
    var settings = new RankingPolicy.Settings(0.3, 0.2, 3);
    var rankings = new ArrayList<LoggedRanking>();
    var outcomes = new HashMap<String, UserOutcomes>();
    int fullyApplied = 0;
    for (int i = 0; i < 300; i++) {
      var user = "u-" + i % 40;
      var candidates = new ArrayList<RankingPolicy.Candidate>();
      for (var c : RankingPolicyTest.candidates(10, rnd.nextLong())) {
        candidates.add(new RankingPolicy.Candidate("r" + i + "-" + c.jobId(), c.probability(), c.facets()));
      }
      var request = new Reranker.Request("r-" + i, rnd.nextLong(), user, List.of());
      var result = Reranker.result(request, 3, candidates, settings);
      var at = NOW.minus(Duration.ofDays(20)).plusSeconds(i);
      var ranking = Reranker.logged(result, candidates, at);
      rankings.add(ranking);
      var o = outcomes.computeIfAbsent(user, u -> new UserOutcomes(new ArrayList<>(), new HashMap<>()));
      int applied = 0;
      for (var job : ranking.jobs()) {
        if (job.position() <= 3 && rnd.nextDouble() < 0.5) {
          var app = "app-" + job.jobId();
          o.applications().add(new Application(app, job.jobId(), at.plusSeconds(3600)));
          o.labels().put(app, rnd.nextDouble() < job.probability());
          applied++;
        }
      }
      if (applied == 3) fullyApplied++;
    }
    return new Logged(rankings, outcomes, fullyApplied);
  }

  @Test
  void evaluatingTheLoggingPolicyItselfGivesItsObservedValue() {
    var d = logged(new SplittableRandom(5));
    var r = RankingEvaluation.evaluate(d.rankings(), d.outcomes(), new CandidatePolicy(0.3, 0.2), WINDOW, NOW, 0.95,
        NOW.minus(Duration.ofDays(30)));
    assertEquals(300, r.rankingsLogged());
    assertEquals(0, r.rankingsPending());
    var e = r.estimates();
    // the recomputed inclusion equals the logged propensity: every weight is 1
    assertEquals(e.observed().value(), e.ips().value(), 1e-12);
    assertEquals(e.observed().value(), e.snips().value(), 1e-12);
    assertEquals(1.0, e.maxWeight(), 1e-12);
    assertTrue(e.observed().value() > 0.05 && e.observed().value() < 0.5, e.observed().toString());
    // β: interviews per predicted point among the shown jobs (about the apply rate, .5)
    assertTrue(r.rewardModelScale() > 0.3 && r.rewardModelScale() < 0.7, "β " + r.rewardModelScale());

    var json = r.toJson();
    assertEquals(300, json.get("rankings_evaluated"));
    assertTrue(((Map<?, ?>) json.get("estimates")).containsKey("dr"), json.toString());
  }

  @Test
  void openRankingsArePendingAndAnotherPolicyIsReweighted() {
    var d = logged(new SplittableRandom(6));
    // ten days after they were served the 14-day window is open: only lists whose every top job was applied to are known
    var early = RankingEvaluation.evaluate(d.rankings(), d.outcomes(), new CandidatePolicy(0, 0), WINDOW,
        NOW.minus(Duration.ofDays(10)), 0.95, NOW);
    assertTrue(d.fullyApplied() > 10 && d.fullyApplied() < 100, "about 1 in 8: " + d.fullyApplied());
    assertEquals(300 - d.fullyApplied(), early.rankingsPending());
    assertEquals(d.fullyApplied(), early.estimates().rankings());
    var none = RankingEvaluation.evaluate(d.rankings(), Map.of(), new CandidatePolicy(0, 0), WINDOW, NOW.minus(Duration.ofDays(10)), 0.95, NOW);
    assertEquals(300, none.rankingsPending());
    assertNull(none.estimates());
    assertNull(none.toJson().get("estimates"));

    var r = RankingEvaluation.evaluate(d.rankings(), d.outcomes(), new CandidatePolicy(0, 0), WINDOW, NOW, 0.95, NOW);
    var e = r.estimates();
    assertEquals(300, e.rankings());
    // the model's order without exploration: weights 0 (not in its top 3) or 1/μ (μ ≤ 1)
    assertTrue(e.maxWeight() > 1, e.toString());
    assertEquals(0, e.unsupportedShare(), 1e-12);
    assertTrue(e.ips().low() < e.ips().value() && e.ips().value() < e.ips().high());
  }

  @Test
  void aRankingOfUnknownUsersHasZeroRewardsOnceClosed() {
    var job = new LoggedJob("a", 0.4, List.of("x", "y", "z", "w"), 1, 1.0, false);
    var r = RankingEvaluation.evaluate(List.of(new LoggedRanking("r", "nobody", NOW.minus(Duration.ofDays(15)), 1, 1, 0, 0, 1, List.of(job))),
        Map.of(), new CandidatePolicy(0, 0), WINDOW, NOW, 0.95, NOW);
    assertEquals(0, r.estimates().observed().value());
    assertEquals(0, r.estimates().ips().value());
  }
}
