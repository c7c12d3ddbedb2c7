package io.hireloop.experiment;

import io.hireloop.experiment.Experiment.Spec;
import io.hireloop.experiment.ExposureProjection.Row;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@link Results#compute} rendered as the API sends it ({@link ExperimentResults#toJson}), for the tests that
 * assert on the documented JSON fields.
 */
final class ResultsJson {
  private ResultsJson() {}

  static Map<String, Object> compute(Spec spec, String status, List<Row> rows, Instant now) {
    return Results.compute(spec, status, rows, now).toJson();
  }

  static Map<String, Object> compute(Spec spec, String status, List<Row> rows, Instant now, List<Double> expectedShares) {
    return Results.compute(spec, status, rows, now, expectedShares).toJson();
  }

  static Map<String, Object> compute(Spec spec, String status, List<Row> rows, Instant now, ExpectedShares expectedShares) {
    return Results.compute(spec, status, rows, now, expectedShares).toJson();
  }

  /** The {@code checks} of a rendered result. */
  @SuppressWarnings("unchecked")
  static Stream<Map<String, Object>> checks(Map<String, Object> results) {
    return ((List<Map<String, Object>>) results.get("checks")).stream();
  }
}
