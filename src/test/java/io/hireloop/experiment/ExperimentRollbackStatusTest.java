package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hireloop.experiment.Experiment.Command;
import io.hireloop.experiment.Experiment.Event;
import io.hireloop.experiment.Experiment.Reply;
import io.hireloop.experiment.Experiment.State;
import io.hireloop.testing.EntityTestConfig;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A rollout rolled back after completion ends the experiment as rolled_back, with who did it in the history. */
class ExperimentRollbackStatusTest {
  static ActorTestKit testKit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("ExperimentRollbackStatusTest", EntityTestConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  static EventSourcedBehaviorTestKit<Command, Event, State> started(String id) {
    var kit = EventSourcedBehaviorTestKit.<Command, Event, State>create(testKit.system(), Experiment.create(id),
        EntityTestConfig.strictSerialization());
    kit.<Reply>runCommand(r -> new Experiment.Define(Specs.valid(id), "admin-1", r));
    assertEquals("running", act(kit, "start", "admin-1").status());
    return kit;
  }

  static Reply act(EventSourcedBehaviorTestKit<Command, Event, State> kit, String action, String by) {
    return kit.<Reply>runCommand(r -> new Experiment.ChangeStatus(action, by, r)).reply();
  }

  @Test
  void completedThenRolledBack() {
    var kit = started("exp-rb-completed");
    assertEquals("completed", act(kit, "complete", "admin-1").status());
    var back = act(kit, "rollback", "system");
    assertNull(back.error());
    assertEquals("rolled_back", back.status());
    var last = back.history().get(back.history().size() - 1);
    assertEquals(List.of("completed", "rolled_back", "system"), List.of(last.from(), last.to(), last.by()));
    assertEquals("conflict", act(kit, "rollback", "ops").errorCode(), "rolled_back is final");
    assertEquals("conflict", act(kit, "rollout", "ops").errorCode());
  }

  @Test
  void rolledOutThenRolledBack() {
    var kit = started("exp-rb-out");
    assertEquals("rolled_out", act(kit, "rollout", "system").status());
    var back = act(kit, "rollback", "ops");
    assertEquals("rolled_back", back.status());
    var last = back.history().get(back.history().size() - 1);
    assertEquals(List.of("rolled_out", "rolled_back", "ops"), List.of(last.from(), last.to(), last.by()));
    kit.restart();
    assertEquals("rolled_back", kit.<Reply>runCommand(Experiment.Get::new).reply().status());
  }
}
