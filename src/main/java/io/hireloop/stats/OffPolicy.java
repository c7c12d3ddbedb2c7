package io.hireloop.stats;

import java.util.List;
import org.hipparchus.distribution.continuous.NormalDistribution;

/**
 * Off-policy estimates of a ranking policy's value from rankings logged under another policy, with the top-k
 * inclusion (item–slot) model: the value of a ranking is the mean reward of its top k slots, and a job's reward
 * depends on the job and the request only, not on the other jobs shown or on its place among the top k. Then
 * {@code V(π) = E_x[(1/k) Σ_j π_j(x)·E[r_j | x]]}, where π_j is the probability that π puts job j in the top k,
 * and a shown job's reward can be reweighted by {@code w_j = π_j / μ_j} (μ: the logging policy's probability).
 *
 * <p>Per logged ranking i with k_i slots and shown set S_i:
 * <ul>
 *   <li>observed value (the logging policy's own) {@code v_i = (1/k_i) Σ_{j∈S_i} r_j};</li>
 *   <li>IPS {@code a_i = (1/k_i) Σ_{j∈S_i} w_j r_j}; V̂ = mean a_i (unbiased when μ_j &gt; 0 wherever π_j &gt; 0);</li>
 *   <li>SNIPS {@code V̂ = Σ a_i / Σ b_i} with {@code b_i = (1/k_i) Σ_{j∈S_i} w_j}, whose expectation is 1 when π
 *       fills the same k slots; biased by O(1/n), lower variance;</li>
 *   <li>DR {@code d_i = (1/k_i)[Σ_{all j} π_j q̂_j + Σ_{j∈S_i} w_j (r_j − q̂_j)]} with a reward model q̂:
 *       unbiased when μ is right, whatever q̂, and of lower variance the closer q̂ is to E[r].</li>
 * </ul>
 * Standard errors: the sample standard deviation of the per-ranking terms over √n (SNIPS by the delta method,
 * {@code √(Σ (a_i − V̂ b_i)²) / Σ b_i} with n − 1 in the variance); intervals are normal at the given level. Rankings
 * are independent draws; a user's repeated rankings are treated as such (the intervals are then somewhat narrow
 * when one user dominates the log).
 */
public final class OffPolicy {
  private OffPolicy() {}

  /**
   * One job of a logged ranking.
   *
   * @param shown whether the logging policy put it in the top k (its reward is observed)
   * @param logging μ_j, the logging policy's logged top-k inclusion probability
   * @param target π_j, the evaluated policy's top-k inclusion probability for the same request
   * @param predicted q̂_j, the reward model's expected reward (DR)
   * @param reward r_j, read only when shown
   */
  public record Item(boolean shown, double logging, double target, double predicted, double reward) {}

  /** @param slots k_i, the number of top slots whose mean reward is the ranking's value */
  public record Ranking(int slots, List<Item> items) {}

  /** A point estimate, its standard error and its normal interval at {@code level} (NaN bounds with one ranking). */
  public record Estimate(double value, double standardError, double low, double high, double level) {
    static Estimate of(double value, double se, double level) {
      double z = NORMAL.inverseCumulativeProbability((1 + level) / 2);
      return new Estimate(value, se, value - z * se, value + z * se, level);
    }
  }

  /**
   * @param observed the logging policy's observed value
   * @param effectiveSampleSize (Σ b_i)² / Σ b_i²: how many rankings the weighted estimate is worth
   * @param maxWeight the largest w_j of a shown job
   * @param unsupportedShare of the evaluated policy's top-k mass Σ π_j, the share on jobs the logging policy never
   *     shows (μ_j = 0): the estimates cannot see their rewards and are biased low by up to that share
   */
  public record Estimates(int rankings, Estimate observed, Estimate ips, Estimate snips, Estimate doublyRobust,
      double effectiveSampleSize, double maxWeight, double unsupportedShare) {}

  private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

  public static Estimates estimate(List<Ranking> rankings, double level) {
    if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1)");
    int n = rankings.size();
    if (n == 0) throw new IllegalArgumentException("no rankings to estimate from");
    var v = new double[n];
    var a = new double[n];
    var b = new double[n];
    var d = new double[n];
    double maxWeight = 0;
    double targetMass = 0;
    double unsupported = 0;
    for (int i = 0; i < n; i++) {
      var r = rankings.get(i);
      if (r.slots() < 1) throw new IllegalArgumentException("ranking " + i + " has no slots");
      double observed = 0, weighted = 0, weights = 0, direct = 0, correction = 0;
      for (var item : r.items()) {
        targetMass += item.target();
        if (item.target() > 0 && !(item.logging() > 0)) unsupported += item.target();
        direct += item.target() * item.predicted();
        if (!item.shown()) continue;
        if (!(item.logging() > 0 && item.logging() <= 1)) {
          throw new IllegalArgumentException("a shown job needs a logging propensity in (0, 1], got " + item.logging());
        }
        double w = item.target() / item.logging();
        maxWeight = Math.max(maxWeight, w);
        observed += item.reward();
        weighted += w * item.reward();
        weights += w;
        correction += w * (item.reward() - item.predicted());
      }
      v[i] = observed / r.slots();
      a[i] = weighted / r.slots();
      b[i] = weights / r.slots();
      d[i] = (direct + correction) / r.slots();
    }
    double sumA = sum(a), sumB = sum(b);
    double snips = sumB > 0 ? sumA / sumB : Double.NaN;
    double snipsSe = Double.NaN;
    if (sumB > 0 && n > 1) {
      double ss = 0;
      for (int i = 0; i < n; i++) ss += (a[i] - snips * b[i]) * (a[i] - snips * b[i]);
      snipsSe = Math.sqrt(ss * n / (n - 1)) / sumB;
    }
    double sumB2 = 0;
    for (double x : b) sumB2 += x * x;
    return new Estimates(n, meanOf(v, level), meanOf(a, level), Estimate.of(snips, snipsSe, level), meanOf(d, level),
        sumB2 > 0 ? sumB * sumB / sumB2 : 0, maxWeight, targetMass > 0 ? unsupported / targetMass : 0);
  }

  /** The mean of independent terms with its standard error (sample variance; NaN for one term). */
  static Estimate meanOf(double[] x, double level) {
    int n = x.length;
    double mean = sum(x) / n;
    double se = Double.NaN;
    if (n > 1) {
      double ss = 0;
      for (double t : x) ss += (t - mean) * (t - mean);
      se = Math.sqrt(ss / (n - 1) / n);
    }
    return Estimate.of(mean, se, level);
  }

  private static double sum(double[] x) {
    double s = 0;
    for (double t : x) s += t;
    return s;
  }
}
