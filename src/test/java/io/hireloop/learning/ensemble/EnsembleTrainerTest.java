package io.hireloop.learning.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.stats.ClassificationMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ensemble on planted data (logistic truth in fit, category, tailoring, a user effect seen through the user's
 * prior interview rate, and a month effect), with the logistic and boosted-tree members: the split never shares
 * a user or lets training see the held-out weeks, calibration holds, the blend is not worse than its best member,
 * explanations add up, and the bytes round-trip.
 */
class EnsembleTrainerTest {
  static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");
  static List<LabelledSnapshot> rows;
  static List<Double> truth;
  static EnsembleTrainer.Trained trained;

  @BeforeAll
  static void train() {
    var random = new Random(7);
    rows = new ArrayList<>();
    truth = new ArrayList<>();
    String[] categories = {"reach", "target", "safety"};
    for (int u = 0; u < 600; u++) {
      double ability = random.nextGaussian();
      int prior = 0, interviews = 0;
      for (int a = 0; a < 15; a++) {
        double fit = 20 + 75 * random.nextDouble();
        var category = categories[random.nextInt(3)];
        boolean tailored = random.nextBoolean();
        var at = T0.plus(Duration.ofHours(random.nextInt(24 * 7 * 20)));
        double z = -2 + 2.2 * (fit - 55) / 40 + (category.equals("safety") ? 0.6 : category.equals("reach") ? -0.6 : 0)
            + (tailored ? 0.4 : 0) + 0.7 * ability + (at.atZone(java.time.ZoneOffset.UTC).getMonthValue() == 3 ? 0.4 : 0);
        double p = 1 / (1 + Math.exp(-z));
        boolean label = random.nextDouble() < p;
        var ctx = new ApplicationContext("balanced", fit, category, new JobCharacteristics("Engineer", "Acme", "mid", "Berlin", "software"),
            60, tailored);
        rows.add(new LabelledSnapshot("u" + u, new ApplicationSnapshot(ctx, at, prior, prior, interviews, List.of(), 1.0), label));
        truth.add(p);
        prior++;
        if (label) interviews++;
      }
    }
    trained = new EnsembleTrainer(MemberTrainers.of(List.of(LogisticMember.FAMILY, BoostedTrees.FAMILY), 3))
        .train(rows, EnsembleTrainer.Settings.defaults(), EnsembleTrainer.Progress.NONE);
  }

  @Test
  void theSplitKeepsUsersApartAndTheLastWeekOut() {
    var split = Split.of(rows, Split.Settings.defaults());
    assertTrue(split.cutoff() != null, "20 weeks of data: a time split");
    var trainUsers = new HashSet<String>();
    split.train().forEach(r -> trainUsers.add(r.userId()));
    for (var other : List.of(split.blend(), split.calibration())) {
      for (var r : other) assertTrue(!trainUsers.contains(r.userId()), "user " + r.userId() + " on both sides");
    }
    long heldOutTrainUsers = split.holdout().stream().filter(r -> trainUsers.contains(r.userId()))
        .filter(r -> r.snapshot().appliedAt().isBefore(split.cutoff())).count();
    assertEquals(0, heldOutTrainUsers, "a training user's row is held out only by the time split");
    for (var r : split.train()) assertTrue(r.snapshot().appliedAt().isBefore(split.cutoff()), "no training row after the cutoff");
    assertEquals(rows.size(), split.train().size() + split.blend().size() + split.calibration().size() + split.holdout().size());
    assertTrue(split.holdout().size() > rows.size() / 10, "holdout " + split.holdout().size());
  }

  @Test
  void calibratedNotWorseThanItsBestMemberAndNearTheTruth() {
    var r = trained.report();
    double best = r.members().stream().mapToDouble(m -> m.metrics().auc()).max().orElseThrow();
    assertTrue(r.holdout().auc() >= best - 0.005, "ensemble " + r.holdout().auc() + " vs best member " + best);
    assertTrue(r.holdout().ece() < 0.03, "ECE " + r.holdout().ece());
    var split = Split.of(rows, Split.Settings.defaults());
    var truthByRow = new java.util.IdentityHashMap<LabelledSnapshot, Double>();
    for (int i = 0; i < rows.size(); i++) truthByRow.put(rows.get(i), truth.get(i));
    var p = split.holdout().stream().mapToDouble(x -> truthByRow.get(x)).toArray();
    var y = split.holdout().stream().mapToInt(x -> x.label() ? 1 : 0).toArray();
    double oracle = ClassificationMetrics.auc(p, y);
    // the oracle knows each user's ability, the models only its shadow in the user's earlier outcomes
    assertTrue(r.holdout().auc() > oracle - 0.05 && r.holdout().auc() > 0.75, "ensemble " + r.holdout().auc() + " vs oracle " + oracle);
    assertTrue(r.members().stream().allMatch(m -> m.weight() >= 0), "non-negative blend weights");
  }

