package io.hireloop.ranking;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.hipparchus.distribution.continuous.TDistribution;

/**
 * Feedback-loop stability of the re-ranking (pure; no Pekko): the {@link FacetEntropy} of what users were shown (the
 * top slots of every served list) and of what they applied to, per UTC day or ISO week, the trend of each over the
 * periods (OLS slope with its t interval) and the alerts when recommendations narrow.
 *
 * <p>Each period's entropy pools the period's jobs over all users and is Miller–Madow corrected ({@code (K − 1)/(2N)}
 * nats per facet, K distinct values among N jobs): the plug-in entropy of a sample is biased low by about that much, so
 * without the correction a quiet period would look narrower than a busy one. Periods with fewer than
 * {@code minItems} jobs are reported but left out of the baseline, the trend and the alerts.
 *
 * <p>Alerts: {@link AlertKind#SHOWN_NARROWED} when the latest usable period's shown entropy — the facets' mean, or any
 * one facet's — is more than {@code maxDrop} (a share) below its baseline, the mean of the earliest
 * {@code baselinePeriods} usable periods of the window (a loop usually narrows one facet, which the mean of four
 * dilutes); {@link AlertKind#APPLIED_TRENDING_DOWN} when the applied-to entropy's slope has its whole interval below 0
 * (at least {@code minTrendPeriods} usable periods).
 */
public final class DiversityTrend {
  private DiversityTrend() {}

  public enum Period {
    DAY, WEEK;

    public LocalDate startOf(Instant t) {
      var d = LocalDate.ofInstant(t, ZoneOffset.UTC);
      return this == DAY ? d : d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    public LocalDate minus(LocalDate start, int periods) {
      return this == DAY ? start.minusDays(periods) : start.minusWeeks(periods);
    }

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * @param period days or weeks ({@code hireloop.ranking.diversity.period})
   * @param periods how many periods back the window reaches, the current one included ({@code periods})
   * @param baselinePeriods the earliest usable periods averaged as the shown entropy's baseline ({@code baseline-periods})
   * @param maxDrop the share of the baseline the shown entropy may fall before an alert, e.g. 0.15 ({@code max-drop})
   * @param minItems a period needs this many jobs to count ({@code min-items})
   * @param minTrendPeriods usable periods a trend needs ({@code min-trend-periods})
   * @param level of the slopes' intervals ({@code confidence-level})
   */
  public record Settings(Period period, int periods, int baselinePeriods, double maxDrop, int minItems, int minTrendPeriods, double level) {
    public Settings {
      if (periods < 2) throw new IllegalArgumentException("diversity periods must be at least 2");
      if (baselinePeriods < 1 || baselinePeriods >= periods) throw new IllegalArgumentException("baseline-periods must be in [1, periods)");
      if (!(maxDrop > 0 && maxDrop < 1)) throw new IllegalArgumentException("max-drop must be in (0, 1)");
      if (minItems < 1) throw new IllegalArgumentException("min-items must be at least 1");
      if (minTrendPeriods < 3) throw new IllegalArgumentException("min-trend-periods must be at least 3");
      if (!(level > 0 && level < 1)) throw new IllegalArgumentException("confidence-level must be in (0, 1)");
    }

    /** The first instant of the window. */
    public Instant since(Instant now) {
      return period.minus(period.startOf(now), periods - 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
  }

  /** One job shown or applied to, at {@code at}, with its {@link Diversity#FACETS} values. */
  public record Observation(Instant at, List<String> facets) {}

  /** @param usable whether it had {@code minItems} jobs */
  public record Measure(double entropyBits, Map<String, Double> byFacet, int items, boolean usable) {
    Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("entropy_bits", entropyBits);
      m.put("by_facet", byFacet);
      m.put("items", items);
      m.put("usable", usable);
      return m;
    }
  }

  public record PeriodEntropy(LocalDate start, Measure shown, Measure applied) {}

  /** The slope per period of a usable series with its interval; null slope fields when too few periods. */
  public record Trend(int periods, Double slope, Double low, Double high) {
    boolean down() {
      return high != null && high < 0;
    }

    Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("periods", periods);
      m.put("slope_bits_per_period", slope);
      m.put("ci_low", low);
      m.put("ci_high", high);
      m.put("significantly_down", down());
      return m;
    }
  }

  public enum AlertKind {
    SHOWN_NARROWED, APPLIED_TRENDING_DOWN;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public record Alert(AlertKind kind, String message, Map<String, Double> figures) {
    public Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("kind", kind.json());
      m.put("message", message);
      m.put("figures", figures);
      return m;
    }
  }

  /**
   * @param shownBaseline null when no baseline period is usable
   * @param shownCurrent the latest usable period's shown entropy (null when none)
   * @param shownDrop (baseline − current) / baseline; null without both
   * @param shownDropByFacet the same per facet (facets with a zero baseline left out); empty without a baseline
   */
  public record Report(Instant computedAt, Settings settings, List<PeriodEntropy> periods, Double shownBaseline, Double shownCurrent,
      Double shownDrop, Map<String, Double> shownDropByFacet, Trend shownTrend, Trend appliedTrend, List<Alert> alerts) {

    /** The document of {@code GET /api/v1/ranking/diversity} (docs/API.md). */
    public Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("computed_at", computedAt.toString());
      m.put("period", settings.period().json());
      m.put("since", settings.since(computedAt).toString());
      var rows = new ArrayList<Map<String, Object>>();
      for (var p : periods) {
        var r = new LinkedHashMap<String, Object>();
        r.put("start", p.start().toString());
        r.put("shown", p.shown().toJson());
        r.put("applied", p.applied().toJson());
        rows.add(r);
      }
      m.put("periods", rows);
      var shown = new LinkedHashMap<String, Object>();
      shown.put("baseline_bits", shownBaseline);
      shown.put("current_bits", shownCurrent);
      shown.put("drop", shownDrop);
      shown.put("drop_by_facet", shownDropByFacet);
      shown.put("max_drop", settings.maxDrop());
      shown.put("trend", shownTrend.toJson());
      m.put("shown", shown);
      m.put("applied", Map.of("trend", appliedTrend.toJson()));
      m.put("confidence_level", settings.level());
      m.put("alerts", alerts.stream().map(Alert::toJson).toList());
      return m;
    }
  }

