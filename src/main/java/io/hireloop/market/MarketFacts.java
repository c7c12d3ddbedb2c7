package io.hireloop.market;

import io.hireloop.journey.Domain;
import io.hireloop.journey.JourneyEvent;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The market projection's fold of one user's journey ({@link UserState}) and what the user contributed to one
 * week ({@link UserWeek}). Only coarse dimensions are kept: industry, location, seniority and skills, never
 * company names or job titles. An application belongs to the ISO week (Monday, UTC) in which it was created;
 * its later outcomes update that week.
 */
public final class MarketFacts {
  private MarketFacts() {}

  /** Statuses that are an answer from the employer (a rejection is an answer; viewed and ghosted are not). */
  public static final Set<String> RESPONSE_STATUSES = Set.of(
      "phone_screen", "interview", "offer", "offer_accepted", "offer_declined", "rejected");
  /** The outcome is known: an interview was reached, or the application ended without one. */
  static final Set<String> CLOSING_STATUSES = Set.of("rejected", "ghosted", "withdrawn");

  /** One application as the projection remembers it; times in epoch milliseconds. */
  public record App(long createdAt, long submittedAt, String industry, String location, String seniority, double resumeScore,
      boolean responded, boolean interviewed, boolean ghosted, boolean labelled, Double firstResponseDays) {}

  /** Per-user fold state (JSON in market_user_state). skillsByWeek: week → skill → mentions. */
  public record UserState(long asOfSeqNr, Map<String, App> apps, Map<String, Map<String, Integer>> skillsByWeek, boolean optedOut) {
    public static final UserState EMPTY = new UserState(0, Map.of(), Map.of(), false);
  }

  /** Applications and interviews of one cell. */
  public record Counts(int applications, int interviews) {}

  /** What one user contributed to one week (JSON in market_user_weeks). */
  public record UserWeek(int applications, int interviews, int responses, int ghosted, List<Double> responseDays,
      Map<String, Counts> industries, Map<String, Counts> locations, Map<String, Counts> seniorities, Map<String, Integer> skills) {}

  /** What a fold changed: weeks whose facts must be rewritten, applications whose outcome row must be, the opt-out flag. */
  public static final class Changes {
    public final Set<LocalDate> weeks = new java.util.TreeSet<>();
    public final Set<String> apps = new java.util.TreeSet<>();
    public boolean optOut;
  }

  public static LocalDate weekOf(long epochMillis) {
    return LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }

  public static LocalDate weekOf(LocalDate day) {
    return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }

  /** Folds one event; events at or below the state's sequence number are ignored (redelivery). */
  public static UserState apply(UserState s, long seqNr, JourneyEvent e, Changes changes) {
    if (seqNr <= s.asOfSeqNr()) return s;
    var apps = s.apps();
    var skills = s.skillsByWeek();
    boolean optedOut = s.optedOut();
    if (e instanceof JourneyEvent.ApplicationRecorded a) {
      long at = a.timestamp().toEpochMilli();
      var known = apps.get(a.applicationId());
      if (known == null) {
        var job = a.context().jobCharacteristics();
        apps = new HashMap<>(apps);
        apps.put(a.applicationId(), new App(at, at, lower(job.industry()), trim(job.location()), lower(job.seniority()),
            a.context().resumeScore(), false, false, false, false, null));
        changes.weeks.add(weekOf(at));
        changes.apps.add(a.applicationId());
      } else if (a.eventType().equals("APPLICATION_SUBMITTED")) {
        apps = new HashMap<>(apps);
        apps.put(a.applicationId(), new App(known.createdAt(), at, known.industry(), known.location(), known.seniority(),
            known.resumeScore(), known.responded(), known.interviewed(), known.ghosted(), known.labelled(), known.firstResponseDays()));
        changes.apps.add(a.applicationId());
      }
    } else if (e instanceof JourneyEvent.StatusChanged st && apps.containsKey(st.applicationId())) {
      var app = apps.get(st.applicationId());
      var updated = withStatus(app, st);
      if (!updated.equals(app)) {
        apps = new HashMap<>(apps);
        apps.put(st.applicationId(), updated);
        changes.weeks.add(weekOf(app.createdAt()));
        changes.apps.add(st.applicationId());
      }
    } else if (e instanceof JourneyEvent.ResumeChanged r && r.userAccepted() && r.gapsAddressed() != null && !r.gapsAddressed().isEmpty()) {
      var week = weekOf(r.timestamp().toEpochMilli());
      skills = new HashMap<>(skills);
      var perWeek = new TreeMap<>(skills.getOrDefault(week.toString(), Map.of()));
      for (var gap : r.gapsAddressed()) {
        var skill = lower(gap);
        if (skill != null && !skill.isEmpty()) perWeek.merge(skill, 1, Integer::sum);
      }
      skills.put(week.toString(), perWeek);
      changes.weeks.add(week);
    } else {
      var preference = OptOut.of(e);
      if (preference.isPresent() && preference.get() != optedOut) {
        optedOut = preference.get();
        changes.optOut = true;
        // every week the user contributed to changes for the public: announce them again
        apps.values().forEach(app -> changes.weeks.add(weekOf(app.createdAt())));
        skills.keySet().forEach(w -> changes.weeks.add(LocalDate.parse(w)));
      }
    }
    return new UserState(seqNr, apps, skills, optedOut);
  }

