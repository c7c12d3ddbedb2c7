package io.hireloop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.config.ConfigChannel.Command;
import io.hireloop.config.ConfigChannel.Current;
import io.hireloop.config.ConfigChannel.Event;
import io.hireloop.config.ConfigChannel.Proposed;
import io.hireloop.config.ConfigChannel.State;
import io.hireloop.platform.Json;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import io.hireloop.testing.EntityTestConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keyed (idempotent) config writes: a repeated key gets the version it already wrote, nothing new is written or pushed. */
class ConfigChannelKeyedTest {
  static ActorTestKit testKit;
  EventSourcedBehaviorTestKit<Command, Event, State> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("ConfigChannelKeyedTest", EntityTestConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newEntity() {
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), ConfigChannel.create("orchestrator", testKit.system()),
        EntityTestConfig.strictSerialization());
    kit.clear();
  }

  EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, Proposed> applyOnce(String key, String values) {
    return kit.runCommand(r -> new ConfigChannel.ApplyFromExperimentOnce(key, values, "experiment exp-k stage", r));
  }

  @Test
  void aRepeatedStageKeyIsAnsweredWithTheVersionAlreadyWritten() {
    TestProbe<StreamMessage> pushes = testKit.createTestProbe();
    Topics.get(testKit.system()).subscribe("config:orchestrator", pushes.getRef());

    var first = applyOnce("rollout:exp-k:stage:1:low", "{\"rollout_fraction\": 0.1}");
    assertTrue(first.reply().applied());
    assertEquals(1, first.reply().version().version());
    assertEquals("experiment", first.reply().version().optimizedBy());
    var written = (ConfigChannel.Written) first.event();
    assertEquals("rollout:exp-k:stage:1:low", written.key());
    assertEquals(first.reply().version(), written.version().legacy());
    assertEquals(Provenance.EXPERIMENT, written.version().provenance());
    assertEquals(1, Json.read(pushes.receiveMessage().dataJson()).get("version").asInt());

    // the retry after a crash before the stage was recorded (its values may differ: they are ignored)
    var retry = applyOnce("rollout:exp-k:stage:1:low", "{\"rollout_fraction\": 0.1, \"rollout_previous_value\": 99}");
    assertTrue(retry.hasNoEvents());
    assertEquals(first.reply(), retry.reply());
    pushes.expectNoMessage(Duration.ofMillis(300));
    assertEquals(1, kit.getState().history().size());

    // the keys survive recovery
    kit.restart();
    var afterRestart = applyOnce("rollout:exp-k:stage:1:low", "{\"rollout_fraction\": 0.1}");
    assertTrue(afterRestart.hasNoEvents());
    assertEquals(first.reply().version(), afterRestart.reply().version());
    assertEquals(Map.of("rollout:exp-k:stage:1:low", 1), kit.getState().appliedKeys());

    // another key (the next stage) is a new version on top
    var next = applyOnce("rollout:exp-k:stage:2:low", "{\"rollout_fraction\": 0.5}");
    assertEquals(2, next.reply().version().version());
    assertEquals(0.5, Json.read(next.reply().version().valuesJson()).get("rollout_fraction").asDouble());
    assertEquals(2, kit.<Current>runCommand(ConfigChannel.Get::new).reply().current().version());
  }

  @Test
  void aRepeatedRestoreKeyRestoresOnce() {
    applyOnce("rollout:exp-r:stage:1:low", "{\"rollout_fraction\": 0.1}");
    var restore = kit.<Proposed>runCommand(r -> new ConfigChannel.RestoreOnce("rollback:exp-r:after-stage:1", 0, "rollback", r));
    assertEquals(2, restore.reply().version().version());
    assertEquals("rollback", restore.reply().version().optimizedBy());
    assertTrue(!restore.reply().version().valuesJson().contains("rollout_fraction"), restore.reply().version().valuesJson());
    var again = kit.<Proposed>runCommand(r -> new ConfigChannel.RestoreOnce("rollback:exp-r:after-stage:1", 0, "rollback", r));
    assertTrue(again.hasNoEvents());
    assertEquals(restore.reply(), again.reply());
    // an unknown target writes nothing and keeps no key
    var missing = kit.<Proposed>runCommand(r -> new ConfigChannel.RestoreOnce("rollback:exp-x:after-stage:1", 42, "rollback", r));
    assertNull(missing.reply().version());
    assertTrue(missing.hasNoEvents());
    assertEquals(2, kit.getState().appliedKeys().size());
  }

  @Test
  void unkeyedWritesStillWriteEveryTimeAndKeepTheKeys() {
    applyOnce("rollout:exp-u:stage:1:low", "{\"rollout_fraction\": 0.1}");
    var a = kit.<Proposed>runCommand(r -> new ConfigChannel.ApplyFromExperiment("{\"rollout_fraction\": 0.5}", "s", r));
    var b = kit.<Proposed>runCommand(r -> new ConfigChannel.ApplyFromExperiment("{\"rollout_fraction\": 0.5}", "s", r));
    assertEquals(2, a.reply().version().version());
    assertEquals(3, b.reply().version().version());
    assertEquals(Map.of("rollout:exp-u:stage:1:low", 1), kit.getState().appliedKeys());
  }

  @Test
  void theEarlierStateShapesUpcastWithProvenanceFromOptimizedBy() {
    var v = new ConfigChannel.ConfigVersion("orchestrator", 1, "{}", "experiment", 1.0, Instant.EPOCH, "exp-1 stage 1");
    var asVersion = new ConfigChannel.Version("orchestrator", 1, "{}", Provenance.EXPERIMENT, "exp-1 stage 1", null, null, 1.0, Instant.EPOCH,
        null, null);
    assertEquals(new State(List.of(asVersion), Map.of()), ConfigChannel.upcast(new ConfigChannel.StateV1(v, null, List.of(v))));
    assertEquals(new State(List.of(asVersion), Map.of("k", 1)),
        ConfigChannel.upcast(new ConfigChannel.StateV2(v, null, List.of(v), Map.of("k", 1))));
    var current = new State(List.of(asVersion), Map.of("k", 1));
    assertEquals(current, ConfigChannel.upcast(current));
    assertEquals(v, asVersion.legacy(), "the released reply shape is unchanged");
  }
}
