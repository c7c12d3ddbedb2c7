package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.experiment.ExposureProjection.Row;
import io.hireloop.experiment.ExposureProjection.UserState;
import io.hireloop.journey.Domain;
import io.hireloop.journey.JourneyEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Results from exposure rows (pure) and the exposure fold of the projection. */
class ExperimentAnalysisTest {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  /** n users per arm, the given number of conversions, exposed {@code daysAgo} days ago. */
  static List<Row> arm(String variant, int n, int conversions, double daysAgo) {
    var rows = new ArrayList<Row>();
    var exposed = NOW.minus(Duration.ofMinutes(Math.round(daysAgo * 1440)));
    for (int i = 0; i < n; i++) {
      rows.add(new Row(variant + "-u" + i, variant, exposed, i < conversions ? exposed.plus(Duration.ofDays(1)) : null));
    }
    return rows;
  }

  static Experiment.Spec spec(long minSample, double windowDays) {
    var s = Specs.valid("exp-analysis");
    return new Experiment.Spec(s.experimentId(), s.name(), s.hypothesis(), s.component(), s.parameter(), s.variants(),
        s.successMetric(), s.guardrailMetrics(), minSample, s.maximumDurationDays(), windowDays, s.expectedImprovement(),
        s.rollbackPlan(), s.layer(), s.allocationMode(), s.baselineRate(), s.salt());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> comparison(Map<String, Object> r) {
    return ((List<Map<String, Object>>) r.get("comparisons")).get(0);
  }

  static boolean check(Map<String, Object> r, String name) {
    @SuppressWarnings("unchecked")
    var checks = (List<Map<String, Object>>) r.get("checks");
    return (boolean) checks.stream().filter(c -> c.get("name").equals(name)).findFirst().orElseThrow().get("pass");
  }

  @Test
  void aPlantedLiftIsFoundWithTheRightSignAndRolledOut() {
    var rows = new ArrayList<>(arm("control", 1000, 100, 20));
    rows.addAll(arm("low", 1000, 150, 20));
    var r = ResultsJson.compute(spec(900, 14), "running", rows, NOW);
    var c = comparison(r);
    assertEquals(0.05, (double) c.get("absolute_difference"), 1e-9);
    assertEquals(0.5, (double) c.get("relative_difference"), 1e-9);
    assertTrue((double) c.get("p_value") < 0.001, c.toString());
    assertTrue(((List<Double>) c.get("ci")).get(0) > 0);
    assertTrue((double) c.get("effect_size_cohens_h") > 0);
    assertTrue((double) c.get("achieved_power") > 0.9);
    assertTrue((double) c.get("always_valid_p_value") < 0.05, c.toString());
    assertEquals(c.get("p_value"), c.get("p_value_holm")); // one treatment: Holm changes nothing
    assertEquals("roll_out_winner", r.get("decision"), r.toString());
    assertEquals("low", r.get("winner"));
  }

  @Test
  void aNullEffectIsNotSignificant() {
    var rows = new ArrayList<>(arm("control", 1000, 100, 20));
    rows.addAll(arm("low", 1000, 104, 20));
    var r = ResultsJson.compute(spec(900, 14), "running", rows, NOW);
    assertTrue((double) comparison(r).get("p_value") > 0.05);
    assertEquals("no_significant_difference", r.get("decision"));
    assertTrue(!check(r, "p_value") && check(r, "sample_size") && check(r, "no_srm"));
  }

  @Test
  void tooFewUsersContinueTheTest() {
    var rows = new ArrayList<>(arm("control", 300, 30, 20));
    rows.addAll(arm("low", 300, 60, 20));
    var r = ResultsJson.compute(spec(4000, 14), "running", rows, NOW);
    assertEquals("continue_test", r.get("decision"));
    assertTrue(!check(r, "sample_size"));
  }

  @Test
  void sabotagedAssignmentIsCaughtBySrmAndBlocksTheDecision() {
    var rows = new ArrayList<>(arm("control", 1000, 100, 20));
    rows.addAll(arm("low", 1200, 180, 20));
    var r = ResultsJson.compute(spec(900, 14), "running", rows, NOW);
    assertEquals(true, ((Map<?, ?>) r.get("srm")).get("mismatch"));
    assertEquals("continue_test", r.get("decision"));
    assertTrue(!check(r, "no_srm"));
  }

  @Test
  void aHarmfulTreatmentIsStopped() {
    var rows = new ArrayList<>(arm("control", 1000, 150, 20));
    rows.addAll(arm("low", 1000, 90, 20));
    var r = ResultsJson.compute(spec(900, 14), "running", rows, NOW);
    assertEquals("stop_for_harm", r.get("decision"));
    assertEquals("low", r.get("harmful_variant"));
  }

  @Test
  void onlyUsersWhoseWindowElapsedCount() {
    var rows = new ArrayList<>(arm("control", 100, 10, 20));
    rows.addAll(arm("low", 100, 10, 3)); // exposed 3 days ago: 14-day window still open
    var r = ResultsJson.compute(spec(10, 14), "running", rows, NOW);
    @SuppressWarnings("unchecked")
    var variants = (List<Map<String, Object>>) r.get("variants");
    assertEquals(100L, variants.get(1).get("exposed_users"));
    assertEquals(0L, variants.get(1).get("eligible_users"));
    assertNull(variants.get(1).get("rate"));
    // window 0: everyone counts at once
    var zero = ResultsJson.compute(spec(10, 0), "running", rows, NOW);
    @SuppressWarnings("unchecked")
    var v0 = (List<Map<String, Object>>) zero.get("variants");
    assertEquals(100L, v0.get(1).get("eligible_users"));
    assertEquals(10L, v0.get(1).get("conversions"));
  }

  @Test
  void onlyApplicationsCreatedAfterTheExposureConvertAndRedeliveryIsANoOp() {
    var t = Instant.parse("2026-05-01T00:00:00Z");
    var ctx = new Domain.ApplicationContext("balanced", 70, "target", null, 60, false);
    var before = new JourneyEvent.ApplicationRecorded("e1", "APPLICATION_CREATED", t, "a-old", "j", "r", ctx);
    var exposed = new JourneyEvent.ExperimentExposed("exposure:x:u", t.plusSeconds(60), "x", "low");
    var oldInterview = new JourneyEvent.StatusChanged("e2", t.plusSeconds(120), "a-old", "j", null, null,
        new Domain.Outcome("interview", 1, null));
    var after = new JourneyEvent.ApplicationRecorded("e3", "APPLICATION_CREATED", t.plusSeconds(180), "a-new", "j", "r", ctx);
    var newInterview = new JourneyEvent.StatusChanged("e4", t.plusSeconds(240), "a-new", "j", null, null,
        new Domain.Outcome("phone_screen", 1, null));
    var changed = new HashSet<String>();
    var s = UserState.EMPTY;
    s = ExposureProjection.apply(s, 1, before, changed);
    s = ExposureProjection.apply(s, 2, exposed, changed);
    s = ExposureProjection.apply(s, 3, oldInterview, changed);
    assertNull(s.exposures().get("x").convertedAt(), "an application from before the exposure does not count");
    s = ExposureProjection.apply(s, 4, after, changed);
    s = ExposureProjection.apply(s, 5, newInterview, changed);
    assertEquals(t.plusSeconds(240).toEpochMilli(), s.exposures().get("x").convertedAt());
    assertEquals(java.util.Set.of("x"), changed);
    var again = ExposureProjection.apply(s, 2, exposed, new HashSet<>());
    assertEquals(s, again);
  }
}
