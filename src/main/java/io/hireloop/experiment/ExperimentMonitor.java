package io.hireloop.experiment;

import com.typesafe.config.Config;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The one watcher of live experiments in the cluster (a cluster singleton). It learns of experiments from
 * the exposure projection ({@link Changed}: outcomes or exposures arrived) and from the experiments' change
 * announcements, and every {@code tick} evaluates, one at a time per experiment, those that changed since
 * their last evaluation or were last evaluated {@code evaluate-every} ago (time alone makes users eligible
 * and advances rollout stages): {@link ExperimentRollouts#evaluate} publishes the results on
 * {@code experiment:<id>} (so at most one results message per experiment per tick) and acts on them. An
 * experiment that is no longer running, paused or rolling out is forgotten. At start (also after a
 * failover) it reads every experiment id from the journal's {@code experiment} tag and evaluates each once,
 * so live experiments and rollouts in progress are watched again without waiting for new outcomes.
 */
public final class ExperimentMonitor extends AbstractBehavior<ExperimentMonitor.Command> {

  public sealed interface Command {}

  /** The experiment's rows or status changed. Local only (the projection's callback and pub-sub adapter). */
  public record Changed(String experimentId) implements Command, io.hireloop.platform.serialization.HireloopSerializable {}

  private enum Tick implements Command { INSTANCE }

  private record Evaluated(String experimentId, boolean keep, Throwable error) implements Command {}

  public record Settings(Duration tick, Duration evaluateEvery) {
    public static Settings from(Config c) {
      return new Settings(c.getDuration("tick"), c.getDuration("evaluate-every"));
    }
  }

  public static ActorRef<Command> initSingleton(ActorSystem<?> system, ExperimentRollouts rollouts, Settings settings) {
    return ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(create(rollouts, settings)).onFailure(SupervisorStrategy.restart()), "experiment-monitor"));
  }

  static Behavior<Command> create(ExperimentRollouts rollouts, Settings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.tick());
      var adapter = ctx.messageAdapter(StreamMessage.class, m -> new Changed(
          String.valueOf(io.hireloop.platform.Json.read(m.dataJson()).path("experiment_id").asText())));
      Topics.get(ctx.getSystem()).subscribe(Experiment.CHANGES_TOPIC, adapter);
      Experiment.ids(ctx.getSystem()).whenComplete((ids, error) -> {
        if (error != null) ctx.getSystem().log().warn("experiment monitor could not list experiments: {}", error.toString());
        else ids.forEach(id -> ctx.getSelf().tell(new Changed(id)));
      });
      return new ExperimentMonitor(ctx, rollouts, settings);
    }));
  }

  private final ExperimentRollouts rollouts;
  private final Settings settings;
  /** Watched experiment → time of the last evaluation (0: never). */
  private final Map<String, Long> lastEvaluated = new HashMap<>();
  private final Set<String> dirty = new HashSet<>();
  private final Set<String> inFlight = new HashSet<>();

  private ExperimentMonitor(ActorContext<Command> ctx, ExperimentRollouts rollouts, Settings settings) {
    super(ctx);
    this.rollouts = rollouts;
    this.settings = settings;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Changed.class, c -> {
          lastEvaluated.putIfAbsent(c.experimentId(), 0L);
          dirty.add(c.experimentId());
          return this;
        })
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(Evaluated.class, e -> {
          inFlight.remove(e.experimentId());
          if (e.error() != null) {
            getContext().getLog().warn("evaluating experiment {} failed: {}", e.experimentId(), e.error().toString());
          } else if (!e.keep() && !dirty.contains(e.experimentId())) {
            lastEvaluated.remove(e.experimentId());
          }
          return this;
        })
        .build();
  }

  private Behavior<Command> onTick() {
    long now = System.currentTimeMillis();
    for (var entry : lastEvaluated.entrySet()) {
      String id = entry.getKey();
      if (inFlight.contains(id)) continue;
      if (!dirty.contains(id) && now - entry.getValue() < settings.evaluateEvery().toMillis()) continue;
      dirty.remove(id);
      inFlight.add(id);
      entry.setValue(now);
      getContext().pipeToSelf(rollouts.evaluate(id), (keep, error) -> new Evaluated(id, keep != null && keep, error));
    }
    return this;
  }
}
