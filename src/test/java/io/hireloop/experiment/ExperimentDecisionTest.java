package io.hireloop.experiment;

import static io.hireloop.experiment.ExperimentMetricsTest.experiment;
import static io.hireloop.experiment.ExperimentMetricsTest.proportions;
import static io.hireloop.experiment.ExperimentMetricsTest.spec;
import static io.hireloop.experiment.ExperimentMetricsTest.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.experiment.DecisionOutcome.CheckName;
import io.hireloop.experiment.DecisionOutcome.HarmCause;
import io.hireloop.experiment.ExposureProjection.Row;
import io.hireloop.platform.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The typed decision of record ({@link Results#compute} → {@link DecisionOutcome}): every {@link DecisionKind} is
 * reached by the rules, a sample-ratio mismatch blocks even a harmful treatment, harm carries its typed cause; and
 * the rendering of a typed result has exactly the fields of the documented results object (docs/API.md).
 */
class ExperimentDecisionTest {
  static final java.time.Instant NOW = ExperimentMetricsTest.NOW;

  @Test
  void aClearWinnerIsRolledOutWithEveryCheckPassing() {
    var r = Results.compute(spec("interview_rate", List.of("offer_rate"), 14, 1000), "running",
        experiment(2000, new SplittableRandom(11), proportions(0.2, 0.3, t -> 0.1)), NOW);
    var d = r.decision();
    assertEquals(DecisionKind.ROLL_OUT_WINNER, d.kind(), r.toJson().toString());
    assertEquals("low", d.winner());
    assertTrue(d.allChecksPass());
    assertEquals(List.of(), d.failedChecks());
    assertEquals(List.of(), d.harm());
    assertNull(d.harmfulVariant());
    assertEquals(Arrays.asList(CheckName.values()), d.checks().stream().map(DecisionOutcome.Check::name).toList());
    assertFalse(r.srm().mismatch());
    assertTrue(r.guardrails().stream().allMatch(g -> g.evaluated() && !g.breached()));
  }

  @Test
  void noDifferenceWithEnoughUsersIsNoSignificantDifference() {
    var rows = new ArrayList<Row>(ExperimentAnalysisTest.arm("control", 1000, 300, 20));
    rows.addAll(ExperimentAnalysisTest.arm("low", 1000, 305, 20)); // +0.5 points: far from significant
    var r = Results.compute(ExperimentAnalysisTest.spec(900, 14), "running", rows, ExperimentAnalysisTest.NOW);
    assertEquals(DecisionKind.NO_SIGNIFICANT_DIFFERENCE, r.decisionKind(), r.toJson().toString());
    assertNull(r.decision().winner());
    assertTrue(r.decision().check(CheckName.SAMPLE_SIZE).pass());
    assertFalse(r.decision().failedChecks().isEmpty());
  }

  @Test
  void tooFewEligibleUsersIsContinueTestEvenForAClearLift() {
    var r = Results.compute(spec("interview_rate", List.of(), 14, 5000), "running",
        experiment(2000, new SplittableRandom(11), proportions(0.2, 0.3, t -> 0.1)), NOW);
    assertEquals(DecisionKind.CONTINUE_TEST, r.decisionKind());
    assertFalse(r.decision().check(CheckName.SAMPLE_SIZE).pass());
    assertTrue(r.decision().check(CheckName.P_VALUE).pass(), "the lift itself is significant");
    assertNull(r.decision().winner());
  }

  @Test
  void aBreachedGuardrailStopsForHarmWithItsTypedReason() {
    // interviews up, offers down from 10 % to 5 %
    var r = Results.compute(spec("interview_rate", List.of("offer_rate"), 14, 1000), "running",
        experiment(2000, new SplittableRandom(5), proportions(0.2, 0.3, t -> t ? 0.05 : 0.10)), NOW);
    var d = r.decision();
    assertEquals(DecisionKind.STOP_FOR_HARM, d.kind());
    assertNull(d.winner(), "a better success metric does not make a winner of a harmful treatment");
    assertEquals("low", d.harmfulVariant());
    assertEquals(1, d.harm().size(), d.harm().toString());
    var harm = d.harm().get(0);
    assertEquals(HarmCause.GUARDRAIL_BREACHED, harm.cause());
    assertEquals("low", harm.variantId());
    assertEquals("offer_rate", harm.metric());
    assertTrue(harm.reason().startsWith("guardrail breached (difference "), harm.reason());
    var breached = r.breachedGuardrails();
    assertEquals(1, breached.size());
    assertEquals(OutcomeMetric.OFFER_RATE, breached.get(0).metric());
    assertTrue(breached.get(0).oneSidedPValue() < Results.GUARDRAIL_ALPHA);
    assertFalse(d.check(CheckName.GUARDRAILS).pass());
    assertTrue(d.check(CheckName.P_VALUE).pass());
  }

  @Test
  void aTreatmentWorseOnTheSuccessMetricIsHarmOfThatCause() {
    var r = Results.compute(spec("interview_rate", List.of("offer_rate"), 14, 1000), "running",
        experiment(2000, new SplittableRandom(6), proportions(0.3, 0.2, t -> 0.1)), NOW);
    assertEquals(DecisionKind.STOP_FOR_HARM, r.decisionKind());
    var harm = r.decision().harm();
    assertEquals(List.of(HarmCause.SUCCESS_METRIC_WORSE), harm.stream().map(DecisionOutcome.Harm::cause).toList());
    assertEquals("interview_rate", harm.get(0).metric());
    assertTrue(r.breachedGuardrails().isEmpty());
  }

  @Test
  void aSampleRatioMismatchBlocksEvenAHarmfulTreatment() {
    var rows = experiment(2000, new SplittableRandom(5), proportions(0.2, 0.3, t -> t ? 0.05 : 0.10));
    var sabotaged = new ArrayList<Row>();
    for (int i = 0; i < rows.size(); i++) if (!(rows.get(i).variantId().equals("low") && i % 10 < 3)) sabotaged.add(rows.get(i));
    var r = Results.compute(spec("interview_rate", List.of("offer_rate"), 14, 1000), "running", sabotaged, NOW);
    assertTrue(r.srm().mismatch());
    assertTrue(r.srm().pValue() < r.srm().threshold());
    assertEquals(DecisionKind.CONTINUE_TEST, r.decisionKind(), "SRM first: the assignment itself is suspect");
    assertFalse(r.decision().harm().isEmpty(), "the harm is still reported");
    assertFalse(r.decision().check(CheckName.NO_SRM).pass());
    assertNull(r.decision().winner());
  }

  @Test
  void aWinnerExactlyWhenTheDecisionIsRollOutWinner() {
    var checks = List.<DecisionOutcome.Check>of();
    assertThrows(IllegalArgumentException.class, () -> new DecisionOutcome(DecisionKind.ROLL_OUT_WINNER, null, List.of(), checks));
    assertThrows(IllegalArgumentException.class, () -> new DecisionOutcome(DecisionKind.STOP_FOR_HARM, "low", List.of(), checks));
    assertEquals("no_significant_difference", DecisionKind.NO_SIGNIFICANT_DIFFERENCE.wire());
    assertEquals("ci_lower_bound", CheckName.CI_LOWER_BOUND.wire());
  }

  /** The example object of "Results — GET /api/v1/experiments/{id}/results" in docs/API.md. */
  static JsonNode documentedResults() throws Exception {
    var doc = Files.readString(Path.of("docs/API.md"));
    int section = doc.indexOf("### Results — `GET /api/v1/experiments/{id}/results`");
    assertTrue(section >= 0, "the results section of docs/API.md");
    int from = doc.indexOf("```json", section) + "```json".length();
    return Json.read(doc.substring(from, doc.indexOf("```", from)));
  }

  @Test
  void theRenderingHasTheDocumentedFieldsInTheirOrder() throws Exception {
    // the documented example's shape: a proportion metric with a winner, CUPED fitted, an evaluated guardrail
    ExperimentMetricsTest.UserMaker maker = (id, v, treated, rnd) -> {
      int pre = 10, preInterviews = rnd.nextInt(11);
      double p = 0.1 + 0.04 * preInterviews / 10.0 + (treated ? 0.06 : 0);
      return user(id, v, rnd.nextDouble() < p ? 2.0 : null, rnd.nextDouble() < 0.1 ? 5.0 : null, null, 3, pre, preInterviews);
    };
    var typed = Results.compute(spec("interview_rate", List.of("offer_rate"), 14, 1000), "running",
        experiment(2000, new SplittableRandom(3), maker), NOW).withRollout(ExperimentRollout.State.NONE);
    assertEquals(DecisionKind.ROLL_OUT_WINNER, typed.decisionKind(), typed.toJson().toString());
    assertNull(typed.comparisons().get(0).cuped().problem());
    var rendered = Json.read(Json.write(typed.toJson()));
    var documented = documentedResults();
    var differences = new ArrayList<String>();
    sameFields("$", documented, rendered, differences);
    assertEquals(List.of(), differences, "rendered: " + rendered);
    assertEquals(names(documented.get("checks")), names(rendered.get("checks")));
    assertEquals("roll_out_winner", rendered.get("decision").asText());
    assertEquals("low", rendered.get("winner").asText());
    assertTrue(rendered.get("harmful_variant").isNull());
  }

  static List<String> names(JsonNode checks) {
    var out = new ArrayList<String>();
    checks.forEach(c -> out.add(c.get("name").asText()));
    return out;
  }

  /** Objects: the same field names in the same order, recursively; arrays: the first elements compared. */
  static void sameFields(String path, JsonNode documented, JsonNode rendered, List<String> differences) {
    if (documented.isObject()) {
      if (!rendered.isObject()) {
        differences.add(path + ": an object is documented, rendered " + rendered.getNodeType());
        return;
      }
      var d = new ArrayList<String>();
      documented.fieldNames().forEachRemaining(d::add);
      var r = new ArrayList<String>();
      rendered.fieldNames().forEachRemaining(r::add);
      if (!d.equals(r)) differences.add(path + ": documented " + d + ", rendered " + r);
      for (var f : d) if (rendered.has(f)) sameFields(path + "." + f, documented.get(f), rendered.get(f), differences);
    } else if (documented.isArray() && !documented.isEmpty()) {
      if (!rendered.isArray() || rendered.isEmpty()) {
        differences.add(path + ": a non-empty array is documented, rendered " + rendered);
        return;
      }
      sameFields(path + "[0]", documented.get(0), rendered.get(0), differences);
    } else {
      assertNotNull(rendered, path);
    }
  }
}
