package io.hireloop.learning;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.learning.ensemble.Ensemble;
import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.learning.features.UserHistory;
import io.hireloop.learning.monitoring.PredictionLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Serves interview probabilities on any node from the registry's champion: asks the registry which version is
 * champion and loads that version's ensemble from Cassandra the first time it is needed, then keeps it in memory.
 * A prediction for a named user is built on that user's history now (the training-set projection's history row):
 * the same {@link ApplicationSnapshot} the models were trained on, so serving sees what training saw. A sample of
 * the predictions goes to the {@link PredictionLog} (drift monitoring) without holding the reply.
 */
public final class InterviewPredictor {
  /** Predictions for several jobs of one request, in the order asked, from one model version. */
  public record Scored(int modelVersion, List<Ensemble.Prediction> predictions) {}

  /** No model has been trained yet. */
  public static final class NoModelYet extends RuntimeException {
    NoModelYet() {
      super("no interview model has been trained yet: ingest labelled outcomes or POST /api/v1/models/interview/train");
    }
  }

  /** The explanation lists every feature, largest contributions first, so that base + Σ contributions = logit. */
  public static final int EXPLANATION_FEATURES = Integer.MAX_VALUE;

  private record Loaded(int version, Ensemble model) {}

  private final ActorSystem<?> system;
  private final ModelStore store;
  private final TrainingSetProjection trainingSet;
  private final Duration askTimeout;
  private final AtomicReference<Loaded> loaded = new AtomicReference<>();
  private final PredictionLog log;

  public InterviewPredictor(ActorSystem<?> system, ModelStore store, TrainingSetProjection trainingSet, Duration askTimeout) {
    this(system, store, trainingSet, askTimeout, null);
  }

  /** @param log where a sample of served predictions goes; null: none are logged */
  public InterviewPredictor(ActorSystem<?> system, ModelStore store, TrainingSetProjection trainingSet, Duration askTimeout,
      PredictionLog log) {
    this.system = system;
    this.store = store;
    this.trainingSet = trainingSet;
    this.askTimeout = askTimeout;
    this.log = log;
  }

  /** @param userId whose history the snapshots carry; null = a new user (no history) */
  public CompletionStage<Scored> predict(String userId, List<ApplicationContext> contexts) {
    var at = Instant.now();
    CompletionStage<UserHistory> history = userId == null
        ? CompletableFuture.completedFuture(UserHistory.EMPTY) : trainingSet.history(userId);
    return championModel().thenCombine(history, (l, h) -> {
      var snapshots = contexts.stream().map(c -> h.snapshot(c, at)).toList();
      var predictions = l.model().predict(snapshots, EXPLANATION_FEATURES);
      if (log != null) {
        log.offer(LearningCoordinator.MODEL, l.version(), userId, l.model(), snapshots,
            predictions.stream().mapToDouble(Ensemble.Prediction::probability).toArray());
      }
      return new Scored(l.version(), predictions);
    });
  }

  private CompletionStage<Loaded> championModel() {
    return ClusterSharding.get(system).entityRefFor(ModelRegistry.ENTITY_KEY, LearningCoordinator.MODEL)
        .<ModelRegistry.Champion>ask(ModelRegistry.GetChampion::new, askTimeout)
        .thenCompose(champion -> {
          var card = champion.card();
          if (card == null) throw new NoModelYet();
          int version = card.version();
          var current = loaded.get();
          if (current != null && current.version() == version) return CompletableFuture.completedFuture(current);
          return store.load(LearningCoordinator.MODEL, version).thenApply(bytes -> {
            var l = new Loaded(version, Ensemble.fromBytes(bytes.orElseThrow(() ->
                new IllegalStateException("model_blobs has no bytes for " + LearningCoordinator.MODEL + " v" + version))));
            loaded.set(l);
            return l;
          });
        });
  }
}
