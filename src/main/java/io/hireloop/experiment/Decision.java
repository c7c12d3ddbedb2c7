package io.hireloop.experiment;

import io.hireloop.experiment.Experiment.Spec;
import io.hireloop.stats.HypothesisTests;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decision of record and its checks. In order: a sample-ratio mismatch blocks every decision
 * ({@code continue_test}); a treatment significantly worse on the success metric (Holm p &lt; 0.05) or with a
 * breached guardrail is {@code stop_for_harm}; too few eligible users is {@code continue_test}; every check
 * passing is {@code roll_out_winner} (the best treatment); anything else {@code no_significant_difference}.
 */
record Decision(Spec spec, Results.Arm control, List<Results.Arm> treatments, List<MetricComparison> tests,
    Double[] holm, List<Map<String, Object>> guardrails, boolean srm) {

  static final double ALPHA = Results.ALPHA;

  void into(Map<String, Object> out) {
    boolean enough = control.eligible() >= spec.minimumSampleSize()
        && treatments.stream().allMatch(t -> t.eligible() >= spec.minimumSampleSize());
    var harm = new ArrayList<Map<String, Object>>();
    int best = -1;
    for (int i = 0; i < tests.size(); i++) {
      var c = tests.get(i);
      if (c == null) continue;
      if (holm[i] < ALPHA && c.improvement() < 0) {
        harm.add(reason(treatments.get(i).variantId(), c.metric().id, "significantly worse on the success metric "
            + "(difference " + c.difference() + ", Holm p " + holm[i] + " < " + ALPHA + ")"));
      }
      if (c.improvement() > 0 && (best < 0 || c.improvement() > tests.get(best).improvement())) best = i;
    }
    for (var g : guardrails) {
      if ((boolean) g.get("breached")) {
        harm.add(reason((String) g.get("variant_id"), (String) g.get("metric"), "guardrail breached (difference "
            + g.get("absolute_difference") + ", one-sided p " + g.get("one_sided_p_value") + " < " + Results.GUARDRAIL_ALPHA + ")"));
      }
    }
    var b = best < 0 ? null : tests.get(best);
    var checks = new ArrayList<Map<String, Object>>();
    checks.add(check("sample_size", enough, "every variant has at least minimum_sample_size = " + spec.minimumSampleSize()
        + " eligible users"));
    checks.add(check("p_value", b != null && holm[best] < ALPHA, "the best treatment's Holm-adjusted p < " + ALPHA));
    checks.add(check("meaningful_effect", b != null && b.relativeDifference() != null
        && b.metric().direction * b.relativeDifference() >= Ethics.MIN_EXPECTED_IMPROVEMENT,
        "relative improvement ≥ " + Ethics.MIN_EXPECTED_IMPROVEMENT));
    checks.add(check("ci_lower_bound", b != null && b.ciExcludesZeroImproving(),
        "the difference's CI excludes 0 on the improving side (lower bound > 0; upper bound < 0 when lower is better)"));
    checks.add(check("no_srm", !srm, "sample-ratio mismatch p ≥ " + HypothesisTests.SRM_THRESHOLD));
    boolean guardrailsGreen = guardrails.stream().noneMatch(g -> (boolean) g.get("breached"));
    checks.add(check("guardrails", guardrailsGreen && harm.isEmpty(), "no guardrail metric significantly worse (one-sided p < "
        + Results.GUARDRAIL_ALPHA + ") and no treatment significantly worse on the success metric"));
    String decision;
    if (srm) decision = "continue_test"; // SRM blocks every decision: the assignment itself is suspect
    else if (!harm.isEmpty()) decision = "stop_for_harm";
    else if (!enough) decision = "continue_test";
    else if (checks.stream().allMatch(c -> (boolean) c.get("pass"))) decision = "roll_out_winner";
    else decision = "no_significant_difference";
    out.put("decision", decision);
    out.put("winner", decision.equals("roll_out_winner") ? treatments.get(best).variantId() : null);
    out.put("harmful_variant", harm.isEmpty() ? null : harm.get(0).get("variant_id"));
    out.put("harm", harm);
    out.put("checks", checks);
  }

  private static Map<String, Object> reason(String variantId, String metric, String why) {
    return fields("variant_id", variantId, "metric", metric, "reason", why);
  }

  private static Map<String, Object> check(String name, boolean pass, String rule) {
    return fields("name", name, "pass", pass, "rule", rule);
  }

  /** An ordered JSON object from key, value pairs. */
  private static Map<String, Object> fields(Object... keyValues) {
    var m = new LinkedHashMap<String, Object>();
    for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
    return m;
  }
}
