package io.hireloop.analytics.quality;

import io.hireloop.stats.Intervals;
import io.hireloop.stats.causal.Propensity;
import java.time.DayOfWeek;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * Employer response rate by the weekday and the hour (UTC) an application was submitted, each with its sample
 * size and Wilson interval, next to the resume-score-adjusted rate: a logistic regression of "responded" on
 * the weekday (or hour) and the resume score, averaged over every application as if all had been sent in
 * that slot (standardisation). When adjustment moves a rate by at least {@code materialShift}, the raw
 * pattern is largely about who applies when, and the report says so in {@code caveat}.
 */
public final class TimingReport {
  private TimingReport() {}

  /** One dimension's levels: weekday (1 = Monday … 7) or hour (0–23). */
  private record Dimension(String name, String key, ToIntFunction<ApplicationOutcome> level) {}

  private static final Dimension WEEKDAY = new Dimension("weekday", "weekday",
      a -> a.submittedAt().atZone(ZoneOffset.UTC).getDayOfWeek().getValue());
  private static final Dimension HOUR = new Dimension("hour", "hour", a -> a.submittedAt().atZone(ZoneOffset.UTC).getHour());

  /** What adjusting one dimension found. */
  private record Adjusted(List<Map<String, Object>> rows, Double maxShift, double rawSpread, Double adjustedSpread, String note) {}

  public static Map<String, Object> compute(List<ApplicationOutcome> outcomes, int minSample, double materialShift) {
    var out = new LinkedHashMap<String, Object>();
    out.put("applications", outcomes.size());
    out.put("responses", outcomes.stream().filter(ApplicationOutcome::responded).count());
    out.put("min_sample", minSample);
    out.put("material_shift", materialShift);
    var weekday = adjust(outcomes, WEEKDAY, minSample);
    var hour = adjust(outcomes, HOUR, minSample);
    out.put("by_weekday", weekday.rows());
    out.put("by_hour", hour.rows());
    var adjustment = new LinkedHashMap<String, Object>();
    adjustment.put("method", "logistic regression of responded on the slot and resume_score, averaged over all applications "
        + "(standardised to the overall resume-score mix); slots with fewer than min_sample applications are left out");
    adjustment.put("weekday_max_shift", weekday.maxShift());
    adjustment.put("hour_max_shift", hour.maxShift());
    if (weekday.note() != null) adjustment.put("weekday_note", weekday.note());
    if (hour.note() != null) adjustment.put("hour_note", hour.note());
    out.put("adjustment", adjustment);
    var caveats = new ArrayList<String>();
    caveat(WEEKDAY, weekday, materialShift, caveats);
    caveat(HOUR, hour, materialShift, caveats);
    out.put("confounded", !caveats.isEmpty());
    out.put("caveat", caveats.isEmpty() ? null : String.join(" ", caveats));
    return out;
  }

  private static void caveat(Dimension d, Adjusted a, double material, List<String> caveats) {
    if (a.maxShift() == null || a.maxShift() < material) return;
    caveats.add(String.format(Locale.ROOT,
        "The %s pattern is likely confounded by resume score: adjusting for it moves %s response rates by up to %.1f points "
            + "(spread across %ss %.1f points raw, %.1f adjusted). Applicants with different resume scores apply at different times; "
            + "read the adjusted rates, not the raw ones, as the effect of timing.",
        d.name(), d.name(), 100 * a.maxShift(), d.name(), 100 * a.rawSpread(), 100 * a.adjustedSpread()));
  }

  private static Adjusted adjust(List<ApplicationOutcome> outcomes, Dimension d, int minSample) {
    var n = new TreeMap<Integer, Integer>();
    var r = new TreeMap<Integer, Integer>();
    for (var a : outcomes) {
      int level = d.level().applyAsInt(a);
      n.merge(level, 1, Integer::sum);
      if (a.responded()) r.merge(level, 1, Integer::sum);
    }
    var reliable = n.entrySet().stream().filter(e -> e.getValue() >= minSample).map(Map.Entry::getKey).toList();
    Map<Integer, Double> adjusted = Map.of();
    String note = null;
    if (reliable.size() < 2) {
      note = "fewer than two " + d.name() + "s with at least min_sample applications: nothing to compare";
    } else if (outcomes.stream().mapToDouble(ApplicationOutcome::resumeScore).distinct().count() == 1) {
      note = "every application has the same resume score: there is nothing to adjust for";
      adjusted = new TreeMap<>();
      for (var level : reliable) adjusted.put(level, (double) r.getOrDefault(level, 0) / n.get(level));
    } else {
      try {
        adjusted = standardised(outcomes, d, reliable);
      } catch (IllegalArgumentException e) {
        note = "adjustment not possible: " + e.getMessage();
      }
    }
    var rows = new ArrayList<Map<String, Object>>();
    Double maxShift = adjusted.isEmpty() ? null : 0.0;
    double rawMin = 1, rawMax = 0, adjMin = 1, adjMax = 0;
    for (var e : n.entrySet()) {
      int level = e.getKey();
      int apps = e.getValue();
      int responses = r.getOrDefault(level, 0);
      double rate = (double) responses / apps;
      var ci = Intervals.wilson(responses, apps);
      var m = new LinkedHashMap<String, Object>();
      m.put(d.key(), d == WEEKDAY ? DayOfWeek.of(level).toString() : level);
      m.put("applications", apps);
      m.put("responses", responses);
      m.put("response_rate", rate);
      m.put("ci", List.of(ci.low(), ci.high()));
      boolean ok = apps >= minSample;
      m.put("reliable", ok);
      var adj = adjusted.get(level);
      m.put("adjusted_response_rate", adj);
      if (ok) {
        rawMin = Math.min(rawMin, rate);
        rawMax = Math.max(rawMax, rate);
      }
      if (adj != null) {
        adjMin = Math.min(adjMin, adj);
        adjMax = Math.max(adjMax, adj);
        maxShift = Math.max(maxShift, Math.abs(adj - rate));
      }
      rows.add(m);
    }
    return new Adjusted(rows, maxShift, Math.max(0, rawMax - rawMin), adjusted.isEmpty() ? null : adjMax - adjMin, note);
  }

  /**
   * Fits logit P(responded) = b0 + b_slot + c·resume_score over the applications of the given slots (the first
   * slot is the reference) and returns, per slot, the mean predicted rate over all those applications.
   */
  static Map<Integer, Double> standardised(List<ApplicationOutcome> outcomes, Dimension d, List<Integer> slots) {
    var rows = outcomes.stream().filter(a -> slots.contains(d.level().applyAsInt(a))).toList();
    int p = slots.size(); // slots - 1 dummies + score
    var x = new double[rows.size()][p];
    var y = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      var a = rows.get(i);
      int idx = slots.indexOf(d.level().applyAsInt(a));
      if (idx > 0) x[i][idx - 1] = 1;
      x[i][p - 1] = a.resumeScore();
      y[i] = a.responded() ? 1 : 0;
    }
    var coef = Propensity.fit(x, y).coefficients();
    var out = new TreeMap<Integer, Double>();
    for (int s = 0; s < slots.size(); s++) {
      double slotEffect = s == 0 ? 0 : coef[s];
      double sum = 0;
      for (var a : rows) sum += sigmoid(coef[0] + slotEffect + coef[p] * a.resumeScore());
      out.put(slots.get(s), sum / rows.size());
    }
    return out;
  }

  private static double sigmoid(double eta) {
    return eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
  }
}
