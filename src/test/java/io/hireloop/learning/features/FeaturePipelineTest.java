package io.hireloop.learning.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeaturePipelineTest {
  @Test
  void columnCountIsTheNumberOfColumnNames() {
    var empty = new FeaturePipeline(FeaturePipeline.VERSION, 0.3, List.of(), List.of(), List.of(), List.of());
    assertEquals(empty.columnNames().size(), empty.columns());
    var fitted = new FeaturePipeline(FeaturePipeline.VERSION, 0.3, List.of("software", "finance"), List.of("berlin"),
        List.of("backend engineer", "designer", "sre"), List.of("added_keywords", "added_metrics_to_bullets"));
    assertEquals(fitted.columnNames().size(), fitted.columns());
  }
}
