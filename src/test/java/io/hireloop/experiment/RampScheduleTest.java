package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.experiment.Experiment.HistoryEntry;
import io.hireloop.experiment.RampSchedule.Step;
import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.platform.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of ramp schedules: parsing the definition's ramp_schedule and deciding the next step. */
class RampScheduleTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final RampSchedule SCHEDULE = new RampSchedule(List.of(new Step(0.1, 0, 0), new Step(0.5, 24, 100), new Step(1.0, 0.5, 0)));
  static final List<HistoryEntry> STARTED = List.of(
      new HistoryEntry("created", null, "draft", "admin", T0.minusSeconds(7200)),
      new HistoryEntry("ramp", "100.0%", "10.0%", RampSchedule.BY, T0.minusSeconds(7200)),
      new HistoryEntry("status_changed", "draft", "running", "admin", T0));

  static ExperimentResults results(long exposedPerVariant, boolean breached, boolean srmMismatch, DecisionKind decision) {
    return ResultsFixtures.results(exposedPerVariant, breached, srmMismatch, decision);
  }

  static final ExperimentResults GREEN = results(50, false, false, DecisionKind.CONTINUE_TEST);

  static List<FieldProblem> problems(String json) {
    var p = new ArrayList<FieldProblem>();
    var s = RampSchedule.parse(Json.read(json), p);
    if (!p.isEmpty()) assertNull(s);
    return p;
  }

  @Test
  void parsesAValidScheduleWithFractionalHours() {
    var p = new ArrayList<FieldProblem>();
    var s = RampSchedule.parse(Json.read(
        "[{\"traffic\": 0.1}, {\"traffic\": 0.5, \"after_hours\": 0.001, \"min_exposures\": 10}, {\"traffic\": 1.0, \"after_hours\": 48}]"), p);
    assertEquals(List.of(), p);
    assertEquals(List.of(new Step(0.1, 0, 0), new Step(0.5, 0.001, 10), new Step(1.0, 48, 0)), s.steps());
    assertEquals("10.0% → 50.0% → 100.0%", s.toString());
    assertNull(RampSchedule.parse(null, p));
    assertNull(RampSchedule.parse(Json.read("null"), p));
    assertEquals(List.of(), p);
  }

  @Test
  void refusesBadSchedulesWithTheirFieldPaths() {
    assertEquals("ramp_schedule", problems("{\"traffic\": 0.1}").get(0).field());
    assertEquals("ramp_schedule", problems("[]").get(0).field());
    assertEquals("ramp_schedule[1].traffic", problems("[{\"traffic\": 0.5}, {\"traffic\": 0.5, \"after_hours\": 1}]").get(0).field());
    assertTrue(problems("[{\"traffic\": 0.5}, {\"traffic\": 0.2, \"after_hours\": 1}]").get(0).problem().contains("greater than"));
    assertEquals("ramp_schedule[0].traffic", problems("[{\"traffic\": 0}]").get(0).field());
    assertEquals("ramp_schedule[0].traffic", problems("[{\"traffic\": 1.5}]").get(0).field());
    assertEquals("ramp_schedule[1].after_hours", problems("[{\"traffic\": 0.1}, {\"traffic\": 1.0}]").get(0).field());
    assertEquals("ramp_schedule[1].after_hours", problems("[{\"traffic\": 0.1}, {\"traffic\": 1.0, \"after_hours\": -1}]").get(0).field());
    assertEquals("ramp_schedule[1].min_exposures",
        problems("[{\"traffic\": 0.1}, {\"traffic\": 1.0, \"after_hours\": 1, \"min_exposures\": 2.5}]").get(0).field());
    assertEquals("ramp_schedule[0]", problems("[{\"traffic\": 0.1, \"after_hours\": 3}]").get(0).field());
    assertEquals("ramp_schedule[1]", problems("[{\"traffic\": 0.1}, 7]").get(0).field());
  }

  @Test
  void advancesOnlyAfterTheDwellWithEnoughExposuresAndGreenChecks() {
    var due = T0.plus(Duration.ofHours(24));
    var early = SCHEDULE.nextStep(due.minusSeconds(1), "running", 0.1, STARTED, GREEN);
    assertEquals(0.5, early.step().traffic());
    assertFalse(early.due());
    assertTrue(early.hold().startsWith("due at " + due), early.hold());
    var now = SCHEDULE.nextStep(due, "running", 0.1, STARTED, GREEN);
    assertTrue(now.due(), now.hold());
    assertEquals(0.5, now.step().traffic());

    var few = SCHEDULE.nextStep(due, "running", 0.1, STARTED, results(49, false, false, DecisionKind.CONTINUE_TEST));
    assertEquals("98 of 100 exposures", few.hold());
    var red = SCHEDULE.nextStep(due, "running", 0.1, STARTED, results(50, true, false, DecisionKind.CONTINUE_TEST));
    assertTrue(red.hold().contains("guardrails breached: [low offer_rate]"), red.hold());
    assertFalse(SCHEDULE.nextStep(due, "running", 0.1, STARTED, results(50, false, true, DecisionKind.CONTINUE_TEST)).due());
    assertFalse(SCHEDULE.nextStep(due, "running", 0.1, STARTED, results(50, false, false, DecisionKind.STOP_FOR_HARM)).due());
    assertFalse(SCHEDULE.nextStep(due, "paused", 0.1, STARTED, GREEN).due());
    assertFalse(SCHEDULE.nextStep(due, "draft", 0.1, STARTED.subList(0, 2), GREEN).due());
  }

  @Test
  void theDwellCountsFromTheLastRampSoAManualRampIsContinuedFrom() {
    var history = new ArrayList<>(STARTED);
    var manual = T0.plus(Duration.ofHours(30));
    history.add(new HistoryEntry("ramp", "10.0%", "30.0%", "admin", manual)); // an admin override between steps
    var next = SCHEDULE.nextStep(manual.plus(Duration.ofHours(23)), "running", 0.3, history, GREEN);
    assertEquals(0.5, next.step().traffic());
    assertFalse(next.due()); // 24 h at 30% first
    assertTrue(SCHEDULE.nextStep(manual.plus(Duration.ofHours(24)), "running", 0.3, history, GREEN).due());
    // at 50% the last step is due 30 min after that ramp, whoever made it
    history.add(new HistoryEntry("ramp", "30.0%", "50.0%", RampSchedule.BY, manual.plus(Duration.ofHours(24))));
    var last = SCHEDULE.nextStep(manual.plus(Duration.ofHours(24)).plus(Duration.ofMinutes(30)), "running", 0.5, history, GREEN);
    assertTrue(last.due(), last.hold());
    assertEquals(1.0, last.step().traffic());
    // done at (or beyond) the last step, e.g. after a manual ramp to 100%
    var done = SCHEDULE.nextStep(T0.plus(Duration.ofDays(9)), "running", 1.0, history, GREEN);
    assertNull(done.step());
    assertFalse(done.due());
  }
}
