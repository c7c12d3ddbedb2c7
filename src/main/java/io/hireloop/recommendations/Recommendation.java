package io.hireloop.recommendations;

import io.hireloop.platform.Json;
import io.hireloop.platform.serialization.HireloopSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One recommendation as it stands: the evidence, the expected impact, the config change it implies, its risk, the
 * route the rules chose and where it is now. The types below are persisted (inside {@link RecommendationBook}'s
 * events and state): records are frozen once released, enums append-only.
 *
 * <p>{@code history}: every status it went through, oldest first, with who and why. {@code blockedBy}: the running
 * experiment a change waits for ({@link Status#WAITING_FOR_EXPERIMENT}). {@code configVersion}: the version written
 * when applied. {@code experimentId}: the draft experiment of an {@code a_b_test} route.
 */
public record Recommendation(String id, String dedupKey, Kind kind, String title, Evidence evidence, Impact impact, ConfigChange change,
    Risk risk, Route route, List<String> routeReasons, Status status, String blockedBy, Integer configVersion, String experimentId,
    String decidedBy, String decisionReason, Instant createdAt, List<Step> history) implements HireloopSerializable {

  /** What the finding is about. */
  public enum Kind {
    /** A config derived from a trained model (e.g. job_discovery's fit threshold from the interview champion). */
    MODEL_CONFIG,
    /** A causal effect estimated over the journal (attribution of edits, strategy, ...). */
    CAUSAL_EFFECT,
    /** When users apply (weekday, hour). */
    TIMING,
    /** How well predictions match outcomes. */
    CALIBRATION;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum CausalConfidence {
    HIGH, MEDIUM, LOW;

    public String wire() {
      return name();
    }
  }

  public enum Risk {
    LOW, MEDIUM, HIGH;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Decided by {@link RoutingRules} when the recommendation is submitted. */
  public enum Route {
    AUTO_APPLY, A_B_TEST, MANUAL_REVIEW;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * {@code PENDING_REVIEW} → (approve) {@code APPROVED} | (reject) {@code REJECTED}; {@code APPROVED} (also an
   * {@code auto_apply} at submission) → {@code APPLIED}, or {@code WAITING_FOR_EXPERIMENT} while a running
   * experiment owns one of its keys (back to {@code APPROVED} and applied when it ends); {@code TO_TEST} (an
   * {@code a_b_test} at submission) → {@code EXPERIMENT_CREATED} (a draft experiment exists) or {@code FAILED}.
   */
  public enum Status {
    PENDING_REVIEW, APPROVED, WAITING_FOR_EXPERIMENT, APPLIED, TO_TEST, EXPERIMENT_CREATED, REJECTED, FAILED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The status of a JSON name ({@code pending_review}, ...), or null. */
    public static Status ofWire(String name) {
      for (var s : values()) if (s.wire().equals(name)) return s;
      return null;
    }

    public static List<String> wireNames() {
      return java.util.Arrays.stream(values()).map(Status::wire).toList();
    }
  }

  /**
   * What the recommendation rests on. {@code source}: where it comes from ("attribution run 2026-12-06T10:00Z",
   * "interview model v3"); {@code method}: the estimator or model ("ipw_att", "ensemble"). For a causal finding:
   * {@code estimate} (e.g. the effect on the log-odds), its {@code stdError} and interval, {@code sampleSize},
   * {@code causalConfidence} and {@code confounded} (a refuter or the balance check failed). For a model:
   * {@code model} with its metrics. Absent figures are null.
   */
  public record Evidence(String source, String method, Double estimate, Double stdError, Double ciLow, Double ciHigh, Long sampleSize,
      CausalConfidence causalConfidence, boolean confounded, ModelEvidence model) implements HireloopSerializable {

    /** The interval excludes zero. */
    public boolean significant() {
      return ciLow != null && ciHigh != null && (ciLow > 0 || ciHigh < 0);
    }

    /** The confidence recorded with an applied config version: the model's, else by causal confidence. */
    public double confidence() {
      if (model != null) return model.confidence();
      if (confounded || causalConfidence == null) return 0.3;
      return switch (causalConfidence) {
        case HIGH -> 0.9;
        case MEDIUM -> 0.6;
        case LOW -> 0.3;
      };
    }
  }

  /**
   * A model's evidence: its holdout metrics and {@code confidence}
   * ({@link io.hireloop.learning.JobDiscoveryConfigDeriver#confidence}: discrimination × sample size).
   */
  public record ModelEvidence(String model, int version, double auc, double ece, long trainRows, double confidence)
      implements HireloopSerializable {}

  /** The expected relative change of {@code metric} (0.10 = +10 %) with its interval {@code [low, high]}. */
  public record Impact(String metric, double expected, double low, double high) implements HireloopSerializable {}

  /** The values the recommendation would set on {@code component} (merged over its current values). */
  public record ConfigChange(String component, String valuesJson) implements HireloopSerializable {
    /** The keys it changes, sorted. */
    public Set<String> keys() {
      var keys = new TreeSet<String>();
      for (Iterator<String> it = Json.read(valuesJson).fieldNames(); it.hasNext(); ) keys.add(it.next());
      return keys;
    }
  }

  /** One line of the audit history. */
  public record Step(Status status, String by, String reason, Instant at) implements HireloopSerializable {}

  Recommendation with(Status newStatus, String by, String reason, Instant at) {
    var h = new ArrayList<>(history);
    h.add(new Step(newStatus, by, reason, at));
    return new Recommendation(id, dedupKey, kind, title, evidence, impact, change, risk, route, routeReasons, newStatus, blockedBy,
        configVersion, experimentId, decidedBy, decisionReason, createdAt, List.copyOf(h));
  }

  Recommendation decided(String by, String reason) {
    return new Recommendation(id, dedupKey, kind, title, evidence, impact, change, risk, route, routeReasons, status, blockedBy,
        configVersion, experimentId, by, reason, createdAt, history);
  }

  Recommendation blockedBy(String experiment) {
    return new Recommendation(id, dedupKey, kind, title, evidence, impact, change, risk, route, routeReasons, status, experiment,
        configVersion, experimentId, decidedBy, decisionReason, createdAt, history);
  }

  Recommendation applied(int version) {
    return new Recommendation(id, dedupKey, kind, title, evidence, impact, change, risk, route, routeReasons, status, null,
        version, experimentId, decidedBy, decisionReason, createdAt, history);
  }

  Recommendation drafted(String experiment) {
    return new Recommendation(id, dedupKey, kind, title, evidence, impact, change, risk, route, routeReasons, status, blockedBy,
        configVersion, experiment, decidedBy, decisionReason, createdAt, history);
  }
}
