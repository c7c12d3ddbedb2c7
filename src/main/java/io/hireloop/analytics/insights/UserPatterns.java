package io.hireloop.analytics.insights;

import io.hireloop.analytics.insights.InsightState.AppFact;
import io.hireloop.analytics.insights.InsightState.RewriteFact;
import io.hireloop.analytics.insights.Rates.Cell;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The UserPatterns document: interview rates by role, location, company type, seniority, resume version,
 * strategy; resume sections (rewrite and edit types) with and without; suggestion feedback. Every rate
 * carries its sample size and Wilson interval; a "best" is only named among values with at least
 * {@code minSample} applications.
 */
public final class UserPatterns {
  private UserPatterns() {}

  public static Map<String, Object> of(String userId, InsightState state, int minSample) {
    var apps = state.apps().values();
    var doc = new LinkedHashMap<String, Object>();
    doc.put("user_id", userId);
    doc.put("min_sample", minSample);
    doc.put("applications", apps.size());
    doc.put("interview_rate", Rates.json(Dimensions.overall(apps, null), minSample));
    Dimensions.PATTERNS.forEach((dim, key) -> doc.put(dim, dimension(Dimensions.cells(apps, key, null), minSample)));
    doc.put("best_resume_version", ((Map<?, ?>) doc.get("resume_versions")).get("best"));
    doc.put("sections", sections(state, minSample));
    doc.put("suggestions", suggestions(state, minSample));
    doc.put("as_of_seq_nr", state.asOfSeqNr());
    return doc;
  }

  /** {"best": {value, rate…} | null, "values": [...]} — values by sample size, largest first. */
  static Map<String, Object> dimension(Map<String, Cell> cells, int minSample) {
    var values = new ArrayList<Map<String, Object>>();
    cells.entrySet().stream()
        .sorted(Map.Entry.<String, Cell>comparingByValue(Comparator.comparingLong(Cell::n).reversed()).thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> values.add(valueJson(e.getKey(), e.getValue(), minSample)));
    var best = cells.entrySet().stream().filter(e -> e.getValue().sufficient(minSample))
        .max(Comparator.<Map.Entry<String, Cell>>comparingDouble(e -> e.getValue().rate())
            .thenComparingLong(e -> e.getValue().n()).thenComparing(Map.Entry.<String, Cell>comparingByKey().reversed()))
        .map(e -> valueJson(e.getKey(), e.getValue(), minSample)).orElse(null);
    var m = new LinkedHashMap<String, Object>();
    m.put("best", best);
    m.put("values", values);
    return m;
  }

  private static Map<String, Object> valueJson(String value, Cell cell, int minSample) {
    var m = new LinkedHashMap<String, Object>();
    m.put("value", value);
    m.putAll(Rates.json(cell, minSample));
    return m;
  }

  /**
   * A section (rewrite type or edit type of an accepted rewrite) counts for the applications created after
   * the first accepted rewrite that touched it; compared with the user's other applications. A lift is only
   * stated when both sides have at least {@code minSample} applications.
   */
  static Map<String, Object> sections(InsightState state, int minSample) {
    var firstAt = new TreeMap<String, java.time.Instant>();
    for (RewriteFact r : state.rewrites()) {
      var keys = new ArrayList<String>();
      if (r.rewriteType() != null) keys.add("rewrite:" + r.rewriteType());
      r.editTypes().forEach(t -> keys.add("edit:" + t));
      for (var k : keys) firstAt.merge(k, r.at(), (a, b) -> a.isBefore(b) ? a : b);
    }
    var values = new ArrayList<Map<String, Object>>();
    var best = new ArrayList<Map<String, Object>>();
    firstAt.forEach((section, since) -> {
      Cell with = Cell.EMPTY, without = Cell.EMPTY;
      for (AppFact a : state.apps().values()) {
        if (a.createdAt().isAfter(since)) with = with.plus(a.interviewed());
        else without = without.plus(a.interviewed());
      }
      var m = new LinkedHashMap<String, Object>();
      m.put("section", section);
      m.put("since", since.toString());
      m.put("with", Rates.json(with, minSample));
      m.put("without", Rates.json(without, minSample));
      boolean claim = with.sufficient(minSample) && without.sufficient(minSample);
      m.put("lift", claim ? with.rate() - without.rate() : null);
      values.add(m);
      if (claim && with.rate() > without.rate()) best.add(m);
    });
    best.sort(Comparator.comparingDouble(m -> -((Double) m.get("lift"))));
    var out = new LinkedHashMap<String, Object>();
    out.put("best", best);
    out.put("values", values);
    return out;
  }

  /** Per suggestion type: counts, acceptance (accepted or edited) as a rate, and the rejection reasons. */
  static Map<String, Object> suggestions(InsightState state, int minSample) {
    var out = new TreeMap<String, Object>();
    state.suggestions().forEach((type, f) -> {
      int total = f.accepted() + f.edited() + f.rejected();
      var m = new LinkedHashMap<String, Object>();
      m.put("accepted", f.accepted());
      m.put("edited", f.edited());
      m.put("rejected", f.rejected());
      m.put("acceptance", Rates.json(new Cell(f.accepted() + f.edited(), total), minSample));
      m.put("rejection_reasons", f.rejectionReasons().entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .map(e -> Map.of("reason", e.getKey(), "count", e.getValue())).toList());
      out.put(type, m);
    });
    return out;
  }

}
