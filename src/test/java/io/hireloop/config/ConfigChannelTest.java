package io.hireloop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfigChannelTest {
  static final double BAR = 0.2;
  static ActorTestKit testKit;

  EventSourcedBehaviorTestKit<Command, Event, State> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("ConfigChannelTest", EntityTestConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newEntity() {
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), ConfigChannel.create("job_discovery", testKit.system()),
        EntityTestConfig.strictSerialization());
    kit.clear(); // one entity per component: forget what earlier tests stored (clear() also restarts it)
  }

  Current get() {
    return kit.<Current>runCommand(ConfigChannel.Get::new).reply();
  }

  @Test
  void versionZeroIsTheConfiguredDefaults() {
    var c = get();
    assertEquals(0, c.current().version());
    assertEquals("job_discovery", c.current().component());
    assertEquals("manual", c.current().optimizedBy());
    assertEquals(Instant.EPOCH, c.current().lastUpdated());
    assertEquals(Json.read("{\"min_fit_score_to_apply\": 60, \"fit_score_weight\": 0.05}"), Json.read(c.current().valuesJson()));
    assertNull(c.pending());

    var defaults = testKit.system().settings().config().getConfig("hireloop.configs.defaults");
    for (var component : ConfigChannel.COMPONENTS) {
      var other = EventSourcedBehaviorTestKit.<Command, Event, State>create(testKit.system(),
          ConfigChannel.create(component, testKit.system()), EntityTestConfig.strictSerialization());
      var current = other.<Current>runCommand(ConfigChannel.Get::new).reply().current();
      assertEquals(0, current.version(), component);
      assertEquals(Json.read(Json.write(defaults.getConfig(component).root().unwrapped())), Json.read(current.valuesJson()), component);
    }
  }

  @Test
  void proposalAtOrAboveTheBarIsAppliedAsTheNextVersionWithMergedValues() {
    TestProbe<StreamMessage> probe = testKit.createTestProbe();
    Topics.get(testKit.system()).subscribe("config:job_discovery", probe.getRef());

    var r = kit.<Proposed>runCommand(replyTo ->
        new ConfigChannel.Propose("{\"min_fit_score_to_apply\": 55}", 0.6, BAR, "interview model v3", replyTo));
    assertTrue(r.reply().applied());
    var v1 = r.reply().version();
    assertEquals(1, v1.version());
    assertEquals("learning", v1.optimizedBy());
    assertEquals(0.6, v1.confidence());
    assertEquals("interview model v3", v1.source());
    assertEquals(Json.read("{\"min_fit_score_to_apply\": 55, \"fit_score_weight\": 0.05}"), Json.read(v1.valuesJson()));
    assertEquals(new ConfigChannel.Applied(v1), r.event());
    assertEquals(v1, get().current());
    assertNull(get().pending());

    var pushed = probe.receiveMessage();
    assertEquals("config:job_discovery", pushed.topic());
    assertEquals("config_updated", pushed.type());
    assertEquals(1, Json.read(pushed.dataJson()).get("version").asInt());

    // exactly at the bar is applied too, on top of version 1
    var r2 = kit.<Proposed>runCommand(replyTo -> new ConfigChannel.Propose("{\"fit_score_weight\": 0.07}", BAR, BAR, "v4", replyTo));
    assertTrue(r2.reply().applied());
    assertEquals(2, r2.reply().version().version());
    assertEquals(Json.read("{\"min_fit_score_to_apply\": 55, \"fit_score_weight\": 0.07}"), Json.read(get().current().valuesJson()));

    kit.restart();
    assertEquals(r2.reply().version(), get().current());
    assertEquals(2, kit.getState().history().size());
  }

  @Test
  void proposalBelowTheBarIsPendingAndLeavesTheCurrentVersion() {
    var before = get().current();
    var r = kit.<Proposed>runCommand(replyTo ->
        new ConfigChannel.Propose("{\"min_fit_score_to_apply\": 40}", 0.1, BAR, "interview model v3", replyTo));
    assertFalse(r.reply().applied());
    assertEquals(1, r.reply().version().version());
    assertEquals(new ConfigChannel.ProposalPending(r.reply().version()), r.event());

    var c = get();
    assertEquals(before, c.current());
    assertEquals(0, c.current().version());
    assertEquals(r.reply().version(), c.pending());
    assertEquals(Json.read("{\"min_fit_score_to_apply\": 40, \"fit_score_weight\": 0.05}"), Json.read(c.pending().valuesJson()));
  }
}
