package io.hireloop.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.stats.OffPolicy.Item;
import io.hireloop.stats.OffPolicy.Ranking;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The estimators against values computed by hand from their formulas (OffPolicy's class comment). */
class OffPolicyTest {
  /**
   * Two rankings of three jobs, two slots each. Ranking 1: a shown (μ .5, π 1, q̂ .2, r 1), b shown (μ 1, π 0, q̂ .1,
   * r 0), c not shown (μ .5, π 1, q̂ .3). Ranking 2: a shown (μ .8, π 1, q̂ .4, r 0), b shown (μ .4, π 1, q̂ .2, r 1),
   * c not shown (μ .8, π 0, q̂ .5).
   */
  static List<Ranking> twoRankings() {
    return List.of(
        new Ranking(2, List.of(new Item(true, 0.5, 1, 0.2, 1), new Item(true, 1, 0, 0.1, 0), new Item(false, 0.5, 1, 0.3, 0))),
        new Ranking(2, List.of(new Item(true, 0.8, 1, 0.4, 0), new Item(true, 0.4, 1, 0.2, 1), new Item(false, 0.8, 0, 0.5, 0))));
  }

  @Test
  void handComputedEstimates() {
    var e = OffPolicy.estimate(twoRankings(), 0.95);
    assertEquals(2, e.rankings());
    // observed: (1 + 0)/2 and (0 + 1)/2
    assertEquals(0.5, e.observed().value(), 1e-12);
    assertEquals(0, e.observed().standardError(), 1e-12);
    // IPS: a_1 = (1/.5·1 + 0/1·0)/2 = 1; a_2 = (1/.8·0 + 1/.4·1)/2 = 1.25; mean 1.125, sd √(2·.125²/1), se sd/√2 = .125
    assertEquals(1.125, e.ips().value(), 1e-12);
    assertEquals(0.125, e.ips().standardError(), 1e-12);
    assertEquals(1.125 - 1.959963984540054 * 0.125, e.ips().low(), 1e-9);
    assertEquals(1.125 + 1.959963984540054 * 0.125, e.ips().high(), 1e-9);
    // SNIPS: b_1 = (2 + 0)/2 = 1, b_2 = (1.25 + 2.5)/2 = 1.875; V = 2.25/2.875
    double snips = 2.25 / 2.875;
    assertEquals(snips, e.snips().value(), 1e-12);
    double ss = Math.pow(1 - snips * 1, 2) + Math.pow(1.25 - snips * 1.875, 2);
    assertEquals(Math.sqrt(ss * 2 / 1) / 2.875, e.snips().standardError(), 1e-12);
    assertEquals(0.1512287334593573, e.snips().standardError(), 1e-12);
    // DR: d_1 = (1·.2 + 0·.1 + 1·.3 + 2·(1 − .2) + 0)/2 = 1.05; d_2 = (.4 + .2 + 0 + 1.25·(0 − .4) + 2.5·(1 − .2))/2 = 1.05
    assertEquals(1.05, e.doublyRobust().value(), 1e-12);
    assertEquals(0, e.doublyRobust().standardError(), 1e-12);
    // diagnostics: ESS = 2.875² / (1² + 1.875²), the largest weight 1/.4, every target job supported
    assertEquals(2.875 * 2.875 / (1 + 1.875 * 1.875), e.effectiveSampleSize(), 1e-12);
    assertEquals(2.5, e.maxWeight(), 1e-12);
    assertEquals(0, e.unsupportedShare(), 1e-12);
  }

  @Test
  void theLoggingPolicyItselfIsEstimatedByItsObservedValue() {
    // π = μ: every weight 1, IPS = SNIPS = observed, whatever the rewards
    var rankings = List.of(
        new Ranking(2, List.of(new Item(true, 0.7, 0.7, 0.3, 1), new Item(true, 0.6, 0.6, 0.3, 1), new Item(false, 0.7, 0.7, 0.1, 0))),
        new Ranking(1, List.of(new Item(true, 0.9, 0.9, 0.3, 0), new Item(false, 0.1, 0.1, 0.3, 0))),
        new Ranking(2, List.of(new Item(true, 1, 1, 0.5, 1), new Item(true, 1, 1, 0.5, 0))));
    var e = OffPolicy.estimate(rankings, 0.9);
    assertEquals(e.observed().value(), e.ips().value(), 1e-12);
    assertEquals(e.observed().value(), e.snips().value(), 1e-12);
    assertEquals((1.0 + 0 + 0.5) / 3, e.observed().value(), 1e-12);
    assertEquals(0.9, e.ips().level());
  }

  @Test
  void unsupportedMassIsReportedAndOneRankingHasNoInterval() {
    // the target puts c (never shown: μ = 0) in its top slot: half of its mass
    var e = OffPolicy.estimate(List.of(new Ranking(2, List.of(new Item(true, 1, 1, 0.2, 1), new Item(true, 1, 0, 0.2, 0),
        new Item(false, 0, 1, 0.2, 0)))), 0.95);
    assertEquals(0.5, e.unsupportedShare(), 1e-12);
    assertEquals(0.5, e.ips().value(), 1e-12);
    assertTrue(Double.isNaN(e.ips().standardError()) && Double.isNaN(e.ips().low()), e.ips().toString());
  }

  @Test
  void refusesNonsense() {
    assertThrows(IllegalArgumentException.class, () -> OffPolicy.estimate(List.of(), 0.95));
    assertThrows(IllegalArgumentException.class, () -> OffPolicy.estimate(twoRankings(), 1.5));
    assertThrows(IllegalArgumentException.class, () -> OffPolicy.estimate(List.of(new Ranking(1, List.of(new Item(true, 0, 1, 0, 1)))), 0.95));
  }
}
