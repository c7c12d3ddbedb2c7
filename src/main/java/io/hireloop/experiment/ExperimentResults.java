package io.hireloop.experiment;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of record of an experiment ({@link Results#compute}): the variants, each treatment against control
 * on the success metric (with the Holm-adjusted p), the sample-ratio check, the guardrails and the decision. What
 * acts on the results (rollout, rollback, the monitor, ramp schedules, Thompson updates) reads these fields;
 * {@link #toJson} is the one rendering, the object of {@code GET /experiments/{id}/results} and of
 * {@code experiment_results} messages (docs/API.md).
 *
 * <p>{@code rollout} is the staged rollout's progress when the results were read through
 * {@link ExperimentRollouts#results} (null from the pure analysis, and then not rendered).
 */
public record ExperimentResults(String experimentId, String status, OutcomeMetric successMetric, double attributionWindowDays,
    Instant asOf, List<VariantResult> variants, SrmCheck srm, List<TreatmentComparison> comparisons,
    List<GuardrailCheck> guardrails, DecisionOutcome decision, ExperimentRollout.State rollout) {

  public ExperimentResults {
    variants = List.copyOf(variants);
    comparisons = List.copyOf(comparisons);
    guardrails = List.copyOf(guardrails);
  }

  /**
   * One treatment against control on the success metric. {@code test} null: not comparable yet (an arm has fewer
   * than two users with a value), and then {@code cuped} and {@code pValueHolm} are null too.
   */
  public record TreatmentComparison(String variantId, MetricComparison test, Cuped.Adjusted cuped, Double pValueHolm) {
      public Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("variant_id", variantId);
      if (test == null) {
        m.put("problem", MetricComparison.NOT_ENOUGH_USERS);
        return m;
      }
      m.putAll(test.toJson());
      m.put("cuped", cuped.toJson());
      m.put("p_value_holm", pValueHolm);
      return m;
    }
  }

  public ExperimentResults withRollout(ExperimentRollout.State progress) {
    return new ExperimentResults(experimentId, status, successMetric, attributionWindowDays, asOf, variants, srm, comparisons,
        guardrails, decision, progress);
  }

  public DecisionKind decisionKind() {
    return decision.kind();
  }

  /** Exposed users over every analysable variant. */
  public long exposedUsers() {
    return variants.stream().mapToLong(VariantResult::exposedUsers).sum();
  }

  /** Eligible users over every analysable variant. */
  public long eligibleUsers() {
    return variants.stream().mapToLong(VariantResult::eligibleUsers).sum();
  }

  public List<GuardrailCheck> breachedGuardrails() {
    return guardrails.stream().filter(GuardrailCheck::breached).toList();
  }

  /** The results object of the API, field for field as documented in docs/API.md. */
  public Map<String, Object> toJson() {
    var out = new LinkedHashMap<String, Object>();
    out.put("experiment_id", experimentId);
    out.put("status", status);
    out.put("success_metric", successMetric.id);
    out.put("attribution_window_days", attributionWindowDays);
    out.put("as_of", asOf.toString());
    out.put("variants", variants.stream().map(VariantResult::toJson).toList());
    out.put("srm", srm.toJson());
    out.put("comparisons", comparisons.stream().map(TreatmentComparison::toJson).toList());
    out.put("guardrails", guardrails.stream().map(GuardrailCheck::toJson).toList());
    out.putAll(decision.toJson());
    if (rollout != null) out.put("rollout", ExperimentRollouts.rolloutJson(rollout));
    return out;
  }
}