  private static App withStatus(App app, JourneyEvent.StatusChanged st) {
    var status = st.outcome().status();
    boolean responded = app.responded();
    Double days = app.firstResponseDays();
    if (!responded && RESPONSE_STATUSES.contains(status)) {
      responded = true;
      days = st.outcome().daysToResponse() != null ? (double) st.outcome().daysToResponse()
          : Math.max(0, st.timestamp().toEpochMilli() - app.createdAt()) / 86_400_000.0;
    }
    boolean interviewed = app.interviewed() || Domain.INTERVIEW_STATUSES.contains(status);
    boolean ghosted = status.equals("ghosted") ? !responded : app.ghosted() && !responded;
    boolean labelled = app.labelled() || interviewed || CLOSING_STATUSES.contains(status);
    return new App(app.createdAt(), app.submittedAt(), app.industry(), app.location(), app.seniority(), app.resumeScore(),
        responded, interviewed, ghosted, labelled, days);
  }

  /** The user's contribution to {@code week}: its applications (by creation week) and the skills added that week. */
  public static UserWeek week(UserState s, LocalDate week) {
    int applications = 0, interviews = 0, responses = 0, ghosted = 0;
    var days = new ArrayList<Double>();
    var industries = new TreeMap<String, Counts>();
    var locations = new TreeMap<String, Counts>();
    var seniorities = new TreeMap<String, Counts>();
    var ordered = new TreeMap<>(s.apps());
    for (var app : ordered.values()) {
      if (!weekOf(app.createdAt()).equals(week)) continue;
      applications++;
      if (app.interviewed()) interviews++;
      if (app.responded()) {
        responses++;
        days.add(app.firstResponseDays());
      }
      if (app.ghosted()) ghosted++;
      count(industries, app.industry(), app.interviewed());
      count(locations, app.location(), app.interviewed());
      count(seniorities, app.seniority(), app.interviewed());
    }
    var skills = new TreeMap<>(s.skillsByWeek().getOrDefault(week.toString(), Map.of()));
    return new UserWeek(applications, interviews, responses, ghosted, days, industries, locations, seniorities, skills);
  }

  private static void count(Map<String, Counts> cells, String key, boolean interviewed) {
    if (key == null || key.isEmpty()) return;
    cells.merge(key, new Counts(1, interviewed ? 1 : 0), (x, y) -> new Counts(x.applications() + y.applications(), x.interviews() + y.interviews()));
  }

  private static String lower(String s) {
    return s == null ? null : s.trim().toLowerCase(Locale.ROOT);
  }

  private static String trim(String s) {
    return s == null ? null : s.trim();
  }
}
