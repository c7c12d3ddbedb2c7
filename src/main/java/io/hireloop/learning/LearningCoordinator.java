package io.hireloop.learning;

import com.typesafe.config.Config;
import io.hireloop.learning.ensemble.Ensemble;
import io.hireloop.learning.ensemble.EnsembleTrainer;
import io.hireloop.learning.ensemble.LabelledSnapshot;
import io.hireloop.learning.ensemble.MemberTrainers;
import io.hireloop.learning.ensemble.Split;
import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.platform.Json;
import io.hireloop.platform.Metrics;
import io.hireloop.platform.serialization.HireloopSerializable;
import io.hireloop.recommendations.Recommendation;
import io.hireloop.recommendations.RecommendationBook;
import io.hireloop.recommendations.Recommendations;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The learning loop's one driver in the cluster (a cluster singleton): counts newly labelled outcomes
 * reported by the training-set projection, retrains the interview model (and after it the offer and response-time
 * models, see {@link Trainer}) after enough of them or on demand, registers the version's card (the registry's gate, {@code hireloop.learning.gate}, makes it champion or
 * challenger), and recommends the job_discovery config derived from it when it became champion. Training runs
 * on the blocking dispatcher; one at a time, with at most one more queued.
 *
 * <p>The label counter lives in memory: after a failover the count restarts at zero, which only delays
 * the next automatic retraining.
 */
public final class LearningCoordinator {
  public static final String MODEL = "interview";
  /** The offer-given-interview ensemble, trained right after the interview model. */
  public static final String OFFER = "offer";

  public sealed interface Command extends HireloopSerializable {}

  public record LabelsArrived(int count) implements Command {}

  /** Starts (or queues) a training; replies with its job id at once. */
  public record Train(String reason, ActorRef<TrainingAccepted> replyTo) implements Command {}

  public record TrainingAccepted(String jobId) implements HireloopSerializable {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  public record Status(boolean training, String jobId, int labelsSinceLastTraining, String lastError) implements HireloopSerializable {}

  private record Finished(String jobId, Throwable error) implements Command {}

