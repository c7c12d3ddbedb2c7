package io.hireloop.experiment;

import io.hireloop.experiment.ExposureProjection.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;

/**
 * A success or guardrail metric, measured per exposed user from the exposure row. Only users whose
 * attribution window has fully elapsed count ({@link #eligible}); outcomes count only inside the window.
 * A window of 0 counts every exposed user with the outcomes so far.
 *
 * <ul>
 *   <li>{@code interview_rate}, {@code offer_rate}, {@code response_rate}: proportions — 1 when an application
 *       created at or after the exposure reached an interview / an offer / any employer response
 *       ({@link #RESPONSE_STATUSES}) within the window, else 0.
 *   <li>{@code applications_per_week}: applications created in the window ÷ window length in weeks (window 0:
 *       since the exposure, at least one day).
 *   <li>{@code time_to_first_interview_days}: a right-censored time to event ({@link #timeToEvent}), lower is
 *       better: every eligible user is one {@link #observation}, an event at the first interview (of an
 *       application created at or after the exposure) if it came within the window, else censored at the
 *       window's end (window 0: at {@code now}). Counting only the users who got an interview
 *       ({@link #value}) would drop the slow and the ghosted users, and make a treatment that gets more users
 *       an interview look worse.
 * </ul>
 */
public enum OutcomeMetric {
  INTERVIEW_RATE("interview_rate", true, true),
  OFFER_RATE("offer_rate", true, true),
  RESPONSE_RATE("response_rate", true, true),
  APPLICATIONS_PER_WEEK("applications_per_week", false, true),
  TIME_TO_FIRST_INTERVIEW_DAYS("time_to_first_interview_days", false, false);

  /** Statuses that count as an employer's response (viewed, ghosted and withdrawn do not). */
  public static final Set<String> RESPONSE_STATUSES = Set.of("phone_screen", "interview", "offer", "offer_accepted",
      "offer_declined", "rejected");

  private static final double DAY_MS = 86_400_000d;

  public final String id;
  /** A 0/1 outcome per user (z test, Wilson CI) rather than a continuous one (Welch t, Mann–Whitney). */
  public final boolean proportion;
  /** +1 when larger values are better, −1 when smaller are (time to interview). */
  public final int direction;
  /** Analysed as censored survival data (Kaplan–Meier, log-rank, RMST) rather than one value per user. */
  public final boolean timeToEvent;

  OutcomeMetric(String id, boolean proportion, boolean higherIsBetter) {
    this.id = id;
    this.proportion = proportion;
    this.direction = higherIsBetter ? 1 : -1;
    this.timeToEvent = id.equals("time_to_first_interview_days");
  }

  /** One user's time-to-event observation: days since exposure, and whether the event happened then. */
  public record Observation(double days, boolean event) {}

  public static OutcomeMetric of(String id) {
    return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown metric '" + id + "'"));
  }

  public static boolean exists(String id) {
    return Arrays.stream(values()).anyMatch(m -> m.id.equals(id));
  }

  public static Duration window(double days) {
    return Duration.ofMillis(Math.round(days * DAY_MS));
  }

  /** The user's attribution window has fully elapsed (always, for a window of 0). */
  public static boolean eligible(Row r, Duration window, Instant now) {
    return window.isZero() || !r.exposedAt().plus(window).isAfter(now);
  }

  /**
   * The metric's value for an eligible user; null when the user has no value. For the time-to-event metric:
   * the days to the first interview of users who had one in the window (the uncensored times only; the
   * analysis uses {@link #observation}).
   */
  public Double value(Row r, Duration window, Instant now) {
    Instant end = window.isZero() ? Instant.MAX : r.exposedAt().plus(window); // window 0: every outcome so far
    return switch (this) {
      case INTERVIEW_RATE -> within(r.convertedAt(), end);
      case OFFER_RATE -> within(r.offerAt(), end);
      case RESPONSE_RATE -> within(r.responseAt(), end);
      case APPLICATIONS_PER_WEEK -> {
        long count = r.applicationTimes().stream().filter(t -> !t.isAfter(end)).count();
        Instant until = window.isZero() ? now : end;
        double days = Math.max(1, (until.toEpochMilli() - r.exposedAt().toEpochMilli()) / DAY_MS);
        yield count / (days / 7);
      }
      case TIME_TO_FIRST_INTERVIEW_DAYS -> r.convertedAt() == null || r.convertedAt().isAfter(end) ? null
          : (r.convertedAt().toEpochMilli() - r.exposedAt().toEpochMilli()) / DAY_MS;
    };
  }

  /**
   * A {@link #timeToEvent} metric's observation for an eligible user: the first interview within the window
   * is the event; otherwise the user is censored at the window's end (window 0: at {@code now}).
   */
  public Observation observation(Row r, Duration window, Instant now) {
    if (!timeToEvent) throw new IllegalStateException(id + " is not a time to event");
    Double days = value(r, window, now);
    if (days != null) return new Observation(days, true);
    Instant end = window.isZero() ? now : r.exposedAt().plus(window);
    return new Observation(Math.max(0, (end.toEpochMilli() - r.exposedAt().toEpochMilli()) / DAY_MS), false);
  }

  private static double within(Instant at, Instant end) {
    return at != null && !at.isAfter(end) ? 1 : 0;
  }

  /** The CUPED covariate: the user's pre-exposure interview rate; NaN when the user had no application before. */
  public static double preExposureInterviewRate(Row r) {
    return r.preApplications() > 0 ? (double) r.preInterviews() / r.preApplications() : Double.NaN;
  }
}
