package io.hireloop.market;

import io.hireloop.market.MarketFacts.UserWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Aggregates per-user-week facts into the anonymised {@code MarketInsights} document at query time. Every
 * cell (an industry, a skill, a location, a month, a seniority, and the overall ghosting and response-time
 * figures) is published only when at least {@code k} distinct users contributed to it; smaller cells are left
 * out and counted under {@code suppressed}, never rounded or merged. Opted-out users are dropped before
 * anything is counted, so an opt-out also removes the user's past contributions.
 */
public final class MarketInsights {
  private MarketInsights() {}

  /** One user's facts for one week, as read from market_user_weeks. */
  public record Row(LocalDate week, String userId, UserWeek facts) {}

  /** Users, applications and interviews (or mentions) of one cell. */
  private static final class Cell {
    final Set<String> users = new HashSet<>();
    long applications;
    long interviews;

    void add(String user, long apps, long interviews) {
      users.add(user);
      this.applications += apps;
      this.interviews += interviews;
    }

    double rate() {
      return applications == 0 ? 0 : (double) interviews / applications;
    }
  }

  public static Map<String, Object> aggregate(Collection<Row> rows, Set<String> optedOut, int k, LocalDate fromWeek, LocalDate toWeek) {
    var industries = new TreeMap<String, Cell>();
    var locations = new TreeMap<String, Cell>();
    var seniorities = new TreeMap<String, Cell>();
    var skills = new TreeMap<String, Cell>();
    var months = new TreeMap<Integer, Cell>();
    var applicants = new Cell();
    var ghosting = new Cell(); // interviews field = ghosted applications
    var responders = new HashSet<String>();
    var responseDays = new ArrayList<Double>();
    for (var row : rows) {
      if (optedOut.contains(row.userId()) || row.week().isBefore(fromWeek) || row.week().isAfter(toWeek)) continue;
      var f = row.facts();
      var user = row.userId();
      f.industries().forEach((key, c) -> cell(industries, key).add(user, c.applications(), c.interviews()));
      f.locations().forEach((key, c) -> cell(locations, key).add(user, c.applications(), c.interviews()));
      f.seniorities().forEach((key, c) -> cell(seniorities, key).add(user, c.applications(), c.interviews()));
      f.skills().forEach((key, mentions) -> cell(skills, key).add(user, mentions, 0));
      if (f.applications() > 0) {
        cell(months, monthOf(row.week()).getValue()).add(user, f.applications(), f.interviews());
        applicants.add(user, f.applications(), f.interviews());
        ghosting.add(user, f.applications(), f.ghosted());
      }
      if (f.responses() > 0) {
        responders.add(user);
        responseDays.addAll(f.responseDays());
      }
    }
    var suppressed = new LinkedHashMap<String, Integer>();
    var out = new LinkedHashMap<String, Object>();
    out.put("from_week", fromWeek.toString());
    out.put("to_week", toWeek.plusDays(6).toString());
    out.put("weeks", (int) (java.time.temporal.ChronoUnit.WEEKS.between(fromWeek, toWeek) + 1));
    out.put("k_anonymity", k);
    out.put("active_industries", rateCells("industry", industries, k, suppressed, "industries"));
    out.put("hottest_skills", mentionCells(skills, k, suppressed));
    out.put("hottest_locations", rateCells("location", locations, k, suppressed, "locations"));
    out.put("seasonality", seasonality(months, k, suppressed));
    out.put("ghosting", ghosting(ghosting, k, suppressed));
    out.put("days_to_first_response", responseTimes(responders, responseDays, k, suppressed));
    out.put("demand_by_seniority", seniority(seniorities, applicants, k, suppressed));
    out.put("suppressed", suppressed);
    return out;
  }

  /** The month a week is counted in: the month of its Thursday (the ISO-8601 rule for weeks spanning two months). */
  public static Month monthOf(LocalDate week) {
    return week.plusDays(3).getMonth();
  }

  private static <K> Cell cell(Map<K, Cell> cells, K key) {
    return cells.computeIfAbsent(key, x -> new Cell());
  }

  /** Cells with at least k users, in the given order; the others counted under suppressed[name]. */
  private static <K> List<Map.Entry<K, Cell>> published(Map<K, Cell> cells, int k, Map<String, Integer> suppressed, String name,
      Comparator<Map.Entry<K, Cell>> order) {
    var kept = new ArrayList<Map.Entry<K, Cell>>();
    int dropped = 0;
    for (var e : cells.entrySet()) {
      if (e.getValue().users.size() >= k) kept.add(e);
      else dropped++;
    }
    suppressed.put(name, dropped);
    kept.sort(order);
    return kept;
  }

