package io.hireloop.analytics.insights;

import io.hireloop.analytics.insights.Dimensions.Finding;
import io.hireloop.analytics.insights.InsightState.AppFact;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyEvent.SuggestionFeedback;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What one user was shown, whether they acted on it, and their applications — folded from the user's journal (pure;
 * no Pekko). Each kind counts once per user, at its first showing, so every user has one before/after split per kind:
 *
 * <ul>
 *   <li>{@code suggestion_<type>} ({@code rewrite}, {@code job}, {@code strategy}, {@code plan}): the first
 *       {@code SUGGESTION_*} event of the type is when it was shown; acted = an {@code ACCEPTED} or {@code EDITED} of the
 *       type within {@code actWindow} of it.
 *   <li>{@code weekly_try_this_week}: the first closed week whose report (the same findings as {@link WeeklyReport})
 *       had a "more applications with X" item, shown when the week closed (the user's first event of a later week);
 *       acted = within {@code actWindow} the user applied, and a larger share of those applications had X than of the
 *       applications before.
 *   <li>{@code weekly_stop_doing}: the first closed week with a "stop" item (X's whole Wilson interval below the
 *       user's rate); acted = within {@code actWindow} the user applied, and a smaller share had X than before.
 * </ul>
 */
public final class InsightExposures {
  private InsightExposures() {}

  public static final String TRY_THIS_WEEK = "weekly_try_this_week";
  public static final String STOP_DOING = "weekly_stop_doing";

  /** @param detail what was shown, for the weekly kinds ("company_types 'finance'"); null for suggestions */
  public record Exposure(String kind, Instant at, boolean acted, String detail) {}

  /** An application: created at, and whether it reached an interview (null while unknown: too recent, no response). */
  public record Application(Instant createdAt, Boolean interviewed) {}

  public record Timeline(String userId, List<Exposure> exposures, List<Application> applications) {}

  /**
   * @param actWindow how long after the showing an action counts
   * @param outcomeWindow an application without an interview this long after its creation counts as none
   * @param minSample the weekly report's minimum applications per value (hireloop.insights.min-sample)
   */
  public record Settings(Duration actWindow, Duration outcomeWindow, int minSample) {}

  /** The user's events, oldest first (sequence numbers 1, 2, …), folded at {@code now}. */
  public static Timeline of(String userId, List<JourneyEvent> events, Settings s, Instant now) {
    var exposures = new LinkedHashMap<String, Exposure>();
    var firstSuggestion = new LinkedHashMap<String, Instant>();
    var actedSuggestion = new LinkedHashMap<String, Boolean>();
    var weekly = new ArrayList<Map.Entry<String, PendingWeekly>>();
    var state = InsightState.EMPTY;
    long seq = 0;
    for (var e : events) {
      var step = state.step(++seq, e);
      state = step.state();
      if (e instanceof SuggestionFeedback f && f.suggestionType() != null) {
        var t0 = firstSuggestion.computeIfAbsent(f.suggestionType(), k -> f.timestamp());
        boolean act = !f.eventType().equals("SUGGESTION_REJECTED") && !f.timestamp().isAfter(t0.plus(s.actWindow()));
        actedSuggestion.merge(f.suggestionType(), act, Boolean::logicalOr);
      }
      if (step.closedWeek() != null) {
        var until = step.closedWeek().plusDays(7).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1);
        var apps = state.apps().values();
        var reference = Dimensions.overall(apps, until).rate();
        var dims = new LinkedHashMap<>(Dimensions.PATTERNS);
        dims.remove("resume_versions");
        var findings = Dimensions.findings(dims, apps, until, reference, s.minSample());
        if (weekly.stream().noneMatch(w -> w.getKey().equals(TRY_THIS_WEEK))) {
          findings.stream().filter(f -> f.difference() > 0).findFirst()
              .ifPresent(f -> weekly.add(Map.entry(TRY_THIS_WEEK, new PendingWeekly(f, e.timestamp(), until))));
        }
        if (weekly.stream().noneMatch(w -> w.getKey().equals(STOP_DOING))) {
          for (int i = findings.size() - 1; i >= 0; i--) {
            var f = findings.get(i);
            if (f.difference() >= 0) break;
            var ci = io.hireloop.stats.Intervals.wilson(f.cell().successes(), f.cell().n());
            if (ci.high() < reference) {
              weekly.add(Map.entry(STOP_DOING, new PendingWeekly(f, e.timestamp(), until)));
              break;
            }
          }
        }
      }
    }
    firstSuggestion.forEach((type, t0) -> exposures.put("suggestion_" + type, new Exposure("suggestion_" + type, t0,
        actedSuggestion.getOrDefault(type, false), null)));
    var apps = state.apps().values();
    for (var w : weekly) {
      var p = w.getValue();
      var key = Dimensions.PATTERNS.get(p.finding().dimension());
      double before = share(apps, key, p.finding().value(), null, p.until());
      var after = appsIn(apps, p.shownAt(), p.shownAt().plus(s.actWindow()));
      double afterShare = share(after, key, p.finding().value(), null, null);
      boolean acted = !after.isEmpty() && (w.getKey().equals(TRY_THIS_WEEK) ? afterShare > before : afterShare < before);
      exposures.put(w.getKey(), new Exposure(w.getKey(), p.shownAt(), acted,
          p.finding().dimension() + " '" + p.finding().value() + "'"));
    }
    var applications = new ArrayList<Application>();
    for (AppFact a : apps) {
      Boolean y = a.interviewedAt() != null && !a.interviewedAt().isAfter(a.createdAt().plus(s.outcomeWindow())) ? Boolean.TRUE
          : a.createdAt().plus(s.outcomeWindow()).isAfter(now) ? null : Boolean.FALSE;
      applications.add(new Application(a.createdAt(), y));
    }
    applications.sort(java.util.Comparator.comparing(Application::createdAt));
    return new Timeline(userId, List.copyOf(exposures.values()), List.copyOf(applications));
  }

  private record PendingWeekly(Finding finding, Instant shownAt, Instant until) {}

  private static List<AppFact> appsIn(Collection<AppFact> apps, Instant from, Instant until) {
    return apps.stream().filter(a -> !a.createdAt().isBefore(from) && a.createdAt().isBefore(until)).toList();
  }

  /** The share of {@code apps} (created in [from, until], null = open) whose value under {@code key} is {@code value}. */
  private static double share(Collection<AppFact> apps, Function<AppFact, String> key, String value, Instant from, Instant until) {
    int n = 0, hit = 0;
    for (var a : apps) {
      if (from != null && a.createdAt().isBefore(from)) continue;
      if (until != null && a.createdAt().isAfter(until)) continue;
      n++;
      if (Objects.equals(Objects.requireNonNullElse(key.apply(a), "unknown"), value)) hit++;
    }
    return n == 0 ? 0 : (double) hit / n;
  }
}
