package io.hireloop.ranking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExplorationTest {
  @Test
  void handComputedInclusionWithALongTail() {
    // n 5, k 2, ε .5: the tail (3) outnumbers the slots, so each slot keeps its job with 1 − ε; E[min(M, 3)] = E[M] = 1
    var in = Exploration.inclusion(5, 2, 0.5);
    assertArrayEquals(new double[] {0.5, 0.5}, in.slots(), 1e-12);
    assertEquals(1.0 / 3, in.tail(), 1e-12);
  }

  @Test
  void handComputedInclusionWithAShortTail() {
    // n 3, k 2, ε .5, one tail job: slot 1 loses its job when its coin comes up (.5); slot 2 only when its coin comes up
    // and slot 1's did not (.25); the tail job is in the top 2 when either drew it: .5 + .25
    var in = Exploration.inclusion(3, 2, 0.5);
    assertArrayEquals(new double[] {0.5, 0.75}, in.slots(), 1e-12);
    assertEquals(0.75, in.tail(), 1e-12);
    // ε = 1: slot 1 always explores and takes the only tail job, slot 2 keeps its own
    var all = Exploration.inclusion(3, 2, 1);
    assertArrayEquals(new double[] {0, 1}, all.slots(), 1e-12);
    assertEquals(1, all.tail(), 1e-12);
  }

  @Test
  void withoutExplorationOrTailEveryTopJobIsCertain() {
    var none = Exploration.inclusion(10, 3, 0);
    assertArrayEquals(new double[] {1, 1, 1}, none.slots());
    assertEquals(0, none.tail());
    var shortList = Exploration.inclusion(2, 5, 0.4);
    assertArrayEquals(new double[] {1, 1}, shortList.slots());
    var order = new int[] {1, 0};
    assertArrayEquals(order, Exploration.explore(order, 5, 0.4, new SplittableRandom(3)).positions());
  }

  @Test
  void inclusionProbabilitiesSumToTheSlots() {
    for (int n : new int[] {1, 4, 7, 30}) {
      for (int k : new int[] {1, 3, 10}) {
        for (double eps : new double[] {0, 0.1, 0.5, 0.9, 1}) {
          var in = Exploration.inclusion(n, k, eps);
          double sum = Arrays.stream(in.slots()).sum() + (n - in.slots().length) * in.tail();
          assertEquals(Math.min(n, k), sum, 1e-9, "n " + n + ", k " + k + ", ε " + eps);
        }
      }
    }
  }

  /** The exact propensities against the frequencies of 40,000 draws (4 standard errors ≤ 0.01). */
  @Test
  void propensitiesMatchTheFrequencyOfTheDraws() {
    for (int[] nk : new int[][] {{8, 3}, {5, 4}}) {
      int n = nk[0], k = nk[1];
      double eps = 0.3;
      var order = new int[n];
      for (int i = 0; i < n; i++) order[i] = (i * 3 + 2) % n; // any permutation
      var counts = new int[n];
      int draws = 40_000;
      for (int seed = 0; seed < draws; seed++) {
        var e = Exploration.explore(order, k, eps, new SplittableRandom(seed));
        for (int s = 0; s < k; s++) counts[e.positions()[s]]++;
      }
      var in = Exploration.inclusion(n, k, eps);
      for (int pos = 0; pos < n; pos++) {
        double freq = (double) counts[order[pos]] / draws;
        assertEquals(in.at(pos), freq, 0.01, "n " + n + ", k " + k + ", position " + pos);
      }
    }
  }

  @Test
  void exploredListsArePermutationsWithTheRestInOrder() {
    var order = new int[] {4, 2, 0, 1, 3, 5, 6};
    for (int seed = 0; seed < 200; seed++) {
      var e = Exploration.explore(order, 3, 0.5, new SplittableRandom(seed));
      var sorted = e.positions().clone();
      Arrays.sort(sorted);
      assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, sorted);
      // explored slots hold tail jobs; below the top 3 the jobs keep the order's sequence
      var rank = new int[7];
      for (int i = 0; i < 7; i++) rank[order[i]] = i;
      for (int s = 0; s < 3; s++) assertEquals(e.explored()[s], rank[e.positions()[s]] >= 3, "seed " + seed);
      for (int p = 4; p < 7; p++) assertTrue(rank[e.positions()[p - 1]] < rank[e.positions()[p]], "seed " + seed);
      // the same seed, the same list
      assertArrayEquals(e.positions(), Exploration.explore(order, 3, 0.5, new SplittableRandom(seed)).positions());
    }
  }
}
