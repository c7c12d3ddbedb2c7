package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.junit.jupiter.api.Test;

/**
 * {@code time_to_first_interview_days} as censored data through {@link Results#compute} (pure, rows built by
 * hand): users without an interview in the window are censored, not dropped; a treatment that gets interviews
 * sooner and to more users wins although the interviewed-only average says it is slower; no effect is
 * flagged at about 5 %; the metric works as a guardrail and with a window of 0.
 */
class TimeToInterviewResultsTest {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final String METRIC = "time_to_first_interview_days";

  static Spec spec(String metric, List<String> guardrails, double windowDays, long minSample) {
    return new Spec("exp-tti", "n", "h", "job_discovery", "min_fit_score_to_apply",
        List.of(new Variant("control", "60", "60", 0.5, null, null), new Variant("low", "55", "55", 0.5, null, null)),
        metric, guardrails, minSample, 30, windowDays, 0.2, "revert", "fit", "fixed", 0.2, "exp-tti");
  }

  /**
   * n users per arm exposed 20 days ago; a share {@code reached} of a variant's users would get an interview
   * after an exponential time with the given mean (days), the rest never do (ghosted).
   */
  static List<Row> rows(SplittableRandom rnd, int n, double reached0, double mean0, double reached1, double mean1) {
    var rows = new ArrayList<Row>();
    var exposed = NOW.minus(Duration.ofDays(20));
    for (int i = 0; i < n; i++) {
      rows.add(user(rnd, "c" + i, "control", exposed, reached0, mean0));
      rows.add(user(rnd, "t" + i, "low", exposed, reached1, mean1));
    }
    return rows;
  }

