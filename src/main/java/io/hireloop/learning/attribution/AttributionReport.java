package io.hireloop.learning.attribution;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * One attribution run over the labelled applications: the effects of resume edits, of timing (weekday and hour, UTC)
 * and of strategy (mode and category), each a {@link FactorEffect}. JSON (snake_case) is the API's and the stored form.
 *
 * @param interviewRate the share of the labelled applications that reached an interview
 * @param usersInPrimary users in the within-user model (all of them unless the run was capped; see {@code notes})
 * @param skipped factors seen too rarely (or always) to be estimated, with the reason
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AttributionReport(String runId, Instant ranAt, long durationMs, int applications, int users, int usersInPrimary,
    int usersInCrossChecks, double interviewRate, List<FactorEffect> edits, List<FactorEffect> timing, List<FactorEffect> strategy,
    List<Skipped> skipped, List<String> notes) {

  public AttributionReport {
    edits = List.copyOf(edits);
    timing = List.copyOf(timing);
    strategy = List.copyOf(strategy);
    skipped = List.copyOf(skipped);
    notes = List.copyOf(notes);
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Skipped(String group, String factor, String reason) {}

  /** The effect of an edit type (its "yes" level), or null. */
  public FactorEffect edit(String editType) {
    return edits.stream().filter(e -> e.factor().equals(editType)).findFirst().orElse(null);
  }

  public FactorEffect timing(String factor, String level) {
    return timing.stream().filter(e -> e.factor().equals(factor) && e.level().equals(level)).findFirst().orElse(null);
  }

  public FactorEffect strategy(String factor, String level) {
    return strategy.stream().filter(e -> e.factor().equals(factor) && e.level().equals(level)).findFirst().orElse(null);
  }
}
