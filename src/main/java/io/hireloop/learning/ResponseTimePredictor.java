package io.hireloop.learning;

import io.hireloop.journey.Domain.ApplicationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/** Serves the champion {@link ResponseTimeModel} for one application context, on the user's history as of now. */
public final class ResponseTimePredictor {
  public record Predicted(int modelVersion, ResponseTimeModel.Prediction prediction) {}

  private final Champions<ResponseTimeModel> champions;
  private final TrainingSetProjection trainingSet;

  public ResponseTimePredictor(ActorSystem<?> system, ModelStore store, TrainingSetProjection trainingSet, Duration askTimeout) {
    this.champions = new Champions<>(system, store, ResponseTimeModel.NAME, ResponseTimeModel::fromBytes, askTimeout);
    this.trainingSet = trainingSet;
  }

  /** @param userId whose history the snapshot carries; null = a new user */
  public CompletionStage<Predicted> predict(String userId, ApplicationContext context) {
    var at = Instant.now();
    return champions.champion().thenCombine(EnsemblePredictor.history(trainingSet, userId),
        (l, h) -> new Predicted(l.version(), l.model().predict(h.snapshot(context, at))));
  }
}
