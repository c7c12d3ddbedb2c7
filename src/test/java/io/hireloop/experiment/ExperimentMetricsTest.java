package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.experiment.Experiment.Spec;
import io.hireloop.experiment.Experiment.Variant;
import io.hireloop.experiment.ExposureProjection.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The analysis on generated outcomes (pure, through {@link Results#compute}): planted effects on a proportion
 * and a continuous metric are found with the right sign and CI; under the null the false-positive rate is
 * within a binomial tolerance of 5 %, also when peeking at many interim looks with the always-valid p-value
 * (where a naive z test is shown to fail); guardrails, SRM and CUPED.
 */
class ExperimentMetricsTest {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final int SIMULATIONS = 400;

  static Spec spec(String metric, List<String> guardrails, double windowDays, long minSample) {
    return new Spec("exp-metrics", "n", "h", "job_discovery", "min_fit_score_to_apply",
        List.of(new Variant("control", "60", "60", 0.5, null, null), new Variant("low", "55", "55", 0.5, null, null)),
        metric, guardrails, minSample, 30, windowDays, 0.2, "revert", "fit", "fixed", 0.2, "exp-metrics");
  }

  /** One user, exposed 30 days ago, with the given outcomes (days after exposure; null = never). */
  static Row user(String id, String variant, Double interviewDay, Double offerDay, Double responseDay, int applications,
      int preApplications, int preInterviews) {
    var exposed = NOW.minus(Duration.ofDays(30));
    var times = new ArrayList<Instant>();
    for (int i = 0; i < applications; i++) times.add(exposed.plus(Duration.ofHours(1 + i * 3L)));
    return new Row(id, variant, exposed, at(exposed, interviewDay), at(exposed, offerDay), at(exposed, responseDay),
        times, preApplications, preInterviews);
  }

  static Instant at(Instant exposed, Double days) {
    return days == null ? null : exposed.plus(Duration.ofMinutes(Math.round(days * 1440)));
  }

  /** n users per arm; {@code make} builds one user of an arm from (index, treated, random). */
  static List<Row> experiment(int n, SplittableRandom rnd, UserMaker make) {
    var rows = new ArrayList<Row>();
    for (int i = 0; i < n; i++) {
      rows.add(make.make("c" + i, "control", false, rnd));
      rows.add(make.make("t" + i, "low", true, rnd));
    }
    return rows;
  }

  interface UserMaker {
    Row make(String id, String variant, boolean treated, SplittableRandom rnd);
  }

  static UserMaker proportions(double pControl, double pTreatment, Function<Boolean, Double> offerP) {
    return (id, v, treated, rnd) -> user(id, v, rnd.nextDouble() < (treated ? pTreatment : pControl) ? 3.0 : null,
        rnd.nextDouble() < offerP.apply(treated) ? 5.0 : null, null, 4, 0, 0);
  }

  /** Poisson-ish application counts over the 14-day window: mean per week {@code rate} (control) or {@code rate·lift}. */
  static UserMaker applications(double rate, double lift) {
    return (id, v, treated, rnd) -> {
      double lambda = rate * 2 * (treated ? lift : 1);
      int k = 0;
      double l = Math.exp(-lambda), p = 1;
      do {
        k++;
        p *= rnd.nextDouble();
      } while (p > l);
      return user(id, v, null, null, null, k - 1, 0, 0);
    };
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> comparison(Map<String, Object> r) {
    return ((List<Map<String, Object>>) r.get("comparisons")).get(0);
  }

  @SuppressWarnings("unchecked")
  static List<Double> ci(Map<String, Object> m) {
    return (List<Double>) m.get("ci");
  }

  static boolean check(Map<String, Object> r, String name) {
    return (boolean) ResultsJson.checks(r).filter(c -> c.get("name").equals(name)).findFirst().orElseThrow().get("pass");
  }

  @Test
  void aPlantedLiftInAProportionIsFoundWithTheRightSignAndCi() {
    var rows = experiment(2000, new SplittableRandom(1), proportions(0.2, 0.2, t -> t ? 0.12 : 0.08));
    var r = ResultsJson.compute(spec("offer_rate", List.of(), 14, 1000), "running", rows, NOW);
    var c = comparison(r);
    double d = (double) c.get("absolute_difference");
    assertTrue(d > 0.02 && d < 0.06, c.toString()); // planted +0.04
    assertTrue(ci(c).get(0) > 0 && ci(c).get(0) < 0.04 && ci(c).get(1) > 0.04, c.toString());
    assertTrue((double) c.get("p_value") < 0.001, c.toString());
    assertEquals("roll_out_winner", r.get("decision"), r.toString());
  }

  @Test
  void aPlantedLiftInAContinuousMetricIsFoundAndAShortenedTimeToInterviewCountsAsBetter() {
    var rows = experiment(1500, new SplittableRandom(2), applications(3.0, 1.15));
    var r = ResultsJson.compute(spec("applications_per_week", List.of(), 14, 1000), "running", rows, NOW);
    var c = comparison(r);
    assertEquals("welch_t", c.get("test"));
    double d = (double) c.get("absolute_difference");
    assertTrue(ci(c).get(0) > 0 && ci(c).get(0) < 0.45 && ci(c).get(1) > 0.45, c.toString()); // planted +0.45 a week
    assertTrue(d > 0.3 && d < 0.6, c.toString());
    assertTrue((double) ((Map<?, ?>) c.get("mann_whitney")).get("p_value") < 0.001, c.toString());
    assertEquals("roll_out_winner", r.get("decision"), r.toString());

    // time to first interview: treatment 2 days faster (exponential, mean 6 vs 4 days; window 30 days)
    var fast = experiment(600, new SplittableRandom(3), (id, v, treated, rnd) ->
        user(id, v, -Math.log(1 - rnd.nextDouble()) * (treated ? 4 : 6) % 29.0, null, null, 2, 0, 0));
    var t = ResultsJson.compute(spec("time_to_first_interview_days", List.of(), 30, 500), "running", fast, NOW);
    var tc = comparison(t);
    assertTrue((double) tc.get("absolute_difference") < 0 && ci(tc).get(1) < 0, tc.toString());
    assertTrue(check(t, "ci_lower_bound") && check(t, "meaningful_effect"), t.toString());
    assertEquals("roll_out_winner", t.get("decision"), t.toString());
  }

  @Test
  void underTheNullTheFalsePositiveRateIsNearFivePercent() {
    var rnd = new SplittableRandom(42);
    int proportionHits = 0, continuousHits = 0;
    for (int s = 0; s < SIMULATIONS; s++) {
      var p = ResultsJson.compute(spec("interview_rate", List.of(), 14, 500), "running",
          experiment(500, rnd, proportions(0.2, 0.2, x -> 0.0)), NOW);
      if ((double) comparison(p).get("p_value") < 0.05) proportionHits++;
      var c = ResultsJson.compute(spec("applications_per_week", List.of(), 14, 300), "running",
          experiment(300, rnd, applications(3.0, 1.0)), NOW);
      if ((double) comparison(c).get("p_value") < 0.05) continuousHits++;
    }
    // binomial(400, 0.05): mean 20, sd 4.36; ±3 sd
    System.out.printf("A/A false positives over %d runs: proportion %d, continuous %d%n", SIMULATIONS, proportionHits, continuousHits);
    assertTrue(proportionHits >= 7 && proportionHits <= 33, "proportion false positives " + proportionHits);
    assertTrue(continuousHits >= 7 && continuousHits <= 33, "continuous false positives " + continuousHits);
  }

  @Test
  void peekingAtManyLooksKeepsTheAlwaysValidFalsePositiveRateAtFivePercentButNotTheNaiveOne() {
    var rnd = new SplittableRandom(7);
    int looks = 20, perLook = 100;
    int alwaysValidHits = 0, naiveHits = 0;
    var spec = spec("interview_rate", List.of(), 14, 0);
    for (int s = 0; s < SIMULATIONS; s++) {
      var all = experiment(looks * perLook, rnd, proportions(0.2, 0.2, x -> 0.0));
      boolean av = false, naive = false;
      for (int k = 1; k <= looks; k++) {
        var c = comparison(ResultsJson.compute(spec, "running", all.subList(0, 2 * k * perLook), NOW));
        av |= (double) c.get("always_valid_p_value") < 0.05;
        naive |= (double) c.get("p_value") < 0.05;
      }
      if (av) alwaysValidHits++;
      if (naive) naiveHits++;
    }
    System.out.printf("peeking at %d looks over %d A/A runs: always-valid %d, naive %d%n", looks, SIMULATIONS, alwaysValidHits, naiveHits);
    assertTrue(alwaysValidHits <= 33, "always-valid false positives with peeking " + alwaysValidHits);
    assertTrue(naiveHits > 50, "naive peeking should inflate the error (else this test cannot tell): " + naiveHits);
  }

  @Test
  void aGuardrailBreachStopsForHarmAndSrmBlocksEveryDecision() {
    // success metric improves, but offers drop from 10% to 5%
    var rows = experiment(2000, new SplittableRandom(5), proportions(0.2, 0.3, t -> t ? 0.05 : 0.10));
    var r = ResultsJson.compute(spec("interview_rate", List.of("offer_rate", "applications_per_week"), 14, 1000), "running", rows, NOW);
    assertEquals("stop_for_harm", r.get("decision"), r.toString());
    assertEquals("low", r.get("harmful_variant"));
    assertFalse(check(r, "guardrails"));
    assertTrue(check(r, "p_value"), "the success metric itself is better");
    @SuppressWarnings("unchecked")
    var guardrails = (List<Map<String, Object>>) r.get("guardrails");
    var offer = guardrails.stream().filter(g -> g.get("metric").equals("offer_rate")).findFirst().orElseThrow();
    assertEquals(true, offer.get("breached"));
    assertTrue((double) offer.get("one_sided_p_value") < Results.GUARDRAIL_ALPHA);
    var apps = guardrails.stream().filter(g -> g.get("metric").equals("applications_per_week")).findFirst().orElseThrow();
    assertEquals(true, apps.get("pass"), "no change in applications");

    // the same data with 30 % of the treatment's exposures lost: SRM, no decision
    var sabotaged = new ArrayList<Row>();
    for (int i = 0; i < rows.size(); i++) if (!(rows.get(i).variantId().equals("low") && i % 10 < 3)) sabotaged.add(rows.get(i));
    var s = ResultsJson.compute(spec("interview_rate", List.of("offer_rate"), 14, 1000), "running", sabotaged, NOW);
    assertEquals(true, ((Map<?, ?>) s.get("srm")).get("mismatch"));
    assertEquals("continue_test", s.get("decision"), s.toString());
    assertFalse(check(s, "no_srm"));

    // the same exposures are no mismatch when the allocation really gave "low" that smaller share (a
    // mid-flight change the check is told about through the expected shares)
    double control = rows.stream().filter(row -> row.variantId().equals("control")).count();
    double kept = (double) sabotaged.stream().filter(row -> row.variantId().equals("low")).count()
        / rows.stream().filter(row -> row.variantId().equals("low")).count(); // the sabotage's real share
    double low = kept * rows.stream().filter(row -> row.variantId().equals("low")).count();
    var told = ResultsJson.compute(spec("interview_rate", List.of("offer_rate"), 14, 1000), "running", sabotaged, NOW,
        List.of(control / (control + low), low / (control + low)));
    assertEquals(false, ((Map<?, ?>) told.get("srm")).get("mismatch"), told.get("srm").toString());
    assertTrue(check(told, "no_srm"));
  }

  @Test
  void aTreatmentSignificantlyWorseOnTheSuccessMetricIsHarm() {
    var rows = experiment(2000, new SplittableRandom(6), proportions(0.3, 0.2, t -> 0.0));
    var r = ResultsJson.compute(spec("interview_rate", List.of(), 14, 1000), "running", rows, NOW);
    assertEquals("stop_for_harm", r.get("decision"));
    assertNull(r.get("winner"));
  }

  @Test
  void cupedReducesVarianceWhenThePrePeriodCorrelatesAndKeepsTheEstimate() {
    // each user has a latent interview propensity that drives both the pre-period and the outcome
    UserMaker maker = (id, v, treated, rnd) -> {
      double q = rnd.nextDouble() < 0.5 ? 0.05 : 0.6;
      int pre = 10, preInterviews = 0;
      for (int i = 0; i < pre; i++) if (rnd.nextDouble() < q) preInterviews++;
      double p = Math.min(1, q + (treated ? 0.05 : 0));
      return user(id, v, rnd.nextDouble() < p ? 2.0 : null, null, null, 3, pre, preInterviews);
    };
    var r = ResultsJson.compute(spec("interview_rate", List.of(), 14, 1000), "running",
        experiment(3000, new SplittableRandom(8), maker), NOW);
    var c = comparison(r);
    @SuppressWarnings("unchecked")
    var cuped = (Map<String, Object>) c.get("cuped");
    double reduction = (double) cuped.get("variance_reduction");
    double raw = ci(c).get(1) - ci(c).get(0);
    double adjusted = ci(cuped).get(1) - ci(cuped).get(0);
    System.out.printf("CUPED: variance reduction %.3f, CI width %.4f → %.4f, difference %.4f → %.4f%n", reduction, raw, adjusted,
        (double) c.get("absolute_difference"), (double) cuped.get("adjusted_difference"));
    // the pre-period rate (10 applications) explains about a quarter of the outcome's variance here
    assertTrue(reduction > 0.2, cuped.toString());
    assertTrue(adjusted < raw * 0.9, "CI " + raw + " → " + adjusted);
    assertTrue(ci(cuped).get(0) < 0.05 && ci(cuped).get(1) > 0.05, "the adjusted CI covers the planted +0.05: " + cuped);

    // no pre-period signal: nothing to gain
    UserMaker unrelated = (id, v, treated, rnd) -> user(id, v, rnd.nextDouble() < 0.3 ? 2.0 : null, null, null, 3, 10,
        rnd.nextInt(11));
    var u = ResultsJson.compute(spec("interview_rate", List.of(), 14, 1000), "running",
        experiment(3000, new SplittableRandom(9), unrelated), NOW);
    @SuppressWarnings("unchecked")
    var none = (Map<String, Object>) comparison(u).get("cuped");
    assertTrue(Math.abs((double) none.get("variance_reduction")) < 0.01, none.toString());
  }

  @Test
  void theAttributionWindowDecidesWhoCountsForEveryMetric() {
    var exposed = NOW.minus(Duration.ofDays(10));
    var late = new Row("late", "control", NOW.minus(Duration.ofDays(3)), null, null, null, List.of(), 0, 0);
    var r = new Row("u", "control", exposed, exposed.plus(Duration.ofDays(8)), null, exposed.plus(Duration.ofDays(1)),
        List.of(exposed.plusSeconds(60), exposed.plus(Duration.ofDays(6)), exposed.plus(Duration.ofDays(9))), 0, 0);
    var week = OutcomeMetric.window(7);
    assertTrue(OutcomeMetric.eligible(r, week, NOW));
    assertFalse(OutcomeMetric.eligible(late, week, NOW));
    assertEquals(0.0, OutcomeMetric.INTERVIEW_RATE.value(r, week, NOW)); // interview on day 8: outside the window
    assertEquals(1.0, OutcomeMetric.RESPONSE_RATE.value(r, week, NOW));
    assertEquals(2.0, OutcomeMetric.APPLICATIONS_PER_WEEK.value(r, week, NOW), 1e-9);
    assertNull(OutcomeMetric.TIME_TO_FIRST_INTERVIEW_DAYS.value(r, week, NOW));
    var zero = Duration.ZERO; // outcomes as they arrive
    assertTrue(OutcomeMetric.eligible(late, zero, NOW));
    assertEquals(1.0, OutcomeMetric.INTERVIEW_RATE.value(r, zero, NOW));
    assertEquals(8.0, OutcomeMetric.TIME_TO_FIRST_INTERVIEW_DAYS.value(r, zero, NOW), 1e-9);
    assertEquals(3 / (10.0 / 7), OutcomeMetric.APPLICATIONS_PER_WEEK.value(r, zero, NOW), 1e-9);
  }

  @Test
  void theProjectionFoldsEveryOutcomeFactAndThePrePeriodAndOldStateStillReads() throws Exception {
    var t = Instant.parse("2026-05-01T00:00:00Z");
    var ctx = new io.hireloop.journey.Domain.ApplicationContext("balanced", 70, "target", null, 60, false);
    var s = ExposureProjection.UserState.EMPTY;
    var changed = new java.util.HashSet<String>();
    long seq = 0;
    // before the exposure: 4 applications, 1 interview, then the user is exposed
    for (int i = 0; i < 4; i++) {
      s = ExposureProjection.apply(s, ++seq, new io.hireloop.journey.JourneyEvent.ApplicationRecorded("p" + i, "APPLICATION_CREATED",
          t.plusSeconds(i), "old-" + i, "j", "r", ctx), changed);
    }
    s = ExposureProjection.apply(s, ++seq, statusEvent("s0", t.plusSeconds(10), "old-0", "interview"), changed);
    s = ExposureProjection.apply(s, ++seq, new io.hireloop.journey.JourneyEvent.ExperimentExposed("x", t.plusSeconds(60), "exp", "low"), changed);
    // an old application's offer after the exposure does not count; new applications do
    s = ExposureProjection.apply(s, ++seq, statusEvent("s1", t.plusSeconds(70), "old-0", "offer"), changed);
    for (int i = 0; i < 2; i++) {
      s = ExposureProjection.apply(s, ++seq, new io.hireloop.journey.JourneyEvent.ApplicationRecorded("n" + i, "APPLICATION_CREATED",
          t.plusSeconds(100 + i), "new-" + i, "j", "r", ctx), changed);
    }
    s = ExposureProjection.apply(s, ++seq, statusEvent("s2", t.plusSeconds(200), "new-0", "rejected"), changed);
    s = ExposureProjection.apply(s, ++seq, statusEvent("s3", t.plusSeconds(300), "new-1", "phone_screen"), changed);
    s = ExposureProjection.apply(s, ++seq, statusEvent("s4", t.plusSeconds(400), "new-1", "offer"), changed);
    var x = s.exposures().get("exp");
    assertEquals(4, x.preApplications());
    assertEquals(1, x.preInterviews());
    assertEquals(List.of(t.plusSeconds(100).toEpochMilli(), t.plusSeconds(101).toEpochMilli()), x.applicationTimes());
    assertEquals(t.plusSeconds(200).toEpochMilli(), x.responseAt(), "a rejection is a response");
    assertEquals(t.plusSeconds(300).toEpochMilli(), x.convertedAt());
    assertEquals(t.plusSeconds(400).toEpochMilli(), x.offerAt());

    // state written before these facts existed still reads (missing fields are empty)
    var old = io.hireloop.platform.Json.MAPPER.readValue("{\"asOfSeqNr\":3,\"exposures\":{\"exp\":{\"variantId\":\"low\","
        + "\"exposedAt\":5,\"convertedAt\":null}},\"applicationsCreatedAt\":{\"a\":1}}", ExposureProjection.UserState.class);
    assertEquals(List.of(), old.exposures().get("exp").applicationTimes());
    assertEquals(java.util.Set.of(), old.interviewedApplications());
  }

  static io.hireloop.journey.JourneyEvent.StatusChanged statusEvent(String id, Instant at, String app, String status) {
    return new io.hireloop.journey.JourneyEvent.StatusChanged(id, at, app, "j", null, null,
        new io.hireloop.journey.Domain.Outcome(status, 1, null));
  }
}
