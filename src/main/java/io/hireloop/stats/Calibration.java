package io.hireloop.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Post-hoc calibration of binary classifier scores: Platt scaling and isotonic regression, plus a
 * calibration report (ECE, Brier, reliability bins) built on {@link ClassificationMetrics}.
 */
public final class Calibration {
  private Calibration() {}

  /** A fitted Platt map p = 1 / (1 + exp(−(a·s + b))). */
  public record Platt(double a, double b) {
    public double apply(double score) {
      double z = a * score + b;
      return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    public double[] apply(double[] scores) {
      double[] out = new double[scores.length];
      for (int i = 0; i < scores.length; i++) out[i] = apply(scores[i]);
      return out;
    }
  }

  /**
   * Platt scaling (Platt 1999): fits a, b of sigmoid(a·s + b) by Newton's method (IRLS) on the binomial
   * log-likelihood. As in Platt's paper the 0/1 targets are smoothed to (N+ + 1)/(N+ + 2) and
   * 1/(N− + 2), which keeps the fit finite on separable data. Scores can be any finite numbers
   * (margins, logits or probabilities).
   */
  public static Platt platt(double[] scores, int[] labels) {
    checkScores(scores, labels);
    int n = scores.length;
    int pos = 0;
    for (int y : labels) pos += y;
    int neg = n - pos;
    double hi = (pos + 1.0) / (pos + 2.0);
    double lo = 1.0 / (neg + 2.0);
    double a = 0;
    double b = Math.log((pos + 1.0) / (neg + 1.0));
    double previous = Double.POSITIVE_INFINITY;
    for (int iter = 0; iter < 100; iter++) {
      double g0 = 0, g1 = 0, h00 = 1e-12, h01 = 0, h11 = 1e-12, loss = 0;
      for (int i = 0; i < n; i++) {
        double t = labels[i] == 1 ? hi : lo;
        double p = new Platt(a, b).apply(scores[i]);
        double d = p - t;
        double w = p * (1 - p);
        g0 += d * scores[i];
        g1 += d;
        h00 += w * scores[i] * scores[i];
        h01 += w * scores[i];
        h11 += w;
        double q = Math.min(Math.max(p, 1e-15), 1 - 1e-15);
        loss -= t * Math.log(q) + (1 - t) * Math.log1p(-q);
      }
      double det = h00 * h11 - h01 * h01;
      if (!(Math.abs(det) > 0)) break;
      double da = (h11 * g0 - h01 * g1) / det;
      double db = (h00 * g1 - h01 * g0) / det;
      // backtracking: halve the Newton step until the loss does not increase
      double step = 1;
      double na = a - da, nb = b - db;
      while (step > 1e-10 && loss(scores, labels, na, nb, hi, lo) > loss + 1e-12) {
        step /= 2;
        na = a - step * da;
        nb = b - step * db;
      }
      a = na;
      b = nb;
      if (Math.abs(da) + Math.abs(db) < 1e-10 || Math.abs(previous - loss) < 1e-14 * Math.max(1, loss)) break;
      previous = loss;
    }
    return new Platt(a, b);
  }

  private static double loss(double[] s, int[] y, double a, double b, double hi, double lo) {
    var m = new Platt(a, b);
    double loss = 0;
    for (int i = 0; i < s.length; i++) {
      double t = y[i] == 1 ? hi : lo;
      double q = Math.min(Math.max(m.apply(s[i]), 1e-15), 1 - 1e-15);
      loss -= t * Math.log(q) + (1 - t) * Math.log1p(-q);
    }
    return loss;
  }

  /**
   * A fitted isotonic (non-decreasing) step function. Block k covers scores from {@code lower[k]} to
   * {@code upper[k]} and maps them to {@code value[k]}; a score between two blocks takes the value of the
   * block below it, a score below the first block the first value, above the last the last value.
   */
  public record Isotonic(double[] lower, double[] upper, double[] value) {
    public double apply(double score) {
      int idx = Arrays.binarySearch(lower, score);
      int k = idx >= 0 ? idx : -idx - 2; // last block whose lower bound is <= score
      if (k < 0) k = 0;
      return value[k];
    }

    public double[] apply(double[] scores) {
      double[] out = new double[scores.length];
      for (int i = 0; i < scores.length; i++) out[i] = apply(scores[i]);
      return out;
    }
  }

  /**
   * Isotonic regression of the labels on the scores by pool-adjacent-violators (Ayer et al. 1955): sort
   * by score (equal scores are pooled first), then merge adjacent blocks while their means decrease. The
   * result minimises the squared error among non-decreasing functions of the score.
   */
  public static Isotonic isotonic(double[] scores, int[] labels) {
    checkScores(scores, labels);
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, (i, j) -> Double.compare(scores[i], scores[j]));
    // blocks as a stack: lower, upper, sum of labels, weight
    double[] lo = new double[n], up = new double[n], sum = new double[n], wt = new double[n];
    int top = -1;
    for (int k = 0; k < n; ) {
      int i = order[k];
      double s = scores[i];
      double ys = 0;
      int w = 0;
      while (k < n && scores[order[k]] == s) {
        ys += labels[order[k]];
        w++;
        k++;
      }
      top++;
      lo[top] = s;
      up[top] = s;
      sum[top] = ys;
      wt[top] = w;
      while (top > 0 && sum[top - 1] / wt[top - 1] >= sum[top] / wt[top]) {
        sum[top - 1] += sum[top];
        wt[top - 1] += wt[top];
        up[top - 1] = up[top];
        top--;
      }
    }
    int m = top + 1;
    double[] value = new double[m];
    for (int k = 0; k < m; k++) value[k] = sum[k] / wt[k];
    return new Isotonic(Arrays.copyOf(lo, m), Arrays.copyOf(up, m), value);
  }

  /** A calibration report: ECE and Brier over the given equal-width bins, and the bins themselves. */
  public record Report(double ece, double brier, List<ClassificationMetrics.ReliabilityBin> bins) {}

  public static Report report(double[] probabilities, int[] labels, int bins) {
    return new Report(
        ClassificationMetrics.expectedCalibrationError(probabilities, labels, bins),
        ClassificationMetrics.brier(probabilities, labels),
        new ArrayList<>(ClassificationMetrics.reliabilityBins(probabilities, labels, bins)));
  }

  private static void checkScores(double[] s, int[] y) {
    if (s == null || y == null) throw new IllegalArgumentException("scores and labels must not be null");
    if (s.length != y.length) throw new IllegalArgumentException("length mismatch: " + s.length + " scores, " + y.length + " labels");
    if (s.length == 0) throw new IllegalArgumentException("empty input");
    for (int i = 0; i < s.length; i++) {
      if (!Double.isFinite(s[i])) throw new IllegalArgumentException("score at " + i + " is " + s[i]);
      if (y[i] != 0 && y[i] != 1) throw new IllegalArgumentException("label at " + i + " is " + y[i] + ", expected 0 or 1");
    }
  }
}
