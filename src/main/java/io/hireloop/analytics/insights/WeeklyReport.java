package io.hireloop.analytics.insights;

import io.hireloop.analytics.insights.Dimensions.Finding;
import io.hireloop.analytics.insights.InsightState.AppFact;
import io.hireloop.analytics.insights.Rates.Cell;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The WeeklyInsights document of one closed week, from the user's own journal only (so a rebuild gives the
 * same document). Findings compare the user's interview rate per choice (role, location, company type,
 * seniority, strategy mode, category, tailoring) up to the week's end with their overall rate, and only
 * from values with at least {@code minSample} applications. {@code vs_similar_users} is added when the
 * document is read or pushed, from the segments as they are then.
 */
public final class WeeklyReport {
  private WeeklyReport() {}

  /** Days without a response after which an application is a concern. */
  static final int STALE_DAYS = 14;
  private static final int TOP = 3;

  public static Map<String, Object> of(String userId, InsightState state, LocalDate week, int minSample) {
    Instant from = week.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant until = week.plusDays(7).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1);
    var apps = state.apps().values();
    int created = 0, responses = 0, interviews = 0, offers = 0, stale = 0;
    for (AppFact a : apps) {
      if (in(a.createdAt(), from, until)) created++;
      if (in(a.respondedAt(), from, until)) responses++;
      if (in(a.interviewedAt(), from, until)) interviews++;
      if (in(a.offeredAt(), from, until)) offers++;
      if (a.createdAt().isBefore(until.minusSeconds(STALE_DAYS * 86_400L)) && (a.respondedAt() == null || a.respondedAt().isAfter(until))) stale++;
    }
    Cell overall = Dimensions.overall(apps, until);
    double reference = overall.rate();
    var dims = new LinkedHashMap<>(Dimensions.PATTERNS);
    dims.remove("resume_versions");
    var findings = Dimensions.findings(dims, apps, until, reference, minSample);
    var worked = findings.stream().filter(f -> f.difference() > 0).limit(TOP).toList();
    var didnt = reversed(findings).stream().filter(f -> f.difference() < 0).limit(TOP).toList();

    var highlights = new ArrayList<String>();
    if (interviews > 0) highlights.add(interviews + " interview request(s) this week");
    if (offers > 0) highlights.add(offers + " offer(s) this week");
    if (created > 0) highlights.add(created + " application(s) sent this week");
    worked.stream().findFirst().ifPresent(f -> highlights.add(describe(f) + " works best for you so far"));
    var concerns = new ArrayList<String>();
    if (created == 0) concerns.add("no applications sent this week");
    if (stale > 0) concerns.add(stale + " application(s) without any response after " + STALE_DAYS + " days");
    if (overall.sufficient(minSample) && overall.successes() == 0) {
      concerns.add("no interview request yet from " + overall.n() + " applications");
    }
    didnt.stream().findFirst().ifPresent(f -> concerns.add(describe(f) + " has your lowest interview rate"));

    var tryThisWeek = new ArrayList<String>();
    for (var f : worked) tryThisWeek.add("more applications with " + describe(f));
    if (created == 0) tryThisWeek.add("send at least a few applications: weeks without any stall the search");
    // "stop" only when the evidence is clear: the whole interval lies below the user's overall rate
    var stop = new ArrayList<String>();
    for (var f : didnt) {
      var ci = io.hireloop.stats.Intervals.wilson(f.cell().successes(), f.cell().n());
      if (ci.high() < reference) stop.add(describe(f));
    }

    var doc = new LinkedHashMap<String, Object>();
    doc.put("user_id", userId);
    doc.put("week_start", week.toString());
    doc.put("week_end", week.plusDays(6).toString());
    doc.put("min_sample", minSample);
    var activity = new LinkedHashMap<String, Object>();
    activity.put("applications", created);
    activity.put("responses", responses);
    activity.put("interview_requests", interviews);
    activity.put("offers", offers);
    activity.put("waiting_over_" + STALE_DAYS + "_days", stale);
    doc.put("activity", activity);
    doc.put("interview_rate_to_date", Rates.json(overall, minSample));
    doc.put("highlights", highlights);
    doc.put("concerns", concerns);
    doc.put("what_worked", json(worked, minSample));
    doc.put("what_didnt", json(didnt, minSample));
    doc.put("try_this_week", tryThisWeek);
    doc.put("stop_doing", stop);
    doc.put("your_rate", reference);
    doc.put("as_of_seq_nr", state.asOfSeqNr());
    return doc;
  }

  private static List<Map<String, Object>> json(List<Finding> findings, int minSample) {
    return findings.stream().map(f -> f.json(minSample)).toList();
  }

  private static String describe(Finding f) {
    return f.dimension().replace('_', ' ') + " '" + f.value() + "' (interview rate "
        + String.format(Locale.ROOT, "%.0f%%", 100 * f.cell().rate()) + " over " + f.cell().n() + " applications)";
  }

  private static <T> List<T> reversed(List<T> list) {
    var copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }

  private static boolean in(Instant t, Instant from, Instant until) {
    return t != null && !t.isBefore(from) && !t.isAfter(until);
  }
}
