package io.hireloop.stats.causal;

import java.util.ArrayList;
import java.util.List;

/**
 * Covariate balance as standardised mean differences, SMD = (m₁ − m₀)/√((s₁² + s₀²)/2).
 *
 * <p>Before: unweighted means and variances of the full sample. After: weighted means of the matched or
 * weighted sample over the <em>same</em> denominator as before (the pre-adjustment pooled SD, the MatchIt/cobalt
 * convention), so that the change reflects the means moving, not the spread shrinking.
 */
public final class Balance {
  private Balance() {}

  /** SMD of one covariate, optionally weighted (null weights = unweighted). */
  public static double smd(double[] x, int[] t, double[] weights, double denominator) {
    double s1 = 0, w1 = 0, s0 = 0, w0 = 0;
    for (int i = 0; i < x.length; i++) {
      double w = weights == null ? 1 : weights[i];
      if (t[i] == 1) {
        s1 += w * x[i];
        w1 += w;
      } else {
        s0 += w * x[i];
        w0 += w;
      }
    }
    if (w1 == 0 || w0 == 0) return Double.NaN;
    double diff = s1 / w1 - s0 / w0;
    if (denominator == 0) return diff == 0 ? 0 : Double.POSITIVE_INFINITY;
    return diff / denominator;
  }

  /** √((s₁² + s₀²)/2) of the unweighted sample. */
  public static double pooledSd(double[] x, int[] t) {
    return Math.sqrt((Stats.variance(Stats.values(x, t, 1)) + Stats.variance(Stats.values(x, t, 0))) / 2);
  }

  /** Balance rows for every covariate: before (unweighted) and after (with the given weights). */
  public static List<BalanceRow> table(List<String> names, double[][] x, int[] t, double[] weightsAfter) {
    var rows = new ArrayList<BalanceRow>();
    for (int j = 0; j < names.size(); j++) {
      var col = new double[t.length];
      for (int i = 0; i < t.length; i++) col[i] = x[i][j];
      double den = pooledSd(col, t);
      rows.add(new BalanceRow(names.get(j), smd(col, t, null, den), smd(col, t, weightsAfter, den)));
    }
    return rows;
  }
}
