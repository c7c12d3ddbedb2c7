package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.experiment.Experiment.Spec;
import io.hireloop.experiment.Experiment.State;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ramps, slices, layers and Thompson weights as pure functions (the entity and HTTP tests use the same code). */
class AllocationTest {
  static final int USERS = 20_000;

  /** What a not yet exposed user gets: a variant id, or null when outside the traffic or layer range. */
  static String assign(Spec spec, Allocation a, String user) {
    var w = a.weightsAt(Assignment.trafficPoint(spec, a, user), "thompson".equals(spec.allocationMode()));
    return w == null ? null : Assignment.pick(spec.variants(), w, Assignment.bucket(spec.salt(), user)).variantId();
  }

  @Test
  void rampsOnlyAddUsersAndNeverMoveOneAndTheShareFollowsTheTraffic() {
    var spec = Specs.valid("exp-ramp");
    var a = Allocation.initial(spec).ramped(0.1, false).started();
    var first = new HashMap<String, String>();
    for (int u = 0; u < USERS; u++) {
      var v = assign(spec, a, "u" + u);
      if (v != null) first.put("u" + u, v);
    }
    assertEquals(0.1, first.size() / (double) USERS, 0.01);
    for (double traffic : List.of(0.5, 1.0)) {
      a = a.ramped(traffic, true);
      int in = 0;
      for (int u = 0; u < USERS; u++) {
        var v = assign(spec, a, "u" + u);
        if (v != null) in++;
        if (first.containsKey("u" + u)) assertEquals(first.get("u" + u), v, "u" + u + " moved at traffic " + traffic);
      }
      assertEquals(traffic, in / (double) USERS, 0.01);
    }
    assertEquals(3, a.slices().size());
  }

  @Test
  void anAllocationChangeAppliesOnlyToTrafficRampedInLater() {
    var spec = Specs.valid("exp-rew");
    var a = Allocation.initial(spec).ramped(0.5, false).started();
    var before = new HashMap<String, String>();
    for (int u = 0; u < USERS; u++) before.put("u" + u, assign(spec, a, "u" + u));
    a = a.reweighted(List.of(0.2, 0.8)).ramped(1.0, true);
    int newIn = 0, newLow = 0;
    for (int u = 0; u < USERS; u++) {
      var now = assign(spec, a, "u" + u);
      if (before.get("u" + u) != null) {
        assertEquals(before.get("u" + u), now);
      } else {
        newIn++;
        if (now.equals("low")) newLow++;
      }
    }
    assertEquals(0.8, newLow / (double) newIn, 0.02); // the new slice follows the new weights
    assertEquals(0.5 * 0.5 + 0.5 * 0.8, a.expectedShares().get(1), 1e-9); // what the SRM check should expect
  }

  @Test
  void theEntityRulesRefuseChangesThatWouldMoveUsers() {
    var spec = Specs.valid("exp-rules");
    var draft = new State(spec, "draft", Instant.EPOCH, List.of());
    assertNull(AllocationRules.ramp(draft, 0.1));
    assertNull(AllocationRules.reweight(draft, List.of(0.3, 0.7), "manual"));
    assertEquals("bad_request", AllocationRules.ramp(draft, 0).code());
    assertEquals("bad_request", AllocationRules.ramp(draft, 1.5).code());
    assertEquals("bad_request", AllocationRules.reweight(draft, List.of(0.3, 0.6), "manual").code());
    assertEquals("bad_request", AllocationRules.reweight(draft, List.of(1.0), "manual").code());

    var full = new State(spec, "running", Instant.EPOCH, List.of(), Allocation.initial(spec).started());
    var down = AllocationRules.ramp(full, 0.5);
    assertEquals("conflict", down.code());
    assertTrue(down.message().contains("users already exposed"), down.message());
    var change = AllocationRules.reweight(full, List.of(0.3, 0.7), "manual");
    assertEquals("conflict", change.code());
    assertTrue(change.message().contains("at 100% traffic"), change.message());
    assertEquals("conflict", AllocationRules.reweight(full, List.of(0.3, 0.7), "thompson").code()); // fixed mode

    var half = new State(spec, "running", Instant.EPOCH, List.of(), Allocation.initial(spec).ramped(0.5, false).started());
    assertNull(AllocationRules.reweight(half, List.of(0.3, 0.7), "manual"));
    assertNull(AllocationRules.ramp(half, 0.8));
    var ended = new State(spec, "completed", Instant.EPOCH, List.of(), half.allocation());
    assertEquals("conflict", AllocationRules.ramp(ended, 0.9).code());
  }

