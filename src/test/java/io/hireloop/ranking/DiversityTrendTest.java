package io.hireloop.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.ranking.DiversityTrend.AlertKind;
import io.hireloop.ranking.DiversityTrend.Observation;
import io.hireloop.ranking.DiversityTrend.Period;
import io.hireloop.ranking.DiversityTrend.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The diversity report on synthetic weeks: jobs drawn from {@code width} values per facet. Stable weeks raise no alert;
 * a last week of shown jobs from far fewer values raises {@code shown_narrowed}; applied-to jobs whose spread shrinks
 * week by week raise {@code applied_trending_down}; thin weeks count for nothing.
 */
class DiversityTrendTest {
  static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z"); // a Sunday: the week started 2026-11-30
  static final Settings WEEKLY = new Settings(Period.WEEK, 8, 3, 0.15, 50, 4, 0.95);

  /** {@code n} jobs in the week {@code weeksAgo} before NOW's, each facet drawn uniformly from {@code width} values. */
  static List<Observation> week(int weeksAgo, int n, int width, SplittableRandom rnd) {
    var monday = WEEKLY.period().startOf(NOW).minusWeeks(weeksAgo).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    var out = new ArrayList<Observation>();
    for (int i = 0; i < n; i++) {
      var at = monday.plus(Duration.ofMinutes(rnd.nextLong(weeksAgo == 0 ? 6 * 24 * 60 : 7 * 24 * 60)));
      out.add(new Observation(at, List.of("industry-" + rnd.nextInt(width), "company-" + rnd.nextInt(width * 5),
          "level-" + rnd.nextInt(Math.min(width, 4)), "place-" + rnd.nextInt(width))));
    }
    return out;
  }

  static List<Observation> weeks(int n, int[] widthByWeeksAgo, SplittableRandom rnd) {
    var out = new ArrayList<Observation>();
    for (int w = 0; w < widthByWeeksAgo.length; w++) out.addAll(week(w, n, widthByWeeksAgo[w], rnd));
    return out;
  }

  @Test
  void stableWeeksRaiseNoAlertAndTheirTrendsIntervalsHoldZero() {
    var rnd = new SplittableRandom(1);
    int[] widths = {8, 8, 8, 8, 8, 8, 8, 8};
    var r = DiversityTrend.compute(weeks(300, widths, rnd), weeks(200, widths, rnd), WEEKLY, NOW);
    assertEquals(8, r.periods().size());
    assertEquals("2026-11-30", r.periods().get(7).start().toString());
    assertTrue(r.alerts().isEmpty(), r.alerts().toString());
    assertTrue(Math.abs(r.shownDrop()) < 0.05, "drop " + r.shownDrop());
    assertTrue(r.appliedTrend().low() < 0 && r.appliedTrend().high() > 0, r.appliedTrend().toString());
    assertTrue(r.shownTrend().low() < 0 && r.shownTrend().high() > 0, r.shownTrend().toString());
    var json = r.toJson();
    assertEquals("week", json.get("period"));
    assertEquals(List.of(), json.get("alerts"));
  }

  @Test
  void aNarrowLastWeekOfShownJobsRaisesShownNarrowed() {
    var rnd = new SplittableRandom(2);
    int[] shown = {2, 8, 8, 8, 8, 8, 8, 8}; // this week: two values per facet
    int[] applied = {8, 8, 8, 8, 8, 8, 8, 8};
    var r = DiversityTrend.compute(weeks(300, shown, rnd), weeks(200, applied, rnd), WEEKLY, NOW);
    assertEquals(1, r.alerts().size(), r.alerts().toString());
    var a = r.alerts().get(0);
    assertEquals(AlertKind.SHOWN_NARROWED, a.kind());
    assertTrue(r.shownDrop() > 0.15, "drop " + r.shownDrop());
    assertEquals(r.shownDrop(), a.figures().get("drop"), 1e-12);
    assertTrue(r.shownCurrent() < r.shownBaseline());
    assertEquals("shown_narrowed", ((Map<?, ?>) ((List<?>) r.toJson().get("alerts")).get(0)).get("kind"));
  }

  @Test
  void appliedToJobsNarrowingWeekByWeekRaiseAppliedTrendingDown() {
    var rnd = new SplittableRandom(3);
    int[] shown = {8, 8, 8, 8, 8, 8, 8, 8};
    int[] applied = {3, 4, 5, 6, 7, 8, 9, 10}; // widest eight weeks ago
    var r = DiversityTrend.compute(weeks(300, shown, rnd), weeks(200, applied, rnd), WEEKLY, NOW);
    assertTrue(r.appliedTrend().high() < 0, r.appliedTrend().toString());
    assertEquals(List.of(AlertKind.APPLIED_TRENDING_DOWN), r.alerts().stream().map(DiversityTrend.Alert::kind).toList());
  }

