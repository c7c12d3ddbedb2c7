package io.hireloop.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {
  @TempDir
  Path tmp;

  @Test
  @SuppressWarnings("unchecked")
  void modelIsBetterThanChanceAndNoBetterThanTheOracleAndEveryEditTypeIsReported() throws IOException {
    var dir = tmp.resolve("sim");
    new Simulator(SimulationModel.defaults(), 600, 12, 7, LocalDate.parse("2026-01-05")).run(dir);
    var report = Evaluation.run(dir, 42);

    for (var key : java.util.List.of("examples", "model", "oracle", "auc_gap", "edit_effects", "tuesday_effect", "definitions")) {
      assertTrue(report.containsKey(key), "missing " + key);
    }
    var model = (Map<String, Object>) report.get("model");
    var oracle = (Map<String, Object>) report.get("oracle");
    double auc = (Double) model.get("auc");
    double oracleAuc = (Double) oracle.get("auc");
    assertTrue(auc > 0.6, "model AUC " + auc);
    assertTrue(auc <= oracleAuc + 0.02, "model AUC " + auc + " vs oracle " + oracleAuc);
    assertNotNull(model.get("ece"));
    assertNotNull(oracle.get("ece"));

    var effects = (Map<String, Map<String, Object>>) report.get("edit_effects");
    assertEquals(SimulationModel.EDIT_TYPES, java.util.List.copyOf(effects.keySet()));
    for (var e : SimulationModel.EDIT_TYPES) {
      var row = effects.get(e);
      assertNotNull(row.get("naive_rate_difference"), e);
      assertNotNull(row.get("naive_log_odds"), e);
      assertEquals(SimulationModel.defaults().editEffects().get(e), (Double) row.get("true_log_odds"), 1e-12, e);
      assertTrue((Long) row.get("applications_with") > 0, e);
    }
    var tuesday = (Map<String, Object>) report.get("tuesday_effect");
    assertEquals(0.0, (Double) tuesday.get("true_log_odds"));
    // the planted fallacy: Tuesday looks good naively although it does nothing
    assertTrue((Double) tuesday.get("naive_rate_difference") > 0, "tuesday naive " + tuesday);
  }

  /**
   * The learning-quality bar on a population large enough for the figures to mean something (2,000 users × 26
   * weeks, ~60,000 labelled applications; the holdout is the last week and 15 % of the users): the calibrated
   * ensemble within 0.02 AUC of the oracle, ECE at most 0.02, and not worse than its best member.
   */
  @Test
  @SuppressWarnings("unchecked")
  void theEnsembleIsNearTheOracleCalibratedAndAtLeastItsBestMember() throws IOException {
    var dir = tmp.resolve("sim-large");
    new Simulator(SimulationModel.defaults(), 2000, 26, 1, LocalDate.parse("2026-01-05")).run(dir);
    var report = Evaluation.run(dir, 42);
    var model = (Map<String, Object>) report.get("model");
    double auc = (Double) model.get("auc");
    double oracleAuc = (Double) ((Map<String, Object>) report.get("oracle")).get("auc");
    assertTrue(auc >= oracleAuc - 0.02, "ensemble AUC " + auc + " vs oracle " + oracleAuc);
    assertTrue((Double) model.get("ece") <= 0.02, "ECE " + model.get("ece"));
    var members = (Map<String, Map<String, Object>>) model.get("members");
    assertEquals(java.util.Set.of("logistic", "boosted_trees", "network"), members.keySet());
    double best = members.values().stream().mapToDouble(m -> (Double) m.get("auc")).max().orElseThrow();
    assertTrue(auc >= best - 0.002, "ensemble " + auc + " vs best member " + best + ": " + members);
    // split-conformal outcome sets hold the real outcome for the nominal share of held-out applications
    var sets = (Map<String, Object>) model.get("outcome_sets");
    double coverage = (Double) sets.get("coverage_of_outcomes");
    assertTrue(Math.abs(coverage - (Double) sets.get("level")) <= 0.02, "outcome-set coverage " + sets);
    assertTrue((Double) sets.get("mean_size") < 2, "not every set holds both outcomes: " + sets);
  }

  @Test
  void badInputIsNamed() throws IOException {
    var e = assertThrows(Evaluation.BadInput.class, () -> Evaluation.run(tmp, 1));
    assertTrue(e.getMessage().contains("events.jsonl"), e.getMessage());
    Files.writeString(tmp.resolve("events.jsonl"), "");
    Files.writeString(tmp.resolve("truth.jsonl"), "");
    Files.writeString(tmp.resolve("ground_truth.json"), "{\"edit_effects\":{\"added_keywords\":-0.08}}");
    e = assertThrows(Evaluation.BadInput.class, () -> Evaluation.run(tmp, 1));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    Files.writeString(tmp.resolve("ground_truth.json"), "not json");
    assertThrows(Evaluation.BadInput.class, () -> Evaluation.run(tmp, 1));
  }
}
