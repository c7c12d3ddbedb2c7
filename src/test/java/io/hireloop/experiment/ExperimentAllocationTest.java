package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.experiment.Experiment.Command;
import io.hireloop.experiment.Experiment.Event;
import io.hireloop.experiment.Experiment.Reply;
import io.hireloop.experiment.Experiment.State;
import io.hireloop.testing.EntityTestConfig;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Experiment entity's allocation events (ramps, weights, layer range) and the Layer entity. */
class ExperimentAllocationTest {
  static ActorTestKit testKit;
  static final AtomicInteger ids = new AtomicInteger();

  String id;
  EventSourcedBehaviorTestKit<Command, Event, State> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("ExperimentAllocationTest", EntityTestConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newEntity() {
    id = "exp-alloc-" + ids.incrementAndGet();
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), Experiment.create(id), EntityTestConfig.strictSerialization());
  }

  EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, Reply> ramp(double traffic, String by) {
    return kit.<Reply>runCommand(r -> new Experiment.Ramp(traffic, by, r));
  }

  EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, Reply> reweight(List<Double> w) {
    return kit.<Reply>runCommand(r -> new Experiment.ChangeAllocation(w, "manual", "admin-5", r));
  }

  @Test
  void rampsAreEventsWithWhoInTheHistoryAndNeverGoDownOnceStarted() {
    kit.<Reply>runCommand(r -> new Experiment.Define(Specs.valid(id), "admin-1", r));
    var r1 = ramp(0.1, "admin-2");
    assertNull(r1.reply().error());
    var ramped = r1.eventOfType(Experiment.Ramped.class);
    assertEquals(new Experiment.Ramped(1.0, 0.1, "admin-2", ramped.at()), ramped);
    kit.<Reply>runCommand(r -> new Experiment.ChangeStatus("start", "admin-1", r));
    assertEquals(List.of(new Allocation.Slice(0.1, List.of(0.5, 0.5))), kit.getState().allocation().slices());
    var r2 = ramp(0.5, "admin-3");
    assertNull(r2.reply().error());
    var down = ramp(0.2, "admin-3");
    assertEquals("conflict", down.reply().errorCode());
    assertTrue(down.hasNoEvents());
    assertTrue(ramp(0.5, "admin-3").hasNoEvents()); // same traffic: nothing to record
    var history = kit.getState().history();
    var last = history.get(history.size() - 1);
    assertEquals(List.of("ramp", "10.0%", "50.0%", "admin-3"), List.of(last.type(), last.from(), last.to(), last.by()));
    assertEquals(kit.getState(), kit.restart().state());
    assertEquals(2, kit.getState().allocation().slices().size());
  }

  @Test
  void allocationChangesMidFlightOnlyIntoUnassignedTraffic() {
    kit.<Reply>runCommand(r -> new Experiment.Define(Specs.valid(id), "admin-1", r));
    ramp(0.5, "admin-1");
    assertNull(reweight(List.of(0.4, 0.6)).reply().error()); // draft: the whole definition
    kit.<Reply>runCommand(r -> new Experiment.ChangeStatus("start", "admin-1", r));
    var mid = reweight(List.of(0.2, 0.8));
    assertNull(mid.reply().error());
    ramp(1.0, "admin-1");
    var a = kit.getState().allocation();
    assertEquals(List.of(new Allocation.Slice(0.5, List.of(0.4, 0.6)), new Allocation.Slice(1.0, List.of(0.2, 0.8))), a.slices());
    var refused = reweight(List.of(0.5, 0.5));
    assertEquals("conflict", refused.reply().errorCode());
    assertTrue(refused.reply().error().contains("100% traffic"), refused.reply().error());
    assertTrue(refused.hasNoEvents());
    var bad = reweight(List.of(0.5, 0.6));
    assertEquals("bad_request", bad.reply().errorCode());
    assertEquals("allocation_changed", kit.getState().history().get(4).type());
  }

  @Test
  void aLayeredExperimentStartsOnlyWithItsRangeAndKeepsItAcrossRestart() {
    kit.<Reply>runCommand(r -> new Experiment.Define(Specs.inLayer(id, "search", "fixed"), "admin-1", r));
    var plain = kit.<Reply>runCommand(r -> new Experiment.ChangeStatus("start", "admin-1", r));
    assertEquals("conflict", plain.reply().errorCode());
    assertTrue(plain.hasNoEvents());
    var wrong = kit.<Reply>runCommand(r -> new Experiment.StartInLayer("other", 0, 1, "admin-1", r));
    assertEquals("bad_request", wrong.reply().errorCode());
    var started = kit.<Reply>runCommand(r -> new Experiment.StartInLayer("search", 0.1, 0.4, "admin-1", r));
    assertEquals("running", started.reply().status());
    assertEquals(2, started.events().size());
    var a = kit.restart().state().allocation();
    assertEquals(List.of("search", 0.1, 0.4), List.of(a.layer(), a.layerFrom(), a.layerTo()));
    assertEquals(List.of("created", "status_changed"), kit.getState().history().stream().map(h -> h.type()).toList());
    var view = kit.<Experiment.View>runCommand(Experiment.GetView::new).reply();
    assertEquals(a, view.allocation());
  }

  @Test
  void snapshotsOfTheReleasedStateShapesUpcast() {
    var spec = Specs.valid(id);
    var v1 = new Experiment.StateV1(spec, "running", Instant.EPOCH, List.of());
    var up = Experiment.upcast(v1);
    assertEquals(spec, up.spec());
    assertEquals(1.0, up.allocation().traffic());
    assertEquals(List.of(new Allocation.Slice(1.0, List.of(0.5, 0.5))), up.allocation().slices());
    var legacy = Experiment.upcast(new Experiment.LegacyState(new Experiment.Definition(id, "n", "h", "c", "p"), "draft", Instant.EPOCH));
    assertEquals(List.of(), legacy.allocation().weights());
    var draft = Experiment.upcast(new Experiment.StateV1(spec, "draft", Instant.EPOCH, List.of()));
    assertEquals(List.of(), draft.allocation().slices());
  }

  @Test
  void theLayerReservesDisjointRangesKeepsTheHoldoutAndSurvivesRestart() {
    var layer = EventSourcedBehaviorTestKit.<Layer.Command, Layer.Event, Layer.State>create(testKit.system(),
        Layer.create("layer-" + id), EntityTestConfig.strictSerialization());
    assertNull(layer.<Layer.Reply>runCommand(r -> new Layer.Do("holdout", null, 0.1, "admin-1", r)).reply().error());
    var a = layer.<Layer.Reply>runCommand(r -> new Layer.Do("reserve", "exp-a", 0.3, "admin-1", r)).reply();
    assertEquals(new Layer.Range(0.1, 0.4), a.range());
    var again = layer.<Layer.Reply>runCommand(r -> new Layer.Do("reserve", "exp-a", 0.5, "admin-1", r));
    assertEquals(a.range(), again.reply().range()); // idempotent
    assertTrue(again.hasNoEvents());
    var b = layer.<Layer.Reply>runCommand(r -> new Layer.Do("reserve", "exp-b", null, "admin-1", r)).reply();
    assertEquals(new Layer.Range(0.4, 1.0), b.range());
    var full = layer.<Layer.Reply>runCommand(r -> new Layer.Do("reserve", "exp-c", 0.1, "admin-1", r));
    assertTrue(full.reply().error().contains("no free range"), full.reply().error());
    assertTrue(full.hasNoEvents());
    var holdout = layer.<Layer.Reply>runCommand(r -> new Layer.Do("holdout", null, 0.2, "admin-1", r));
    assertTrue(holdout.reply().error().contains("exp-a"), holdout.reply().error());
    layer.<Layer.Reply>runCommand(r -> new Layer.Do("release", "exp-a", null, "system", r));
    var c = layer.<Layer.Reply>runCommand(r -> new Layer.Do("reserve", "exp-c", 0.1, "admin-1", r)).reply();
    assertEquals(new Layer.Range(0.1, 0.2), c.range());
    var before = layer.getState();
    assertEquals(before, layer.restart().state());
  }
}
