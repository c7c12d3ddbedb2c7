package io.hireloop.journey;

import com.typesafe.config.Config;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When follow-up reminders of an unanswered application are due ({@code hireloop.reminders.after}, e.g.
 * 7, 14 and 30 days after the application) and for how long each one stays worth sending.
 *
 * <p><b>Window rule</b> (no flood after imports or downtime): step {@code i} is sent only from its due time
 * until the next step is due; the last step for as long as the gap before it (the first step's delay when
 * there is only one). A reminder past its window is dropped without a message, because a later one has
 * taken its place. So an application imported 20 days after the fact gets only the 14-day reminder, at
 * once, and the 30-day one on time; one imported 3 months late gets none.
 */
public record ReminderPolicy(List<Duration> after) {

  public ReminderPolicy {
    if (after.isEmpty()) throw new IllegalArgumentException("hireloop.reminders.after: at least one duration");
    for (int i = 0; i < after.size(); i++) {
      var prev = i == 0 ? Duration.ZERO : after.get(i - 1);
      if (after.get(i).compareTo(prev) <= 0) {
        throw new IllegalArgumentException("hireloop.reminders.after: durations must be positive and increasing, got " + after);
      }
    }
    after = List.copyOf(after);
  }

  public static final ReminderPolicy DEFAULT = new ReminderPolicy(List.of(Duration.ofDays(7), Duration.ofDays(14), Duration.ofDays(30)));

  /** {@code hireloop.reminders.after} when configured, else 7, 14 and 30 days. */
  public static ReminderPolicy of(Config config) {
    return config.hasPath("hireloop.reminders.after") ? new ReminderPolicy(config.getDurationList("hireloop.reminders.after")) : DEFAULT;
  }

  /**
   * This schedule with its first step at {@code first} and every later step kept at its distance from the first (the
   * live {@code orchestrator.follow_up_after_days}: 7, 14, 30 days with 5 days first are 5, 12, 28 days).
   */
  public ReminderPolicy withFirst(Duration first) {
    if (first.isZero() || first.isNegative()) throw new IllegalArgumentException("the first reminder must be after the application, got " + first);
    var shift = first.minus(after.get(0));
    return new ReminderPolicy(after.stream().map(d -> d.plus(shift)).toList());
  }

  public int steps() {
    return after.size();
  }

  public boolean validStep(int step) {
    return step >= 1 && step <= after.size();
  }

  /** {@code step} counts from 1. */
  public Duration delay(int step) {
    return after.get(step - 1);
  }

  public Instant due(Instant appliedAt, int step) {
    return appliedAt.plus(delay(step));
  }

  /** End (exclusive) of the step's sending window. */
  public Instant windowEnd(Instant appliedAt, int step) {
    if (step < after.size()) return due(appliedAt, step + 1);
    var gap = after.size() == 1 ? after.get(0) : after.get(step - 1).minus(after.get(step - 2));
    return due(appliedAt, step).plus(gap);
  }

  public boolean current(Instant appliedAt, int step, Instant now) {
    return !now.isBefore(due(appliedAt, step)) && now.isBefore(windowEnd(appliedAt, step));
  }

  /** Steps still worth scheduling at {@code now}: due later, or due and still in their window. */
  public List<Integer> stepsToSchedule(Instant appliedAt, Instant now) {
    var steps = new ArrayList<Integer>();
    for (int step = 1; step <= after.size(); step++) {
      if (now.isBefore(windowEnd(appliedAt, step))) steps.add(step);
    }
    return steps;
  }
}
