package io.hireloop.experiment;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ExperimentMonitor}'s step of an experiment's {@link RampSchedule}: on each evaluation, asks the
 * experiment for its schedule and traffic and, when {@link RampSchedule#nextStep} says a step is due, takes it
 * with {@link Experiment.AdvanceRamp} (applied only if the traffic is still what was read, so a step is never
 * taken twice, even across a monitor handover).
 */
final class ExperimentRamps {
  private static final Logger log = LoggerFactory.getLogger(ExperimentRamps.class);

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  ExperimentRamps(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  /** Completes (never exceptionally) once the due step, if any, is taken; {@code results} as the monitor computed them. */
  CompletionStage<Void> advance(String experimentId, ExperimentResults results) {
    var ref = sharding.entityRefFor(Experiment.ENTITY_KEY, experimentId);
    return ref.<Experiment.RampView>ask(Experiment.GetRamp::new, askTimeout).thenCompose(view -> {
      if (view.schedule() == null) return CompletableFuture.<Void>completedFuture(null);
      var r = view.reply();
      var next = view.schedule().nextStep(Instant.now(), r.status(), view.traffic(), r.history(), results);
      if (!next.due()) return CompletableFuture.<Void>completedFuture(null);
      return ref.<Experiment.Reply>ask(to -> new Experiment.AdvanceRamp(view.traffic(), next.step().traffic(), RampSchedule.BY, to), askTimeout)
          .thenAccept(after -> {
            if (after.error() != null) log.warn("ramp schedule step of {} refused: {}", experimentId, after.error());
            else log.info("experiment {} ramped by its schedule from {} to {}", experimentId, view.traffic(), next.step().traffic());
          });
    }).exceptionally(e -> {
      log.warn("ramp schedule of {} not evaluated: {}", experimentId, e.toString());
      return null;
    });
  }
}
