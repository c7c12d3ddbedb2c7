package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.experiment.ExperimentRollout.Command;
import io.hireloop.experiment.ExperimentRollout.Event;
import io.hireloop.experiment.ExperimentRollout.Reply;
import io.hireloop.experiment.ExperimentRollout.State;
import io.hireloop.testing.EntityTestConfig;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rollout's audit entity: stages in order only, nothing after the end, state survives a restart. */
class ExperimentRolloutEntityTest {
  static ActorTestKit testKit;
  static final List<Double> STAGES = List.of(0.1, 0.5, 1.0);

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("ExperimentRolloutEntityTest", EntityTestConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  static EventSourcedBehaviorTestKit<Command, Event, State> kit(String id) {
    return EventSourcedBehaviorTestKit.create(testKit.system(), ExperimentRollout.create(id), EntityTestConfig.strictSerialization());
  }

  static Reply stage(EventSourcedBehaviorTestKit<Command, Event, State> kit, String variant, int stage, int version) {
    return kit.<Reply>runCommand(r -> new ExperimentRollout.RecordStage(variant, STAGES, stage, 3, version, "system", "ok", r)).reply();
  }

  @Test
  void stagesFollowInOrderAndTheLastCompletes() {
    var kit = kit("ro-1");
    assertNotNull(stage(kit, "low", 1, 4).error(), "stage 2 before stage 1");
    var first = stage(kit, "low", 0, 4);
    assertNull(first.error());
    assertEquals("in_progress", first.state().status());
    assertEquals(0.1, first.state().fraction());
    assertNotNull(stage(kit, "other", 1, 5).error(), "another variant mid-rollout");
    assertNotNull(stage(kit, "low", 0, 5).error(), "a stage twice");
    assertNull(stage(kit, "low", 1, 5).error());
    var last = stage(kit, "low", 2, 6);
    assertEquals("completed", last.state().status());
    assertEquals(3, last.state().baseConfigVersion());
    assertEquals(3, last.state().log().size());
    assertNotNull(stage(kit, "low", 2, 7).error(), "no stage after completion");
    kit.restart();
    assertEquals("completed", kit.<Reply>runCommand(ExperimentRollout.Get::new).reply().state().status());
    // a completed rollout can still be rolled back (once): an admin undoing a rolled-out winner
    var late = kit.<Reply>runCommand(r -> new ExperimentRollout.RecordRollback("ops", "rolled back by ops", 7, r)).reply();
    assertNull(late.error());
    assertEquals("rolled_back", late.state().status());
    assertEquals(7, late.state().configVersion());
    assertEquals("ops", late.state().log().get(3).by());
    assertNotNull(kit.<Reply>runCommand(r -> new ExperimentRollout.RecordRollback("ops", "again", 8, r)).reply().error(),
        "one rollback only");
  }

  @Test
  void aRollbackRecordsWhoAndWhyAndEndsTheRollout() {
    var kit = kit("ro-2");
    stage(kit, "low", 0, 4);
    var back = kit.<Reply>runCommand(r -> new ExperimentRollout.RecordRollback("system", "stop_for_harm: low offer_rate", 5, r)).reply();
    assertNull(back.error());
    assertEquals("rolled_back", back.state().status());
    var entry = back.state().log().get(1);
    assertEquals("rolled_back", entry.type());
    assertEquals("system", entry.by());
    assertTrue(entry.reason().contains("offer_rate"));
    assertEquals(5, entry.configVersion());
    assertNotNull(stage(kit, "low", 1, 6).error(), "no stage after a rollback");
  }
}