  public static Report compute(List<Observation> shown, List<Observation> applied, Settings s, Instant now) {
    var first = s.period().startOf(s.since(now));
    var shownBy = byPeriod(shown, s.period(), first, now);
    var appliedBy = byPeriod(applied, s.period(), first, now);
    var periods = new ArrayList<PeriodEntropy>();
    for (int i = s.periods() - 1; i >= 0; i--) {
      var start = s.period().minus(s.period().startOf(now), i);
      periods.add(new PeriodEntropy(start, measure(shownBy.getOrDefault(start, List.of()), s.minItems()),
          measure(appliedBy.getOrDefault(start, List.of()), s.minItems())));
    }
    var usableShown = periods.stream().filter(p -> p.shown().usable()).toList();
    Double baseline = null, current = null, drop = null;
    var dropByFacet = new LinkedHashMap<String, Double>();
    if (usableShown.size() > s.baselinePeriods()) {
      double sum = 0;
      for (int i = 0; i < s.baselinePeriods(); i++) sum += usableShown.get(i).shown().entropyBits();
      baseline = sum / s.baselinePeriods();
      var latest = usableShown.get(usableShown.size() - 1).shown();
      current = latest.entropyBits();
      drop = baseline > 0 ? (baseline - current) / baseline : 0.0;
      for (var facet : Diversity.FACETS) {
        double b = 0;
        for (int i = 0; i < s.baselinePeriods(); i++) b += usableShown.get(i).shown().byFacet().get(facet);
        b /= s.baselinePeriods();
        if (b > 0) dropByFacet.put(facet, (b - latest.byFacet().get(facet)) / b);
      }
    }
    var shownTrend = trend(periods, true, s);
    var appliedTrend = trend(periods, false, s);
    var alerts = new ArrayList<Alert>();
    if (drop != null) {
      var worst = dropByFacet.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
      if (drop > s.maxDrop()) {
        alerts.add(new Alert(AlertKind.SHOWN_NARROWED, String.format(Locale.ROOT,
            "the entropy of the jobs shown fell %.0f %% below its baseline (%.2f → %.2f bits; the limit is %.0f %%)", 100 * drop,
            baseline, current, 100 * s.maxDrop()), Map.of("baseline_bits", baseline, "current_bits", current, "drop", drop)));
      } else if (worst != null && worst.getValue() > s.maxDrop()) {
        alerts.add(new Alert(AlertKind.SHOWN_NARROWED, String.format(Locale.ROOT,
            "the %s entropy of the jobs shown fell %.0f %% below its baseline (the limit is %.0f %%)", worst.getKey(),
            100 * worst.getValue(), 100 * s.maxDrop()), Map.of("drop", worst.getValue(), "facet_mean_drop", drop)));
      }
    }
    if (appliedTrend.down()) {
      alerts.add(new Alert(AlertKind.APPLIED_TRENDING_DOWN, String.format(Locale.ROOT,
          "the entropy of the jobs applied to trends down: %.3f bits per %s (%.0f %% interval %.3f to %.3f)", appliedTrend.slope(),
          s.period().json(), 100 * s.level(), appliedTrend.low(), appliedTrend.high()),
          Map.of("slope_bits_per_period", appliedTrend.slope(), "ci_low", appliedTrend.low(), "ci_high", appliedTrend.high())));
    }
    return new Report(now, s, List.copyOf(periods), baseline, current, drop, java.util.Collections.unmodifiableMap(dropByFacet),
        shownTrend, appliedTrend, List.copyOf(alerts));
  }

