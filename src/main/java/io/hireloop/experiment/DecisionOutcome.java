package io.hireloop.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The decision of record ({@link Decision}): its {@code kind}, the {@code winner} (set exactly when the kind is
 * {@link DecisionKind#ROLL_OUT_WINNER}), every {@code harm} reason found (in the order found: success metric first,
 * then guardrails; they make the decision {@link DecisionKind#STOP_FOR_HARM} unless a sample-ratio mismatch
 * blocks it) and the {@code checks} of record, each in {@link CheckName} order.
 */
public record DecisionOutcome(DecisionKind kind, String winner, List<Harm> harm, List<Check> checks) {

  public DecisionOutcome {
    if ((kind == DecisionKind.ROLL_OUT_WINNER) != (winner != null)) {
      throw new IllegalArgumentException("a winner exactly when the decision is roll_out_winner: " + kind + ", " + winner);
    }
    harm = List.copyOf(harm);
    checks = List.copyOf(checks);
  }

  /** Why a treatment is harmful. */
  public enum HarmCause {
    /** Significantly worse on the success metric (Holm-adjusted p &lt; 0.05). */
    SUCCESS_METRIC_WORSE,
    /** A guardrail metric significantly worse (one-sided p &lt; 0.025). */
    GUARDRAIL_BREACHED
  }

  /** {@code reason}: the human-readable line with the figures. */
  public record Harm(String variantId, String metric, HarmCause cause, String reason) {
    public Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("variant_id", variantId);
      m.put("metric", metric);
      m.put("reason", reason);
      return m;
    }
  }

  /** The checks of record, in the order they are listed; the JSON name is {@link #wire}. */
  public enum CheckName {
    SAMPLE_SIZE, P_VALUE, MEANINGFUL_EFFECT, CI_LOWER_BOUND, NO_SRM, GUARDRAILS;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public record Check(CheckName name, boolean pass, String rule) {
    public Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("name", name.wire());
      m.put("pass", pass);
      m.put("rule", rule);
      return m;
    }
  }

  /** The first harmful treatment, or null. */
  public String harmfulVariant() {
    return harm.isEmpty() ? null : harm.get(0).variantId();
  }

  public boolean allChecksPass() {
    return checks.stream().allMatch(Check::pass);
  }

  public List<Check> failedChecks() {
    return checks.stream().filter(c -> !c.pass()).toList();
  }

  public Check check(CheckName name) {
    return checks.stream().filter(c -> c.name() == name).findFirst().orElseThrow();
  }

  /** The decision's fields of the results object, in their documented order. */
  public Map<String, Object> toJson() {
    var m = new LinkedHashMap<String, Object>();
    m.put("decision", kind.wire());
    m.put("winner", winner);
    m.put("harmful_variant", harmfulVariant());
    m.put("harm", harm.stream().map(Harm::toJson).toList());
    m.put("checks", checks.stream().map(Check::toJson).toList());
    return m;
  }
}
