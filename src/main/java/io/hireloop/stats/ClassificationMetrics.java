package io.hireloop.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Metrics for binary probabilistic classifiers. Pure Java so that they can be checked by hand against
 * reference values and reused by every trainer and monitor.
 *
 * <p>Labels come as {@code int[]} (0/1) or {@code boolean[]}. Probabilities must be finite and in [0, 1];
 * {@link #auc} only needs finite scores because it depends on their order alone.
 */
public final class ClassificationMetrics {
  private ClassificationMetrics() {}

  /** Clipping bound for log loss, so that one confident mistake costs ~34.5 instead of infinity. */
  public static final double EPS = 1e-15;

  /** One equal-width calibration bin [lower, upper); the last bin also holds p = 1. */
  public record ReliabilityBin(double lower, double upper, int count, double meanPredicted, double observedRate) {}

  /**
   * Area under the ROC curve via the Mann–Whitney U statistic: rank all scores (tied scores get the
   * average of their ranks), then AUC = (sum of positive ranks − n1(n1+1)/2) / (n1·n0). A tie between a
   * positive and a negative therefore counts one half, as in the pairwise definition.
   *
   * @throws IllegalArgumentException if the lengths differ, the input is empty or only one class is present
   */
  public static double auc(double[] scores, int[] labels) {
    check(scores, labels, false);
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));

    double positiveRankSum = 0;
    long positives = 0;
    for (int start = 0; start < n; ) {
      int end = start;
      while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) end++;
      double averageRank = (start + end) / 2.0 + 1.0; // ranks are 1-based
      for (int k = start; k <= end; k++) {
        if (labels[order[k]] == 1) {
          positiveRankSum += averageRank;
          positives++;
        }
      }
      start = end + 1;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException("AUC is undefined with a single class (" + positives + " positives, "
          + negatives + " negatives)");
    }
    double u = positiveRankSum - positives * (positives + 1) / 2.0;
    return u / ((double) positives * negatives);
  }

  public static double auc(double[] scores, boolean[] labels) {
    return auc(scores, toInt(labels));
  }

  /** Mean negative log-likelihood (natural log); p is clipped to [1e-15, 1 − 1e-15]. */
  public static double logLoss(double[] p, int[] y) {
    check(p, y, true);
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      double q = Math.min(Math.max(p[i], EPS), 1 - EPS);
      sum -= y[i] == 1 ? Math.log(q) : Math.log1p(-q);
    }
    return sum / p.length;
  }

  public static double logLoss(double[] p, boolean[] y) {
    return logLoss(p, toInt(y));
  }

  /** Mean squared difference between probability and outcome. */
  public static double brier(double[] p, int[] y) {
    check(p, y, true);
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      double d = p[i] - y[i];
      sum += d * d;
    }
    return sum / p.length;
  }

  public static double brier(double[] p, boolean[] y) {
    return brier(p, toInt(y));
  }

  /** ECE with 10 equal-width bins. */
  public static double expectedCalibrationError(double[] p, int[] y) {
    return expectedCalibrationError(p, y, 10);
  }

  /**
   * Expected calibration error: Σ over non-empty bins of (count / n) · |mean p − observed rate|, with
   * equal-width bins over [0, 1].
   */
  public static double expectedCalibrationError(double[] p, int[] y, int bins) {
    double ece = 0;
    for (ReliabilityBin b : reliabilityBins(p, y, bins)) {
      if (b.count() > 0) ece += (double) b.count() / p.length * Math.abs(b.meanPredicted() - b.observedRate());
    }
    return ece;
  }

  public static double expectedCalibrationError(double[] p, boolean[] y, int bins) {
    return expectedCalibrationError(p, toInt(y), bins);
  }

  /**
   * All {@code bins} equal-width bins in order, empty ones included (count 0, means NaN) so that the list
   * has a fixed shape for plotting. Bin k holds p in [k/bins, (k+1)/bins); p = 1 goes to the last bin.
   */
  public static List<ReliabilityBin> reliabilityBins(double[] p, int[] y, int bins) {
    check(p, y, true);
    if (bins < 1) throw new IllegalArgumentException("bins must be >= 1, was " + bins);
    int[] count = new int[bins];
    double[] sumP = new double[bins];
    double[] sumY = new double[bins];
    for (int i = 0; i < p.length; i++) {
      int b = Math.min((int) (p[i] * bins), bins - 1);
      count[b]++;
      sumP[b] += p[i];
      sumY[b] += y[i];
    }
    List<ReliabilityBin> out = new ArrayList<>(bins);
    for (int b = 0; b < bins; b++) {
      double mp = count[b] == 0 ? Double.NaN : sumP[b] / count[b];
      double my = count[b] == 0 ? Double.NaN : sumY[b] / count[b];
      out.add(new ReliabilityBin((double) b / bins, (double) (b + 1) / bins, count[b], mp, my));
    }
    return Collections.unmodifiableList(out);
  }

  public static List<ReliabilityBin> reliabilityBins(double[] p, boolean[] y, int bins) {
    return reliabilityBins(p, toInt(y), bins);
  }

  private static void check(double[] p, int[] y, boolean probabilities) {
    if (p == null || y == null) throw new IllegalArgumentException("predictions and labels must not be null");
    if (p.length != y.length) {
      throw new IllegalArgumentException("length mismatch: " + p.length + " predictions, " + y.length + " labels");
    }
    if (p.length == 0) throw new IllegalArgumentException("empty input");
    for (int i = 0; i < p.length; i++) {
      if (y[i] != 0 && y[i] != 1) throw new IllegalArgumentException("label at " + i + " is " + y[i] + ", expected 0 or 1");
      if (!Double.isFinite(p[i])) throw new IllegalArgumentException("prediction at " + i + " is " + p[i]);
      if (probabilities && (p[i] < 0 || p[i] > 1)) {
        throw new IllegalArgumentException("probability at " + i + " is " + p[i] + ", outside [0, 1]");
      }
    }
  }

  private static int[] toInt(boolean[] labels) {
    if (labels == null) throw new IllegalArgumentException("labels must not be null");
    int[] out = new int[labels.length];
    for (int i = 0; i < labels.length; i++) out[i] = labels[i] ? 1 : 0;
    return out;
  }
}
