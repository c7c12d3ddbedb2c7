package io.hireloop.recommendations;

import io.hireloop.experiment.Experiment;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The cluster singleton that takes recommendations' pending steps ({@link Recommendations#recheck}): every
 * {@code recheck-every}, and at once when an experiment changes (a waiting change is applied as soon as the experiment
 * that owned its keys ends). One recheck at a time; a change during one starts another right after. Its messages
 * never leave the node.
 */
final class RecommendationSweeper {
  private RecommendationSweeper() {}

  sealed interface Msg {}

  private enum Tick implements Msg { INSTANCE }

  private record Done(int moved, Throwable error) implements Msg {}

  static ActorRef<Msg> initSingleton(ActorSystem<?> system, Recommendations recommendations, Duration every) {
    return ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(behavior(recommendations, every)).onFailure(SupervisorStrategy.restart()), "recommendation-sweeper"));
  }

  static Behavior<Msg> behavior(Recommendations recommendations, Duration every) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, every);
      Topics.get(ctx.getSystem()).subscribe(Experiment.CHANGES_TOPIC, ctx.messageAdapter(StreamMessage.class, m -> Tick.INSTANCE));
      ctx.getSelf().tell(Tick.INSTANCE); // after a failover: whatever the previous singleton left
      return idle(ctx, recommendations);
    }));
  }

  private static Behavior<Msg> idle(ActorContext<Msg> ctx, Recommendations recommendations) {
    return Behaviors.receive(Msg.class)
        .onMessageEquals(Tick.INSTANCE, () -> {
          ctx.pipeToSelf(recommendations.recheck(), (n, e) -> new Done(n == null ? 0 : n, e));
          return running(ctx, recommendations, false);
        })
        .onMessage(Done.class, d -> Behaviors.same())
        .build();
  }

  private static Behavior<Msg> running(ActorContext<Msg> ctx, Recommendations recommendations, boolean again) {
    return Behaviors.receive(Msg.class)
        .onMessageEquals(Tick.INSTANCE, () -> running(ctx, recommendations, true))
        .onMessage(Done.class, d -> {
          if (d.error() != null) ctx.getLog().warn("recommendation recheck failed; retrying at the next tick: {}", d.error().toString());
          if (again) ctx.getSelf().tell(Tick.INSTANCE);
          return idle(ctx, recommendations);
        })
        .build();
  }
}