  private static TreeMap<LocalDate, List<List<String>>> byPeriod(List<Observation> obs, Period period, LocalDate first, Instant now) {
    var out = new TreeMap<LocalDate, List<List<String>>>();
    for (var o : obs) {
      if (o.at().isAfter(now)) continue;
      var start = period.startOf(o.at());
      if (start.isBefore(first)) continue;
      out.computeIfAbsent(start, k -> new ArrayList<>()).add(o.facets());
    }
    return out;
  }

  /** The period's entropy, Miller–Madow corrected per facet (see the class comment). */
  static Measure measure(List<List<String>> facetLists, int minItems) {
    var plain = FacetEntropy.of(facetLists);
    var byFacet = new LinkedHashMap<String, Double>();
    double sum = 0;
    int present = 0;
    for (int k = 0; k < Diversity.FACETS.size(); k++) {
      var counts = new java.util.HashMap<String, Integer>();
      for (var values : facetLists) {
        var v = values == null || values.size() <= k ? null : values.get(k);
        if (v != null && !v.isBlank()) counts.merge(v.trim().toLowerCase(Locale.ROOT), 1, Integer::sum);
      }
      int n = counts.values().stream().mapToInt(Integer::intValue).sum();
      double h = plain.byFacet().get(Diversity.FACETS.get(k));
      if (n > 0) {
        h += (counts.size() - 1) / (2.0 * n) / Math.log(2);
        sum += h;
        present++;
      }
      byFacet.put(Diversity.FACETS.get(k), h);
    }
    return new Measure(present == 0 ? 0 : sum / present, byFacet, facetLists.size(), facetLists.size() >= minItems);
  }

  /** OLS of the usable periods' entropy on their index in the window, with the slope's t interval. */
  static Trend trend(List<PeriodEntropy> periods, boolean shown, Settings s) {
    var x = new ArrayList<Double>();
    var y = new ArrayList<Double>();
    for (int i = 0; i < periods.size(); i++) {
      var m = shown ? periods.get(i).shown() : periods.get(i).applied();
      if (!m.usable()) continue;
      x.add((double) i);
      y.add(m.entropyBits());
    }
    int n = x.size();
    if (n < s.minTrendPeriods()) return new Trend(n, null, null, null);
    double mx = x.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double my = y.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
      sxx += (x.get(i) - mx) * (x.get(i) - mx);
      sxy += (x.get(i) - mx) * (y.get(i) - my);
    }
    double slope = sxy / sxx;
    double sse = 0;
    for (int i = 0; i < n; i++) {
      double r = y.get(i) - my - slope * (x.get(i) - mx);
      sse += r * r;
    }
    double se = Math.sqrt(sse / (n - 2) / sxx);
    double t = new TDistribution(n - 2).inverseCumulativeProbability((1 + s.level()) / 2);
    return new Trend(n, slope, slope - t * se, slope + t * se);
  }
}
