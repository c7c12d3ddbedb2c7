package io.hireloop.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One guardrail metric for one treatment. {@code comparison} null: not evaluated (an arm has fewer than two
 * users with a value), which is never a breach. Breached when the treatment is worse with a one-sided
 * p &lt; {@link Results#GUARDRAIL_ALPHA}. {@code controlValue}/{@code treatmentValue} are the arms' means (RMSTs up
 * to {@code tauDays} for a time to event, whose p-value is the log-rank test's); unused when not evaluated.
 */
public record GuardrailCheck(OutcomeMetric metric, String variantId, MetricComparison comparison, double controlValue,
    double treatmentValue, double tauDays) {

  public static GuardrailCheck notEvaluated(OutcomeMetric metric, String variantId) {
    return new GuardrailCheck(metric, variantId, null, Double.NaN, Double.NaN, Double.NaN);
  }

  public boolean evaluated() {
    return comparison != null;
  }

  public boolean breached() {
    return evaluated() && oneSidedPValue() < Results.GUARDRAIL_ALPHA;
  }

  /** One-sided p-value of "treatment worse than control"; NaN when not evaluated. */
  public double oneSidedPValue() {
    return evaluated() ? comparison.oneSidedWorseP() : Double.NaN;
  }

  public Map<String, Object> toJson() {
    var m = new LinkedHashMap<String, Object>();
    m.put("metric", metric.id);
    m.put("variant_id", variantId);
    m.put("threshold_one_sided_p", Results.GUARDRAIL_ALPHA);
    m.put("evaluated", evaluated());
    if (!evaluated()) {
      m.put("breached", false);
      m.put("pass", true);
      m.put("problem", MetricComparison.NOT_ENOUGH_USERS);
      return m;
    }
    if (comparison.timeToEvent() != null) {
      m.put("test", "log_rank");
      m.put("tau_days", tauDays);
    }
    m.put("control_value", controlValue);
    m.put("treatment_value", treatmentValue);
    m.put("absolute_difference", comparison.difference());
    m.put("relative_difference", comparison.relativeDifference());
    m.put("ci", java.util.List.of(comparison.ciLow(), comparison.ciHigh()));
    m.put("one_sided_p_value", oneSidedPValue());
    m.put("breached", breached());
    m.put("pass", !breached());
    return m;
  }
}
