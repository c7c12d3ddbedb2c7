package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.experiment.Allocation.Slice;
import io.hireloop.experiment.ExposureProjection.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The split each exposed user was assigned under, through {@link Results#compute}: users assigned exactly as
 * {@link ExperimentAssignments} does (the real hashes), with weights that moved mid-flight ({@code thompson})
 * or a slice opened after an allocation change ({@code fixed}). The old expectation flags them; this does not,
 * and a sabotaged assignment is still caught.
 */
class ExpectedSharesTest {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  static final Instant NOW = T0.plus(Duration.ofDays(30));

  static Map<?, ?> srm(Map<String, Object> results) {
    return (Map<?, ?>) results.get("srm");
  }

  @Test
  void thompsonUsersAreExpectedUnderTheWeightsInForceAtTheirExposure() {
    var spec = Specs.inLayer("exp-adaptive", "default", "thompson");
    var changes = List.of(new ExpectedShares.Change(T0.plus(Duration.ofHours(1)), List.of(0.2, 0.8)),
        new ExpectedShares.Change(T0.plus(Duration.ofHours(2)), List.of(0.05, 0.95)));
    var shares = ExpectedShares.of(spec, null, changes);
    var rows = new ArrayList<Row>();
    int users = 6000;
    for (int u = 0; u < users; u++) {
      String user = "u" + u;
      var at = T0.plus(Duration.ofSeconds(u * 3L)); // 5 h: 1,200 users, 1,200, then 3,600
      var weights = shares.of(new Row(user, null, at, null));
      rows.add(new Row(user, Assignment.pick(spec.variants(), weights, Assignment.bucket(spec.salt(), user)).variantId(), at, null));
    }
    assertEquals(List.of(0.5, 0.5), shares.of(new Row("x", "control", T0.plus(Duration.ofMinutes(59)), null)));
    assertEquals(List.of(0.2, 0.8), shares.of(new Row("x", "control", T0.plus(Duration.ofHours(1)), null)));
    assertEquals(List.of(0.05, 0.95), shares.of(new Row("x", "control", T0.plus(Duration.ofHours(9)), null)));

    var adaptive = ResultsJson.compute(spec, "running", rows, NOW, shares);
    assertEquals(false, srm(adaptive).get("mismatch"), srm(adaptive).toString());
    assertEquals(3, srm(adaptive).get("splits"));
    assertEquals(1200 * 0.5 + 1200 * 0.2 + 3600 * 0.05, (double) ((Map<?, ?>) srm(adaptive).get("expected_users")).get("control"), 0.1);
    var definition = ResultsJson.compute(spec, "running", rows, NOW);
    assertEquals(true, srm(definition).get("mismatch"), "the definition's 50/50 is a false mismatch: " + srm(definition));
    assertEquals("continue_test", definition.get("decision"));

    // a fifth of the control's exposures lost on the way: caught
    var sabotaged = new ArrayList<Row>();
    int k = 0;
    for (var r : rows) if (!(r.variantId().equals("control") && k++ % 5 == 0)) sabotaged.add(r);
    var caught = ResultsJson.compute(spec, "running", sabotaged, NOW, shares);
    assertEquals(true, srm(caught).get("mismatch"), srm(caught).toString());
  }

  @Test
  void fixedUsersAreExpectedUnderTheSliceOfTheirTrafficPoint() {
    var spec = Specs.valid("exp-sliced");
    // started at 10 % traffic with 50/50; then 10/90 for traffic ramped in later, ramped to 100 %
    var allocation = new Allocation(1.0, List.of(new Slice(0.1, List.of(0.5, 0.5)), new Slice(1.0, List.of(0.1, 0.9))),
        List.of(0.1, 0.9), null, Double.NaN, Double.NaN);
    var rows = new ArrayList<Row>();
    for (int u = 0; u < 8000; u++) { // the first 5,000 users arrive at 10 % (about 500 in), the next 3,000 at 100 %
      String user = "f" + u;
      double t = Assignment.trafficPoint(spec, allocation, user);
      if (u < 5000 && t >= 0.1) continue;
      var weights = allocation.weightsAt(t, false);
      rows.add(new Row(user, Assignment.pick(spec.variants(), weights, Assignment.bucket(spec.salt(), user)).variantId(), T0, null));
    }
    var bySlice = ResultsJson.compute(spec, "running", rows, NOW, ExpectedShares.fixed(spec, allocation));
    assertEquals(false, srm(bySlice).get("mismatch"), srm(bySlice).toString());
    assertEquals(2, srm(bySlice).get("splits"));
    // the slice widths (the previous expectation) assume exposures spread evenly over the traffic: false mismatch
    var byWidth = ResultsJson.compute(spec, "running", rows, NOW, allocation.expectedShares());
    assertEquals(true, srm(byWidth).get("mismatch"), srm(byWidth).toString());

    // ramps alone (same weights in every slice) are one split: Pearson against the weights
    var rampedOnly = new Allocation(1.0, List.of(new Slice(0.1, List.of(0.5, 0.5)), new Slice(1.0, List.of(0.5, 0.5))),
        List.of(0.5, 0.5), null, Double.NaN, Double.NaN);
    var one = ResultsJson.compute(spec, "running", rows.subList(0, 300), NOW, ExpectedShares.fixed(spec, rampedOnly));
    assertEquals(1, srm(one).get("splits"));
    var pearson = ResultsJson.compute(spec, "running", rows.subList(0, 300), NOW, List.of(0.5, 0.5));
    assertEquals((double) srm(pearson).get("p_value"), (double) srm(one).get("p_value"), 1e-12);
    assertTrue((double) srm(one).get("p_value") > 0);
  }
}
