package io.hireloop.learning.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.stats.ClassificationMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Online updates of the logistic member follow a world that moved after training (every application's log-odds
 * 0.8 lower, as in a cooling market): on fresh rows of the moved world the updated ensemble's log loss is lower
 * than the ensemble as trained, and the ensemble as trained is left untouched.
 */
class OnlineLearnerTest {
  static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");

  record World(List<LabelledSnapshot> rows) {}

  static World world(int users, double shift, long seed) {
    var random = new Random(seed);
    var rows = new ArrayList<LabelledSnapshot>();
    String[] categories = {"reach", "target", "safety"};
    for (int u = 0; u < users; u++) {
      for (int a = 0; a < 10; a++) {
        double fit = 20 + 75 * random.nextDouble();
        var category = categories[random.nextInt(3)];
        double z = -1.5 + 2 * (fit - 55) / 40 + (category.equals("safety") ? 0.6 : category.equals("reach") ? -0.6 : 0) + shift;
        boolean label = random.nextDouble() < 1 / (1 + Math.exp(-z));
        var ctx = new ApplicationContext("balanced", fit, category, new JobCharacteristics("Engineer", "Acme", "mid", "Berlin", "software"), 60, true);
        rows.add(new LabelledSnapshot("s" + seed + "-u" + u, new ApplicationSnapshot(ctx, T0.plusSeconds(3600L * (u * 10 + a)), 0, 0, 0,
            List.of(), null), label));
      }
    }
    return new World(rows);
  }

  static double logLoss(Ensemble e, List<LabelledSnapshot> rows) {
    var p = e.probabilities(rows.stream().map(LabelledSnapshot::snapshot).toList());
    return ClassificationMetrics.logLoss(p, rows.stream().mapToInt(r -> r.label() ? 1 : 0).toArray());
  }

  @Test
  void theLogisticMemberFollowsAMovedWorldAndTheTrainedModelStaysAsItWas() {
    var trained = new EnsembleTrainer(MemberTrainers.of(List.of(LogisticMember.FAMILY, BoostedTrees.FAMILY), 1))
        .train(world(600, 0, 1).rows(), EnsembleTrainer.Settings.defaults(), EnsembleTrainer.Progress.NONE).ensemble();
    var moved = world(400, -0.8, 2).rows();
    var fresh = world(300, -0.8, 3).rows();
    double before = logLoss(trained, fresh);

    var learner = new OnlineLearner(trained, 0, 0.02);
    assertTrue(learner.learns());
    for (var r : moved) learner.learn(r.snapshot(), r.label());
    assertEquals(moved.size(), learner.updates());
    double after = logLoss(learner.current(), fresh);
    assertTrue(after < before - 0.005, "log loss on the moved world: " + before + " as trained, " + after + " after online updates");
    assertEquals(before, logLoss(trained, fresh), 1e-12, "the trained ensemble is immutable");
    var logistic = (LogisticMember) learner.current().members().get(0);
    assertEquals(moved.size(), logistic.onlineUpdates());
    assertEquals(moved.size(), ((LogisticMember) Ensemble.fromBytes(learner.current().toBytes()).members().get(0)).onlineUpdates(),
        "the update count travels with the bytes");
  }

  @Test
  void withoutALogisticMemberNothingIsLearned() {
    var trained = new EnsembleTrainer(MemberTrainers.of(List.of(BoostedTrees.FAMILY), 1))
        .train(world(300, 0, 4).rows(), EnsembleTrainer.Settings.defaults(), EnsembleTrainer.Progress.NONE).ensemble();
    var learner = new OnlineLearner(trained, 0, 0.02);
    assertFalse(learner.learns());
    var r = world(1, 0, 5).rows().get(0);
    assertEquals(0, learner.learn(r.snapshot(), r.label()));
    assertTrue(learner.current() == trained);
  }
}
