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
import io.hireloop.experiment.Experiment.Spec;
import io.hireloop.experiment.Experiment.State;
import io.hireloop.experiment.Experiment.Variant;
import io.hireloop.testing.EntityTestConfig;
import java.util.List;
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

  Reply define(Spec spec) {
    return kit.<Reply>runCommand(r -> new Experiment.Define(spec, "admin-1", r)).reply();
  }

  Reply act(String action) {
    return kit.<Reply>runCommand(r -> new Experiment.ChangeStatus(action, "admin-2", r)).reply();
  }

  @Test
  void defineStartsAsDraftWithAHistory() {
    var r = kit.<Reply>runCommand(replyTo -> new Experiment.Define(Specs.valid(id), "admin-1", replyTo));
    assertNull(r.reply().error());
    assertFalse(r.reply().notFound());
    assertEquals(Specs.valid(id), r.reply().spec());
    assertEquals("draft", r.reply().status());
    assertNotNull(r.reply().createdAt());
    var defined = r.eventOfType(Experiment.Defined.class);
    assertEquals("admin-1", defined.by());
    assertEquals(1, r.state().history().size());
    assertEquals("created", r.state().history().get(0).type());
  }

  @Test
  void releasedMinimalCreateStillYieldsAValidDraft() {
    var r = kit.<Reply>runCommand(replyTo -> new Experiment.Create(definition(), "admin-1", replyTo));
    assertNull(r.reply().error());
    assertEquals("draft", r.reply().status());
    assertEquals(Spec.of(definition()), r.reply().spec());
    assertEquals(definition(), r.eventOfType(Experiment.Created.class).definition());
    // ...and survives recovery from the released event
    assertEquals(kit.getState(), kit.restart().state());
    // it cannot start: it has no variants nor rollback plan
    var start = act("start");
    assertEquals("ethics", start.errorCode());
    assertTrue(start.problems().stream().anyMatch(p -> p.startsWith("no variants")), start.problems().toString());
    assertTrue(start.problems().contains("no rollback plan"), start.problems().toString());
  }

  @Test
  void duplicateCreateIsRefusedAndChangesNothing() {
    define(Specs.valid(id));
    var r = kit.<Reply>runCommand(replyTo -> new Experiment.Define(Specs.with(Specs.valid(id), 9000, 0.3, "x"), "admin-2", replyTo));
    assertEquals("experiment " + id + " already exists", r.reply().error());
    assertEquals("conflict", r.reply().errorCode());
    assertEquals(Specs.valid(id), r.reply().spec());
    assertTrue(r.hasNoEvents());
    var legacy = kit.<Reply>runCommand(replyTo -> new Experiment.Create(definition(), "admin-2", replyTo));
    assertEquals("conflict", legacy.reply().errorCode());
    assertTrue(legacy.hasNoEvents());
  }

  @Test
  void lifecycleRecordsEveryTransitionAndWhoAndSurvivesRestart() {
    define(Specs.valid(id));
    assertEquals("running", act("start").status());
    assertEquals("paused", act("pause").status());
    assertEquals("running", act("resume").status());
    var r = kit.<Reply>runCommand(replyTo -> new Experiment.ChangeStatus("complete", "admin-3", replyTo));
    assertEquals("completed", r.reply().status());
    var e = r.eventOfType(Experiment.StatusChanged.class);
    assertEquals("running", e.from());
    assertEquals("completed", e.to());
    assertEquals("admin-3", e.by());

    State before = kit.getState();
    assertEquals(before, kit.restart().state());
    var history = kit.<Reply>runCommand(Experiment.Get::new).reply().history();
    assertEquals(List.of("draft", "running", "paused", "running", "completed"), history.stream().map(h -> h.to()).toList());
    assertEquals(List.of("admin-1", "admin-2", "admin-2", "admin-2", "admin-3"), history.stream().map(h -> h.by()).toList());
  }

  @Test
  void illegalTransitionsAreConflictsAndPersistNothing() {
    define(Specs.valid(id));
    for (String a : List.of("pause", "resume", "complete", "rollback")) {
      var r = kit.<Reply>runCommand(replyTo -> new Experiment.ChangeStatus(a, "admin-1", replyTo));
      assertEquals("conflict", r.reply().errorCode(), a);
      assertEquals("cannot " + a + " an experiment that is draft", r.reply().error());
      assertTrue(r.hasNoEvents());
    }
    act("start");
    var again = kit.<Reply>runCommand(replyTo -> new Experiment.ChangeStatus("start", "admin-1", replyTo));
    assertEquals("conflict", again.reply().errorCode());
    assertTrue(again.hasNoEvents());
    assertEquals("rolled_back", act("rollback").status());
    for (String a : List.of("start", "pause", "resume", "complete", "rollback")) {
      assertEquals("conflict", act(a).errorCode(), a);
    }
    var unknown = kit.<Reply>runCommand(replyTo -> new Experiment.ChangeStatus("finish", "admin-1", replyTo));
    assertEquals("bad_request", unknown.reply().errorCode());
    assertTrue(unknown.hasNoEvents());
  }

  @Test
  void harmfulTreatmentsAreRefusedAtStart() {
    var spec = Specs.withVariants(Specs.valid(id), List.of(
        new Variant("control", "60", "60", 0.34, null, null),
        new Variant("fewer", "75", "75", 0.33, -0.25, null),
        new Variant("harder", "50", "50", 0.33, null, 0.6)));
    define(spec);
    var r = kit.<Reply>runCommand(replyTo -> new Experiment.ChangeStatus("start", "admin-1", replyTo));
    assertEquals("ethics", r.reply().errorCode());
    assertEquals("draft", r.reply().status());
    assertTrue(r.hasNoEvents());
    assertEquals(2, r.reply().problems().size(), r.reply().problems().toString());
    assertTrue(r.reply().problems().get(0).contains("fewer") && r.reply().problems().get(0).contains("25.0%"));
    assertTrue(r.reply().problems().get(1).contains("harder") && r.reply().problems().get(1).contains("60.0%"));
  }

  @Test
  void rollbackPlanBenefitAndPowerAreChecked() {
    assertEquals(List.of("no rollback plan"), Ethics.check(Specs.with(Specs.valid(id), 4000, 0.20, " ")));
    var small = Ethics.check(Specs.with(Specs.valid(id), 4000, 0.03, "plan"));
    assertEquals(1, small.size());
    assertTrue(small.get(0).startsWith("expected benefit 3.0% is below 5.0%"), small.get(0));
    var underpowered = Ethics.check(Specs.with(Specs.valid(id), 3000, 0.20, "plan"));
    assertEquals(1, underpowered.size());
    assertTrue(underpowered.get(0).startsWith("underpowered"), underpowered.get(0));
    assertEquals(3841, Ethics.requiredSampleSize(Specs.valid(id)));
    assertEquals(List.of(), Ethics.check(Specs.valid(id)));
  }

  @Test
  void getOfAnUnknownExperimentIsNotFound() {
    var r = kit.<Reply>runCommand(Experiment.Get::new);
    assertTrue(r.reply().notFound());
    assertNull(r.reply().spec());
    assertTrue(r.hasNoEvents());
  }

  @Test
  void statusChangeOfAnUnknownExperimentIsNotFoundAndPersistsNothing() {
    var r = kit.<Reply>runCommand(replyTo -> new Experiment.ChangeStatus("start", "admin-1", replyTo));
    assertTrue(r.reply().notFound());
    assertTrue(r.hasNoEvents());
  }
}
