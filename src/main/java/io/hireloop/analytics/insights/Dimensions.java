package io.hireloop.analytics.insights;

import io.hireloop.analytics.insights.InsightState.AppFact;
import io.hireloop.analytics.insights.Rates.Cell;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The ways an application can be grouped, and interview-rate cells per group value. */
final class Dimensions {
  private Dimensions() {}

  private static final Function<AppFact, String> TAILORING = a -> a.tailored() ? "tailored" : "not_tailored";

  /** Pattern dimensions of UserPatterns (JSON name → value of an application). Company type: the job's industry. */
  static final Map<String, Function<AppFact, String>> PATTERNS = ordered(List.of(
      Map.entry("roles", AppFact::title),
      Map.entry("locations", AppFact::location),
      Map.entry("company_types", AppFact::industry),
      Map.entry("seniority", AppFact::seniority),
      Map.entry("resume_versions", AppFact::resumeVersion),
      Map.entry("strategy_modes", AppFact::mode),
      Map.entry("categories", AppFact::category),
      Map.entry("tailoring", TAILORING)));

  /** Strategy choices compared across a segment (anonymous: no titles, companies or versions). */
  static final Map<String, Function<AppFact, String>> STRATEGIES = ordered(List.of(
      Map.entry("strategy_mode", AppFact::mode),
      Map.entry("category", AppFact::category),
      Map.entry("tailoring", TAILORING)));

  /** Interview-rate cells by value, for applications created up to {@code until} (null: all). */
  static Map<String, Cell> cells(Collection<AppFact> apps, Function<AppFact, String> key, Instant until) {
    var cells = new TreeMap<String, Cell>();
    for (var a : apps) {
      if (until != null && a.createdAt().isAfter(until)) continue;
      var k = java.util.Objects.requireNonNullElse(key.apply(a), "unknown");
      cells.put(k, cells.getOrDefault(k, Cell.EMPTY).plus(interviewedBy(a, until)));
    }
    return cells;
  }

  static Cell overall(Collection<AppFact> apps, Instant until) {
    return cells(apps, a -> "all", until).getOrDefault("all", Cell.EMPTY);
  }

  static boolean interviewedBy(AppFact a, Instant until) {
    return a.interviewed() && (until == null || !a.interviewedAt().isAfter(until));
  }

  /** The most frequent value (ties: alphabetical first), or "unknown". */
  static String modal(Collection<AppFact> apps, Function<AppFact, String> key) {
    var counts = new TreeMap<String, Integer>();
    for (var a : apps) {
      var k = key.apply(a);
      if (k != null && !k.isBlank()) counts.merge(k.trim().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
    }
    return counts.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
        .thenComparing(Map.Entry.<String, Integer>comparingByKey().reversed())).map(Map.Entry::getKey).orElse("unknown");
  }

  /** A value with enough applications compared with a reference rate. */
  record Finding(String dimension, String value, Cell cell, double reference) {
    double difference() {
      return cell.rate() - reference;
    }

    Map<String, Object> json(int minSample) {
      var m = new LinkedHashMap<String, Object>();
      m.put("dimension", dimension);
      m.put("value", value);
      m.put("metric", "interview_rate");
      m.putAll(Rates.json(cell, minSample));
      m.put("compared_with", reference);
      m.put("difference", difference());
      return m;
    }
  }

  /** Every value with at least {@code minSample} applications, by dimension, compared with the reference rate. */
  static List<Finding> findings(Map<String, Function<AppFact, String>> dims, Collection<AppFact> apps, Instant until,
      double reference, int minSample) {
    var out = new ArrayList<Finding>();
    dims.forEach((dim, key) -> cells(apps, key, until).forEach((value, cell) -> {
      if (cell.sufficient(minSample)) out.add(new Finding(dim, value, cell, reference));
    }));
    out.sort(Comparator.comparingDouble(Finding::difference).reversed().thenComparing(Finding::dimension).thenComparing(Finding::value));
    return out;
  }

  private static Map<String, Function<AppFact, String>> ordered(List<Map.Entry<String, Function<AppFact, String>>> entries) {
    var m = new LinkedHashMap<String, Function<AppFact, String>>();
    entries.forEach(e -> m.put(e.getKey(), e.getValue()));
    return java.util.Collections.unmodifiableMap(m);
  }
}
