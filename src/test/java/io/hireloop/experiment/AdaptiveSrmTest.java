package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.experiment.AdaptiveSrm.Split;
import io.hireloop.stats.HypothesisTests;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sample-ratio check over several allocation splits (pure): Pearson's χ² for one split, the nominal
 * false-flag rate when the weights moved mid-flight and assignment is honest, and sabotage caught.
 */
class AdaptiveSrmTest {

  /** Weights that moved twice (as Thompson updates move them) and how many users were exposed under each. */
  static final double[][] MOVED = {{0.5, 0.5}, {0.2, 0.8}, {0.05, 0.95}};
  static final int[] USERS = {2000, 1500, 3000};

  /** Honest assignment: each user's variant drawn from the split in force; {@code drop}: share of variant 0 lost. */
  static long[] simulate(SplittableRandom rng, double[][] splits, int[] users, double drop) {
    var observed = new long[splits[0].length];
    for (int s = 0; s < splits.length; s++) {
      for (int u = 0; u < users[s]; u++) {
        double x = rng.nextDouble(), cumulative = 0;
        int v = 0;
        while (v < splits[s].length - 1 && x >= (cumulative += splits[s][v])) v++;
        if (v == 0 && rng.nextDouble() < drop) continue;
        observed[v]++;
      }
    }
    return observed;
  }

  static List<Split> splits(double[][] splits, int[] users) {
    var out = new java.util.ArrayList<Split>();
    for (int s = 0; s < splits.length; s++) out.add(new Split(splits[s], users[s]));
    return out;
  }

  /** The splits of a (possibly sabotaged) run: the lost exposures are not in any split's users either. */
  static List<Split> splitsFor(long[] observed) {
    long total = 0;
    for (long o : observed) total += o;
    int all = 0;
    for (int u : USERS) all += u;
    // the users actually recorded, spread over the splits in proportion (only the sabotage loses any)
    var users = USERS.clone();
    long assigned = 0;
    for (int s = 0; s < users.length - 1; s++) {
      users[s] = (int) Math.round((double) USERS[s] * total / all);
      assigned += users[s];
    }
    users[users.length - 1] = (int) (total - assigned);
    return splits(MOVED, users);
  }

  @Test
  void oneSplitIsPearsonsChiSquare() {
    long[] observed = {530, 470};
    var r = AdaptiveSrm.test(observed, List.of(new Split(new double[] {0.5, 0.5}, 1000)));
    var pearson = HypothesisTests.srm(observed, new double[] {0.5, 0.5});
    assertEquals(pearson.chi2(), r.chi2(), 1e-9);
    assertEquals(pearson.pValue(), r.pValue(), 1e-9);
    assertEquals(1, r.df());
    long[] three = {310, 290, 400};
    var r3 = AdaptiveSrm.test(three, List.of(new Split(new double[] {0.3, 0.3, 0.4}, 1000)));
    var p3 = HypothesisTests.srm(three, new double[] {0.3, 0.3, 0.4});
    assertEquals(p3.chi2(), r3.chi2(), 1e-9);
    assertEquals(2, r3.df());
  }

  @Test
  void weightsMovedMidFlightWithHonestAssignmentAreFlaggedAtTheNominalRate() {
    var rng = new SplittableRandom(20261130);
    int runs = 20_000, flagged = 0, at5 = 0, naive = 0;
    var splits = splits(MOVED, USERS);
    for (int run = 0; run < runs; run++) {
      var observed = simulate(rng, MOVED, USERS, 0);
      var r = AdaptiveSrm.test(observed, splits);
      if (r.mismatch()) flagged++;
      if (r.pValue() < 0.05) at5++;
      if (run < 200 && HypothesisTests.srm(observed, new double[] {0.5, 0.5}).mismatch()) naive++;
    }
    System.out.printf("AdaptiveSrm 2 variants, 3 splits: %d of %d flagged (p < 0.001), %d with p < 0.05%n", flagged, runs, at5);
    // nominal 0.1% = 20 expected of 20,000 (Poisson sd ≈ 4.5); at 5%: 1,000 ± 31
    assertTrue(flagged <= 40, "false SRM flags: " + flagged + " of " + runs);
    assertTrue(at5 > 880 && at5 < 1120, "p < 0.05 in " + at5 + " of " + runs + " (calibration)");
    assertEquals(200, naive, "against the definition's 50/50 every run is a (false) mismatch");
  }

  @Test
  void threeVariantsWithMovedWeightsAreCalibratedToo() {
    double[][] moved = {{1 / 3.0, 1 / 3.0, 1 / 3.0}, {0.1, 0.6, 0.3}, {0.05, 0.9, 0.05}};
    int[] users = {900, 900, 1800};
    var rng = new SplittableRandom(7);
    int runs = 10_000, at5 = 0, flagged = 0;
    for (int run = 0; run < runs; run++) {
      var r = AdaptiveSrm.test(simulate(rng, moved, users, 0), splits(moved, users));
      assertEquals(2, r.df());
      if (r.pValue() < 0.05) at5++;
      if (r.mismatch()) flagged++;
    }
    System.out.printf("AdaptiveSrm 3 variants, 3 splits: %d of %d flagged (p < 0.001), %d with p < 0.05%n", flagged, runs, at5);
    assertTrue(at5 > 420 && at5 < 580, "p < 0.05 in " + at5 + " of " + runs);
    assertTrue(flagged <= 25, "false SRM flags: " + flagged + " of " + runs);
  }

  @Test
  void aVariantLosingAFifthOfItsExposuresIsFlagged() {
    var rng = new SplittableRandom(99);
    for (int run = 0; run < 200; run++) {
      var observed = simulate(rng, MOVED, USERS, 0.2);
      var r = AdaptiveSrm.test(observed, splitsFor(observed));
      assertTrue(r.mismatch(), "run " + run + ": p = " + r.pValue());
    }
    // and the same bookkeeping without the sabotage is not
    var honest = simulate(new SplittableRandom(99), MOVED, USERS, 0);
    assertFalse(AdaptiveSrm.test(honest, splitsFor(honest)).mismatch());
  }

  @Test
  void aVariantExposedThatNoSplitGaveAnyWeightIsAMismatch() {
    var r = AdaptiveSrm.test(new long[] {600, 399, 1},
        List.of(new Split(new double[] {0.6, 0.4, 0}, 500), new Split(new double[] {0.6, 0.4, 0}, 500)));
    assertTrue(r.mismatch());
    assertEquals(0, r.pValue());
    var fine = AdaptiveSrm.test(new long[] {600, 400, 0}, List.of(new Split(new double[] {0.6, 0.4, 0}, 1000)));
    assertFalse(fine.mismatch());
    assertEquals(1, fine.df());
  }

  @Test
  void expectedCountsAreTheSumOverSplitsOfUsersTimesShares() {
    var r = AdaptiveSrm.test(new long[] {1625, 4875}, splits(MOVED, USERS));
    assertEquals(2000 * 0.5 + 1500 * 0.2 + 3000 * 0.05, r.expected()[0], 1e-9);
    assertEquals(2000 * 0.5 + 1500 * 0.8 + 3000 * 0.95, r.expected()[1], 1e-9);
  }
}
