package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.experiment.Experiment.Command;
import io.hireloop.experiment.Experiment.Event;
import io.hireloop.experiment.Experiment.Reply;
import io.hireloop.experiment.Experiment.State;
import io.hireloop.experiment.RampSchedule.Step;
import io.hireloop.testing.EntityTestConfig;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Experiment entity's side of ramp schedules: recorded at creation, conditional steps, restart and snapshots. */
class RampScheduleEntityTest {
  static ActorTestKit testKit;
  static final RampSchedule SCHEDULE = new RampSchedule(List.of(new Step(0.1, 0, 0), new Step(0.5, 1, 0), new Step(1.0, 1, 0)));

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("RampScheduleEntityTest", EntityTestConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  static EventSourcedBehaviorTestKit<Command, Event, State> entity(String id) {
    return EventSourcedBehaviorTestKit.create(testKit.system(), Experiment.create(id), EntityTestConfig.strictSerialization());
  }

  @Test
  void theScheduleIsRecordedAtCreationAndStepsAreTakenExactlyOnce() {
    var kit = entity("exp-ramp-sched-1");
    var created = kit.<Reply>runCommand(r -> new Experiment.DefineScheduled(Specs.valid("exp-ramp-sched-1"), SCHEDULE, "admin-1", r));
    assertNull(created.reply().error());
    assertEquals(List.of(Experiment.Defined.class, Experiment.RampScheduleSet.class, Experiment.Ramped.class),
        created.events().stream().map(Object::getClass).toList());
    assertEquals(0.1, kit.getState().allocation().traffic());
    assertEquals(SCHEDULE, kit.getState().rampSchedule());
    var first = kit.getState().history().get(1);
    assertEquals(List.of("ramp", "100.0%", "10.0%", RampSchedule.BY), List.of(first.type(), first.from(), first.to(), first.by()));

    // not running yet: a step is not taken
    assertTrue(kit.<Reply>runCommand(r -> new Experiment.AdvanceRamp(0.1, 0.5, RampSchedule.BY, r)).hasNoEvents());
    kit.<Reply>runCommand(r -> new Experiment.ChangeStatus("start", "admin-1", r));
    var step = kit.<Reply>runCommand(r -> new Experiment.AdvanceRamp(0.1, 0.5, RampSchedule.BY, r));
    assertEquals(0.5, step.eventOfType(Experiment.Ramped.class).to());
    // the same step again (a second monitor, a retry): the traffic is no longer 0.1, nothing happens
    assertTrue(kit.<Reply>runCommand(r -> new Experiment.AdvanceRamp(0.1, 0.5, RampSchedule.BY, r)).hasNoEvents());
    assertEquals(2, kit.getState().allocation().slices().size()); // [0, 0.1) and [0.1, 0.5): exposed users keep their slice

    var view = kit.<Experiment.RampView>runCommand(Experiment.GetRamp::new).reply();
    assertEquals(0.5, view.traffic());
    assertEquals(SCHEDULE, view.schedule());
    assertEquals(kit.getState(), kit.restart().state());
  }

  @Test
  void withoutAScheduleNothingChangesAndSnapshotsOfTheThirdShapeUpcast() {
    var kit = entity("exp-ramp-sched-2");
    kit.<Reply>runCommand(r -> new Experiment.Define(Specs.valid("exp-ramp-sched-2"), "admin-1", r));
    var view = kit.<Experiment.RampView>runCommand(Experiment.GetRamp::new).reply();
    assertNull(view.schedule());
    assertEquals(1.0, view.traffic());

    var spec = Specs.valid("x");
    var v3 = new Experiment.StateV3(spec, "running", Instant.EPOCH, List.of(), Allocation.initial(spec).ramped(0.3, false).started());
    var up = Experiment.upcast(v3);
    assertEquals(new State(spec, "running", Instant.EPOCH, List.of(), v3.allocation(), null), up);
  }
}
