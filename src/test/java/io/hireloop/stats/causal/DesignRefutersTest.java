package io.hireloop.stats.causal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Refuters for 2SLS, DiD and RD on the seeded planted-effect data of {@link PlantedEffectTest}. */
class DesignRefutersTest {
  static CausalEstimate refuted(double estimate, double se, List<Refutation> refutations) {
    return CausalEstimate.normal("x", "x", estimate, se, 1, 1, 0, List.of(), List.of()).withRefutations(refutations);
  }

  static void assertAllPass(CausalEstimate r) {
    r.refutations().forEach(System.out::println);
    for (var f : r.refutations()) assertTrue(f.passed(), f.toString());
    assertFalse(r.flagged());
    assertTrue(r.warnings().isEmpty(), r.warnings().toString());
  }

  @Test
  void ivTrueEffectSurvivesAndThePlaceboInstrumentIsNearZero() {
    var data = Sim.iv(5_000, 31);
    var y = (double[]) data[0];
    var d = (double[]) data[1];
    var z = (double[][]) data[2];
    var w = (double[][]) data[3];
    var iv = InstrumentalVariables.twoStage(y, d, z, w, true);
    var refutations = DesignRefuters.iv(y, d, z, w, iv.estimate(), 20, 7);
    var r = refuted(iv.estimate(), iv.stdError(), refutations);
    assertAllPass(r);
    assertEquals(List.of("placebo_instrument", "random_common_cause", "data_subset"),
        refutations.stream().map(Refutation::name).toList());
    assertTrue(Math.abs(refutations.get(0).newEstimate()) < 0.1 * iv.estimate(), refutations.get(0).toString());
    assertEquals(iv.estimate(), refutations.get(1).newEstimate(), 0.02);
    assertEquals(iv.estimate(), refutations.get(2).newEstimate(), 0.05);
    // seeded
    assertEquals(refutations, DesignRefuters.iv(y, d, z, w, iv.estimate(), 20, 7));
  }

  @Test
  void didTrueEffectSurvivesAndThePlaceboIsNearZero() {
    var data = Sim.did(200, 41);
    var y = (double[]) data[0];
    var treat = (int[]) data[1];
    var post = (int[]) data[2];
    var id = (String[]) data[3];
    var did = DifferenceInDifferences.estimate(y, treat, post, null, id);
    for (var units : new String[][] {id, null}) {
      var refutations = DesignRefuters.did(y, treat, post, null, units, did.estimate(), 20, 7);
      assertAllPass(refuted(did.estimate(), did.stdError(), refutations));
      assertEquals(List.of("placebo_treatment", "random_common_cause", "data_subset"),
          refutations.stream().map(Refutation::name).toList());
      assertTrue(Math.abs(refutations.get(0).newEstimate()) < 0.1 * did.estimate(), refutations.get(0).toString());
      assertEquals(did.estimate(), refutations.get(1).newEstimate(), 0.02);
      assertEquals(did.estimate(), refutations.get(2).newEstimate(), 0.1);
    }
  }

  @Test
  void rdTrueJumpSurvivesAndPlaceboCutoffsAreNearZero() {
    var data = Sim.rd(4_000, 51);
    var x = data[0];
    var y = data[1];
    var rd = RegressionDiscontinuity.sharp(x, y, 0, Double.NaN);
    var refutations = DesignRefuters.rd(x, y, 0, rd.bandwidth(), rd.estimate(), 20, 7);
    assertAllPass(refuted(rd.estimate(), rd.stdError(), refutations));
    assertEquals(List.of("placebo_cutoff_below", "placebo_cutoff_above", "data_subset"),
        refutations.stream().map(Refutation::name).toList());
    for (int k = 0; k < 2; k++) {
      assertTrue(Math.abs(refutations.get(k).newEstimate()) < 0.2 * rd.estimate(), refutations.get(k).toString());
    }
    assertEquals(rd.estimate(), refutations.get(2).newEstimate(), 0.05);
  }

  @Test
  void aJumpAtThePlaceboCutoffFailsAndIsFlagged() {
    // a second discontinuity at the placebo cutoff (the median below the true one): the design is not what it claims
    var data = Sim.rd(4_000, 51);
    double placebo = DesignRefuters.median(java.util.Arrays.stream(data[0]).filter(v -> v < 0).toArray());
    for (int i = 0; i < data[0].length; i++) if (data[0][i] >= placebo) data[1][i] += 1.0;
    var rd = RegressionDiscontinuity.sharp(data[0], data[1], 0, Double.NaN);
    var r = refuted(rd.estimate(), rd.stdError(), DesignRefuters.rd(data[0], data[1], 0, rd.bandwidth(), rd.estimate(), 20, 7));
    assertFalse(r.refutations().get(0).passed(), r.refutations().get(0).toString());
    assertTrue(r.flagged());
    assertTrue(r.warnings().stream().anyMatch(w -> w.contains("placebo_cutoff_below")), r.warnings().toString());
  }
}