  static Row user(SplittableRandom rnd, String id, String variant, Instant exposed, double reached, double mean) {
    Instant interview = null;
    if (rnd.nextDouble() < reached) {
      double days = -Math.log(1 - rnd.nextDouble()) * mean;
      interview = exposed.plus(Duration.ofMinutes(Math.round(days * 1440)));
      if (interview.isAfter(NOW)) interview = null; // not happened yet
    }
    return new Row(id, variant, exposed, interview);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> comparison(Map<String, Object> r) {
    return ((List<Map<String, Object>>) r.get("comparisons")).get(0);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> variant(Map<String, Object> r, int i) {
    return ((List<Map<String, Object>>) r.get("variants")).get(i);
  }

  @SuppressWarnings("unchecked")
  static List<Double> list(Object o) {
    return (List<Double>) o;
  }

  static boolean check(Map<String, Object> r, String name) {
    return (boolean) ResultsJson.checks(r).filter(c -> c.get("name").equals(name)).findFirst().orElseThrow().get("pass");
  }

  @Test
  void soonerAndMoreOftenWinsThoughTheInterviewedOnlyAverageSaysSlower() {
    // control: 30 % ever get an interview, quickly (mean 3 days); treatment: 65 %, mean 4 days. The
    // treatment's survival curve is below control's at every t > 0, but its interviewed users waited longer.
    var rows = rows(new SplittableRandom(1), 1000, 0.30, 3, 0.65, 4);
    var spec = spec(METRIC, List.of(), 14, 900);
    var window = OutcomeMetric.window(14);

    // the old analysis: the interviewed users only, Welch on their days
    var metric = OutcomeMetric.TIME_TO_FIRST_INTERVIEW_DAYS;
    var old0 = rows.stream().filter(r -> r.variantId().equals("control")).map(r -> metric.value(r, window, NOW))
        .filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
    var old1 = rows.stream().filter(r -> r.variantId().equals("low")).map(r -> metric.value(r, window, NOW))
        .filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
    var old = MetricComparison.of(metric, old0, old1, MetricComparison.mean(old0), 0.2);
    assertTrue(old.difference() > 0 && old.improvement() < 0 && old.pValue() < 0.05,
        "the interviewed-only average calls the better treatment significantly slower: " + old);

    var r = ResultsJson.compute(spec, "running", rows, NOW);
    System.out.printf("interviewed-only: difference %.3f days, Welch p %.2g; censored analysis: %s | %s | %s%n",
        old.difference(), old.pValue(), variant(r, 0), variant(r, 1), comparison(r));
    var control = variant(r, 0);
    var low = variant(r, 1);
    assertEquals(1000, control.get("observations"));
    assertEquals(1000L, control.get("eligible_users"));
    assertEquals(1000, (int) control.get("events") + (int) control.get("censored"), "ghosted users are censored, not dropped");
    assertEquals(old0.length, control.get("events"));
    assertEquals(old1.length, low.get("events"));
    assertNull(control.get("median"), "fewer than half of control ever get an interview");
    assertNotNull(low.get("median"));
    assertEquals(14.0, (double) low.get("tau_days"));
    // RMST up to 14 days: truth 0.7·14 + 0.3·3·(1 − e^(−14/3)) = 10.69 vs 0.35·14 + 0.65·4·(1 − e^(−3.5)) = 7.42
    assertEquals(10.69, (double) control.get("mean"), 0.4);
    assertEquals(7.42, (double) low.get("mean"), 0.4);

    var c = comparison(r);
    assertEquals("log_rank", c.get("test"));
    double d = (double) c.get("absolute_difference");
    assertEquals((double) low.get("mean") - (double) control.get("mean"), d, 1e-9);
    assertTrue(d < -2.5 && d > -4, "RMST difference, planted −3.27 days: " + d);
    assertTrue(list(c.get("ci")).get(1) < 0, "the CI excludes 0 on the good (lower) side: " + c);
    assertTrue(list(c.get("ci")).get(0) < -3.27 && list(c.get("ci")).get(1) > -3.27, "CI covers the planted difference: " + c);
    assertTrue((double) c.get("p_value") < 1e-6 && (double) c.get("p_value") > 0, "tiny but not underflowed to 0: " + c);
    assertTrue((double) c.get("effect_size_hazard_ratio") > 1, "treatment interviews sooner: " + c);
    assertNull(c.get("always_valid_p_value"));
    assertNotNull(c.get("always_valid_problem"));
    assertNotNull(((Map<?, ?>) c.get("cuped")).get("problem"));
    assertEquals(c.get("p_value"), ((Map<?, ?>) c.get("log_rank")).get("p_value"));
    assertTrue(check(r, "ci_lower_bound") && check(r, "meaningful_effect") && check(r, "p_value"), r.toString());
    assertEquals("roll_out_winner", r.get("decision"), r.toString());
    assertEquals("low", r.get("winner"));

    // the reverse assignment is harm
    var swapped = rows.stream().map(x -> new Row(x.userId(), x.variantId().equals("low") ? "control" : "low",
        x.exposedAt(), x.convertedAt())).toList();
    var h = ResultsJson.compute(spec, "running", swapped, NOW);
    assertEquals("stop_for_harm", h.get("decision"), h.toString());
  }

  @Test
  void noEffectIsFlaggedAtAboutFivePercent() {
    var rnd = new SplittableRandom(42);
    int runs = 400, hits = 0, winners = 0;
    var spec = spec(METRIC, List.of(), 14, 150);
    for (int s = 0; s < runs; s++) {
      var r = ResultsJson.compute(spec, "running", rows(rnd, 200, 0.4, 5, 0.4, 5), NOW);
      if ((double) comparison(r).get("p_value") < 0.05) hits++;
      if ("roll_out_winner".equals(r.get("decision"))) winners++;
    }
    // binomial(400, 0.05): mean 20, sd 4.36; ±3 sd. Winners need p < 0.05 on the good side (about half the hits).
    System.out.printf("time to first interview A/A: log-rank p < 0.05 in %d of %d runs, winners %d%n", hits, runs, winners);
    assertTrue(hits >= 7 && hits <= 33, "false positives " + hits);
    assertTrue(winners <= hits);
  }

  @Test
  void asAGuardrailASlowerTreatmentIsBreached() {
    // the success metric (interview rate) is the same; the treatment gets the same users interviews later
    var rows = rows(new SplittableRandom(9), 1500, 0.5, 2, 0.5, 5);
    var r = ResultsJson.compute(spec("interview_rate", List.of(METRIC), 14, 1000), "running", rows, NOW);
    @SuppressWarnings("unchecked")
    var g = ((List<Map<String, Object>>) r.get("guardrails")).get(0);
    assertEquals(METRIC, g.get("metric"));
    assertEquals("log_rank", g.get("test"));
    assertTrue((double) g.get("treatment_value") > (double) g.get("control_value"), g.toString());
    assertTrue((double) g.get("one_sided_p_value") < 0.025, g.toString());
    assertEquals(true, g.get("breached"));
    assertEquals("stop_for_harm", r.get("decision"));

    // and a faster treatment passes the guardrail
    var faster = rows(new SplittableRandom(10), 1500, 0.5, 5, 0.5, 2);
    @SuppressWarnings("unchecked")
    var ok = ((List<Map<String, Object>>) ResultsJson.compute(spec("interview_rate", List.of(METRIC), 14, 1000), "running",
        faster, NOW).get("guardrails")).get(0);
    assertEquals(false, ok.get("breached"));
    assertTrue((double) ok.get("one_sided_p_value") > 0.5, ok.toString());
  }

  @Test
  void windowZeroCensorsAtNowAndOnlyWindowElapsedUsersCountOtherwise() {
    var exposedLong = NOW.minus(Duration.ofDays(10));
    var exposedRecent = NOW.minus(Duration.ofDays(2));
    var rows = List.of(
        new Row("a", "control", exposedLong, exposedLong.plus(Duration.ofDays(4))),
        new Row("b", "control", exposedLong, null),
        new Row("c", "control", exposedRecent, null),
        new Row("d", "low", exposedLong, exposedLong.plus(Duration.ofDays(1))),
        new Row("e", "low", exposedRecent, exposedRecent.plus(Duration.ofDays(1))),
        new Row("f", "low", exposedLong, exposedLong.plus(Duration.ofDays(9))));
    var metric = OutcomeMetric.TIME_TO_FIRST_INTERVIEW_DAYS;
    var zero = Duration.ZERO;
    assertEquals(new OutcomeMetric.Observation(10, false), metric.observation(rows.get(1), zero, NOW));
    assertEquals(new OutcomeMetric.Observation(2, false), metric.observation(rows.get(2), zero, NOW));
    assertEquals(new OutcomeMetric.Observation(4, true), metric.observation(rows.get(0), zero, NOW));
    // a 7-day window: the day-9 interview is outside it, so that user is censored at 7
    var week = OutcomeMetric.window(7);
    assertEquals(new OutcomeMetric.Observation(7, false), metric.observation(rows.get(5), week, NOW));

    var r0 = ResultsJson.compute(spec(METRIC, List.of(), 0, 1), "running", rows, NOW);
    assertEquals(3, variant(r0, 0).get("observations"));
    assertEquals(1, variant(r0, 0).get("events"));
    // τ = the smaller of the arms' longest follow-up: control 10 (censored), low 9 (event)
    assertEquals(9.0, (double) variant(r0, 0).get("tau_days"), 1e-9);
    assertEquals(9.0, (double) ((Map<?, ?>) comparison(r0).get("rmst")).get("tau_days"), 1e-9);

    var r7 = ResultsJson.compute(spec(METRIC, List.of(), 7, 1), "running", rows, NOW);
    assertEquals(2, variant(r7, 0).get("observations"), "exposed 2 days ago: window not elapsed");
    assertEquals(1, variant(r7, 1).get("events"));
    assertEquals(1, variant(r7, 1).get("censored"));
  }
}
