package io.hireloop.stats.causal;

import org.hipparchus.distribution.continuous.NormalDistribution;

/** Small shared helpers: means, variances, the normal distribution. */
final class Stats {
  static final NormalDistribution NORMAL = new NormalDistribution(0, 1);
  static final double Z975 = NORMAL.inverseCumulativeProbability(0.975);

  private Stats() {}

  static double twoSidedNormalP(double z) {
    if (Double.isNaN(z)) return Double.NaN;
    return 2 * NORMAL.cumulativeProbability(-Math.abs(z));
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) s += x;
    return s / v.length;
  }

  static double variance(double[] v) {
    double m = mean(v), s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return s / (v.length - 1);
  }

  /** Mean outcome of treated minus mean outcome of controls. */
  static double naiveDifference(double[] y, int[] t) {
    double s1 = 0, s0 = 0;
    int n1 = 0, n0 = 0;
    for (int i = 0; i < y.length; i++) {
      if (t[i] == 1) {
        s1 += y[i];
        n1++;
      } else {
        s0 += y[i];
        n0++;
      }
    }
    return s1 / n1 - s0 / n0;
  }

  static int count(int[] t, int value) {
    int c = 0;
    for (int v : t) if (v == value) c++;
    return c;
  }

  static void checkTreatment(int[] t, int n) {
    if (t.length != n) throw new IllegalArgumentException("treatment has " + t.length + " rows, outcome has " + n);
    for (int v : t) if (v != 0 && v != 1) throw new IllegalArgumentException("treatment must be 0 or 1, got " + v);
    if (count(t, 1) == 0) throw new IllegalArgumentException("no treated units (treatment = 1)");
    if (count(t, 0) == 0) throw new IllegalArgumentException("no control units (treatment = 0)");
  }

  /** Rows of x selected by treatment value. */
  static double[][] rows(double[][] x, int[] t, int value) {
    var out = new double[count(t, value)][];
    int k = 0;
    for (int i = 0; i < t.length; i++) if (t[i] == value) out[k++] = x[i];
    return out;
  }

  static double[] values(double[] y, int[] t, int value) {
    var out = new double[count(t, value)];
    int k = 0;
    for (int i = 0; i < t.length; i++) if (t[i] == value) out[k++] = y[i];
    return out;
  }
}
