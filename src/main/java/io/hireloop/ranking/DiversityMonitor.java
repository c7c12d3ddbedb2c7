package io.hireloop.ranking;

import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * Feedback-loop stability of the re-ranking ({@link DiversityTrend}) on a node: {@link #report} computes the report
 * from the {@link DiversitySource} now (what {@code GET /api/v1/ranking/diversity} serves), and the
 * {@code diversity-monitor} cluster singleton computes it every {@code interval} and publishes each alert on the
 * {@link #TOPIC} topic as {@link #ALERT} when its condition starts (not again while it holds; again after it cleared).
 * The singleton keeps only which alerts hold: a failover may publish a holding alert once more.
 */
public final class DiversityMonitor {
  public static final String TOPIC = "ranking";
  public static final String ALERT = "diversity_alert";

  private final DiversitySource source;
  private final DiversityTrend.Settings settings;
  private final Executor executor;
  private final Clock clock;

  /** @param executor where the entropies are computed (one pass over every observation of the window) */
  public DiversityMonitor(DiversitySource source, DiversityTrend.Settings settings, Executor executor, Clock clock) {
    this.source = source;
    this.settings = settings;
    this.executor = executor;
    this.clock = clock;
  }

  public CompletionStage<DiversityTrend.Report> report() {
    var now = clock.instant();
    var since = settings.since(now);
    return source.shown(since).thenCombine(source.applied(since), Window::new)
        .thenApplyAsync(w -> DiversityTrend.compute(w.shown(), w.applied(), settings, now), executor);
  }

  private record Window(List<DiversityTrend.Observation> shown, List<DiversityTrend.Observation> applied) {}

  sealed interface Msg {}

  private enum Tick implements Msg { INSTANCE }

  private record Computed(DiversityTrend.Report report, Throwable error) implements Msg {}

  public static ActorRef<Msg> initSingleton(ActorSystem<?> system, DiversityMonitor monitor, Duration interval) {
    return ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(behavior(monitor, interval)).onFailure(SupervisorStrategy.restart()), "diversity-monitor"));
  }

  static Behavior<Msg> behavior(DiversityMonitor monitor, Duration interval) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, interval);
      ctx.getSelf().tell(Tick.INSTANCE); // after a start or failover: the current state at once
      var holding = EnumSet.noneOf(DiversityTrend.AlertKind.class);
      var running = new boolean[1];
      return Behaviors.receive(Msg.class)
          .onMessageEquals(Tick.INSTANCE, () -> {
            // one report at a time: a tick during one is dropped (the next tick comes within the interval)
            if (running[0]) return Behaviors.same();
            running[0] = true;
            ctx.pipeToSelf(monitor.report(), Computed::new);
            return Behaviors.same();
          })
          .onMessage(Computed.class, c -> {
            running[0] = false;
            if (c.error() != null) {
              ctx.getLog().warn("diversity report failed; trying again at the next tick: {}", c.error().toString());
              return Behaviors.same();
            }
            publishStarted(ctx.getSystem(), c.report(), holding);
            return Behaviors.same();
          })
          .build();
    }));
  }

  /** Publishes the report's alerts that did not hold before and updates {@code holding} to the report's. */
  static void publishStarted(ActorSystem<?> system, DiversityTrend.Report report, Set<DiversityTrend.AlertKind> holding) {
    var now = EnumSet.noneOf(DiversityTrend.AlertKind.class);
    for (var a : report.alerts()) {
      now.add(a.kind());
      if (holding.contains(a.kind())) continue;
      var data = new LinkedHashMap<String, Object>(a.toJson());
      data.put("period", report.settings().period().json());
      data.put("at", report.computedAt().toString());
      Topics.get(system).publish(StreamMessage.of(TOPIC, ALERT, data));
    }
    holding.clear();
    holding.addAll(now);
  }
}
