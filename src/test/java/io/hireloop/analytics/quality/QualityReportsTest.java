package io.hireloop.analytics.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** The timing report's confounding caveat and the calibration report's verdicts, on planted data. */
class QualityReportsTest {
  static final Instant MONDAY_9 = Instant.parse("2026-03-02T09:00:00Z");
  static final int PER_DAY = 1500;

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /** Five weekdays; {@code score(day, i)} the resume score, {@code p(day, score)} the true response probability. */
  static List<ApplicationOutcome> week(java.util.function.BiFunction<Integer, Integer, Double> score,
      java.util.function.BiFunction<Integer, Double, Double> p, long seed) {
    var rnd = new SplittableRandom(seed);
    var out = new ArrayList<ApplicationOutcome>();
    for (int day = 0; day < 5; day++) {
      for (int i = 0; i < PER_DAY; i++) {
        double s = score.apply(day, i);
        boolean responded = rnd.nextDouble() < p.apply(day, s);
        out.add(new ApplicationOutcome(s, MONDAY_9.plusSeconds(day * 86_400L + (i % 8) * 3600L), responded, responded, true));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> day(Map<String, Object> report, String weekday) {
    return ((List<Map<String, Object>>) report.get("by_weekday")).stream().filter(m -> m.get("weekday").equals(weekday)).findFirst().orElseThrow();
  }

  @Test
  void aPatternMadeByWhoAppliesWhenGetsTheCaveat() {
    // Monday applicants have better resumes; the response depends on the resume score only
    var data = week((day, i) -> day == 0 ? 60 + 40.0 * i / PER_DAY : 20 + 60.0 * i / PER_DAY,
        (day, s) -> sigmoid(-4 + 0.06 * s), 1);
    var report = TimingReport.compute(data, 30, 0.03);
    var monday = day(report, "MONDAY");
    var tuesday = day(report, "TUESDAY");
    assertTrue((double) monday.get("response_rate") - (double) tuesday.get("response_rate") > 0.2, report.toString());
    assertEquals(PER_DAY, monday.get("applications"));
    double adjustedGap = (double) monday.get("adjusted_response_rate") - (double) tuesday.get("adjusted_response_rate");
    assertTrue(Math.abs(adjustedGap) < 0.05, "adjusted rates are close: " + adjustedGap);
    assertEquals(true, report.get("confounded"));
    assertTrue(((String) report.get("caveat")).contains("weekday pattern is likely confounded"), (String) report.get("caveat"));
  }

  @Test
  void aRealWeekdayEffectWithTheSameResumeMixEverydayGetsNoCaveat() {
    var data = week((day, i) -> 20 + 80.0 * i / PER_DAY, (day, s) -> sigmoid(-3 + 0.04 * s + (day == 0 ? 1.0 : 0)), 2);
    var report = TimingReport.compute(data, 30, 0.03);
    var monday = day(report, "MONDAY");
    var tuesday = day(report, "TUESDAY");
    assertTrue((double) monday.get("response_rate") - (double) tuesday.get("response_rate") > 0.1, report.toString());
    assertEquals((double) monday.get("response_rate"), (double) monday.get("adjusted_response_rate"), 0.01);
    assertEquals(false, report.get("confounded"), String.valueOf(report.get("caveat")));
    assertNull(report.get("caveat"));
    @SuppressWarnings("unchecked")
    var adjustment = (Map<String, Object>) report.get("adjustment");
    assertTrue((double) adjustment.get("weekday_max_shift") < 0.01, adjustment.toString());
    assertNotNull(adjustment.get("hour_max_shift"), "eight hours with 30+ applications each are compared too");
  }

  @Test
  void smallSlotsAreListedButNotCompared() {
    var data = week((day, i) -> 20 + 80.0 * i / PER_DAY, (day, s) -> 0.3, 3).subList(0, 20);
    var report = TimingReport.compute(data, 30, 0.03);
    assertEquals(false, day(report, "MONDAY").get("reliable"));
    assertEquals(false, report.get("confounded"));
  }

  static List<ApplicationOutcome> scored(int n, DoubleUnaryOperator p, long seed) {
    var rnd = new SplittableRandom(seed);
    var out = new ArrayList<ApplicationOutcome>();
    for (int i = 0; i < n; i++) {
      double s = 100.0 * i / n;
      boolean interviewed = rnd.nextDouble() < p.applyAsDouble(s);
      out.add(new ApplicationOutcome(s, MONDAY_9, interviewed, interviewed, true));
    }
    out.add(new ApplicationOutcome(50, MONDAY_9, false, false, false)); // unknown outcome: left out
    return out;
  }

  @Test
  void calibrationVerdicts() {
    var calibrated = CalibrationReport.compute(scored(20_000, s -> s / 100, 4), 50);
    assertEquals(20_000, calibrated.get("applications"));
    assertTrue((double) calibrated.get("calibration_error") < 0.02, calibrated.toString());
    assertTrue(((String) calibrated.get("recommendation")).contains("is calibrated"), (String) calibrated.get("recommendation"));

    var overconfident = CalibrationReport.compute(scored(20_000, s -> 0.05 + 0.002 * s, 5), 50);
    assertTrue((double) overconfident.get("calibration_error") > 0.2, overconfident.toString());
    assertTrue(((String) overconfident.get("recommendation")).contains("not a probability"), (String) overconfident.get("recommendation"));
    @SuppressWarnings("unchecked")
    var platt = (Map<String, Object>) overconfident.get("platt");
    assertTrue((double) platt.get("ece") < 0.02, platt.toString());
    @SuppressWarnings("unchecked")
    var buckets = (List<Map<String, Object>>) overconfident.get("buckets");
    assertEquals(10, buckets.size());
    assertEquals(2000, buckets.get(3).get("applications"));

    var noise = CalibrationReport.compute(scored(20_000, s -> 0.3, 6), 50);
    assertTrue(((String) noise.get("recommendation")).contains("barely ranks"), (String) noise.get("recommendation"));

    var few = CalibrationReport.compute(scored(10, s -> 0.3, 7), 50);
    assertTrue(((String) few.get("recommendation")).startsWith("not enough"));
    assertFalse(few.containsKey("auc"));
  }
}