  @Test
  void thinPeriodsAreReportedButUsedForNothing() {
    var rnd = new SplittableRandom(4);
    var shown = new ArrayList<Observation>();
    shown.addAll(week(0, 10, 1, rnd)); // narrow but thin: below min-items
    for (int w = 1; w < 8; w++) shown.addAll(week(w, 300, 8, rnd));
    var r = DiversityTrend.compute(shown, List.of(), WEEKLY, NOW);
    var last = r.periods().get(7).shown();
    assertFalse(last.usable());
    assertEquals(10, last.items());
    assertTrue(r.alerts().isEmpty(), r.alerts().toString());
    assertNull(r.appliedTrend().slope(), "no usable applied week: no trend");
    assertNotNull(r.shownBaseline());
  }

  @Test
  void millerMadowBringsASmallSamplesEntropyNearTheLargeOnes() {
    var rnd = new SplittableRandom(5);
    var small = week(1, 60, 10, rnd).stream().map(Observation::facets).toList();
    var large = week(1, 20_000, 10, rnd).stream().map(Observation::facets).toList();
    double plainSmall = FacetEntropy.of(small).byFacet().get("industry");
    double corrected = DiversityTrend.measure(small, 1).byFacet().get("industry");
    double truth = DiversityTrend.measure(large, 1).byFacet().get("industry"); // ≈ log2 10
    assertEquals(Math.log(10) / Math.log(2), truth, 0.01);
    assertTrue(Math.abs(corrected - truth) < Math.abs(plainSmall - truth), corrected + " vs plain " + plainSmall + ", truth " + truth);
    assertEquals(0, FacetEntropy.entropy(Map.of("a", 5)), 0);
    assertEquals(1, FacetEntropy.entropy(Map.of("a", 5, "b", 5)), 1e-12);
  }

  /**
   * A feedback loop through the real policy: each week 200 requests of 30 jobs over 8 industries; the model's
   * probability of a job grows with how often its industry was shown the week before (it learns from what it showed).
   * Served by the model's order (λ 0) the lists narrow and {@code shown_narrowed} fires; with MMR at λ 0.7 they do not.
   */
  @Test
  void aModelThatLearnsFromItsOwnListsNarrowsThemAndOnlyDiversityKeepsThemOpen() {
    var narrowing = loop(0.0);
    assertTrue(narrowing.alerts().stream().anyMatch(a -> a.kind() == AlertKind.SHOWN_NARROWED), "λ 0 narrows: drop " + narrowing.shownDrop()
        + ", " + narrowing.periods().stream().map(p -> p.shown().byFacet().get("industry")).toList());
    // the loop narrows the industry alone: the facets' mean drops less than the limit, the industry's more
    assertTrue(narrowing.shownDrop() < 0.15 && narrowing.shownDropByFacet().get("industry") > 0.3, narrowing.shownDropByFacet().toString());
    assertTrue(narrowing.alerts().get(0).message().contains("industry"), narrowing.alerts().toString());
    var open = loop(0.7);
    assertTrue(open.alerts().isEmpty(), "λ .7 keeps the lists open: " + open.alerts() + ", drop " + open.shownDrop());
  }

  static DiversityTrend.Report loop(double lambda) {
    var rnd = new SplittableRandom(11);
    var settings = new RankingPolicy.Settings(lambda, 0, 10);
    var boost = new double[8];
    var shown = new ArrayList<Observation>();
    for (int weeksAgo = 7; weeksAgo >= 0; weeksAgo--) {
      var monday = WEEKLY.period().startOf(NOW).minusWeeks(weeksAgo).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      var counts = new int[8];
      for (int q = 0; q < 200; q++) {
        var candidates = new ArrayList<RankingPolicy.Candidate>();
        for (int j = 0; j < 30; j++) {
          int industry = rnd.nextInt(8);
          double z = -1.5 + 0.5 * rnd.nextGaussian() + boost[industry];
          candidates.add(new RankingPolicy.Candidate("j" + j, 1 / (1 + Math.exp(-z)), List.of("industry-" + industry,
              "company-" + rnd.nextInt(40), "level-" + rnd.nextInt(3), "place-" + rnd.nextInt(5))));
        }
        var ranked = RankingPolicy.rank(candidates, settings, rnd.nextLong());
        var at = monday.plus(Duration.ofMinutes(rnd.nextLong(weeksAgo == 0 ? 6 * 24 * 60 : 7 * 24 * 60)));
        for (var p : ranked.placed()) {
          if (p.position() > ranked.topK()) continue;
          var facets = candidates.get(p.index()).facets();
          shown.add(new Observation(at, facets));
          counts[Integer.parseInt(facets.get(0).substring("industry-".length()))]++;
        }
      }
      // retraining on what was shown: an industry's shown share above 1/8 raises its scores next week
      for (int k = 0; k < 8; k++) boost[k] += 6 * ((double) counts[k] / (200 * 10) - 1.0 / 8);
    }
    return DiversityTrend.compute(shown, List.of(), WEEKLY, NOW);
  }
}
