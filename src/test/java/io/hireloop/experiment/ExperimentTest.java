package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.experiment.Experiment.Command;
import io.hireloop.experiment.Experiment.Definition;
import io.hireloop.experiment.Experiment.Event;
import io.hireloop.experiment.Experiment.Reply;
import io.hireloop.experiment.Experiment.State;
import io.hireloop.testing.EntityTestConfig;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExperimentTest {
  static ActorTestKit testKit;
  static final AtomicInteger ids = new AtomicInteger();

  String id;
  EventSourcedBehaviorTestKit<Command, Event, State> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("ExperimentTest", EntityTestConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newEntity() {
    id = "exp-" + ids.incrementAndGet();
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), Experiment.create(id), EntityTestConfig.strictSerialization());
  }

  Definition definition() {
    return new Definition(id, "Lower fit bar", "More applications at fit 55 raise interviews", "job_discovery", "min_fit_score_to_apply");
  }

  @Test
  void createStartsAsDraft() {
    var r = kit.<Reply>runCommand(replyTo -> new Experiment.Create(definition(), "admin-1", replyTo));
    Reply reply = r.reply();
    assertNull(reply.error());
    assertFalse(reply.notFound());
    assertEquals(definition(), reply.definition());
    assertEquals("draft", reply.status());
    assertNotNull(reply.createdAt());
    var created = r.eventOfType(Experiment.Created.class);
    assertEquals(definition(), created.definition());
    assertEquals("admin-1", created.by());
    assertEquals(new State(definition(), "draft", created.at()), r.state());
  }

  @Test
  void duplicateCreateIsRefusedAndChangesNothing() {
    kit.<Reply>runCommand(replyTo -> new Experiment.Create(definition(), "admin-1", replyTo));
    var other = new Definition(id, "Other", "h", "strategy_engine", "p");
    var r = kit.<Reply>runCommand(replyTo -> new Experiment.Create(other, "admin-2", replyTo));
    assertEquals("experiment " + id + " already exists", r.reply().error());
    assertEquals(definition(), r.reply().definition());
    assertTrue(r.hasNoEvents());
  }

  @Test
  void statusChangeIsPersistedAndSurvivesRestart() {
    kit.<Reply>runCommand(replyTo -> new Experiment.Create(definition(), "admin-1", replyTo));
    var r = kit.<Reply>runCommand(replyTo -> new Experiment.ChangeStatus("running", "admin-1", replyTo));
    assertNull(r.reply().error());
    assertEquals("running", r.reply().status());
    var e = r.eventOfType(Experiment.StatusChanged.class);
    assertEquals("draft", e.from());
    assertEquals("running", e.to());

    State before = kit.getState();
    assertEquals(before, kit.restart().state());
    assertEquals("running", kit.<Reply>runCommand(Experiment.Get::new).reply().status());
  }

  @Test
  void unknownStatusIsRefused() {
    kit.<Reply>runCommand(replyTo -> new Experiment.Create(definition(), "admin-1", replyTo));
    var r = kit.<Reply>runCommand(replyTo -> new Experiment.ChangeStatus("finished", "admin-1", replyTo));
    assertTrue(r.reply().error().startsWith("unknown status 'finished'"), r.reply().error());
    assertEquals("draft", r.reply().status());
    assertTrue(r.hasNoEvents());
  }

  @Test
  void getOfAnUnknownExperimentIsNotFound() {
    var r = kit.<Reply>runCommand(Experiment.Get::new);
    assertEquals(new Reply(null, null, null, null, true), r.reply());
    assertTrue(r.hasNoEvents());
  }

  @Test
  void statusChangeOfAnUnknownExperimentIsNotFoundAndPersistsNothing() {
    var r = kit.<Reply>runCommand(replyTo -> new Experiment.ChangeStatus("running", "admin-1", replyTo));
    assertTrue(r.reply().notFound());
    assertTrue(r.hasNoEvents());
  }
}
