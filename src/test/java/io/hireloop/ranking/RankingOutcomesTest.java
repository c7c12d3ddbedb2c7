package io.hireloop.ranking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.ranking.RankingLog.LoggedJob;
import io.hireloop.ranking.RankingLog.LoggedRanking;
import io.hireloop.ranking.RankingOutcomes.Application;
import io.hireloop.ranking.RankingOutcomes.UserOutcomes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RankingOutcomesTest {
  static final Instant SHOWN = Instant.parse("2026-11-30T10:00:00Z");
  static final Duration WINDOW = Duration.ofDays(14);
  static final List<String> F = List.of("software", "Acme", "mid", "Berlin");

  /** Jobs a, b, c at positions 1, 2, 3; the top 2 are the slots. */
  static LoggedRanking ranking() {
    return new LoggedRanking("r-1", "u-1", SHOWN, 1, 2, 0.3, 0.1, 7, List.of(
        new LoggedJob("a", 0.4, F, 1, 0.9, false), new LoggedJob("b", 0.3, F, 2, 0.9, false), new LoggedJob("c", 0.2, F, 3, 0.2, false)));
  }

  @Test
  void appliedAndInterviewedIsOneNotAppliedAfterTheWindowIsZero() {
    var outcomes = new UserOutcomes(List.of(new Application("app-1", "a", SHOWN.plus(Duration.ofDays(2))),
        new Application("app-3", "c", SHOWN.plus(Duration.ofDays(1)))), Map.of("app-1", true, "app-3", true));
    var r = RankingOutcomes.rewards(ranking(), outcomes, WINDOW, SHOWN.plus(Duration.ofDays(15))).orElseThrow();
    // c was applied to and interviewed, but it was not in the top 2: it has no reward in this ranking
    assertArrayEquals(new double[] {1, 0, Double.NaN}, r);
  }

  @Test
  void pendingWhileTheWindowIsOpenOrAnAppliedJobHasNoLabel() {
    var interviewed = new UserOutcomes(List.of(new Application("app-1", "a", SHOWN.plusSeconds(60))), Map.of("app-1", true));
    // b may still be applied to
    assertTrue(RankingOutcomes.rewards(ranking(), interviewed, WINDOW, SHOWN.plus(Duration.ofDays(3))).isEmpty());
    var unlabelled = new UserOutcomes(List.of(new Application("app-1", "a", SHOWN.plusSeconds(60))), Map.of());
    assertTrue(RankingOutcomes.rewards(ranking(), unlabelled, WINDOW, SHOWN.plus(Duration.ofDays(30))).isEmpty());
    // both top jobs applied to and labelled: complete before the window closes
    var both = new UserOutcomes(List.of(new Application("app-1", "a", SHOWN.plusSeconds(60)), new Application("app-2", "b", SHOWN.plusSeconds(90))),
        Map.of("app-1", false, "app-2", true));
    assertArrayEquals(new double[] {0, 1, Double.NaN}, RankingOutcomes.rewards(ranking(), both, WINDOW, SHOWN.plusSeconds(120)).orElseThrow());
  }

  @Test
  void applicationsBeforeTheRankingOrAfterTheWindowDoNotCount() {
    var outside = new UserOutcomes(List.of(new Application("app-0", "a", SHOWN.minusSeconds(1)),
        new Application("app-9", "b", SHOWN.plus(WINDOW).plusSeconds(1))), Map.of("app-0", true, "app-9", true));
    assertArrayEquals(new double[] {0, 0, Double.NaN},
        RankingOutcomes.rewards(ranking(), outside, WINDOW, SHOWN.plus(Duration.ofDays(20))).orElseThrow());
  }
}
