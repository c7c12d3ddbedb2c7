package io.hireloop.analytics.insights;

import io.hireloop.analytics.insights.Rates.Cell;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Cohorts of users (by seniority, experience range, industry, location, and the combination of seniority,
 * industry and location) aggregated from {@link UserSummary} rows. Anonymised: only aggregates, a segment
 * with fewer than {@code minUsers} users is suppressed (not listed, not compared against), and a strategy
 * is only reported when at least {@code minUsers} users and {@code minSample} applications are behind it.
 */
public final class Segments {
  private final Map<String, List<UserSummary>> members;
  private final Map<String, Map<String, String>> dimensions;
  private final int minUsers;
  private final int minSample;

  private Segments(Map<String, List<UserSummary>> members, Map<String, Map<String, String>> dimensions, int minUsers, int minSample) {
    this.members = members;
    this.dimensions = dimensions;
    this.minUsers = minUsers;
    this.minSample = minSample;
  }

  /** Users without applications belong to no segment. */
  public static Segments of(Iterable<UserSummary> users, int minUsers, int minSample) {
    var members = new TreeMap<String, List<UserSummary>>();
    var dims = new TreeMap<String, Map<String, String>>();
    for (var u : users) {
      if (u.applications() == 0) continue;
      for (var e : memberships(u).entrySet()) {
        members.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(u);
        dims.putIfAbsent(e.getKey(), e.getValue());
      }
    }
    return new Segments(members, dims, minUsers, minSample);
  }

  /** Segment id → its dimension values, for one user; the combined cohort first. */
  static Map<String, Map<String, String>> memberships(UserSummary u) {
    var m = new LinkedHashMap<String, Map<String, String>>();
    m.put(cohortId(u), Map.of("seniority", u.seniority(), "industry", u.industry(), "location", u.location()));
    m.put("seniority-" + slug(u.seniority()), Map.of("seniority", u.seniority()));
    m.put("experience-" + slug(u.experience()), Map.of("experience", u.experience()));
    m.put("industry-" + slug(u.industry()), Map.of("industry", u.industry()));
    m.put("location-" + slug(u.location()), Map.of("location", u.location()));
    return m;
  }

  static String cohortId(UserSummary u) {
    return "cohort-" + slug(u.seniority()) + "-" + slug(u.industry()) + "-" + slug(u.location());
  }

  static String slug(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9+]+", "-").replaceAll("(^-|-$)", "");
  }

  public int minUsers() {
    return minUsers;
  }

  /** The ids of the segments large enough to show. */
  public List<String> visible() {
    return members.entrySet().stream().filter(e -> e.getValue().size() >= minUsers).map(Map.Entry::getKey).toList();
  }

  public Optional<Map<String, Object>> segment(String id) {
    var users = members.get(id);
    if (users == null || users.size() < minUsers) return Optional.empty();
    return Optional.of(describe(id, users));
  }

  /** The segment a user is compared with: the combined cohort when large enough, else their seniority. */
  public Optional<String> segmentOf(UserSummary u) {
    if (u.applications() == 0) return Optional.empty();
    return memberships(u).keySet().stream().limit(2).filter(id -> members.getOrDefault(id, List.of()).size() >= minUsers).findFirst();
  }

  /** {"segment_id", "segment_users", "your_rate", "segment_average", "percentile"} for a rate in a visible segment. */
  public Map<String, Object> compare(String segmentId, double yourRate) {
    var rates = members.get(segmentId).stream().mapToDouble(UserSummary::interviewRate).toArray();
    long below = Arrays.stream(rates).filter(r -> r < yourRate).count();
    long equal = Arrays.stream(rates).filter(r -> r == yourRate).count();
    var m = new LinkedHashMap<String, Object>();
    m.put("segment_id", segmentId);
    m.put("segment_users", rates.length);
    m.put("your_rate", yourRate);
    m.put("segment_average", Arrays.stream(rates).average().orElse(0));
    // percentile rank: share of the segment below the rate, ties counted half
    m.put("percentile", 100.0 * (below + 0.5 * equal) / rates.length);
    return m;
  }

  private Map<String, Object> describe(String id, List<UserSummary> users) {
    var pooled = Cell.EMPTY;
    var offerDays = new ArrayList<Double>();
    var cells = new TreeMap<String, Cell>();
    var cellUsers = new TreeMap<String, Integer>();
    for (var u : users) {
      pooled = pooled.plus(new Cell(u.interviews(), u.applications()));
      if (u.daysToFirstOffer() != null) offerDays.add(u.daysToFirstOffer());
      u.strategies().forEach((k, c) -> {
        cells.merge(k, c, Cell::plus);
        cellUsers.merge(k, 1, Integer::sum);
      });
    }
    var m = new LinkedHashMap<String, Object>();
    m.put("segment_id", id);
    m.put("dimensions", new TreeMap<>(dimensions.get(id)));
    m.put("users", users.size());
    m.put("applications", pooled.n());
    m.put("avg_interview_rate", users.stream().mapToDouble(UserSummary::interviewRate).average().orElse(0));
    m.put("interview_rate", Rates.json(pooled, minSample));
    var toInterview = new LinkedHashMap<String, Object>();
    toInterview.put("value", pooled.successes() == 0 ? null : (double) pooled.n() / pooled.successes());
    toInterview.put("applications", pooled.n());
    toInterview.put("interviews", pooled.successes());
    m.put("applications_to_interview", toInterview);
    m.put("time_to_offer_days", timeToOffer(offerDays));
    var works = new ArrayList<Map<String, Object>>();
    var pitfalls = new ArrayList<Map<String, Object>>();
    double reference = pooled.rate();
    cells.forEach((k, c) -> {
      if (cellUsers.get(k) < minUsers || !c.sufficient(minSample)) return;
      var s = new LinkedHashMap<String, Object>();
      s.put("strategy", k.substring(0, k.indexOf('=')));
      s.put("value", k.substring(k.indexOf('=') + 1));
      s.put("users", cellUsers.get(k));
      s.putAll(Rates.json(c, minSample));
      s.put("difference", c.rate() - reference);
      if (c.rate() > reference) works.add(s);
      else if (c.rate() < reference) pitfalls.add(s);
    });
    Comparator<Map<String, Object>> byDifference = Comparator.comparingDouble(s -> (Double) s.get("difference"));
    works.sort(byDifference.reversed());
    pitfalls.sort(byDifference);
    m.put("strategies_that_work", works);
    m.put("common_pitfalls", pitfalls);
    return m;
  }

  private static Map<String, Object> timeToOffer(List<Double> days) {
    var m = new LinkedHashMap<String, Object>();
    m.put("users_with_offer", days.size());
    if (days.isEmpty()) {
      m.put("mean", null);
      m.put("median", null);
      return m;
    }
    var sorted = days.stream().sorted().mapToDouble(Double::doubleValue).toArray();
    m.put("mean", Arrays.stream(sorted).average().orElse(0));
    m.put("median", new org.hipparchus.stat.descriptive.rank.Median().evaluate(sorted));
    return m;
  }
}