  @Test
  void twoExperimentsOfALayerNeverShareAUserAndTheHoldoutIsInNeither() {
    var a = Specs.inLayer("exp-la", "search", "fixed");
    var b = Specs.inLayer("exp-lb", "search", "fixed");
    // the Layer entity's ranges with a 10% holdout: a holds [0.1, 0.55), b [0.55, 1)
    var allocA = Allocation.initial(a).inLayer("search", 0.1, 0.55).started();
    var allocB = Allocation.initial(b).inLayer("search", 0.55, 1.0).started();
    int inA = 0, inB = 0, holdout = 0;
    for (int u = 0; u < USERS; u++) {
      String user = "u" + u;
      var va = assign(a, allocA, user);
      var vb = assign(b, allocB, user);
      assertTrue(va == null || vb == null, user + " is in both experiments");
      if (va != null) inA++;
      if (vb != null) inB++;
      if (va == null && vb == null) holdout++;
    }
    assertEquals(0.45, inA / (double) USERS, 0.015);
    assertEquals(0.45, inB / (double) USERS, 0.015);
    assertEquals(0.10, holdout / (double) USERS, 0.01);
  }

  @Test
  void rampsInsideALayerRangeStayInsideIt() {
    var a = Specs.inLayer("exp-lr", "search", "fixed");
    var alloc = Allocation.initial(a).ramped(0.2, false).inLayer("search", 0.5, 1.0).started();
    int in = 0;
    for (int u = 0; u < USERS; u++) {
      double l = Assignment.bucket("layer:search", "u" + u);
      var v = assign(a, alloc, "u" + u);
      if (v != null) {
        in++;
        assertTrue(l >= 0.5 && l < 0.6, "layer point " + l);
      }
    }
    assertEquals(0.1, in / (double) USERS, 0.01); // 20% of a half of the layer
  }

  @Test
  void thompsonFavoursTheBetterArmButKeepsExploring() {
    var arms = List.of(new ThompsonAllocation.Arm("control", 400, 40), new ThompsonAllocation.Arm("low", 400, 80));
    var w = ThompsonAllocation.weights(arms, 7);
    assertEquals(1.0, w.get(0) + w.get(1), 1e-9);
    assertTrue(w.get(1) > 0.9 && w.get(0) >= ThompsonAllocation.FLOOR, w.toString());
    assertEquals(w, ThompsonAllocation.weights(arms, 7)); // same data and seed, same weights
    var even = ThompsonAllocation.probabilityBest(List.of(new ThompsonAllocation.Arm("a", 0, 0),
        new ThompsonAllocation.Arm("b", 0, 0)), 3);
    assertEquals(0.5, even.get(0), 0.02); // no data: a coin
    var three = ThompsonAllocation.weights(List.of(new ThompsonAllocation.Arm("a", 100, 10),
        new ThompsonAllocation.Arm("b", 100, 10), new ThompsonAllocation.Arm("c", 100, 30)), 1);
    assertTrue(three.get(2) > three.get(0) && three.get(2) > three.get(1), three.toString());
  }

  @Test
  void theLayerHandsOutDisjointRangesOutsideTheHoldout() {
    var s = new Layer.State(0.1, Map.of("x", new Layer.Range(0.1, 0.4)));
    var free = s.free();
    assertEquals(List.of(new Layer.Range(0.4, 1.0)), free);
    var s2 = new Layer.State(0.1, Map.of("x", new Layer.Range(0.1, 0.4), "y", new Layer.Range(0.6, 1.0)));
    assertEquals(List.of(new Layer.Range(0.4, 0.6)), s2.free());
    assertNotNull(s2.free().get(0));
  }
}
