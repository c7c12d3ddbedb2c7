package io.hireloop.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.learning.ModelRegistry.Command;
import io.hireloop.learning.ModelRegistry.Event;
import io.hireloop.learning.ModelRegistry.Latest;
import io.hireloop.learning.ModelRegistry.ModelVersion;
import io.hireloop.learning.ModelRegistry.Registered;
import io.hireloop.learning.ModelRegistry.State;
import io.hireloop.testing.EntityTestConfig;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {
  static ActorTestKit testKit;
  static final AtomicInteger ids = new AtomicInteger();

  String name;
  EventSourcedBehaviorTestKit<Command, Event, State> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("ModelRegistryTest", EntityTestConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newEntity() {
    name = "interview-" + ids.incrementAndGet();
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), ModelRegistry.create(name), EntityTestConfig.strictSerialization());
  }

  ModelVersion version(int v) {
    return new ModelVersion(name, v, Instant.parse("2026-03-01T10:00:00Z").plusSeconds(v), 1000 * v, 0.7, 0.5, 0.2, 0.03,
        "cpu", "job-" + v, 3.5);
  }

  Registered register(ModelVersion v) {
    return kit.<Registered>runCommand(replyTo -> new ModelRegistry.Register(v, replyTo)).reply();
  }

  @Test
  void nothingRegisteredYet() {
    assertNull(kit.<Latest>runCommand(ModelRegistry.GetLatest::new).reply().version());
  }

  @Test
  void registerV1ThenGetLatest() {
    var r = kit.<Registered>runCommand(replyTo -> new ModelRegistry.Register(version(1), replyTo));
    assertEquals(new Registered(true, 1, null), r.reply());
    assertEquals(new ModelRegistry.VersionRegistered(version(1)), r.event());
    assertEquals(version(1), kit.<Latest>runCommand(ModelRegistry.GetLatest::new).reply().version());
  }

  @Test
  void versionThatIsNotTheNextIsRefused() {
    register(version(1));
    var r = kit.<Registered>runCommand(replyTo -> new ModelRegistry.Register(version(3), replyTo));
    assertEquals(new Registered(false, 1, "version 3 is not the next version (2)"), r.reply());
    assertTrue(r.hasNoEvents());
    assertEquals(new Registered(false, 1, "version 1 is not the next version (2)"), register(version(1)));
    assertEquals(version(1), kit.<Latest>runCommand(ModelRegistry.GetLatest::new).reply().version());
  }

  @Test
  void firstVersionMustBeOne() {
    assertEquals(new Registered(false, 0, "version 2 is not the next version (1)"), register(version(2)));
    assertTrue(kit.getState().versions().isEmpty());
  }

  @Test
  void versionsSurviveRestart() {
    register(version(1));
    register(version(2));
    assertEquals(new Registered(true, 3, null), register(version(3)));
    kit.restart();
    assertEquals(version(3), kit.<Latest>runCommand(ModelRegistry.GetLatest::new).reply().version());
    assertEquals(3, kit.getState().versions().size());
  }
}
