package io.hireloop.ranking;

import java.util.ArrayList;
import java.util.SplittableRandom;

/**
 * ε-greedy exploration of the top k slots of a diversity-aware order (pure; no Pekko).
 *
 * <p>The policy: let d_1 … d_n be the order ({@link Diversity#order}), k' = min(k, n) and the tail T = d_{k'+1} … d_n.
 * Slot s = 1 … k' flips a coin that comes up with probability ε; while tail jobs are left, a slot whose coin came up
 * is filled with a job drawn uniformly from the tail jobs not drawn yet (an <em>exploration</em> pick), otherwise it
 * keeps d_s. The jobs below the top k follow in the order's sequence. The random numbers come from one seed, so a
 * request with the same seed gets the same list.
 *
 * <p>The logged propensity of a job is its <b>top-k inclusion probability</b>: the probability, over the coins and
 * draws, that this policy puts the job in one of the top k' slots, given the request's order. With |T| = t:
 * <ul>
 *   <li>d_s (s ≤ k') is displaced only when its own coin comes up while fewer than t earlier slots explored:
 *       {@code P = 1 − ε·P[Bin(s − 1, ε) ≤ t − 1]} (= 1 − ε when t ≥ k'; 1 when t = 0);</li>
 *   <li>a tail job is drawn by one of the min(M, t) exploring slots, M ~ Bin(k', ε), each draw uniform over the
 *       tail: {@code P = E[min(M, t)] / t}, and {@code E[min(M, t)] = Σ_s ε·P[Bin(s − 1, ε) ≤ t − 1]}.</li>
 * </ul>
 * The probabilities of all jobs sum to k'. Any policy of this family (any λ, ε, k) has such probabilities for every
 * job of a logged request, which is what the off-policy estimators ({@link io.hireloop.stats.OffPolicy}) weigh by.
 */
public final class Exploration {
  private Exploration() {}

  /**
   * The top-k inclusion probabilities of the policy by position in the order.
   *
   * @param slots per position s &lt; k' of the order (0-based), the probability d_s stays in the top k'
   * @param tail the probability of each job below position k' of the order (0 when there is none or ε = 0)
   */
  public record Inclusion(double[] slots, double tail) {
    /** The probability of the job at 0-based position {@code position} of the order. */
    public double at(int position) {
      return position < slots.length ? slots[position] : tail;
    }
  }

  public static Inclusion inclusion(int n, int k, double epsilon) {
    check(k, epsilon);
    int top = Math.min(k, n);
    int t = n - top;
    var slots = new double[top];
    if (t == 0 || epsilon == 0) {
      java.util.Arrays.fill(slots, 1);
      return new Inclusion(slots, 0);
    }
    // below[j] = P[Bin(s - 1, ε) = j] for j < t: the number of earlier exploring slots while it is still under t
    var below = new double[Math.min(t, top) + 1];
    below[0] = 1;
    double expectedExplored = 0;
    for (int s = 0; s < top; s++) {
      double underT = 0;
      for (int j = 0; j < Math.min(t, below.length); j++) underT += below[j];
      slots[s] = 1 - epsilon * underT;
      expectedExplored += epsilon * underT;
      for (int j = below.length - 1; j >= 0; j--) below[j] = below[j] * (1 - epsilon) + (j > 0 ? below[j - 1] * epsilon : 0);
    }
    return new Inclusion(slots, expectedExplored / t);
  }

  /**
   * @param positions the order's job indexes after exploration, best first
   * @param explored per position, whether that slot holds an exploration pick
   */
  public record Explored(int[] positions, boolean[] explored) {}

  /** Applies the policy to {@code order} (job indexes, best first) with the given random numbers. */
  public static Explored explore(int[] order, int k, double epsilon, SplittableRandom random) {
    check(k, epsilon);
    int n = order.length;
    int top = Math.min(k, n);
    var pool = new ArrayList<Integer>(n - top);
    for (int i = top; i < n; i++) pool.add(order[i]);
    var out = new int[n];
    var explored = new boolean[n];
    int displaced = 0;
    for (int s = 0; s < top; s++) {
      boolean coin = epsilon > 0 && random.nextDouble() < epsilon;
      if (coin && !pool.isEmpty()) {
        out[s] = pool.remove(random.nextInt(pool.size()));
        explored[s] = true;
        displaced++;
      } else {
        out[s] = order[s];
      }
    }
    if (displaced == 0) return new Explored(order.clone(), explored);
    int pos = top;
    var inTop = new boolean[maxIndex(order) + 1];
    for (int s = 0; s < top; s++) inTop[out[s]] = true;
    for (int idx : order) {
      if (!inTop[idx]) out[pos++] = idx;
    }
    return new Explored(out, explored);
  }

  private static int maxIndex(int[] order) {
    int m = 0;
    for (int i : order) m = Math.max(m, i);
    return m;
  }

  private static void check(int k, double epsilon) {
    if (k < 1) throw new IllegalArgumentException("top-k must be at least 1, got " + k);
    if (!(epsilon >= 0 && epsilon <= 1)) throw new IllegalArgumentException("exploration rate must be in [0, 1], got " + epsilon);
  }
}
