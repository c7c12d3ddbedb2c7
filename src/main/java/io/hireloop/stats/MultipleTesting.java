package io.hireloop.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Multiple-comparison adjusted p-values, returned in the input order (same definitions as R's
 * {@code p.adjust}): reject hypothesis i at level q when {@code adjusted[i] <= q}.
 */
public final class MultipleTesting {
  private MultipleTesting() {}

  /**
   * Holm step-down (controls the family-wise error rate): with p sorted ascending p_(1) ≤ … ≤ p_(m),
   * adj_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j)).
   */
  public static double[] holm(double[] p) {
    int m = check(p);
    int[] order = order(p);
    double[] adj = new double[m];
    double running = 0;
    for (int r = 0; r < m; r++) {
      running = Math.max(running, Math.min(1, (m - r) * p[order[r]]));
      adj[order[r]] = running;
    }
    return adj;
  }

  /**
   * Benjamini–Hochberg step-up (controls the false discovery rate under independence or positive
   * dependence): adj_(i) = min_{j ≥ i} min(1, m·p_(j)/j).
   */
  public static double[] benjaminiHochberg(double[] p) {
    int m = check(p);
    int[] order = order(p);
    double[] adj = new double[m];
    double running = 1;
    for (int r = m - 1; r >= 0; r--) {
      running = Math.min(running, (double) m * p[order[r]] / (r + 1));
      adj[order[r]] = running;
    }
    return adj;
  }

  private static int check(double[] p) {
    if (p == null || p.length == 0) throw new IllegalArgumentException("no p-values");
    for (double v : p) {
      if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("p-values must be in [0, 1], got " + v);
    }
    return p.length;
  }

  private static int[] order(double[] p) {
    return IntStream.range(0, p.length).boxed()
        .sorted(Comparator.comparingDouble(i -> p[i]))
        .mapToInt(Integer::intValue).toArray();
  }

  /** Convenience: how many adjusted p-values are at most {@code level}. */
  public static int rejections(double[] adjusted, double level) {
    return (int) Arrays.stream(adjusted).filter(v -> v <= level).count();
  }
}
