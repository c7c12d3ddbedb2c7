package io.hireloop.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.ranking.Diversity.Reason;
import io.hireloop.ranking.RankingPolicy.Candidate;
import io.hireloop.ranking.RankingPolicy.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RankingPolicyTest {
  static final String[] INDUSTRIES = {"software", "finance", "health"};
  static final String[] COMPANIES = {"Acme", "Beta", "Corp", "Delta"};

  static List<Candidate> candidates(int n, long seed) {
    var rnd = new Random(seed);
    var out = new ArrayList<Candidate>();
    for (int i = 0; i < n; i++) {
      out.add(new Candidate("j-" + i, 0.05 + 0.5 * rnd.nextDouble(), List.of(INDUSTRIES[rnd.nextInt(3)], COMPANIES[rnd.nextInt(4)],
          rnd.nextBoolean() ? "mid" : "senior", rnd.nextBoolean() ? "Berlin" : "Remote")));
    }
    return out;
  }

  @Test
  void everyJobOncePropensitiesOfTheTopSumToTheSlotsAndReasonsFollowThePicks() {
    var c = candidates(20, 1);
    var s = new Settings(0.4, 0.3, 5);
    for (long seed = 0; seed < 50; seed++) {
      var r = RankingPolicy.rank(c, s, seed);
      assertEquals(20, r.placed().size());
      assertEquals(5, r.topK());
      assertEquals(20, r.placed().stream().mapToInt(RankingPolicy.Placed::index).distinct().count());
      double sum = r.placed().stream().mapToDouble(RankingPolicy.Placed::propensity).sum();
      assertEquals(5, sum, 1e-9, "every job's top-k inclusion probability, all jobs together");
      for (int pos = 0; pos < 20; pos++) {
        var p = r.placed().get(pos);
        assertEquals(pos + 1, p.position());
        if (p.explored()) {
          assertTrue(pos < 5, "exploration fills top slots only");
          assertEquals("exploration", p.reasonText());
          assertEquals(s.explorationRate() * 5 / 15, p.propensity(), 1e-12, "a tail job: E[min(M, 15)]/15 = 5ε/15");
        } else if (pos < 5) {
          assertEquals(0.7, p.propensity(), 1e-12, "a kept top job: 1 − ε");
        }
      }
      // the propensities are the inclusion of the policy for the request, whatever the seed drew
      var inclusion = RankingPolicy.inclusion(c, s);
      for (var p : r.placed()) assertEquals(inclusion[p.index()], p.propensity(), 1e-12);
    }
  }

  @Test
  void theSameSeedGivesTheSameListAndTheRequestIdIsTheDefaultSeed() {
    var c = candidates(30, 2);
    var s = new Settings(0.3, 0.5, 10);
    assertEquals(RankingPolicy.rank(c, s, 42), RankingPolicy.rank(c, s, 42));
    assertEquals(RankingPolicy.seedOf("req-1"), RankingPolicy.seedOf("req-1"));
    assertNotEquals(RankingPolicy.seedOf("req-1"), RankingPolicy.seedOf("req-2"));
    // FNV-1a 64 of "a" (the published test vector)
    assertEquals(0xaf63dc4c8601ec8cL, RankingPolicy.seedOf("a"));
  }

  @Test
  void withoutDiversityAndExplorationItIsTheModelsOrder() {
    var c = candidates(25, 3);
    var r = RankingPolicy.rank(c, new Settings(0, 0, 10), 7);
    for (int pos = 1; pos < 25; pos++) {
      assertTrue(c.get(r.placed().get(pos - 1).index()).probability() >= c.get(r.placed().get(pos).index()).probability());
      assertEquals(Reason.RELEVANCE, r.placed().get(pos).reason());
      assertEquals(pos < 10 ? 1.0 : 0.0, r.placed().get(pos).propensity());
    }
    assertEquals("high predicted interview chance", r.placed().get(0).reasonText());
  }

  @Test
  void diversityReasonsNameTheFacet() {
    var c = List.of(new Candidate("a", 0.5, List.of("software", "Acme", "mid", "Berlin")),
        new Candidate("b", 0.49, List.of("software", "Acme", "mid", "Berlin")),
        new Candidate("c", 0.3, List.of("finance", "Beta", "senior", "London")));
    var r = RankingPolicy.rank(c, new Settings(0.5, 0, 3), 1);
    assertEquals("c", c.get(r.placed().get(1).index()).jobId());
    assertEquals("adds diversity: industry finance", r.placed().get(1).reasonText());
  }

  @Test
  void refusesSettingsOutOfRange() {
    assertThrows(IllegalArgumentException.class, () -> new Settings(-0.1, 0.1, 10));
    assertThrows(IllegalArgumentException.class, () -> new Settings(0.1, 1.1, 10));
    assertThrows(IllegalArgumentException.class, () -> new Settings(0.1, 0.1, 0));
  }
}
