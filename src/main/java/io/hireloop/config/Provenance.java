package io.hireloop.config;

import java.util.Locale;

/**
 * What produced a config version. Persisted inside {@link ConfigChannel.Version} (Kryo writes the ordinal): append
 * constants only, never reorder.
 */
public enum Provenance {
  /** Version 0: {@code hireloop.configs.defaults}. */
  DEFAULTS,
  /** Applied by the rules of a recommendation (strong evidence, low risk), with no person in between. */
  LEARNING,
  /** Written by an experiment's rollout stage. */
  EXPERIMENT,
  /** A recommendation an admin approved. */
  APPROVAL,
  /** The values of an earlier version, written again (an admin, an experiment rollback or the model monitor). */
  ROLLBACK,
  /** Set by an operator outside the learning loop (versions of earlier releases whose origin was not recorded). */
  MANUAL;

  /** The JSON name: {@code learning}, {@code approval}, ... */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The older {@code optimized_by} field of the config document: {@code learning} for learned values (applied by
   * rules or approved), {@code manual} for the defaults and operators' values, else the provenance itself.
   */
  public String optimizedBy() {
    return switch (this) {
      case DEFAULTS, MANUAL -> "manual";
      case LEARNING, APPROVAL -> "learning";
      case EXPERIMENT -> "experiment";
      case ROLLBACK -> "rollback";
    };
  }

  /** The provenance of a version written before provenance was recorded, from its {@code optimized_by}. */
  static Provenance ofOptimizedBy(String optimizedBy) {
    return switch (optimizedBy == null ? "manual" : optimizedBy) {
      case "learning" -> LEARNING;
      case "experiment" -> EXPERIMENT;
      case "rollback" -> ROLLBACK;
      default -> MANUAL;
    };
  }
}
