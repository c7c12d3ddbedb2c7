package io.hireloop.learning.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.learning.attribution.FactorEffect.Confidence;
import io.hireloop.learning.ensemble.LabelledSnapshot;
import io.hireloop.platform.Json;
import io.hireloop.simulation.Evaluation;
import io.hireloop.simulation.SimulationModel;
import io.hireloop.simulation.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attribution on a simulated population whose causal effects are planted (ground_truth.json): confounded by
 * design (able, organised users edit more and apply on Tuesdays), so the naive differences are all inflated.
 */
class AttributionTest {
  static final SimulationModel MODEL = SimulationModel.defaults();
  static AttributionReport report;
  static JsonNode truth;
  static List<String> progress = new ArrayList<>();

  @BeforeAll
  static void simulateAndAttribute(@TempDir Path dir) throws Exception {
    new Simulator(MODEL, 1500, 20, 3, LocalDate.parse("2026-01-05")).run(dir);
    truth = Json.read(Files.readString(dir.resolve("ground_truth.json")));
    List<LabelledSnapshot> rows = Evaluation.labelledSnapshots(dir);
    report = Attribution.run(rows, Attribution.Settings.defaults(), (stage, done, total) -> progress.add(done + "/" + total));
  }

  @Test
  void everyEditTypeIsEstimatedWithinTwoPointsOfItsPlantedEffectAndCloserThanTheNaiveDifference() {
    assertEquals(MODEL.editEffects().size(), report.edits().size(), "skipped: " + report.skipped());
    for (var e : report.edits()) {
      double att = truth.path("edit_effects_att_probability_labelled").path(e.factor()).asDouble();
      assertEquals(att, e.estimate(), 0.02, e.factor() + " risk difference vs the planted effect on the treated");
      assertTrue(Math.abs(e.estimate() - att) < Math.abs(e.naiveDifference() - att), e.factor() + ": adjusted closer than naive");
      assertTrue(e.ciLow() <= e.estimate() && e.estimate() <= e.ciHigh());
      assertTrue(e.logOddsCiLow() < e.logOdds() && e.logOdds() < e.logOddsCiHigh());
      assertEquals(Attribution.PRIMARY, e.methodEstimates().keySet().iterator().next());
      assertEquals(4, e.refuters().size());
    }
  }

  @Test
  void theStrongestEditIsFoundWithItsPlantedLogOddsInsideTheIntervalAndTheNullEditIsNotClaimed() {
    var metrics = report.edit("added_metrics_to_bullets");
    double planted = MODEL.editEffects().get("added_metrics_to_bullets");
    assertTrue(metrics.logOddsCiLow() <= planted && planted <= metrics.logOddsCiHigh(), "CI " + metrics.logOddsCiLow() + ".."
        + metrics.logOddsCiHigh() + " covers " + planted);
    assertNotEquals(Confidence.LOW, metrics.causalConfidence(), String.join("; ", metrics.warnings()));
    assertTrue(metrics.methodEstimates().containsKey("iv_suggestions"), "the instrument ran");
    var none = report.edit("reorganized_sections");
    assertEquals(Confidence.LOW, none.causalConfidence(), "a planted zero is not reported as an effect");
    assertTrue(none.naiveDifference() > 0.02, "while the naive difference is clearly positive: " + none.naiveDifference());
  }

  @Test
  void tuesdayLooksGoodNaivelyAndHasNoEffectOnceWhoAppliesWhenIsAdjustedFor() {
    var tue = report.timing("weekday", "Tuesday");
    assertNotNull(tue);
    assertTrue(tue.naiveDifference() > 0.02, "naive Tuesday difference " + tue.naiveDifference());
    assertTrue(tue.logOddsCiLow() <= 0 && 0 <= tue.logOddsCiHigh(), "CI " + tue.logOddsCiLow() + ".." + tue.logOddsCiHigh());
    assertEquals(Confidence.LOW, tue.causalConfidence());
    assertEquals(7, report.timing().stream().filter(e -> e.factor().equals("weekday")).count());
  }

  @Test
  void strategyReportsModesAndCategoriesAndProgressReachesTheEnd() {
    assertNotNull(report.strategy("strategy_mode", "aggressive"));
    var reach = report.strategy("category", "reach");
    assertTrue(reach.logOddsCiHigh() < 0, "reach jobs lower the interview odds (planted −0.8 against target)");
    assertEquals(progress.get(progress.size() - 1), "11/11");
  }

  @Test
  void rendersSnakeCaseJsonThatReadsBack() throws Exception {
    var json = Json.MAPPER.readTree(Json.write(report));
    var first = json.path("edits").get(0);
    for (var field : List.of("estimate", "std_error", "ci_low", "ci_high", "method_estimates", "naive_difference", "refuters",
        "balance", "n_treated", "n_control", "causal_confidence", "p_value_adjusted")) {
      assertTrue(first.has(field), "field " + field + " in " + first);
    }
    var back = Json.MAPPER.treeToValue(json, AttributionReport.class);
    assertEquals(report.edits().get(0).estimate(), back.edits().get(0).estimate());
  }
}