  private static <K> Comparator<Map.Entry<K, Cell>> byApplications() {
    return Comparator.<Map.Entry<K, Cell>>comparingLong(e -> -e.getValue().applications).thenComparing(e -> String.valueOf(e.getKey()));
  }

  private static List<Map<String, Object>> rateCells(String keyName, Map<String, Cell> cells, int k, Map<String, Integer> suppressed,
      String name) {
    return published(cells, k, suppressed, name, byApplications()).stream()
        .map(e -> rateRow(keyName, e.getKey(), e.getValue())).toList();
  }

  private static Map<String, Object> rateRow(String keyName, Object key, Cell c) {
    var m = new LinkedHashMap<String, Object>();
    m.put(keyName, key);
    m.put("users", c.users.size());
    m.put("applications", c.applications);
    m.put("interviews", c.interviews);
    m.put("interview_rate", c.rate());
    return m;
  }

  private static List<Map<String, Object>> mentionCells(Map<String, Cell> cells, int k, Map<String, Integer> suppressed) {
    Comparator<Map.Entry<String, Cell>> order = Comparator.<Map.Entry<String, Cell>>comparingInt(e -> -e.getValue().users.size())
        .thenComparingLong(e -> -e.getValue().applications).thenComparing(Map.Entry::getKey);
    return published(cells, k, suppressed, "skills", order).stream().map(e -> {
      var m = new LinkedHashMap<String, Object>();
      m.put("skill", e.getKey());
      m.put("users", e.getValue().users.size());
      m.put("mentions", e.getValue().applications);
      return (Map<String, Object>) m;
    }).toList();
  }

  private static Map<String, Object> seasonality(Map<Integer, Cell> months, int k, Map<String, Integer> suppressed) {
    var kept = published(months, k, suppressed, "months", Comparator.comparing(Map.Entry::getKey));
    var rows = kept.stream().map(e -> {
      var m = rateRow("month", e.getKey(), e.getValue());
      m.put("name", Month.of(e.getKey()).getDisplayName(TextStyle.FULL, Locale.ENGLISH));
      return (Map<String, Object>) m;
    }).toList();
    var out = new LinkedHashMap<String, Object>();
    out.put("months", rows);
    // best and worst need at least two published months to compare
    Comparator<Map.Entry<Integer, Cell>> byRate = Comparator.comparingDouble(e -> e.getValue().rate());
    out.put("best_month", kept.size() < 2 ? null : name(kept.stream().max(byRate.thenComparing(Map.Entry::getKey, Comparator.reverseOrder())).get()));
    out.put("worst_month", kept.size() < 2 ? null : name(kept.stream().min(byRate.thenComparing(Map.Entry::getKey)).get()));
    return out;
  }

  private static String name(Map.Entry<Integer, Cell> e) {
    return Month.of(e.getKey()).getDisplayName(TextStyle.FULL, Locale.ENGLISH);
  }

  private static Map<String, Object> ghosting(Cell c, int k, Map<String, Integer> suppressed) {
    boolean shown = c.users.size() >= k;
    suppressed.put("ghosting", shown || c.users.isEmpty() ? 0 : 1);
    if (!shown) return null;
    var m = new LinkedHashMap<String, Object>();
    m.put("users", c.users.size());
    m.put("applications", c.applications);
    m.put("ghosted", c.interviews);
    m.put("rate", c.rate());
    return m;
  }

  private static Map<String, Object> responseTimes(Set<String> users, List<Double> days, int k, Map<String, Integer> suppressed) {
    boolean shown = users.size() >= k;
    suppressed.put("days_to_first_response", shown || users.isEmpty() ? 0 : 1);
    if (!shown) return null;
    var sorted = days.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    var m = new LinkedHashMap<String, Object>();
    m.put("users", users.size());
    m.put("responses", n);
    m.put("mean", java.util.Arrays.stream(sorted).average().orElse(0));
    m.put("median", n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
    return m;
  }

  private static List<Map<String, Object>> seniority(Map<String, Cell> cells, Cell all, int k, Map<String, Integer> suppressed) {
    return published(cells, k, suppressed, "seniorities", byApplications()).stream().map(e -> {
      var m = rateRow("seniority", e.getKey(), e.getValue());
      m.put("share_of_applications", all.applications == 0 ? 0 : (double) e.getValue().applications / all.applications);
      return m;
    }).toList();
  }
}
