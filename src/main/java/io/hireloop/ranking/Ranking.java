package io.hireloop.ranking;

import com.typesafe.config.Config;
import io.hireloop.learning.EnsemblePredictor;
import io.hireloop.learning.TrainingSetProjection;
import io.hireloop.platform.ReadModelStore;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/** The re-ranking feature of one node: serving ({@link Reranker}) and off-policy evaluation ({@link RankingEvaluation}). */
public record Ranking(Reranker reranker, RankingEvaluation evaluation) {

  /** The global policy of {@code hireloop.ranking}. */
  public static RankingPolicy.Settings globalPolicy(ActorSystem<?> system) {
    Config c = system.settings().config().getConfig("hireloop.ranking");
    return new RankingPolicy.Settings(c.getDouble("diversity-lambda"), c.getDouble("exploration-rate"), c.getInt("top-k"));
  }

  /**
   * Wires both from {@code hireloop.ranking} (hireloop.conf documents every setting).
   *
   * @param perUser a user's policy (their personal λ and ε)
   */
  public static Ranking create(ActorSystem<?> system, EnsemblePredictor predictor, TrainingSetProjection trainingSet,
      Function<String, CompletionStage<RankingPolicy.Settings>> perUser) {
    Config c = system.settings().config().getConfig("hireloop.ranking");
    var policy = globalPolicy(system);
    var log = new RankingLog(new ReadModelStore(system), system.executionContext());
    var e = c.getConfig("evaluation");
    var settings = new RankingEvaluation.Settings(e.getInt("days"), e.getInt("max-rankings"), e.getDouble("confidence-level"),
        c.getDuration("outcome-window"));
    return new Ranking(new Reranker(predictor, policy, log, perUser), new RankingEvaluation(system, log, new RankingOutcomes(system, trainingSet),
        settings, system.dispatchers().lookup(DispatcherSelector.blocking())));
  }
}
