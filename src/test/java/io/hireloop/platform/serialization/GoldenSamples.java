package io.hireloop.platform.serialization;

import io.hireloop.journey.Domain;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Instances whose encoding is frozen in src/test/resources/golden/&lt;name&gt;.bin. Add a sample for every
 * persisted class when it is released (and one per evolved version). Names are file names: never rename.
 * Samples must encode deterministically: no HashSet/Set.of of non-Comparable elements (iteration order).
 */
final class GoldenSamples {
  private GoldenSamples() {}

  record Sample(String name, Object instance) {}

  static final Domain.JobCharacteristics JOB =
      new Domain.JobCharacteristics("Senior Backend Engineer", "Acme", "senior", "Berlin", "software");

  static final List<Sample> ALL = List.of(
      new Sample("domain-job-characteristics", JOB),
      new Sample("domain-job-characteristics-nulls", new Domain.JobCharacteristics("Engineer", null, null, null, null)),
      new Sample("domain-application-context", new Domain.ApplicationContext("explore", 0.82, "target", JOB, 0.71, true)),
      new Sample("domain-application-context-nulls", new Domain.ApplicationContext(null, 0.0, null, null, 0.0, false)),
      new Sample("domain-outcome", new Domain.Outcome("interview", 6, "email")),
      new Sample("domain-outcome-nulls", new Domain.Outcome("ghosted", null, null)),
      new Sample("domain-strategy-metrics", new Domain.StrategyMetrics(0.74, 120, 0.125, 9)),
      new Sample("jdk-instant", Instant.parse("2025-01-15T10:15:30.123456789Z")),
      new Sample("jdk-immutable-collections", List.of(
          List.of(), List.of("a"), List.of("a", "b", "c"),
          Set.of(), Set.of("reach"), Set.of("reach", "target", "safety"),
          Map.of(), Map.of("k", 1), Map.of("b", 2L, "a", 1L, "c", 3L))));
}
