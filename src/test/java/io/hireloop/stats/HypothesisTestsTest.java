package io.hireloop.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hipparchus.stat.inference.TTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HypothesisTestsTest {
  static double[] control;
  static double[] treated;

  /** re78 of the NSW experimental sample (185 treated, 260 control). */
  @BeforeAll
  static void load() throws IOException {
    List<Double> c = new ArrayList<>();
    List<Double> t = new ArrayList<>();
    try (InputStream in = HypothesisTestsTest.class.getResourceAsStream("/datasets/lalonde_nsw_experimental.csv")) {
      var lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R");
      var header = Arrays.asList(lines[0].split(","));
      int re78 = header.indexOf("re78");
      int treat = header.indexOf("treat");
      for (int i = 1; i < lines.length; i++) {
        if (lines[i].isBlank()) continue;
        var cells = lines[i].split(",");
        (Double.parseDouble(cells[treat]) == 1 ? t : c).add(Double.parseDouble(cells[re78]));
      }
    }
    control = c.stream().mapToDouble(Double::doubleValue).toArray();
    treated = t.stream().mapToDouble(Double::doubleValue).toArray();
    assertEquals(260, control.length);
    assertEquals(185, treated.length);
  }

  @Test
  void welchOnNswMatchesThePublishedFigures() {
    var r = HypothesisTests.welch(control, treated);
    assertEquals(1794.34, r.difference(), 0.005);
    assertEquals(2.674, r.statistic(), 0.0005);
    assertEquals(307.13, r.df(), 0.005);
    assertEquals(0.00789, r.pValue(), 0.000005);
    // SE = difference / t
    assertEquals(670.997, r.difference() / r.statistic(), 0.0005);
    // 95% CI = diff ± t_{0.975, 307.13}·SE (t quantile ≈ 1.9678)
    assertEquals(r.difference() - r.ciLow(), r.ciHigh() - r.difference(), 1e-9);
    assertEquals(1.9678 * 670.997, r.ciHigh() - r.difference(), 1.0);
    // cross-check with Hipparchus
    var tt = new TTest();
    assertEquals(tt.t(treated, control), r.statistic(), 1e-9);
    assertEquals(tt.tTest(treated, control), r.pValue(), 1e-9);
    assertTrue(r.effectSize() > 0.2 && r.effectSize() < 0.3, "Cohen's d ≈ 0.27, was " + r.effectSize());
  }

  @Test
  void studentOnNswMatchesThePublishedFigures() {
    var r = HypothesisTests.student(control, treated);
    assertEquals(1794.34, r.difference(), 0.005);
    assertEquals(2.835, r.statistic(), 0.0005);
    assertEquals(443, r.df(), 0);
    assertEquals(0.00479, r.pValue(), 0.000005);
    var tt = new TTest();
    assertEquals(tt.homoscedasticT(treated, control), r.statistic(), 1e-9);
    assertEquals(tt.homoscedasticTTest(treated, control), r.pValue(), 1e-9);
    // Cohen's d = t·sqrt(1/n1 + 1/n0) for the pooled test
    assertEquals(r.statistic() * Math.sqrt(1.0 / 185 + 1.0 / 260), r.effectSize(), 1e-9);
    // a 99% interval is wider
    var r99 = HypothesisTests.student(control, treated, 0.01);
    assertTrue(r99.ciLow() < r.ciLow() && r99.ciHigh() > r.ciHigh());
  }

  @Test
  void twoProportionZ() {
    // 100/1000 vs 130/1000: p̄ = 0.115, SE0 = sqrt(0.115·0.885·(2/1000)) = 0.0142671...
    // z = 0.03 / 0.0142671 = 2.10274; p = 2Φ(−2.10274) = 0.035488
    // Wald SE = sqrt(0.1·0.9/1000 + 0.13·0.87/1000) = sqrt(0.0002031) = 0.0142513; CI = 0.03 ± 1.959964·0.0142513
    // Cohen's h = 2asin(sqrt(0.13)) − 2asin(sqrt(0.1)) = 0.094233
    var r = HypothesisTests.proportions(100, 1000, 130, 1000);
    double se0 = Math.sqrt(0.115 * 0.885 * 0.002);
    assertEquals(0.03 / se0, r.statistic(), 1e-9);
    assertEquals(2.10274, r.statistic(), 1e-5);
    assertEquals(0.035488, r.pValue(), 2e-6);
    assertEquals(0.03, r.difference(), 1e-12);
    double seW = Math.sqrt(0.1 * 0.9 / 1000 + 0.13 * 0.87 / 1000);
    assertEquals(0.03 - 1.959964 * seW, r.ciLow(), 1e-6);
    assertEquals(0.03 + 1.959964 * seW, r.ciHigh(), 1e-6);
    assertEquals(2 * Math.asin(Math.sqrt(0.13)) - 2 * Math.asin(Math.sqrt(0.1)), r.effectSize(), 1e-12);
    assertTrue(Double.isNaN(r.df()));
    // from 0/1 outcomes gives the same
    int[] g0 = new int[1000];
    int[] g1 = new int[1000];
    Arrays.fill(g0, 0, 100, 1);
    Arrays.fill(g1, 0, 130, 1);
    assertEquals(r, HypothesisTests.proportions(g0, g1));
    // degenerate: nobody converts anywhere
    var none = HypothesisTests.proportions(0, 10, 0, 10);
    assertEquals(0, none.statistic());
    assertEquals(1, none.pValue(), 1e-12);
  }

  @Test
  void srmClosedForm() {
    // 5000 vs 5300 at 50/50: N = 10300, E = 5150 each;
    // χ² = (5000−5150)²/5150 + (5300−5150)²/5150 = 2·22500/5150 = 8.737864; df 1; p = 0.003117 → no mismatch
    var r = HypothesisTests.srm(new long[] {5000, 5300}, new double[] {0.5, 0.5});
    assertEquals(45000.0 / 5150, r.chi2(), 1e-9);
    assertEquals(1, r.df());
    assertEquals(0.003117, r.pValue(), 2e-6);
    assertFalse(r.mismatch());
    // 5000 vs 5600: E = 5300; χ² = 2·300²/5300 = 33.962264; p ≈ 5.6e-9 → mismatch
    var bad = HypothesisTests.srm(new long[] {5000, 5600}, new double[] {0.5, 0.5});
    assertEquals(180000.0 / 5300, bad.chi2(), 1e-9);
    assertTrue(bad.pValue() < 1e-8 && bad.pValue() > 1e-9);
    assertTrue(bad.mismatch());
    // three arms 20/40/40 with 1000/2000/2000 exactly: χ² = 0, p = 1
    var exact = HypothesisTests.srm(new long[] {1000, 2000, 2000}, new double[] {0.2, 0.4, 0.4});
    assertEquals(0, exact.chi2(), 1e-12);
    assertEquals(2, exact.df());
    assertEquals(1, exact.pValue(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> HypothesisTests.srm(new long[] {1, 2}, new double[] {0.5, 0.6}));
    assertThrows(IllegalArgumentException.class, () -> HypothesisTests.srm(new long[] {1, 2}, new double[] {1.0}));
  }

  @Test
  void mannWhitneyHandComputedNoTies() {
    // group0 = {1, 2, 3}, group1 = {4, 5, 6, 7}: group 1 has ranks 4..7, R1 = 22, U1 = 22 − 4·5/2 = 12 = n1·n0
    // E = 6, Var = 12/12·(8 − 0) = 8; z = (12 − 6 − 0.5)/sqrt(8) = 1.944544; p = 2Φ(−1.944544) = 0.051830
    // (R: wilcox.test(c(4,5,6,7), c(1,2,3), exact = FALSE) → W = 12, p-value = 0.05183)
    var r = HypothesisTests.mannWhitney(new double[] {1, 2, 3}, new double[] {4, 5, 6, 7});
    assertEquals(12, r.u(), 1e-12);
    assertEquals(5.5 / Math.sqrt(8), r.z(), 1e-12);
    assertEquals(0.05183, r.pValue(), 5e-6);
    assertEquals(1, r.rankBiserial(), 1e-12);
    // pairwise differences 4−{1,2,3}, 5−..., 6−..., 7−...: {1,2,3, 2,3,4, 3,4,5, 4,5,6}; sorted
    // 1,2,2,3,3,3,4,4,4,5,5,6 → Hodges–Lehmann median = (3 + 4)/2 = 3.5
    assertEquals(3.5, r.difference(), 1e-12);
    // k = floor(6 − 1.959964·sqrt(8)) = floor(0.456) → 0 → clamped to 1: CI = [d_(1), d_(12)] = [1, 6]
    assertEquals(1, r.ciLow(), 1e-12);
    assertEquals(6, r.ciHigh(), 1e-12);
  }

  @Test
  void mannWhitneyHandComputedWithTies() {
    // group0 = {1, 2, 2, 3}, group1 = {2, 3, 4, 5}; pooled sorted 1 | 2 2 2 | 3 3 | 4 | 5
    // mid-ranks: 1 → 1; 2s → 3; 3s → 5.5; 4 → 7; 5 → 8
    // R1 = 3 + 5.5 + 7 + 8 = 23.5; U1 = 23.5 − 10 = 13.5 (check pairwise: 2 beats 1, ties two 2s: 1 + 1 = 2;
    // 3 beats 1,2,2 and ties 3: 3.5; 4 and 5 beat all four: 8 → 13.5 ✓)
    // ties: t = 3 → 24, t = 2 → 6; Σ = 30; Var = 16/12·(9 − 30/56) = 1.3333·8.464286 = 11.285714
    // z = (13.5 − 8 − 0.5)/sqrt(11.285714) = 5/3.359422 = 1.488351; p = 2Φ(−1.488351) = 0.136658
    var r = HypothesisTests.mannWhitney(new double[] {1, 2, 2, 3}, new double[] {2, 3, 4, 5});
    assertEquals(13.5, r.u(), 1e-12);
    assertEquals(5 / Math.sqrt(16.0 / 12 * (9 - 30.0 / 56)), r.z(), 1e-12);
    assertEquals(0.136658, r.pValue(), 5e-6);
    assertEquals(2 * 13.5 / 16 - 1, r.rankBiserial(), 1e-12);
  }

  @Test
  void mannWhitneyLargeSampleShiftIsRecovered() {
    var rng = new java.util.SplittableRandom(7);
    double[] a = new double[3000];
    double[] b = new double[2000];
    for (int i = 0; i < a.length; i++) a[i] = Math.floor(rng.nextDouble() * 100); // many ties
    for (int i = 0; i < b.length; i++) b[i] = Math.floor(rng.nextDouble() * 100) + 10;
    var r = HypothesisTests.mannWhitney(a, b);
    assertEquals(10, r.difference(), 1.0);
    assertTrue(r.ciLow() < 10 && r.ciHigh() > 10 - 1e-9, r.ciLow() + " " + r.ciHigh());
    assertTrue(r.pValue() < 1e-10);
    // brute-force check of the order-statistic search on a small case
    double[] s0 = {0.5, 1.5, 1.5, 9};
    double[] s1 = {-2, 1.5, 3, 3.25, 7};
    double[] all = new double[20];
    int k = 0;
    for (double x1 : s1) for (double x0 : s0) all[k++] = x1 - x0;
    Arrays.sort(all);
    for (int i = 1; i <= 20; i++) assertEquals(all[i - 1], HypothesisTests.pairwiseOrderStatistic(s0, s1, i), 1e-12);
  }

  @Test
  void mannWhitneyOnAHundredThousandRowsIsFast() {
    var rng = new java.util.SplittableRandom(11);
    double[] a = new double[50_000];
    double[] b = new double[50_000];
    for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
    for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian() + 0.05;
    long start = System.nanoTime();
    var r = HypothesisTests.mannWhitney(a, b);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("Mann-Whitney with Hodges-Lehmann CI, 100,000 rows: %.2f s%n", seconds);
    assertTrue(seconds < 30, "took " + seconds + " s");
    assertTrue(r.ciLow() < 0.05 && r.ciHigh() > 0.05, r.toString());
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> HypothesisTests.welch(new double[] {1}, new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class, () -> HypothesisTests.welch(new double[] {1, 1}, new double[] {2, 2}));
    assertThrows(IllegalArgumentException.class, () -> HypothesisTests.student(new double[] {1, 2}, new double[] {1, 2}, 1.5));
    assertThrows(IllegalArgumentException.class, () -> HypothesisTests.proportions(new int[] {0, 2}, new int[] {1}));
  }
}
