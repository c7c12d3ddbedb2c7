package io.hireloop.experiment;

import io.hireloop.experiment.DecisionOutcome.Check;
import io.hireloop.experiment.DecisionOutcome.CheckName;
import io.hireloop.experiment.DecisionOutcome.Harm;
import io.hireloop.experiment.DecisionOutcome.HarmCause;
import io.hireloop.stats.HypothesisTests;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/** Hand-built typed results for the pure parts that act on them (ramp schedules, the decision's readers). */
final class ResultsFixtures {
  private ResultsFixtures() {}

  static final Instant AS_OF = Instant.parse("2026-01-01T00:00:00Z");

  /** A proportion comparison with the given difference (treatment − control) and two-sided p. */
  static MetricComparison comparison(OutcomeMetric metric, double difference, double pValue) {
    return new MetricComparison(metric, difference, difference - 0.01, difference + 0.01, pValue, 0.1, difference / 0.1, 0.8,
        pValue, null, null);
  }

  /** Breached: the treatment 5 points worse with p 0.001 (one-sided 0.0005); else no difference (p 1). */
  static GuardrailCheck guardrail(String variantId, OutcomeMetric metric, boolean breached) {
    var c = breached ? comparison(metric, -0.05, 0.001) : comparison(metric, 0, 1);
    return new GuardrailCheck(metric, variantId, c, 0.1, 0.1 + c.difference(), Double.NaN);
  }

  static SrmCheck srm(boolean mismatch) {
    var expected = new LinkedHashMap<String, Double>();
    expected.put("control", 50.0);
    expected.put("low", 50.0);
    return new SrmCheck(mismatch ? 30.0 : 0.1, mismatch ? 1e-6 : 0.5, mismatch, HypothesisTests.SRM_THRESHOLD, expected, 1);
  }

  /** Two arms, {@code exposedPerVariant} each, one offer_rate guardrail on "low"; the checks all as {@code kind} implies. */
  static ExperimentResults results(long exposedPerVariant, boolean breached, boolean srmMismatch, DecisionKind kind) {
    var variants = List.of(
        new VariantResult("control", exposedPerVariant, exposedPerVariant, new ArmSummary.Proportion(0, 0.0, null)),
        new VariantResult("low", exposedPerVariant, exposedPerVariant, new ArmSummary.Proportion(0, 0.0, null)));
    var guardrails = List.of(guardrail("low", OutcomeMetric.OFFER_RATE, breached));
    var harm = kind == DecisionKind.STOP_FOR_HARM
        ? List.of(new Harm("low", "interview_rate", HarmCause.SUCCESS_METRIC_WORSE, "significantly worse")) : List.<Harm>of();
    var checks = Arrays.stream(CheckName.values()).map(n -> new Check(n, kind == DecisionKind.ROLL_OUT_WINNER, "rule")).toList();
    var decision = new DecisionOutcome(kind, kind == DecisionKind.ROLL_OUT_WINNER ? "low" : null, harm, checks);
    return new ExperimentResults("exp-1", "running", OutcomeMetric.INTERVIEW_RATE, 14, AS_OF, variants, srm(srmMismatch),
        List.of(), guardrails, decision, null);
  }
}
