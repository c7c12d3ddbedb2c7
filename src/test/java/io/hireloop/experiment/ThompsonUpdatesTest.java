package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.experiment.Experiment.HistoryEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the monitor's periodic Thompson update is due (pure). */
class ThompsonUpdatesTest {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  static final Duration HOUR = Duration.ofHours(1);

  static Experiment.Reply exp(String mode, String status, HistoryEntry... history) {
    return new Experiment.Reply(Specs.inLayer("exp-th", "default", mode), status, T0, List.of(history), null, null, List.of(), false);
  }

  static HistoryEntry created() {
    return new HistoryEntry("created", null, "draft", "ops", T0);
  }

  static HistoryEntry started(Instant at) {
    return new HistoryEntry("status_changed", "draft", "running", "ops", at);
  }

  @Test
  void dueOnceTheWeightsHaveStoodForTheIntervalSinceTheStartOrTheLastChange() {
    var start = T0.plusSeconds(60);
    var running = exp("thompson", "running", created(), started(start));
    assertEquals(start, ThompsonUpdates.lastChange(running.history()));
    assertFalse(ThompsonUpdates.due(running, start.plus(HOUR).minusMillis(1), HOUR));
    assertTrue(ThompsonUpdates.due(running, start.plus(HOUR), HOUR));

    var update = new HistoryEntry("thompson_update", "50.0%/50.0%", "20.0%/80.0%", ThompsonUpdates.BY, start.plus(HOUR));
    var updated = exp("thompson", "running", created(), started(start), update);
    assertFalse(ThompsonUpdates.due(updated, start.plus(HOUR).plus(HOUR.dividedBy(2)), HOUR));
    assertTrue(ThompsonUpdates.due(updated, start.plus(HOUR.multipliedBy(2)), HOUR));

    // a manual change restarts the clock too; a pause/resume does not
    var manual = new HistoryEntry("allocation_changed", "20.0%/80.0%", "50.0%/50.0%", "ops", start.plus(HOUR.multipliedBy(3)));
    var paused = new HistoryEntry("status_changed", "running", "paused", "ops", start.plus(HOUR.multipliedBy(4)));
    var resumed = new HistoryEntry("status_changed", "paused", "running", "ops", start.plus(HOUR.multipliedBy(5)));
    var later = exp("thompson", "running", created(), started(start), update, manual, paused, resumed);
    assertEquals(manual.at(), ThompsonUpdates.lastChange(later.history()));
    assertTrue(ThompsonUpdates.due(later, start.plus(HOUR.multipliedBy(5)), HOUR));
  }

  @Test
  void neverForFixedExperimentsNorWhenNotRunningNorWhenSwitchedOff() {
    var long_ago = T0.minus(Duration.ofDays(3));
    assertFalse(ThompsonUpdates.due(exp("fixed", "running", created(), started(long_ago)), T0, HOUR));
    assertFalse(ThompsonUpdates.due(exp("thompson", "paused", created(), started(long_ago)), T0, HOUR));
    assertFalse(ThompsonUpdates.due(exp("thompson", "draft", created()), T0, HOUR));
    assertFalse(ThompsonUpdates.due(exp("thompson", "running", created(), started(long_ago)), T0, Duration.ZERO));
    assertNull(ThompsonUpdates.lastChange(List.of(created())));
  }
}
