package io.hireloop.experiment;

import io.hireloop.experiment.DecisionOutcome.Check;
import io.hireloop.experiment.DecisionOutcome.CheckName;
import io.hireloop.experiment.DecisionOutcome.Harm;
import io.hireloop.experiment.DecisionOutcome.HarmCause;
import io.hireloop.experiment.Experiment.Spec;
import io.hireloop.stats.HypothesisTests;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of the decision of record and its checks. In order: a sample-ratio mismatch blocks every decision
 * ({@code continue_test}); a treatment significantly worse on the success metric (Holm p &lt; 0.05) or with a
 * breached guardrail is {@code stop_for_harm}; too few eligible users is {@code continue_test}; every check
 * passing is {@code roll_out_winner} (the best treatment); anything else {@code no_significant_difference}.
 * {@code tests} and {@code holm} are per treatment, null where the treatment could not be compared yet.
 */
record Decision(Spec spec, Results.Arm control, List<Results.Arm> treatments, List<MetricComparison> tests,
    Double[] holm, List<GuardrailCheck> guardrails, boolean srm) {

  static final double ALPHA = Results.ALPHA;

  DecisionOutcome decide() {
    boolean enough = control.eligible() >= spec.minimumSampleSize()
        && treatments.stream().allMatch(t -> t.eligible() >= spec.minimumSampleSize());
    var harm = new ArrayList<Harm>();
    int best = -1;
    for (int i = 0; i < tests.size(); i++) {
      var c = tests.get(i);
      if (c == null) continue;
      if (holm[i] < ALPHA && c.improvement() < 0) {
        harm.add(new Harm(treatments.get(i).variantId(), c.metric().id, HarmCause.SUCCESS_METRIC_WORSE,
            "significantly worse on the success metric (difference " + c.difference() + ", Holm p " + holm[i] + " < " + ALPHA + ")"));
      }
      if (c.improvement() > 0 && (best < 0 || c.improvement() > tests.get(best).improvement())) best = i;
    }
    for (var g : guardrails) {
      if (g.breached()) {
        harm.add(new Harm(g.variantId(), g.metric().id, HarmCause.GUARDRAIL_BREACHED, "guardrail breached (difference "
            + g.comparison().difference() + ", one-sided p " + g.oneSidedPValue() + " < " + Results.GUARDRAIL_ALPHA + ")"));
      }
    }
    var b = best < 0 ? null : tests.get(best);
    var checks = new ArrayList<Check>();
    checks.add(new Check(CheckName.SAMPLE_SIZE, enough, "every variant has at least minimum_sample_size = "
        + spec.minimumSampleSize() + " eligible users"));
    checks.add(new Check(CheckName.P_VALUE, b != null && holm[best] < ALPHA, "the best treatment's Holm-adjusted p < " + ALPHA));
    checks.add(new Check(CheckName.MEANINGFUL_EFFECT, b != null && b.relativeDifference() != null
        && b.metric().direction * b.relativeDifference() >= Ethics.MIN_EXPECTED_IMPROVEMENT,
        "relative improvement ≥ " + Ethics.MIN_EXPECTED_IMPROVEMENT));
    checks.add(new Check(CheckName.CI_LOWER_BOUND, b != null && b.ciExcludesZeroImproving(),
        "the difference's CI excludes 0 on the improving side (lower bound > 0; upper bound < 0 when lower is better)"));
    checks.add(new Check(CheckName.NO_SRM, !srm, "sample-ratio mismatch p ≥ " + HypothesisTests.SRM_THRESHOLD));
    boolean guardrailsGreen = guardrails.stream().noneMatch(GuardrailCheck::breached);
    checks.add(new Check(CheckName.GUARDRAILS, guardrailsGreen && harm.isEmpty(), "no guardrail metric significantly worse "
        + "(one-sided p < " + Results.GUARDRAIL_ALPHA + ") and no treatment significantly worse on the success metric"));
    DecisionKind kind;
    if (srm) kind = DecisionKind.CONTINUE_TEST; // SRM blocks every decision: the assignment itself is suspect
    else if (!harm.isEmpty()) kind = DecisionKind.STOP_FOR_HARM;
    else if (!enough) kind = DecisionKind.CONTINUE_TEST;
    else if (checks.stream().allMatch(Check::pass)) kind = DecisionKind.ROLL_OUT_WINNER;
    else kind = DecisionKind.NO_SIGNIFICANT_DIFFERENCE;
    return new DecisionOutcome(kind, kind == DecisionKind.ROLL_OUT_WINNER ? treatments.get(best).variantId() : null, harm, checks);
  }
}
