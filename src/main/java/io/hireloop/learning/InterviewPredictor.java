package io.hireloop.learning;

import io.hireloop.journey.Domain.ApplicationContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Serves interview probabilities on any node: asks the registry for the champion version and loads that
 * version's bytes from Cassandra the first time it is needed, then keeps it in memory.
 */
public final class InterviewPredictor {
  public record Prediction(double probability, int modelVersion) {}

  /** No model has been trained yet. */
  public static final class NoModelYet extends RuntimeException {
    NoModelYet() {
      super("no interview model has been trained yet: ingest labelled outcomes or POST /api/v1/models/interview/train");
    }
  }

  private record Loaded(int version, TrainedModel model) {}

  private final ActorSystem<?> system;
  private final ModelStore store;
  private final Duration askTimeout;
  private final AtomicReference<Loaded> loaded = new AtomicReference<>();

  public InterviewPredictor(ActorSystem<?> system, ModelStore store, Duration askTimeout) {
    this.system = system;
    this.store = store;
    this.askTimeout = askTimeout;
  }

  public CompletionStage<Prediction> predict(ApplicationContext context) {
    return championModel().thenApply(l -> new Prediction(l.model().predict(context), l.version()));
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
            var l = new Loaded(version, TrainedModel.fromBytes(bytes.orElseThrow(() ->
                new IllegalStateException("model_blobs has no bytes for " + LearningCoordinator.MODEL + " v" + version))));
            loaded.set(l);
            return l;
          });
        });
  }
}
