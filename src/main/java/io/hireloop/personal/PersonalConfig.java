package io.hireloop.personal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's learned settings ({@code GET /api/v1/users/{id}/config}): every setting with its value, the global value it
 * falls back to, where the value came from and the evidence behind it. Computed by {@link PersonalConfigRule}; renders
 * its own JSON (docs/API.md), the document of the endpoint and of {@code config:user:{id}} pushes.
 */
public record PersonalConfig(String userId, long asOfSeqNr, Instant computedAt, List<Setting> settings) {

  /** Where a setting's value comes from. */
  public enum Source {
    /** The user's own evidence cleared the minimum sample size; the value is shrunk toward the global one. */
    PERSONAL,
    /** Too little evidence: the global value. */
    GLOBAL;

    public String wire() {
      return name().toLowerCase();
    }
  }

  /** A setting's value: one number, or a reach/target/safety mix summing to 1. */
  public sealed interface Value {
    Object toJson();
  }

  public record Scalar(double value) implements Value {
    public Object toJson() {
      return value;
    }
  }

  public record Mix(double reach, double target, double safety) implements Value {
    static Mix of(double[] v) {
      return new Mix(v[0], v[1], v[2]);
    }

    public double[] toArray() {
      return new double[] {reach, target, safety};
    }

    public Object toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("reach", reach);
      m.put("target", target);
      m.put("safety", safety);
      return m;
    }
  }

  /**
   * What a setting rests on. {@code data}: which of the user's data; {@code method}: how the estimate is made;
   * {@code estimate}: the user's own estimate before shrinkage (null without data); {@code ciLow}/{@code ciHigh}: its
   * ~95 % interval where one is defined; {@code posterior}: per-group posteriors where the estimate is built from them.
   */
  public record Evidence(String data, String method, Value estimate, Double ciLow, Double ciHigh, List<Posterior> posterior) {
    Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("data", data);
      m.put("method", method);
      m.put("estimate", estimate == null ? null : estimate.toJson());
      m.put("ci_low", ciLow);
      m.put("ci_high", ciHigh);
      if (posterior != null && !posterior.isEmpty()) m.put("posterior", posterior.stream().map(Posterior::toJson).toList());
      return m;
    }
  }

  /** A Beta posterior of one group's interview rate: {@code interviews} of {@code applications}, Beta(alpha, beta). */
  public record Posterior(String group, int applications, int interviews, double alpha, double beta) {
    public double mean() {
      return alpha / (alpha + beta);
    }

    Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("group", group);
      m.put("applications", applications);
      m.put("interviews", interviews);
      m.put("alpha", alpha);
      m.put("beta", beta);
      m.put("mean", mean());
      return m;
    }
  }

  /**
   * One setting. {@code appliesTo}: the global key it personalises ("job_discovery.min_fit_score_to_apply",
   * "ranking.diversity_lambda"); {@code sampleUnit}: what {@code sampleSize} counts; {@code priorStrength}: k, in that unit; {@code weight}: the user's estimate's
   * share n / (n + k) (0 when global).
   */
  public record Setting(String name, String appliesTo, Value value, Value globalValue, Source source, int sampleSize,
      int minSampleSize, String sampleUnit, double priorStrength, double weight, Evidence evidence) {

    /** What a change is judged by: a push goes out when a value or a source changes, not the evidence alone. */
    String fingerprint() {
      return name + "=" + value + "/" + source;
    }

    Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("name", name);
      m.put("applies_to", appliesTo);
      m.put("value", value.toJson());
      m.put("global_value", globalValue.toJson());
      m.put("source", source.wire());
      m.put("sample_size", sampleSize);
      m.put("min_sample_size", minSampleSize);
      m.put("sample_unit", sampleUnit);
      m.put("prior_strength", priorStrength);
      m.put("weight", weight);
      m.put("evidence", evidence.toJson());
      return m;
    }
  }

  public Setting setting(String name) {
    return settings.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  public double scalar(String name) {
    return ((Scalar) setting(name).value()).value();
  }

  /** The settings' values and sources, what a push is decided by. */
  public String fingerprint() {
    var sb = new StringBuilder();
    for (var s : settings) sb.append(s.fingerprint()).append(';');
    return sb.toString();
  }

  /** The document of {@code GET /api/v1/users/{id}/config} (docs/API.md). */
  public Map<String, Object> toJson() {
    var m = new LinkedHashMap<String, Object>();
    m.put("user_id", userId);
    m.put("as_of_seq_nr", asOfSeqNr);
    m.put("computed_at", computedAt.toString());
    m.put("rule", "value = global + n/(n+k)·(estimate − global) when sample_size ≥ min_sample_size, else global; k = prior_strength");
    m.put("personalized", settings.stream().filter(s -> s.source() == Source.PERSONAL).map(Setting::name).toList());
    m.put("settings", settings.stream().map(Setting::toJson).toList());
    return m;
  }
}
