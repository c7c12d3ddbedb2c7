package io.hireloop.privacy;

import io.hireloop.platform.serialization.HireloopSerializable;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The cluster singleton that runs erasure jobs ({@link Erasure#resume}): the one a node just recorded ({@link Run}),
 * and, when it starts and every {@code erasure-resume-every}, every unfinished job of {@code erasure_pending} — so a
 * job whose node died, or that failed, is finished without anyone asking again. One run per user at a time. When the
 * singleton stops (its node leaves) its jobs stop before their next step and its successor resumes them.
 */
public final class ErasureRunner {
  private ErasureRunner() {}

  public sealed interface Msg {}

  /** RELEASED (Kryo 1007): a node recorded a job for {@code userId} (sent from any node to the singleton). */
  public record Run(String userId) implements Msg, HireloopSerializable {}

  private enum Tick implements Msg { INSTANCE }

  private record Found(List<Erasure.Pending> jobs, Throwable error) implements Msg {}

  private record Ended(String userId, Erasure.Outcome outcome, Throwable error) implements Msg {}

  static ActorRef<Msg> initSingleton(ActorSystem<?> system, Erasure erasure, Duration every) {
    return ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(behavior(erasure, every)).onFailure(SupervisorStrategy.restart()), "erasure-runner"));
  }

  static Behavior<Msg> behavior(Erasure erasure, Duration every) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, every);
      ctx.getSelf().tell(Tick.INSTANCE); // whatever a crashed node or the previous singleton left unfinished
      return running(ctx, erasure, new HashSet<>(), new HashSet<>(), new AtomicBoolean());
    }));
  }

  /**
   * {@code active}: users whose job runs here now; {@code halted}: jobs stopped by the test seam, never resumed by this
   * runner (as if its node had died); {@code stopped}: set when the singleton stops, read by the running jobs.
   */
  private static Behavior<Msg> running(ActorContext<Msg> ctx, Erasure erasure, Set<String> active, Set<String> halted,
      AtomicBoolean stopped) {
    return Behaviors.receive(Msg.class)
        .onMessageEquals(Tick.INSTANCE, () -> {
          ctx.pipeToSelf(erasure.pending(), (jobs, e) -> new Found(jobs == null ? List.of() : jobs, e));
          return Behaviors.same();
        })
        .onMessage(Run.class, r -> {
          ctx.pipeToSelf(erasure.pending(r.userId()), (job, e) -> new Found(job == null ? List.of() : job.stream().toList(), e));
          return Behaviors.same();
        })
        .onMessage(Found.class, f -> {
          if (f.error() != null) ctx.getLog().warn("reading unfinished erasure jobs failed; retrying at the next tick: {}", f.error().toString());
          for (var job : f.jobs()) {
            if (halted.contains(job.userId()) || !active.add(job.userId())) continue;
            if (job.step() != Erasure.Step.REQUESTED) ctx.getLog().info("resuming erasure job {} of {} after step {}", job.jobId(), job.userId(), job.step().wireName());
            ctx.pipeToSelf(erasure.resume(job, stopped::get), (outcome, e) -> new Ended(job.userId(), outcome, e));
          }
          return Behaviors.same();
        })
        .onMessage(Ended.class, e -> {
          active.remove(e.userId());
          if (e.outcome() == Erasure.Outcome.STOPPED && !stopped.get()) halted.add(e.userId());
          return Behaviors.same();
        })
        .onSignal(PostStop.class, s -> {
          stopped.set(true);
          return Behaviors.same();
        })
        .onSignal(PreRestart.class, s -> {
          stopped.set(true);
          return Behaviors.same();
        })
        .build();
  }
}