  @Test
  void anUncalibratedBlendWouldFailTheCalibrationCheck() {
    // the same holdout scored with the raw blended logit pushed through a sigmoid of twice the slope: overconfident
    var split = Split.of(rows, Split.Settings.defaults());
    var e = trained.ensemble();
    var x = EnsembleTrainer.encode(e.pipeline(), split.holdout());
    var logits = e.memberLogits(x);
    var raw = new double[x.length];
    for (int i = 0; i < raw.length; i++) raw[i] = LogisticMember.sigmoid(2 * e.blendLogit(logits, i));
    var y = split.holdout().stream().mapToInt(r -> r.label() ? 1 : 0).toArray();
    double ece = ClassificationMetrics.expectedCalibrationError(raw, y, 10);
    assertTrue(ece > 3 * trained.report().holdout().ece(), "the check separates: " + ece + " vs " + trained.report().holdout().ece());
  }

  @Test
  void explanationsAddUpAndFollowThePlantedEffects() {
    var e = trained.ensemble();
    var p = e.predict(rows.get(3).snapshot(), Integer.MAX_VALUE);
    double sum = p.baseValue();
    for (var c : p.explanation()) sum += c.contribution();
    assertEquals(p.logit(), sum, 1e-4);
    assertTrue(p.interval().low() <= p.probability() && p.probability() <= p.interval().high());
    var top = trained.report().featureImportance().get(0).feature();
    assertEquals("fit_score", top, "the largest planted effect: " + trained.report().featureImportance());
    var names = trained.report().featureImportance().stream().map(EnsembleTrainer.FeatureImportance::feature).toList();
    assertTrue(names.indexOf("prior_interview_rate") >= 0 && names.indexOf("prior_interview_rate") < 4, "the user effect is found: " + names);
    assertTrue(!names.contains("location"), "a constant feature contributes nothing: " + names);
  }

  @Test
  void rankingExplainsOnlyTheTopAndMatchesFullPredictions() {
    var e = trained.ensemble();
    var snapshots = rows.subList(0, 40).stream().map(LabelledSnapshot::snapshot).toList();
    var full = e.predict(snapshots, Integer.MAX_VALUE);
    var ranked = e.rank(snapshots, 5);
    for (int k = 1; k < ranked.order().size(); k++) {
      assertTrue(ranked.predictions().get(ranked.order().get(k - 1)).probability()
          >= ranked.predictions().get(ranked.order().get(k)).probability(), "ranked by probability");
    }
    for (int k = 0; k < ranked.order().size(); k++) {
      int i = ranked.order().get(k);
      var p = ranked.predictions().get(i);
      assertEquals(full.get(i).probability(), p.probability(), 1e-12);
      assertEquals(full.get(i).interval(), p.interval());
      if (k < 5) {
        assertEquals(full.get(i).explanation(), p.explanation(), "the top 5 carry the full explanation");
      } else {
        assertTrue(p.explanation().isEmpty() && Double.isNaN(p.baseValue()), "below the top 5 no explanation");
      }
    }
  }

  @Test
  void bytesRoundTrip() {
    var e = trained.ensemble();
    var back = Ensemble.fromBytes(e.toBytes());
    var snapshots = rows.subList(0, 50).stream().map(LabelledSnapshot::snapshot).toList();
    var a = e.probabilities(snapshots);
    var b = back.probabilities(snapshots);
    for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-12);
    assertThrows(IllegalArgumentException.class, () -> Ensemble.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
  }

  @Test
  void tooFewRowsSayHowMany() {
    var e = assertThrows(IllegalArgumentException.class, () -> new EnsembleTrainer(MemberTrainers.of(List.of("logistic"), 1))
        .train(rows.subList(0, 50), EnsembleTrainer.Settings.defaults(), EnsembleTrainer.Progress.NONE));
    assertTrue(e.getMessage().contains("at least 100"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MemberTrainers.of(List.of("forest"), 1));
  }
}
