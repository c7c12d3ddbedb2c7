package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.platform.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Definition parsing: Thompson sampling needs a 0/1 success metric (its posterior is a Beta on conversions). */
class SpecParserTest {
  private static SpecParser.Result parse(String metric, String mode) {
    return SpecParser.parse(Json.read("""
        {"experiment_id": "e1", "name": "n", "hypothesis": "h", "component": "job_discovery", "parameter": "p",
         "variants": [{"variant_id": "control", "value": 1, "allocation": 0.5}, {"variant_id": "t", "value": 2, "allocation": 0.5}],
         "success_metric": "%s", "minimum_sample_size": 100, "maximum_duration_days": 30, "attribution_window_days": 7,
         "expected_improvement": 0.1, "rollback_plan": "revert", "allocation_mode": "%s"}""".formatted(metric, mode)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"interview_rate", "offer_rate", "response_rate"})
  void thompsonAcceptsProportions(String metric) {
    var r = parse(metric, "thompson");
    assertTrue(r.problems().isEmpty(), r.problems().toString());
    assertEquals("thompson", r.spec().allocationMode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"applications_per_week", "time_to_first_interview_days"})
  void thompsonRefusesContinuousMetrics(String metric) {
    var r = parse(metric, "thompson");
    assertNull(r.spec());
    assertEquals("allocation_mode", r.problems().get(0).field());
    assertTrue(r.problems().get(0).problem().contains(metric), r.problems().toString());
    assertNotNull(parse(metric, "fixed").spec(), "the same definition is fine with fixed allocation");
  }
}
