package io.hireloop.experiment;

import java.util.ArrayList;
import java.util.List;
import org.hipparchus.random.RandomDataGenerator;

/**
 * {@code allocation_mode: thompson}: the share of <em>new</em> users each variant gets is the posterior
 * probability that it has the best success rate.
 *
 * <p>Algorithm (Beta–Bernoulli Thompson sampling, batched): for each variant take the users whose attribution
 * window has elapsed ({@code n}) and how many of them converted on the success metric ({@code k}); its rate
 * has the posterior Beta(1 + k, 1 + n − k) under a uniform prior. Draw {@link #DRAWS} joint samples (one
 * rate per variant per draw, seeded so a recomputation on the same data gives the same weights) and count
 * how often each variant has the highest rate; that share is its probability of being best. Every variant
 * keeps at least {@link #FLOOR} so that none stops learning: {@code w = FLOOR + (1 − n_variants · FLOOR) · p_best}.
 * The weights are persisted as an {@link Experiment.AllocationChanged} event (mode {@code thompson}) and apply
 * to users not exposed yet; exposed users keep the variant recorded in their journal.
 */
public final class ThompsonAllocation {
  private ThompsonAllocation() {}

  public static final int DRAWS = 20_000;
  /** Smallest weight of any variant. */
  public static final double FLOOR = 0.05;

  /** Counts of one variant: users whose window elapsed, and conversions among them. */
  public record Arm(String variantId, long users, long conversions) {}

  /** Probability of being best, per arm (same order). */
  public static List<Double> probabilityBest(List<Arm> arms, long seed) {
    var rng = new RandomDataGenerator(seed);
    int n = arms.size();
    var wins = new long[n];
    for (int d = 0; d < DRAWS; d++) {
      int best = 0;
      double bestRate = -1;
      for (int i = 0; i < n; i++) {
        var a = arms.get(i);
        double rate = rng.nextBeta(1 + a.conversions(), 1 + Math.max(0, a.users() - a.conversions()));
        if (rate > bestRate) {
          bestRate = rate;
          best = i;
        }
      }
      wins[best]++;
    }
    var p = new ArrayList<Double>(n);
    for (long w : wins) p.add(w / (double) DRAWS);
    return p;
  }

  /** The new weights: {@link #probabilityBest} with every variant floored at {@link #FLOOR}; they sum to 1. */
  public static List<Double> weights(List<Arm> arms, long seed) {
    double floor = Math.min(FLOOR, 1.0 / arms.size());
    double rest = 1 - arms.size() * floor;
    var w = new ArrayList<Double>();
    for (double p : probabilityBest(arms, seed)) w.add(floor + rest * p);
    return w;
  }
}
