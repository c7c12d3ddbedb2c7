package io.hireloop.experiment;

import io.hireloop.experiment.Experiment.Spec;
import io.hireloop.stats.Power;
import java.util.ArrayList;
import java.util.List;

/** The checks an experiment must pass before it may start; each failure is one reason in plain words. */
public final class Ethics {
  private Ethics() {}

  /** A treatment may cut job recommendations by at most this share. */
  public static final double MAX_RECOMMENDATION_CUT = 0.20;
  /** A treatment may raise user effort by at most this share. */
  public static final double MAX_EFFORT_RAISE = 0.50;
  /** Smallest expected relative benefit worth exposing users to an experiment. */
  public static final double MIN_EXPECTED_IMPROVEMENT = 0.05;
  public static final double ALPHA = 0.05;
  public static final double POWER = 0.80;

  public static List<String> check(Spec spec) {
    var problems = new ArrayList<String>();
    if (spec.variants().size() < 2 || spec.control() == null) {
      problems.add("no variants: an experiment needs a control and at least one treatment");
    }
    for (var v : spec.variants()) {
      if (v.variantId().equals("control")) continue;
      if (v.jobRecommendationsChange() != null && v.jobRecommendationsChange() < -MAX_RECOMMENDATION_CUT) {
        problems.add("harm: variant " + v.variantId() + " cuts job recommendations by " + pct(-v.jobRecommendationsChange())
            + " (at most " + pct(MAX_RECOMMENDATION_CUT) + ")");
      }
      if (v.userEffortChange() != null && v.userEffortChange() > MAX_EFFORT_RAISE) {
        problems.add("harm: variant " + v.variantId() + " raises user effort by " + pct(v.userEffortChange())
            + " (at most " + pct(MAX_EFFORT_RAISE) + ")");
      }
    }
    if (spec.control() == null) {
      problems.add("opt-out not honoured: users who opted out of experiments get the control, and there is no variant 'control'");
    }
    if (spec.rollbackPlan() == null || spec.rollbackPlan().isBlank()) problems.add("no rollback plan");
    if (!(spec.expectedImprovement() >= MIN_EXPECTED_IMPROVEMENT)) {
      problems.add("expected benefit " + pct(spec.expectedImprovement()) + " is below " + pct(MIN_EXPECTED_IMPROVEMENT));
    } else {
      double mde = spec.baselineRate() * spec.expectedImprovement();
      try {
        long needed = Power.sampleSizeProportions(spec.baselineRate(), mde, ALPHA, POWER);
        if (spec.minimumSampleSize() < needed) {
          problems.add("underpowered: detecting " + pct(spec.expectedImprovement()) + " on a baseline of "
              + spec.baselineRate() + " with power " + POWER + " needs " + needed + " users per variant; minimum_sample_size is "
              + spec.minimumSampleSize());
        }
      } catch (IllegalArgumentException e) {
        problems.add("power check impossible: " + e.getMessage());
      }
    }
    return problems;
  }

  /**
   * Users per variant needed to detect the expected improvement (for the API's information). Throws
   * IllegalArgumentException where no sample size can (an accepted spec may expect a change of -100% or less, or a
   * rate over 1); {@link #check} reports that as a problem instead.
   */
  public static long requiredSampleSize(Spec spec) {
    return Power.sampleSizeProportions(spec.baselineRate(), spec.baselineRate() * spec.expectedImprovement(), ALPHA, POWER);
  }

  private static String pct(double share) {
    return Math.round(share * 1000) / 10.0 + "%";
  }
}
