package io.hireloop.learning;

import io.hireloop.journey.Domain.ApplicationContext;
import java.util.List;
import java.util.Locale;

/**
 * Fixed feature vector for the interview-probability model. Stored models depend on this layout
 * (TrainedModel records SIZE and refuses a mismatch), so append new features only, never reorder.
 *
 * <pre>
 *  0      fit_score        fitScore / 100, clamped to [0, 1]
 *  1      resume_score     resumeScore / 100, clamped to [0, 1]
 *  2      tailoring        1 if tailoring was applied, else 0
 *  3..5   category_*       one-hot reach | target | safety (all zero if unknown)
 *  6..10  seniority_*      one-hot junior | mid | senior | lead | other
 * 11..14  strategy_*       one-hot aggressive | balanced | conservative | other
 * </pre>
 *
 * Strings are matched after trimming and lower-casing; null or unknown values go to "other" (or, for
 * the category, to all zeros), so scoring never fails on a new label.
 */
public final class InterviewFeatures {
  private InterviewFeatures() {}

  private static final List<String> CATEGORIES = List.of("reach", "target", "safety");
  private static final List<String> SENIORITIES = List.of("junior", "mid", "senior", "lead");
  private static final List<String> STRATEGIES = List.of("aggressive", "balanced", "conservative");

  private static final int CATEGORY_AT = 3;
  private static final int SENIORITY_AT = CATEGORY_AT + CATEGORIES.size();
  private static final int STRATEGY_AT = SENIORITY_AT + SENIORITIES.size() + 1;

  public static final int SIZE = STRATEGY_AT + STRATEGIES.size() + 1;

  private static final List<String> NAMES = List.of(
      "fit_score", "resume_score", "tailoring",
      "category_reach", "category_target", "category_safety",
      "seniority_junior", "seniority_mid", "seniority_senior", "seniority_lead", "seniority_other",
      "strategy_aggressive", "strategy_balanced", "strategy_conservative", "strategy_other");

  static {
    if (NAMES.size() != SIZE) throw new AssertionError("feature names out of step with layout");
  }

  public static List<String> names() {
    return NAMES;
  }

  public static double[] of(ApplicationContext c) {
    double[] x = new double[SIZE];
    x[0] = unit(c.fitScore());
    x[1] = unit(c.resumeScore());
    x[2] = c.tailoringApplied() ? 1 : 0;
    int category = CATEGORIES.indexOf(norm(c.category()));
    if (category >= 0) x[CATEGORY_AT + category] = 1;
    String seniority = c.jobCharacteristics() == null ? null : c.jobCharacteristics().seniority();
    x[SENIORITY_AT + indexOrOther(SENIORITIES, seniority)] = 1;
    x[STRATEGY_AT + indexOrOther(STRATEGIES, c.strategyMode())] = 1;
    return x;
  }

  /** The network runs in float32; kept here so that training and scoring convert the same way. */
  static float[] asFloats(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
    return f;
  }

  /** Scores outside 0–100 are data errors; clamping keeps the network's inputs in the range it was trained on. */
  private static double unit(double score) {
    if (Double.isNaN(score)) return 0;
    return Math.min(Math.max(score / 100.0, 0.0), 1.0);
  }

  private static int indexOrOther(List<String> known, String value) {
    int i = known.indexOf(norm(value));
    return i >= 0 ? i : known.size();
  }

  private static String norm(String s) {
    return s == null ? "" : s.trim().toLowerCase(Locale.ROOT); // List.of(..).indexOf(null) throws
  }
}
