package io.hireloop.experiment;

import io.hireloop.experiment.Experiment.HistoryEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The {@link ExperimentMonitor}'s periodic Thompson update of {@code thompson} experiments: once the weights
 * have stood for {@code hireloop.experiments.thompson.update-every}, the monitor's evaluation recomputes them
 * exactly as {@code POST …/allocation/thompson} does ({@link ExperimentAllocations#thompson}: the posterior
 * Beta of each variant's conversions among eligible users, {@link ThompsonAllocation#FLOOR} per variant), as the
 * same {@link Experiment.AllocationChanged} event, by {@value #BY}. New weights apply to users not exposed yet;
 * exposed users keep their recorded variant.
 *
 * <p>Due when the experiment is {@code running} and its last weight change (a Thompson update by anyone, or a
 * manual allocation change), or else its start, is at least {@code update-every} old: read from the history, so
 * it holds across monitor failovers. Skipped while no user is eligible yet (nothing to learn from: the update
 * would only reset the weights to equal) and while the results show a sample-ratio mismatch (an assignment
 * that is not what the weights say is no ground to adapt them on; SRM blocks every decision).
 */
public final class ThompsonUpdates {
  public static final String BY = "system:thompson";
  static final Set<String> WEIGHT_CHANGES = Set.of("thompson_update", "allocation_changed");

  private final ActorSystem<?> system;
  private final ExperimentAllocations allocations;
  private final Duration every;

  /** {@code every} zero: never (only the API updates the weights). */
  public ThompsonUpdates(ActorSystem<?> system, ExperimentAllocations allocations, Duration every) {
    this.system = system;
    this.allocations = allocations;
    this.every = every;
  }

  static ThompsonUpdates from(ActorSystem<?> system, ExposureProjection exposures, Duration askTimeout) {
    return new ThompsonUpdates(system, new ExperimentAllocations(system, exposures, askTimeout),
        system.settings().config().getDuration("hireloop.experiments.thompson.update-every"));
  }

  /** When the weights were last set (or the experiment started); null when it never started. */
  static Instant lastChange(List<HistoryEntry> history) {
    Instant last = null;
    for (var h : history) {
      boolean start = "status_changed".equals(h.type()) && "draft".equals(h.from());
      if (start || WEIGHT_CHANGES.contains(h.type())) last = last == null || h.at().isAfter(last) ? h.at() : last;
    }
    return last;
  }

  static boolean due(Experiment.Reply exp, Instant now, Duration every) {
    if (every.isZero() || every.isNegative() || !"thompson".equals(exp.spec().allocationMode()) || !"running".equals(exp.status())) {
      return false;
    }
    var last = lastChange(exp.history());
    return last != null && !last.plus(every).isAfter(now);
  }

  /** {@code results}: the evaluation's (for the eligible users and the SRM). Completes with whether it updated; never fails. */
  public CompletionStage<Boolean> updateIfDue(Experiment.Reply exp, ExperimentResults results) {
    if (!due(exp, Instant.now(), every)) return CompletableFuture.completedFuture(false);
    if (results.eligibleUsers() == 0 || results.srm().mismatch()) return CompletableFuture.completedFuture(false);
    String id = exp.spec().experimentId();
    return allocations.thompson(id, BY).handle((u, error) -> {
      if (error != null || u.experiment().error() != null) {
        system.log().warn("thompson update of experiment {} failed: {}", id, error != null ? error.toString() : u.experiment().error());
        return false;
      }
      system.log().info("thompson update of experiment {}: weights {} from {}", id, u.weights(), u.arms());
      return true;
    });
  }
}
