package io.hireloop.personal;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.JourneyEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a user's journal says about their applications, folded from its events (pure): one {@link Application} per
 * application id, in order of creation, with its context (the latest given) and its outcome so far. The personal
 * config and strategy are computed from this alone, so they are as fresh as the journal. {@code latestContext}: the
 * context of the newest application event (what a what-if over the user's decisions varies), null without one.
 */
public record UserEvidence(String userId, long asOfSeqNr, List<Application> applications, ApplicationContext latestContext) {

  public static final List<String> CATEGORIES = List.of("reach", "target", "safety");
  /** Statuses that count as an interview request (API.md: phone screen, interview or any offer state). */
  static final Set<String> INTERVIEW = Set.of("phone_screen", "interview", "offer", "offer_accepted", "offer_declined");
  static final Set<String> OFFER = Set.of("offer", "offer_accepted", "offer_declined");
  /** Statuses after which an application without an interview has its answer: no interview. */
  static final Set<String> CLOSED = Set.of("rejected", "ghosted", "withdrawn");

  /**
   * One application. {@code interviewed}: null while unknown (no interview yet and not closed); {@code offered}: true once an
   * offer state was reached; {@code daysToResponse}: the first reported response time, else null.
   */
  public record Application(String applicationId, Instant createdAt, double fitScore, String category, String industry,
      Boolean interviewed, boolean offered, Integer daysToResponse) {

    boolean labelled() {
      return interviewed != null;
    }
  }

  public static final UserEvidence EMPTY = new UserEvidence(null, 0, List.of(), null);

  /** Folds a user's journal events, oldest first, with their sequence numbers' last value. */
  public static UserEvidence fold(String userId, List<JourneyEvent> events, long asOfSeqNr) {
    return new UserEvidence(userId, 0, List.of(), null).plus(events, asOfSeqNr);
  }

  /**
   * This evidence with the journal's next events folded in ({@code asOfSeqNr}: the last one's sequence number):
   * {@code fold(u, first ++ next, n) == fold(u, first, m).plus(next, n)}, so a reader can follow a journal without
   * reading it again from the start. An erasure empties it (what a replay of the erased journal folds to).
   */
  public UserEvidence plus(List<JourneyEvent> events, long asOfSeqNr) {
    var apps = new LinkedHashMap<String, Application>();
    for (var a : applications) apps.put(a.applicationId(), a);
    ApplicationContext latest = latestContext;
    for (var e : events) {
      if (e instanceof JourneyEvent.UserErased) {
        apps.clear();
        latest = null;
      } else if (e instanceof JourneyEvent.ApplicationRecorded a && a.context() != null) {
        latest = a.context();
        var old = apps.get(a.applicationId());
        apps.put(a.applicationId(), old == null
            ? of(a.applicationId(), a.timestamp(), a.context(), null, false, null)
            : of(a.applicationId(), old.createdAt(), a.context(), old.interviewed(), old.offered(), old.daysToResponse()));
      } else if (e instanceof JourneyEvent.StatusChanged s) {
        var old = apps.get(s.applicationId());
        if (old == null) continue; // the entity refuses these; nothing to attach it to
        var status = s.outcome().status();
        Boolean interviewed = old.interviewed();
        if (INTERVIEW.contains(status)) interviewed = true;
        else if (CLOSED.contains(status) && interviewed == null) interviewed = false;
        var days = old.daysToResponse() != null ? old.daysToResponse() : s.outcome().daysToResponse();
        var base = s.context() != null
            ? of(old.applicationId(), old.createdAt(), s.context(), null, false, null)
            : old;
        apps.put(old.applicationId(), new Application(old.applicationId(), old.createdAt(), base.fitScore(), base.category(),
            base.industry(), interviewed, old.offered() || OFFER.contains(status), days));
      }
    }
    return new UserEvidence(userId, asOfSeqNr, List.copyOf(apps.values()), latest);
  }

  private static Application of(String id, Instant at, ApplicationContext c, Boolean interviewed, boolean offered, Integer days) {
    var industry = c.jobCharacteristics() == null ? null : c.jobCharacteristics().industry();
    return new Application(id, at, c.fitScore(), c.category(), industry, interviewed, offered, days);
  }

  /** Applications whose interview outcome is known. */
  public List<Application> labelled() {
    return applications.stream().filter(Application::labelled).toList();
  }

  /** Interview-reaching applications. */
  public List<Application> interviews() {
    return applications.stream().filter(a -> Boolean.TRUE.equals(a.interviewed())).toList();
  }

  /**
   * Applications per week over the weeks since the first application up to {@code now} (at least one week, whole weeks
   * rounded up), with the number of weeks observed.
   */
  public Pace pace(Instant now) {
    if (applications.isEmpty()) return new Pace(new int[0]);
    var first = applications.stream().map(Application::createdAt).min(Instant::compareTo).get();
    long days = Math.max(0, Duration.between(first, now).toDays());
    int weeks = (int) Math.max(1, (days + 6) / 7);
    var counts = new int[weeks];
    for (var a : applications) {
      long d = Math.max(0, Duration.between(first, a.createdAt()).toDays());
      counts[(int) Math.min(weeks - 1, d / 7)]++;
    }
    return new Pace(counts);
  }

  /** Applications in each week since the first (week 0 starts with it). */
  public record Pace(int[] perWeekCounts) {
    public int weeks() {
      return perWeekCounts.length;
    }

    public double perWeek() {
      return weeks() == 0 ? 0 : java.util.Arrays.stream(perWeekCounts).sum() / (double) weeks();
    }

    /** Standard error of {@link #perWeek()} over the weeks (0 with fewer than two). */
    public double standardError() {
      int n = weeks();
      if (n < 2) return 0;
      double m = perWeek(), ss = 0;
      for (int c : perWeekCounts) ss += (c - m) * (c - m);
      return Math.sqrt(ss / (n - 1) / n);
    }
  }

  /** Per category (reach, target, safety): {labelled applications, interviews among them}. */
  public Map<String, int[]> byCategory() {
    var m = new LinkedHashMap<String, int[]>();
    for (var c : CATEGORIES) m.put(c, new int[2]);
    for (var a : labelled()) {
      var counts = m.get(a.category());
      if (counts == null) continue;
      counts[0]++;
      if (a.interviewed()) counts[1]++;
    }
    return m;
  }

  /** Reported response times in days, in application order. */
  public List<Integer> responseDays() {
    var out = new ArrayList<Integer>();
    for (var a : applications) if (a.daysToResponse() != null) out.add(a.daysToResponse());
    return out;
  }
}
