package io.hireloop.learning.attribution;

import com.typesafe.config.Config;
import io.hireloop.learning.ensemble.LabelledSnapshot;
import io.hireloop.platform.serialization.HireloopSerializable;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * Runs the {@link Attribution} over the training set's labelled applications, every {@code hireloop.attribution.interval}
 * and on demand ({@code POST /api/v1/attribution/run}); one run at a time in the cluster (a cluster singleton), on the
 * blocking dispatcher. Progress, completion and failure go to the {@code attribution} topic; each report is stored
 * ({@link AttributionStore}) and handed to the listener (the recommendations). A run asked for while one is going is
 * answered with that run's id: the answer to "attribute now" is the run already under way.
 */
public final class AttributionService {
  private AttributionService() {}

  public static final String TOPIC = "attribution";

  public sealed interface Command extends HireloopSerializable {}

  public record Run(String reason, ActorRef<RunAccepted> replyTo) implements Command {}

  /** {@code alreadyRunning}: the id is that of the run under way, which this request joined. */
  public record RunAccepted(String runId, boolean alreadyRunning) implements HireloopSerializable {}

  private record Finished(String runId, Throwable error) implements Command {}

  private enum Tick implements Command { INSTANCE }

  /**
   * @param interval between scheduled runs; zero: only on demand
   * @param minApplications fewer labelled applications and a run fails with that reason
   */
  public record Settings(Duration interval, int minApplications, Attribution.Settings attribution) {
    public static Settings from(Config c) {
      var d = Attribution.Settings.defaults();
      return new Settings(c.getDuration("interval"), c.getInt("min-applications"), new Attribution.Settings(c.getInt("min-support"),
          c.getInt("max-primary-rows"), c.getInt("max-cross-check-rows"), c.getBoolean("refuters"), true, d.seed()));
    }
  }

  /** What a run needs: the labelled applications, where reports go, and who hears of each new one. */
  public record Deps(Supplier<CompletionStage<List<LabelledSnapshot>>> rows, AttributionStore store,
      Consumer<AttributionReport> onReport) {}

  public static ActorRef<Command> initSingleton(ActorSystem<?> system, Settings settings, Deps deps) {
    return ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(create(settings, deps)).onFailure(SupervisorStrategy.restart()), "attribution-service"));
  }

  static Behavior<Command> create(Settings settings, Deps deps) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      if (!settings.interval().isZero()) timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.interval());
      return new Runner(ctx, settings, deps).idle();
    }));
  }

  private static final class Runner {
    private final ActorContext<Command> ctx;
    private final Settings settings;
    private final Deps deps;
    private final Topics topics;
    private final Executor blocking;

    Runner(ActorContext<Command> ctx, Settings settings, Deps deps) {
      this.ctx = ctx;
      this.settings = settings;
      this.deps = deps;
      this.topics = Topics.get(ctx.getSystem());
      this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    }

    Behavior<Command> idle() {
      return Behaviors.receive(Command.class)
          .onMessage(Run.class, m -> {
            var runId = newRunId();
            m.replyTo().tell(new RunAccepted(runId, false));
            return start(runId, m.reason());
          })
          .onMessageEquals(Tick.INSTANCE, () -> start(newRunId(), "schedule"))
          .onMessage(Finished.class, m -> Behaviors.same())
          .build();
    }

    private Behavior<Command> running(String runId) {
      return Behaviors.receive(Command.class)
          .onMessage(Run.class, m -> {
            m.replyTo().tell(new RunAccepted(runId, true));
            return Behaviors.same();
          })
          .onMessageEquals(Tick.INSTANCE, Behaviors::same) // the run under way is the scheduled one
          .onMessage(Finished.class, m -> {
            if (m.error() == null) return idle();
            var reason = rootMessage(m.error());
            ctx.getLog().warn("attribution run {} failed: {}", runId, reason);
            publish("attribution_failed", Map.of("run_id", runId, "reason", reason));
            return idle();
          })
          .build();
    }

    private Behavior<Command> start(String runId, String reason) {
      ctx.getLog().info("attribution run {} ({})", runId, reason);
      publish("attribution_started", Map.of("run_id", runId, "reason", reason));
      ctx.pipeToSelf(run(runId), (ok, error) -> new Finished(runId, error));
      return running(runId);
    }

    private CompletionStage<AttributionReport> run(String runId) {
      return deps.rows().get().thenComposeAsync(rows -> {
        if (rows.size() < settings.minApplications()) {
          throw new IllegalStateException("needs at least " + settings.minApplications() + " labelled applications, has "
              + rows.size() + " (hireloop.attribution.min-applications)");
        }
        var report = Attribution.run(rows, settings.attribution(), (stage, done, total) -> {
          var data = new LinkedHashMap<String, Object>();
          data.put("run_id", runId);
          data.put("stage", stage);
          data.put("done", done);
          data.put("total", total);
          publish("attribution_progress", data);
        });
        var stored = withRunId(report, runId);
        return deps.store().save(stored).thenApply(d -> stored);
      }, blocking).thenApply(report -> {
        var data = new LinkedHashMap<String, Object>();
        data.put("run_id", runId);
        data.put("ran_at", report.ranAt().toString());
        data.put("duration_ms", report.durationMs());
        data.put("applications", report.applications());
        data.put("users", report.users());
        data.put("high_confidence", report.edits().stream().filter(e -> e.causalConfidence() == FactorEffect.Confidence.HIGH)
            .map(FactorEffect::factor).toList());
        publish("attribution_finished", data);
        deps.onReport().accept(report);
        return report;
      });
    }

    private void publish(String type, Map<String, Object> data) {
      topics.publish(StreamMessage.of(TOPIC, type, data));
    }
  }

  static AttributionReport withRunId(AttributionReport r, String runId) {
    return new AttributionReport(runId, r.ranAt(), r.durationMs(), r.applications(), r.users(), r.usersInPrimary(),
        r.usersInCrossChecks(), r.interviewRate(), r.edits(), r.timing(), r.strategy(), r.skipped(), r.notes());
  }

  private static String newRunId() {
    return "attr-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