  public static ActorRef<Command> initSingleton(ActorSystem<?> system, Trainer trainer) {
    return ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(create(trainer, system.settings().config().getConfig("hireloop.learning")))
            .onFailure(SupervisorStrategy.restart()),
        "learning-coordinator"));
  }

  static Behavior<Command> create(Trainer trainer, Config config) {
    return Behaviors.setup(ctx -> new LearningCoordinator(ctx, trainer, config.getInt("retrain-after-labels")).idle(0, null));
  }

  private final ActorContext<Command> ctx;
  private final Trainer trainer;
  private final int retrainAfter;

  private LearningCoordinator(ActorContext<Command> ctx, Trainer trainer, int retrainAfter) {
    this.ctx = ctx;
    this.trainer = trainer;
    this.retrainAfter = retrainAfter;
  }

  private Behavior<Command> idle(int labels, String lastError) {
    return Behaviors.receive(Command.class)
        .onMessage(LabelsArrived.class, m -> {
          int total = labels + m.count();
          return total >= retrainAfter ? start(newJobId(), "labels", 0, lastError) : idle(total, lastError);
        })
        .onMessage(Train.class, m -> {
          var jobId = newJobId();
          m.replyTo().tell(new TrainingAccepted(jobId));
          return start(jobId, m.reason(), labels, lastError);
        })
        .onMessage(GetStatus.class, m -> {
          m.replyTo().tell(new Status(false, null, labels, lastError));
          return Behaviors.same();
        })
        .onMessage(Finished.class, m -> Behaviors.same())
        .build();
  }

  private Behavior<Command> start(String jobId, String reason, int labelsKept, String lastError) {
    ctx.getLog().info("training {} model, job {} ({})", MODEL, jobId, reason);
    ctx.pipeToSelf(trainer.run(jobId), (ok, error) -> new Finished(jobId, error));
    return training(jobId, labelsKept, null, lastError);
  }

  /** {@code queued}: the job id promised to a Train that arrived meanwhile. */
  private Behavior<Command> training(String jobId, int labels, String queued, String lastError) {
    return Behaviors.receive(Command.class)
        .onMessage(LabelsArrived.class, m -> training(jobId, labels + m.count(), queued, lastError))
        .onMessage(Train.class, m -> {
          var next = queued != null ? queued : newJobId();
          m.replyTo().tell(new TrainingAccepted(next));
          return training(jobId, labels, next, lastError);
        })
        .onMessage(GetStatus.class, m -> {
          m.replyTo().tell(new Status(true, jobId, labels, lastError));
          return Behaviors.same();
        })
        .onMessage(Finished.class, m -> {
          var error = m.error() == null ? null : rootMessage(m.error());
          if (error != null) ctx.getLog().warn("training job {} failed: {}", m.jobId(), error);
          if (queued != null) return start(queued, "queued request", labels, error);
          return labels >= retrainAfter ? start(newJobId(), "labels", 0, error) : idle(labels, error);
        })
        .build();
  }

  private static String newJobId() {
    return "train-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /**
   * One training job end to end: examples from the training set, fits on the blocking dispatcher, bytes to
   * Cassandra, cards to the registry, derived config of an interview champion to the config channel, progress and
   * completion to the {@code models} topic. After the interview model, the same job trains the {@code offer}
   * ensemble (interviewed applications with a known offer outcome) and the {@code response_time} survival model,
   * each registered in its own registry entity under the same gate; either is skipped (progress {@code skipped})
   * when its data is too thin, and neither can fail the job: the job's result is the interview card.
   */
  public static final class Trainer {
    private final ActorSystem<?> system;
    private final TrainingSetProjection trainingSet;
    private final ModelStore models;
    private final Config config;
    private final Executor blocking;
    private final Duration askTimeout = Duration.ofSeconds(30);

    public Trainer(ActorSystem<?> system, TrainingSetProjection trainingSet, ModelStore models) {
      this.system = system;
      this.trainingSet = trainingSet;
      this.models = models;
      this.config = system.settings().config().getConfig("hireloop.learning");
      this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    }

    CompletionStage<ModelCard> run(String jobId) {
      var topics = Topics.get(system);
      var sharding = ClusterSharding.get(system);
      long started = System.nanoTime();
      progress(topics, MODEL, jobId, "loading_examples", Map.of());
      return trainingSet.trainingExamples()
          .thenCompose(examples -> interview(topics, sharding, jobId, started, examples)
              .thenCompose(card -> followers(topics, jobId, examples).thenApply(v -> card)));
    }

    private CompletionStage<ModelCard> interview(Topics topics, ClusterSharding sharding, String jobId, long started,
        List<TrainingSetProjection.LabelledExample> examples) {
      return CompletableFuture.supplyAsync(() -> fit(topics, jobId, interviewRows(examples)), blocking)
          .thenCompose(trained -> register(MODEL, trained.ensemble().toBytes(),
                  version -> ModelCards.of(MODEL, version, jobId, (System.nanoTime() - started) / 1e9, trained.report()))
              .thenCompose(reg -> {
                // a challenger does not serve, so the config derived from it is not proposed
                if (!reg.registered().alias().equals(ModelRegistry.CHAMPION)) {
                  return CompletableFuture.completedFuture(new Registration(reg.card(), reg.registered(), null));
                }
                return recommendConfig(trained, reg.card().version())
                    .thenApply(p -> new Registration(reg.card(), reg.registered(), p));
              })
              .thenApply(registration -> {
                var card = registration.card();
                var data = modelJson(card);
                data.put("job_id", jobId);
                data.put("alias", registration.registered().alias());
                data.put("gate_reason", registration.registered().reason());
                var rec = registration.config() == null ? null : registration.config().recommendation();
                data.put("config_applied", rec != null && rec.status() == Recommendation.Status.APPLIED);
                data.put("config_version", rec == null ? null : rec.configVersion());
                data.put("recommendation_id", rec == null ? null : rec.id());
                data.put("recommendation_status", rec == null ? null : rec.status().wire());
                topics.publish(StreamMessage.of("models", "model_trained", data));
                Metrics.TRAININGS.labels(MODEL, "ok").inc();
                Metrics.TRAINING_SECONDS.labels(MODEL).observe(card.trainingSeconds());
                return card;
              }))
          .whenComplete((v, error) -> {
            if (error != null) {
              Metrics.TRAININGS.labels(MODEL, "failed").inc();
              progress(topics, MODEL, jobId, "failed", Map.of("error", rootMessage(error)));
            }
          });
    }

    /** The offer and response-time models, one after the other; completes normally whatever happens to them. */
    private CompletionStage<Void> followers(Topics topics, String jobId, List<TrainingSetProjection.LabelledExample> examples) {
      return follower(topics, OFFER, jobId, () -> offer(topics, jobId, examples))
          .thenCompose(v -> follower(topics, ResponseTimeModel.NAME, jobId, () -> responseTime(topics, jobId, examples)));
    }

    private CompletionStage<Void> follower(Topics topics, String model, String jobId, java.util.function.Supplier<CompletionStage<ModelCard>> train) {
      CompletionStage<ModelCard> stage;
      try {
        stage = train.get();
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      return stage.handle((card, error) -> {
        if (error == null) return null;
        if (rootCause(error) instanceof Skipped skipped) {
          progress(topics, model, jobId, "skipped", Map.of("reason", skipped.getMessage()));
          Metrics.TRAININGS.labels(model, "skipped").inc();
        } else {
          system.log().warn("training job {}: the {} model failed: {}", jobId, model, rootMessage(error));
          Metrics.TRAININGS.labels(model, "failed").inc();
          progress(topics, model, jobId, "failed", Map.of("error", rootMessage(error)));
        }
        return null;
      });
    }

    private CompletionStage<ModelCard> offer(Topics topics, String jobId, List<TrainingSetProjection.LabelledExample> examples) {
      long started = System.nanoTime();
      var rows = offerRows(examples);
      var settings = ensembleSettings();
      var reason = EnsembleTrainer.insufficient(rows, settings);
      if (reason != null) throw new Skipped("offer given interview: " + rows.size() + " interviewed applications with a known offer outcome; " + reason);
      return CompletableFuture.supplyAsync(() -> {
            progress(topics, OFFER, jobId, "training", Map.of("examples", rows.size()));
            return ensembleTrainer().train(rows, settings, (phase, detail) -> {
              var data = new LinkedHashMap<String, Object>(detail);
              data.put("step", phase);
              progress(topics, OFFER, jobId, "training", data);
            });
          }, blocking)
          .thenCompose(trained -> register(OFFER, trained.ensemble().toBytes(),
              version -> ModelCards.of(OFFER, version, jobId, (System.nanoTime() - started) / 1e9, trained.report())))
          .thenApply(reg -> published(topics, jobId, reg));
    }

    private CompletionStage<ModelCard> responseTime(Topics topics, String jobId, List<TrainingSetProjection.LabelledExample> examples) {
      long started = System.nanoTime();
      var rows = responseRows(examples);
      var settings = responseTimeSettings();
      var reason = ResponseTimeTrainer.insufficient(rows, settings);
      if (reason != null) throw new Skipped(reason);
      return CompletableFuture.supplyAsync(() -> {
            progress(topics, ResponseTimeModel.NAME, jobId, "training", Map.of("examples", rows.size()));
            return ResponseTimeTrainer.train(rows, settings);
          }, blocking)
          .thenCompose(trained -> register(ResponseTimeModel.NAME, trained.model().toBytes(),
              version -> ModelCards.ofResponseTime(version, jobId, (System.nanoTime() - started) / 1e9, trained.report())))
          .thenApply(reg -> published(topics, jobId, reg));
    }

    private ModelCard published(Topics topics, String jobId, Registered reg) {
      var card = reg.card();
      var data = modelJson(card);
      data.put("job_id", jobId);
      data.put("alias", reg.registered().alias());
      data.put("gate_reason", reg.registered().reason());
      topics.publish(StreamMessage.of("models", "model_trained", data));
      Metrics.TRAININGS.labels(card.name(), "ok").inc();
      Metrics.TRAINING_SECONDS.labels(card.name()).observe(card.trainingSeconds());
      return card;
    }

    private record Registered(ModelCard card, ModelRegistry.Registered registered) {}

    /** Saves the bytes and registers the card as the model's next version; fails when the registry refuses it. */
    private CompletionStage<Registered> register(String model, byte[] bytes, java.util.function.IntFunction<ModelCard> cardOf) {
      var registry = ClusterSharding.get(system).entityRefFor(ModelRegistry.ENTITY_KEY, model);
      var gate = new ModelRegistry.Gate(config.getDouble("gate.auc-tolerance"), config.getDouble("gate.ece-tolerance"));
      return registry.<ModelRegistry.Latest>ask(ModelRegistry.GetLatest::new, askTimeout).thenCompose(latest -> {
        int version = latest.version() == null ? 1 : latest.version().version() + 1;
        var card = cardOf.apply(version);
        return models.save(model, version, bytes)
            .thenCompose(d -> registry.<ModelRegistry.Registered>ask(r -> new ModelRegistry.Register(card.toJson(), gate, r), askTimeout))
            .thenApply(reg -> {
              if (!reg.ok()) throw new IllegalStateException("registry refused " + model + " version " + version + ": " + reg.error());
              return new Registered(card, reg);
            });
      });
    }

    private record Registration(ModelCard card, ModelRegistry.Registered registered, RecommendationBook.Submitted config) {}

    /** Trained ensemble plus the snapshots it can derive a config from (recent real applications). */
    private record Fitted(Ensemble ensemble, EnsembleTrainer.Report report, List<ApplicationSnapshot> sample, double baseRate) {}

    private EnsembleTrainer.Settings ensembleSettings() {
      long seed = config.getLong("seed");
      var defaults = EnsembleTrainer.Settings.defaults();
      return new EnsembleTrainer.Settings(new Split.Settings(defaults.split().holdoutUsers(), defaults.split().validationUsers(),
          config.getInt("holdout-days"), seed), config.getDouble("interval-level"), defaults.threshold(), defaults.explanationSample());
    }

    private ResponseTimeTrainer.Settings responseTimeSettings() {
      var split = ensembleSettings().split();
      var c = config.getConfig("response-time");
      return new ResponseTimeTrainer.Settings(split, c.getDoubleList("l2-grid"), c.getDouble("horizon-days"));
    }

    private EnsembleTrainer ensembleTrainer() {
      return new EnsembleTrainer(MemberTrainers.of(config.getStringList("members"), config.getLong("seed")));
    }

    private Fitted fit(Topics topics, String jobId, List<LabelledSnapshot> rows) {
      int min = config.getInt("min-examples");
      if (rows.size() < min) {
        throw new IllegalStateException("only " + rows.size() + " labelled applications; training needs at least " + min
            + " (hireloop.learning.min-examples)");
      }
      progress(topics, MODEL, jobId, "training", Map.of("examples", rows.size()));
      var trained = ensembleTrainer().train(rows, ensembleSettings(), (phase, detail) -> {
        var data = new LinkedHashMap<String, Object>(detail);
        data.put("step", phase);
        progress(topics, MODEL, jobId, "training", data);
      });
      var sample = rows.stream().map(LabelledSnapshot::snapshot).limit(2000).toList();
      double baseRate = rows.stream().filter(LabelledSnapshot::label).count() / (double) Math.max(1, rows.size());
      return new Fitted(trained.ensemble(), trained.report(), sample, baseRate);
    }

    /**
     * The job_discovery config derived from a new champion, as a recommendation (its rules decide whether it is applied
     * at once); the dedup key is the version, so a retried job does not recommend it twice.
     */
    private CompletionStage<RecommendationBook.Submitted> recommendConfig(Fitted model, int version) {
      var values = new JobDiscoveryConfigDeriver().derive(model.ensemble()::probabilities, model.sample(),
          (s, fit) -> s.withContext(JobDiscoveryConfigDeriver.withFitScore(s.context(), fit)), s -> s.context().fitScore(),
          model.baseRate());
      return Recommendations.get(system).submit(JobDiscoveryConfigDeriver.recommendation(values, MODEL, version,
          model.report().holdout().auc(), model.report().holdout().ece(), model.report().dataWindow().trainRows(), model.baseRate()));
    }

    private static void progress(Topics topics, String model, String jobId, String phase, Map<String, ?> extra) {
      var data = new LinkedHashMap<String, Object>();
      data.put("model", model);
      data.put("job_id", jobId);
      data.put("phase", phase);
      data.putAll(extra);
      topics.publish(StreamMessage.of("models", "training_progress", data));
    }
  }

  /** A follower model's data is too thin to train; reported as progress {@code skipped}, not as a failure. */
  static final class Skipped extends RuntimeException {
    Skipped(String reason) {
      super(reason);
    }
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    return t;
  }

  /** The interview model's rows: applications whose interview outcome is known. */
  static List<LabelledSnapshot> interviewRows(List<TrainingSetProjection.LabelledExample> examples) {
    return examples.stream().filter(e -> e.row().labelled())
        .map(e -> new LabelledSnapshot(e.userId(), e.row().snapshot(), e.row().label())).toList();
  }

  /** The offer model's rows: applications that reached an interview and whose offer outcome is known; label = offer. */
  static List<LabelledSnapshot> offerRows(List<TrainingSetProjection.LabelledExample> examples) {
    return examples.stream().filter(e -> e.row().label() && e.row().offerLabelled())
        .map(e -> new LabelledSnapshot(e.userId(), e.row().snapshot(), e.row().offer())).toList();
  }

  /** The response-time model's rows: applications with a known response time (answered, or censored). */
  static List<ResponseTimeTrainer.Row> responseRows(List<TrainingSetProjection.LabelledExample> examples) {
    return examples.stream().filter(e -> e.row().responseDays() != null)
        .map(e -> new ResponseTimeTrainer.Row(e.userId(), e.row().snapshot(), e.row().responseDays(), e.row().responded(),
            e.row().labelled() ? e.row().label() : null))
        .toList();
  }

  /** The model document of API.md (GET /api/v1/models/{name}), without status fields. */
  public static LinkedHashMap<String, Object> modelJson(ModelCard card) {
    var m = new LinkedHashMap<String, Object>();
    m.put("name", card.name());
    m.put("version", card.version());
    m.put("trained_at", card.trainedAt() == null ? null : card.trainedAt().toString());
    m.put("training_examples", card.trainingExamples());
    var metrics = new LinkedHashMap<String, Object>();
    var h = card.holdout();
    metrics.put("auc", h == null ? null : h.auc());
    metrics.put("log_loss", h == null ? null : h.logLoss());
    metrics.put("brier", h == null ? null : h.brier());
    metrics.put("ece", h == null ? null : h.ece());
    m.put("metrics", metrics);
    m.put("backend", card.backend());
    m.put("training_seconds", card.trainingSeconds());
    if (card.survival() != null) m.put("survival", card.survival());
    return m;
  }
}
