package io.hireloop.learning.monitoring;

import io.hireloop.stats.ClassificationMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Live quality of each model version on labelled outcomes: per version, the last {@code window} (probability,
 * label) pairs in arrival order, and the rolling AUC, 10-bin ECE and log loss over them. Not thread-safe (one owner,
 * the monitor actor). Metrics are computed when asked: O(window · log window) per call.
 */
public final class LiveMetrics {
  public static final int ECE_BINS = 10;

  /**
   * Figures over the pairs in the window. {@code labelled}: pairs in the window; {@code total}: every pair ever
   * added for the version. {@code auc} is NaN while the window holds one class only; all three are NaN when empty.
   */
  public record Snapshot(int version, int labelled, long total, double positiveRate, double auc, double ece, double logLoss) {}

  private final int window;
  private final TreeMap<Integer, Ring> byVersion = new TreeMap<>();

  public LiveMetrics(int window) {
    if (window < 1) throw new IllegalArgumentException("window must be >= 1, was " + window);
    this.window = window;
  }

  public int window() {
    return window;
  }

  public void add(int version, double probability, boolean label) {
    if (!(probability >= 0 && probability <= 1)) throw new IllegalArgumentException("probability must be in [0, 1], was " + probability);
    byVersion.computeIfAbsent(version, v -> new Ring(window)).add(probability, label);
  }

  public Snapshot metrics(int version) {
    var ring = byVersion.get(version);
    if (ring == null) return new Snapshot(version, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    return ring.snapshot(version);
  }

  /** Every version seen, oldest version first. */
  public List<Snapshot> all() {
    var out = new ArrayList<Snapshot>();
    for (var e : byVersion.entrySet()) out.add(e.getValue().snapshot(e.getKey()));
    return out;
  }

  private static final class Ring {
    final double[] p;
    final int[] y;
    int next;
    int size;
    long total;

    Ring(int capacity) {
      p = new double[capacity];
      y = new int[capacity];
    }

    void add(double probability, boolean label) {
      p[next] = probability;
      y[next] = label ? 1 : 0;
      next = (next + 1) % p.length;
      size = Math.min(size + 1, p.length);
      total++;
    }

    Snapshot snapshot(int version) {
      if (size == 0) return new Snapshot(version, 0, total, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      var ps = java.util.Arrays.copyOf(p, size);
      var ys = java.util.Arrays.copyOf(y, size);
      int positives = 0;
      for (int v : ys) positives += v;
      double auc = positives == 0 || positives == size ? Double.NaN : ClassificationMetrics.auc(ps, ys);
      return new Snapshot(version, size, total, (double) positives / size, auc,
          ClassificationMetrics.expectedCalibrationError(ps, ys, ECE_BINS), ClassificationMetrics.logLoss(ps, ys));
    }
  }
}
