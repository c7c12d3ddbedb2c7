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
}
