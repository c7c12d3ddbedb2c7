package io.hireloop.ranking;

import com.typesafe.config.Config;
import io.hireloop.learning.EnsemblePredictor;
import io.hireloop.learning.TrainingSetProjection;
import io.hireloop.platform.ReadModelStore;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * The re-ranking feature of one node: serving ({@link Reranker}), off-policy evaluation ({@link RankingEvaluation}) and
 * feedback-loop stability ({@link DiversityMonitor}, whose cluster singleton is started here).
 */
public record Ranking(Reranker reranker, RankingEvaluation evaluation, DiversityMonitor diversity) {

  /** The global policy of {@code hireloop.ranking}. */
  public static RankingPolicy.Settings globalPolicy(ActorSystem<?> system) {
    Config c = system.settings().config().getConfig("hireloop.ranking");
    return new RankingPolicy.Settings(c.getDouble("diversity-lambda"), c.getDouble("exploration-rate"), c.getInt("top-k"));
  }

  /**
   * Wires them from {@code hireloop.ranking} (hireloop.conf documents every setting).
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
    var blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    var d = c.getConfig("diversity");
    var diversity = new DiversityMonitor(DiversitySource.of(log, trainingSet, d.getInt("max-rankings")),
        new DiversityTrend.Settings(DiversityTrend.Period.valueOf(d.getString("period").toUpperCase(java.util.Locale.ROOT)),
            d.getInt("periods"), d.getInt("baseline-periods"), d.getDouble("max-drop"), d.getInt("min-items"),
            d.getInt("min-trend-periods"), d.getDouble("confidence-level")),
        blocking, java.time.Clock.systemUTC());
    DiversityMonitor.initSingleton(system, diversity, d.getDuration("interval"));
    return new Ranking(new Reranker(predictor, policy, log, perUser), new RankingEvaluation(system, log, new RankingOutcomes(system, trainingSet),
        settings, blocking), diversity);
  }
}
