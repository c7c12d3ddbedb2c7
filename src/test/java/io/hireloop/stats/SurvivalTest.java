package io.hireloop.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Reference values on the leukemia remission data of Freireich et al. (1963, Blood 21:699), as analysed by
 * Gehan (1965, Biometrika 52:203) and reproduced in most survival texts (e.g. Kleinbaum &amp; Klein, "Survival
 * Analysis: A Self-Learning Text", ch. 2 and 3; R: {@code survfit}/{@code survdiff} on {@code MASS::gehan}):
 * remission times in weeks of 21 patients on 6-mercaptopurine (6-MP) and 21 on placebo.
 *
 * <ul>
 *   <li>6-MP KM: S(6) = 0.857, S(7) = 0.807, S(10) = 0.753, S(13) = 0.690, S(16) = 0.627, S(22) = 0.538,
 *       S(23) = 0.448; Greenwood SEs 0.0764, 0.0869, 0.0963, 0.1068, 0.1141, 0.1282, 0.1346 (R {@code survfit}).
 *   <li>Medians 23 (6-MP) and 8 (placebo) weeks; log-log Brookmeyer–Crowley 95% CI: 6-MP [13, not reached],
 *       placebo [4, 11] (R {@code survfit(conf.type = "log-log")}; the same bands from scipy 1.17
 *       {@code stats.ecdf(...).sf.confidence_interval(method="log-log")}).
 *   <li>Log-rank ({@code survdiff}): 6-MP observed 9 / expected 19.25, placebo 21 / 10.75, χ² = 16.79 on 1 df,
 *       p = 4.17e-5.
 * </ul>
 * RMST has no equally canonical published figure, so it is checked against the area under the published KM
 * steps computed by hand here, against an exact identity without censoring, and by simulation coverage.
 */
class SurvivalTest {
  static final double[] MP_TIME = {6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35};
  static final boolean[] MP_EVENT = events(1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0);
  static final double[] PLACEBO_TIME = {1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23};
  static final boolean[] PLACEBO_EVENT = events(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);

  static boolean[] events(int... e) {
    var out = new boolean[e.length];
    for (int i = 0; i < e.length; i++) out[i] = e[i] == 1;
    return out;
  }

  @Test
  void kaplanMeierMatchesThePublishedSixMpCurveAndGreenwoodErrors() {
    var km = Survival.kaplanMeier(MP_TIME, MP_EVENT);
    double[] t = {6, 7, 10, 13, 16, 22, 23};
    double[] s = {0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448};
    double[] se = {0.0764, 0.0869, 0.0963, 0.1068, 0.1141, 0.1282, 0.1346};
    for (int i = 0; i < t.length; i++) {
      assertEquals(s[i], km.at(t[i]), 5e-4, "S(" + t[i] + ")");
      assertEquals(s[i], km.at(t[i] + 0.99), 5e-4, "flat until the next event after " + t[i]);
      int j = Arrays.binarySearch(km.times(), t[i]);
      assertEquals(se[i], km.survival()[j] * Math.sqrt(km.greenwood()[j]), 5e-5, "Greenwood SE at " + t[i]);
    }
    assertEquals(1.0, km.at(5.99));
    assertEquals(9, km.totalEvents());
    assertEquals(12, km.totalCensored());
    assertEquals(21, km.atRisk()[0]);
    assertEquals(17, km.atRisk()[1]); // the one censored at 6 was at risk at 6, not at 7
  }

  @Test
  void mediansAndTheirBrookmeyerCrowleyIntervals() {
    var mp = Survival.median(Survival.kaplanMeier(MP_TIME, MP_EVENT), 0.05);
    assertEquals(23, mp.estimate());
    assertEquals(13, mp.ciLow());
    assertTrue(Double.isNaN(mp.ciHigh()), "upper limit not reached");
    var placebo = Survival.median(Survival.kaplanMeier(PLACEBO_TIME, PLACEBO_EVENT), 0.05);
    assertEquals(8, placebo.estimate());
    assertEquals(4, placebo.ciLow());
    assertEquals(11, placebo.ciHigh());
    // R's convention when S is exactly 0.5 on an interval: the midpoint to the next event time
    var half = Survival.median(Survival.kaplanMeier(new double[] {1, 2, 3, 4}, events(1, 1, 1, 1)), 0.05);
    assertEquals(2.5, half.estimate());
    // never below 0.5: not reached
    assertTrue(Double.isNaN(Survival.median(Survival.kaplanMeier(new double[] {1, 2, 3}, events(1, 0, 0)), 0.05).estimate()));
  }

  @Test
  void logRankMatchesSurvdiff() {
    var lr = Survival.logRank(MP_TIME, MP_EVENT, PLACEBO_TIME, PLACEBO_EVENT);
    assertEquals(21, lr.observed1());
    assertEquals(10.75, lr.expected1(), 0.005);
    assertEquals(9, lr.observed0());
    assertEquals(19.25, lr.expected0(), 0.005);
    assertEquals(16.79, lr.chi2(), 0.005);
    assertEquals(4.17e-5, lr.pValue(), 0.01e-5);
    assertEquals(1 - new org.hipparchus.distribution.continuous.ChiSquaredDistribution(1).cumulativeProbability(lr.chi2()),
        lr.pValue(), 1e-12);
    assertTrue(lr.z() > 0, "placebo relapses sooner");
    assertTrue(lr.hazardRatio() > 3, "HR (O/E ratio) placebo vs 6-MP ≈ 4.5: " + lr.hazardRatio());
    // symmetric in the groups
    var back = Survival.logRank(PLACEBO_TIME, PLACEBO_EVENT, MP_TIME, MP_EVENT);
    assertEquals(lr.chi2(), back.chi2(), 1e-9);
    assertEquals(-lr.z(), back.z(), 1e-9);
  }

  @Test
  void rmstIsTheAreaUnderThePublishedSteps() {
    // 6-MP up to 23 weeks, from the published S values: 1 on [0,6), then each step times its width
    double byHand = 6 * 1 + 1 * (18.0 / 21) + 3 * 0.806723 + 3 * 0.752941 + 3 * 0.690196 + 6 * 0.627451 + 1 * 0.537815;
    var mp = Survival.rmst(Survival.kaplanMeier(MP_TIME, MP_EVENT), 23);
    assertEquals(byHand, mp.estimate(), 1e-5);
    assertEquals(17.909, mp.estimate(), 1e-3);
    // placebo: no censoring, everyone relapsed by 23, so RMST(23) is the mean remission time 182/21
    var placebo = Survival.rmst(Survival.kaplanMeier(PLACEBO_TIME, PLACEBO_EVENT), 23);
    assertEquals(182.0 / 21, placebo.estimate(), 1e-9);
    // τ before the first event: τ itself, no variance
    assertEquals(0.5, Survival.rmst(Survival.kaplanMeier(MP_TIME, MP_EVENT), 0.5).estimate(), 1e-12);
    assertEquals(0, Survival.rmst(Survival.kaplanMeier(MP_TIME, MP_EVENT), 0.5).variance());
    var diff = Survival.rmstDifference(Survival.kaplanMeier(PLACEBO_TIME, PLACEBO_EVENT),
        Survival.kaplanMeier(MP_TIME, MP_EVENT), 23, 0.05);
    assertEquals(mp.estimate() - placebo.estimate(), diff.difference(), 1e-9);
    assertTrue(diff.ciLow() > 0 && diff.pValue() < 0.01, diff.toString());
  }

  @Test
  void withoutCensoringRmstIsTheMeanAndItsVarianceThePlugInVarianceOverN() {
    var rnd = new SplittableRandom(11);
    var x = new double[50];
    for (int i = 0; i < x.length; i++) x[i] = -Math.log(1 - rnd.nextDouble()) * 3;
    var e = new boolean[x.length];
    Arrays.fill(e, true);
    double max = Arrays.stream(x).max().orElseThrow();
    var r = Survival.rmst(Survival.kaplanMeier(x, e), max + 1);
    double mean = Arrays.stream(x).average().orElseThrow();
    double plugIn = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / x.length;
    assertEquals(mean, r.estimate(), 1e-9);
    assertEquals(plugIn / x.length, r.variance(), 1e-9);
  }

  @Test
  void rmstDifferenceCiCoversTheTruthAndLogRankHoldsItsLevelUnderCensoring() {
    var rnd = new SplittableRandom(2026);
    int runs = 400, n = 150, covered = 0, nullRejections = 0;
    double tau = 10, rate0 = 1 / 8.0, rate1 = 1 / 5.0;
    double truth = (1 - Math.exp(-rate1 * tau)) / rate1 - (1 - Math.exp(-rate0 * tau)) / rate0;
    for (int s = 0; s < runs; s++) {
      var a = sample(rnd, n, rate0, tau);
      var b = sample(rnd, n, rate1, tau);
      var d = Survival.rmstDifference(Survival.kaplanMeier(a[0], events(a[1])), Survival.kaplanMeier(b[0], events(b[1])), tau, 0.05);
      if (d.ciLow() <= truth && truth <= d.ciHigh()) covered++;
      var c = sample(rnd, n, rate0, tau);
      if (Survival.logRank(a[0], events(a[1]), c[0], events(c[1])).pValue() < 0.05) nullRejections++;
    }
    // binomial(400, 0.95): sd 10.9 → ±3 sd; binomial(400, 0.05) likewise
    System.out.printf("RMST CI coverage %d/%d, log-rank null rejections %d/%d%n", covered, runs, nullRejections, runs);
    assertTrue(covered >= 347 && covered <= 393, "coverage " + covered);
    assertTrue(nullRejections >= 7 && nullRejections <= 33, "null rejections " + nullRejections);
  }

  @Test
  void schoenfeldPower() {
    // Schoenfeld (1983): HR 0.5, two-sided 5 %, 80 % power, 1:1 needs 4·(1.96 + 0.8416)²/ln(2)² ≈ 65.3 events
    double events = 4 * Math.pow(1.959964 + 0.841621, 2) / Math.pow(Math.log(2), 2);
    assertEquals(65.3, events, 0.05);
    assertEquals(0.80, Survival.logRankPower(0.5, events, 0.5, 0.05), 1e-4);
    assertEquals(0.80, Survival.logRankPower(2.0, events, 0.5, 0.05), 1e-4);
    assertEquals(0.025, Survival.logRankPower(1.0, 100, 0.5, 0.05), 1e-9);
  }

  /** Exponential times, censored by a uniform(0, 2τ) dropout and administratively at τ: {times, events as 0/1}. */
  static double[][] sample(SplittableRandom rnd, int n, double rate, double tau) {
    var t = new double[n];
    var e = new double[n];
    for (int i = 0; i < n; i++) {
      double time = -Math.log(1 - rnd.nextDouble()) / rate;
      double censor = Math.min(tau, rnd.nextDouble() * 2 * tau);
      t[i] = Math.min(time, censor);
      e[i] = time <= censor ? 1 : 0;
    }
    return new double[][] {t, e};
  }

  static boolean[] events(double[] e) {
    var out = new boolean[e.length];
    for (int i = 0; i < e.length; i++) out[i] = e[i] == 1;
    return out;
  }
}
