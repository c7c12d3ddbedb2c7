package io.hireloop.learning.ensemble;

import io.hireloop.stats.Calibration;
import java.util.Arrays;

/**
 * Maps the blended logit to a calibrated probability: Platt scaling when the calibration rows are few
 * (two parameters cannot overfit), isotonic regression when there are at least {@link #ISOTONIC_MIN_ROWS}
 * (no shape assumed). The isotonic steps are joined linearly between block midpoints so that distinct
 * scores keep distinct probabilities and the ranking (AUC) survives calibration.
 *
 * @param method {@code platt} or {@code isotonic}
 * @param a, b Platt's {@code σ(a·z + b)}; unused for isotonic
 * @param knots, values the isotonic curve's points (ascending logits and their probabilities); empty for Platt
 */
public record Calibrator(String method, double a, double b, double[] knots, double[] values) {
  public static final int ISOTONIC_MIN_ROWS = 2_000;
  static final double FLOOR = 1e-4;

  public static Calibrator fit(double[] logits, int[] labels) {
    if (logits.length < ISOTONIC_MIN_ROWS) {
      var platt = Calibration.platt(logits, labels);
      return new Calibrator("platt", platt.a(), platt.b(), new double[0], new double[0]);
    }
    var iso = Calibration.isotonic(logits, labels);
    int m = iso.value().length;
    var knots = new double[m];
    for (int k = 0; k < m; k++) knots[k] = (iso.lower()[k] + iso.upper()[k]) / 2;
    return new Calibrator("isotonic", 0, 0, knots, iso.value().clone());
  }

  public double apply(double logit) {
    double p;
    if (method.equals("platt")) {
      double z = a * logit + b;
      p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    } else if (knots.length == 1 || logit <= knots[0]) {
      p = values[0];
    } else if (logit >= knots[knots.length - 1]) {
      p = values[values.length - 1];
    } else {
      int i = Arrays.binarySearch(knots, logit);
      if (i >= 0) {
        p = values[i];
      } else {
        int hi = -i - 1;
        int lo = hi - 1;
        double t = (logit - knots[lo]) / (knots[hi] - knots[lo]);
        p = values[lo] + t * (values[hi] - values[lo]);
      }
    }
    return Math.min(Math.max(p, FLOOR), 1 - FLOOR);
  }
}
