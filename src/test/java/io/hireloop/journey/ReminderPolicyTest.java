package io.hireloop.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window rule of follow-up reminders (7, 14, 30 days by default). */
class ReminderPolicyTest {
  static final Instant APPLIED = Instant.parse("2026-03-01T10:00:00Z");
  final ReminderPolicy policy = ReminderPolicy.DEFAULT;

  static Instant day(double d) {
    return APPLIED.plus(Duration.ofMinutes(Math.round(d * 24 * 60)));
  }

  @Test
  void eachStepIsCurrentFromItsDueTimeUntilTheNextOne() {
    assertFalse(policy.current(APPLIED, 1, day(6.9)));
    assertTrue(policy.current(APPLIED, 1, day(7)));
    assertTrue(policy.current(APPLIED, 1, day(13.9)));
    assertFalse(policy.current(APPLIED, 1, day(14)));
    assertTrue(policy.current(APPLIED, 2, day(14)));
    assertFalse(policy.current(APPLIED, 2, day(30)));
    // the last step stays current for the gap before it (16 days)
    assertTrue(policy.current(APPLIED, 3, day(45.9)));
    assertFalse(policy.current(APPLIED, 3, day(46)));
    assertEquals(day(46), policy.windowEnd(APPLIED, 3));
  }

  @Test
  void lateImportsScheduleOnlyWhatIsStillCurrent() {
    assertEquals(List.of(1, 2, 3), policy.stepsToSchedule(APPLIED, APPLIED));
    assertEquals(List.of(2, 3), policy.stepsToSchedule(APPLIED, day(20)));
    assertEquals(List.of(3), policy.stepsToSchedule(APPLIED, day(31)));
    assertEquals(List.of(), policy.stepsToSchedule(APPLIED, day(90)));
  }

  @Test
  void aSingleStepStaysCurrentForItsOwnDelay() {
    var one = new ReminderPolicy(List.of(Duration.ofDays(7)));
    assertEquals(day(14), one.windowEnd(APPLIED, 1));
  }

  @Test
  void durationsMustIncrease() {
    assertThrows(IllegalArgumentException.class, () -> new ReminderPolicy(List.of(Duration.ofDays(7), Duration.ofDays(7))));
    assertThrows(IllegalArgumentException.class, () -> new ReminderPolicy(List.of()));
    assertThrows(IllegalArgumentException.class, () -> new ReminderPolicy(List.of(Duration.ZERO)));
  }
}
