package io.hireloop.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.hipparchus.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

class DriftTest {
  @Test
  void ksTextbookSeparatedSamples() {
    // completely separated samples of 5 and 5: D = 1, exact two-sided p = 2 / C(10,5) = 2/252
    var r = Drift.ks(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10});
    assertEquals(1.0, r.statistic(), 1e-12);
    assertEquals(2.0 / 252, r.pValue(), 1e-9);
    // D = 4/5 for n = m = 5: P(D >= 4/5) = 20/252 = 0.0794 (Smirnov tables)
    r = Drift.ks(new double[] {1, 2, 3, 4, 7}, new double[] {5, 6, 8, 9, 10});
    assertEquals(0.8, r.statistic(), 1e-12);
    assertEquals(20.0 / 252, r.pValue(), 1e-9);
  }

  @Test
  void ksMatchesHipparchusOnLargeSamples() {
    var rnd = new Random(7);
    double[] a = new double[500], b = new double[700];
    for (int i = 0; i < a.length; i++) a[i] = rnd.nextGaussian();
    for (int i = 0; i < b.length; i++) b[i] = rnd.nextGaussian() + 0.4;
    var r = Drift.ks(a, b);
    var h = new KolmogorovSmirnovTest();
    assertEquals(h.kolmogorovSmirnovStatistic(a, b), r.statistic(), 1e-12);
    assertEquals(h.kolmogorovSmirnovTest(a, b, false), r.pValue(), 1e-9);
    assertTrue(r.pValue() < 0.01);
  }

  @Test
  void psiClosedForm() {
    double[] reference = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}; // cuts 1..9 → ten bins of 0.1 each
    double[] current = {1, 1, 1, 1, 1, 2, 3, 4, 5, 10}; // shares .5 .1 .1 .1 .1 0 0 0 0 .1
    double expected = (0.5 - 0.1) * Math.log(5) + 4 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1);
    assertEquals(expected, Drift.psi(reference, current), 1e-12);
    assertEquals(0.0, Drift.psi(reference, reference), 1e-12);
    // proportions form: (.6−.5)ln(.6/.5) + (.4−.5)ln(.4/.5)
    assertEquals(0.1 * Math.log(1.2) - 0.1 * Math.log(0.8),
        Drift.psiOfShares(new double[] {0.5, 0.5}, new double[] {0.6, 0.4}), 1e-12);
  }

  @Test
  void psiSmallForSameDistributionLargeForShift() {
    var rnd = new Random(11);
    double[] ref = new double[5000], same = new double[5000], shifted = new double[5000];
    for (int i = 0; i < 5000; i++) {
      ref[i] = rnd.nextGaussian();
      same[i] = rnd.nextGaussian();
      shifted[i] = rnd.nextGaussian() + 1;
    }
    assertTrue(Drift.psi(ref, same) < 0.1);
    assertTrue(Drift.psi(ref, shifted) > 0.25);
  }

  @Test
  void pageHinkleyAlarmsShortlyAfterAPlantedShiftAndNotBefore() {
    for (long seed = 1; seed <= 5; seed++) {
      var rnd = new Random(seed);
      double[] xs = new double[1000];
      for (int i = 0; i < xs.length; i++) xs[i] = rnd.nextGaussian() + (i >= 600 ? 2 : 0);
      int alarm = Drift.PageHinkley.firstAlarm(xs, 0.1, 50);
      assertTrue(alarm >= 600 && alarm < 650, "seed " + seed + ": alarm at " + alarm);
      // a downward shift is detected too
      for (int i = 0; i < xs.length; i++) xs[i] = rnd.nextGaussian() - (i >= 600 ? 2 : 0);
      alarm = Drift.PageHinkley.firstAlarm(xs, 0.1, 50);
      assertTrue(alarm >= 600 && alarm < 650, "seed " + seed + " downward: alarm at " + alarm);
      // no shift, no alarm
      for (int i = 0; i < xs.length; i++) xs[i] = rnd.nextGaussian();
      assertEquals(-1, Drift.PageHinkley.firstAlarm(xs, 0.1, 50), "seed " + seed);
    }
  }

  @Test
  void chiSquareTwoByTwoByHand() {
    // [10, 20] vs [20, 10]: every expected count is 15, X² = 4 · 25/15 = 6.667 with df 1;
    // P(χ²₁ ≥ 6.667) = 2·(1 − Φ(2.582)) = 0.00982 (normal table)
    var r = Drift.chiSquare(new double[] {10, 20}, new double[] {20, 10});
    assertEquals(20.0 / 3, r.statistic(), 1e-12);
    assertEquals(1, r.degreesOfFreedom());
    assertEquals(0.00982, r.pValue(), 2e-5);
    // identical shares: X² = 0, p = 1; a category empty in both does not count as a degree of freedom
    var same = Drift.chiSquare(new double[] {30, 0, 70}, new double[] {3, 0, 7});
    assertEquals(0, same.statistic(), 1e-12);
    assertEquals(1, same.degreesOfFreedom());
    assertEquals(1, same.pValue(), 1e-12);
  }

  @Test
  void chiSquareMatchesHipparchusOnUnequalSamples() {
    long[] a = {120, 340, 90, 450};
    long[] b = {30, 70, 40, 60};
    var r = Drift.chiSquare(java.util.Arrays.stream(a).asDoubleStream().toArray(), java.util.Arrays.stream(b).asDoubleStream().toArray());
    var h = new org.hipparchus.stat.inference.ChiSquareTest();
    assertEquals(h.chiSquareDataSetsComparison(a, b), r.statistic(), 1e-9);
    assertEquals(h.chiSquareTestDataSetsComparison(a, b), r.pValue(), 1e-9);
    assertEquals(3, r.degreesOfFreedom());
  }

  @Test
  void ksOfSharesIsTheLargestGapOfCumulativeShares() {
    var r = Drift.ksOfShares(new double[] {0.25, 0.25, 0.5}, 1000, new double[] {0.1, 0.3, 0.6}, 1000);
    assertEquals(0.15, r.statistic(), 1e-12); // cumulative 0.25/0.5/1 vs 0.1/0.4/1
    assertEquals(new KolmogorovSmirnovTest().approximateP(0.15, 1000, 1000), r.pValue(), 1e-12);
    assertEquals(1.0, Drift.ksOfShares(new double[] {0.5, 0.5}, 10, new double[] {0.5, 0.5}, 10).pValue(), 1e-12);
  }
}
