package io.hireloop.experiment;

import java.util.Locale;

/** The decision of record on an experiment's results ({@link Decision} gives the rules); the JSON value is {@link #wire}. */
public enum DecisionKind {
  /** Every check of record passed: roll the best treatment out. */
  ROLL_OUT_WINNER,
  /** A treatment is significantly worse on the success metric or breached a guardrail. */
  STOP_FOR_HARM,
  /** A sample-ratio mismatch, or fewer eligible users than the minimum sample size. */
  CONTINUE_TEST,
  /** Enough users, no harm, but some check of record failed. */
  NO_SIGNIFICANT_DIFFERENCE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
