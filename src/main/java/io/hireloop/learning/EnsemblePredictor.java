package io.hireloop.learning;

import io.hireloop.learning.monitoring.PredictionLog;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.learning.ensemble.Ensemble;
import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.learning.features.UserHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Serves one ensemble model's probabilities ({@code interview}, or {@code offer} given an interview) on any node
 * from the registry's champion ({@link Champions}). A prediction for a named user is built on that user's history
 * now (the training-set projection's history row): the same {@link ApplicationSnapshot} the models were trained
 * on, so serving sees what training saw.
 */
public final class EnsemblePredictor {
  /** Predictions for several jobs of one request, in the order asked, from one model version. */
  public record Scored(int modelVersion, List<Ensemble.Prediction> predictions) {}

  /** score-jobs explains this many of the highest-ranked jobs unless the request says otherwise ({@code explain_top}). */
  public static final int DEFAULT_EXPLAIN_TOP = 10;

  /** The explanation lists every feature, largest contributions first, so that base + Σ contributions = logit. */
  public static final int EXPLANATION_FEATURES = Integer.MAX_VALUE;

  private final Champions<Ensemble> champions;
  private final TrainingSetProjection trainingSet;
  private final String model;
  private final PredictionLog log;

  /** @param log where a sample of served predictions goes (drift monitoring); null: none are logged */
  public EnsemblePredictor(ActorSystem<?> system, ModelStore store, TrainingSetProjection trainingSet, String model, Duration askTimeout,
      PredictionLog log) {
    this.champions = new Champions<>(system, store, model, Ensemble::fromBytes, askTimeout);
    this.trainingSet = trainingSet;
    this.model = model;
    this.log = log;
  }

  public String model() {
    return model;
  }

  /** {@link Ensemble#rank} from one model version. */
  public record Ranked(int modelVersion, Ensemble.Ranked ranked) {}

  /** Scores every context for the user, ranks them, and explains the {@code explainTop} highest (0: none). */
  public CompletionStage<Ranked> predictRanked(String userId, List<ApplicationContext> contexts, int explainTop) {
    var at = Instant.now();
    return champions.champion().thenCombine(history(trainingSet, userId), (l, h) -> {
      var snapshots = contexts.stream().map(c -> h.snapshot(c, at)).toList();
      var ranked = l.model().rank(snapshots, explainTop);
      if (log != null) {
        log.offer(model, l.version(), userId, l.model(), snapshots,
            ranked.predictions().stream().mapToDouble(Ensemble.Prediction::probability).toArray());
      }
      return new Ranked(l.version(), ranked);
    });
  }

  /**
   * Probabilities for hypothetical contexts (a what-if over a user's decisions, e.g. the personal strategy's grid), in the
   * order asked, from one model version. Not offered to the prediction log: these are not jobs anyone was shown, and
   * drift monitoring compares served jobs with the training data.
   */
  public CompletionStage<Scored> predictHypothetical(String userId, List<ApplicationContext> contexts) {
    var at = Instant.now();
    return champions.champion().thenCombine(history(trainingSet, userId), (l, h) -> {
      var snapshots = contexts.stream().map(c -> h.snapshot(c, at)).toList();
      return new Scored(l.version(), l.model().rank(snapshots, 0).predictions());
    });
  }

  /** @param userId whose history the snapshots carry; null = a new user (no history) */
  public CompletionStage<Scored> predict(String userId, List<ApplicationContext> contexts) {
    var at = Instant.now();
    return champions.champion().thenCombine(history(trainingSet, userId), (l, h) -> {
      var snapshots = contexts.stream().map(c -> h.snapshot(c, at)).toList();
      var predictions = l.model().predict(snapshots, EXPLANATION_FEATURES);
      if (log != null) {
        log.offer(model, l.version(), userId, l.model(), snapshots,
            predictions.stream().mapToDouble(Ensemble.Prediction::probability).toArray());
      }
      return new Scored(l.version(), predictions);
    });
  }

  static CompletionStage<UserHistory> history(TrainingSetProjection trainingSet, String userId) {
    return userId == null ? CompletableFuture.completedFuture(UserHistory.EMPTY) : trainingSet.history(userId);
  }
}
