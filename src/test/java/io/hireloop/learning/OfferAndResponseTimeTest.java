package io.hireloop.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import io.hireloop.learning.ensemble.EnsembleTrainer;
import io.hireloop.learning.ensemble.LabelledSnapshot;
import io.hireloop.learning.ensemble.MemberTrainers;
import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.learning.features.ExampleRow;
import io.hireloop.stats.Survival;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The offer model's rows and training, and the response-time model on planted data (no node). */
class OfferAndResponseTimeTest {
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  static ApplicationSnapshot snapshot(Random r, int i, boolean tailored) {
    var c = new ApplicationContext("balanced", Math.round(r.nextDouble() * 1000) / 10.0, "target",
        new JobCharacteristics("Engineer", "Acme", "mid", "Berlin", "software"), 60, tailored);
    return ApplicationSnapshot.ofContext(c, T0.plus(Duration.ofMinutes(i * 97L % (120 * 1440))));
  }

  /**
   * 3,000 applications: a third never reached an interview (all tailored, never an offer), a third were interviewed
   * with a known offer outcome (offer with p 0.75 when tailored, 0.25 when not), a third interviewed still open.
   */
  static List<TrainingSetProjection.LabelledExample> offerExamples() {
    var r = new Random(5);
    var out = new ArrayList<TrainingSetProjection.LabelledExample>();
    for (int i = 0; i < 3000; i++) {
      var user = "u" + (i % 300);
      ExampleRow row;
      switch (i % 3) {
        case 0 -> row = new ExampleRow(snapshot(r, i, true), false, true, false, false, 9.0, true, 1);
        case 1 -> {
          boolean tailored = r.nextBoolean();
          boolean offer = r.nextDouble() < (tailored ? 0.75 : 0.25);
          row = new ExampleRow(snapshot(r, i, tailored), true, true, offer, true, 4.0, true, 1);
        }
        default -> row = new ExampleRow(snapshot(r, i, r.nextBoolean()), true, true, false, false, 4.0, true, 1);
      }
      out.add(new TrainingSetProjection.LabelledExample(user, "a" + i, row));
    }
    return out;
  }

  @Test
  void offerModelLearnsFromInterviewedApplicationsWithAKnownOfferOutcomeOnly() {
    var examples = offerExamples();
    var rows = LearningCoordinator.offerRows(examples);
    var allowed = Collections.newSetFromMap(new IdentityHashMap<ApplicationSnapshot, Boolean>());
    for (int i = 1; i < examples.size(); i += 3) allowed.add(examples.get(i).row().snapshot());
    assertEquals(1000, rows.size());
    for (var row : rows) assertTrue(allowed.contains(row.snapshot()), "a row that is not interviewed-with-offer-outcome leaked in");
    assertEquals(2000, LearningCoordinator.interviewRows(examples).stream().filter(LabelledSnapshot::label).count());

    var settings = EnsembleTrainer.Settings.defaults();
    assertEquals(null, EnsembleTrainer.insufficient(rows, settings));
    var trained = new EnsembleTrainer(MemberTrainers.of(List.of("logistic"), 1)).train(rows, settings, EnsembleTrainer.Progress.NONE);
    var w = trained.report().dataWindow();
    assertEquals(1000, w.trainRows() + w.blendRows() + w.calibrationRows() + w.holdoutRows());
    // leaked non-interviewed rows (tailored, never an offer) would pull the offer rate to ~0.17 and flip tailoring's sign
    assertEquals(0.5, trained.report().holdout().positiveRate(), 0.1);
    assertTrue(trained.report().holdout().auc() > 0.65, "holdout AUC " + trained.report().holdout().auc());
    var tailored = trained.ensemble().predict(List.of(snapshot(new Random(1), 1, true)), 0).get(0).probability();
    var plain = trained.ensemble().predict(List.of(snapshot(new Random(1), 1, false)), 0).get(0).probability();
    assertTrue(tailored > plain + 0.2, tailored + " vs " + plain);
  }

  @Test
  void tooFewOfferRowsAreASkipNotAnError() {
    var few = LearningCoordinator.offerRows(offerExamples().subList(0, 150));
    var reason = EnsembleTrainer.insufficient(few, EnsembleTrainer.Settings.defaults());
    assertTrue(reason != null && reason.contains("at least 100"), reason);
  }

  static final double ETA0 = 2.0, TAILORING = -0.7, SCALE = 0.6;

  /** Days to the first answer: Weibull AFT with log-time effect −0.7 for tailoring; random censoring (ghosting) at U(0, 40) days. */
  static List<TrainingSetProjection.LabelledExample> responseExamples(int n, long seed, double effect) {
    var r = new Random(seed);
    var out = new ArrayList<TrainingSetProjection.LabelledExample>();
    for (int i = 0; i < n; i++) {
      boolean tailored = r.nextBoolean();
      double eta = ETA0 + (tailored ? effect : 0);
      double t = Math.exp(eta + SCALE * Math.log(-Math.log(1 - r.nextDouble())));
      double c = 40 * r.nextDouble();
      Double days = i % 10 == 9 ? null : Math.min(t, c); // every tenth still open: unknown, left out
      var row = new ExampleRow(snapshot(r, i, tailored), false, false, false, false, days, days != null && t <= c, 1);
      out.add(new TrainingSetProjection.LabelledExample("u" + (i % 400), "a" + i, row));
    }
    return out;
  }

  @Test
  void responseTimeModelRecoversThePlantedEffectAndRanksByIt() {
    var examples = responseExamples(4000, 9, TAILORING);
    var rows = LearningCoordinator.responseRows(examples);
    assertEquals(3600, rows.size());
    var trained = ResponseTimeTrainer.train(rows, ResponseTimeTrainer.Settings.defaults());
    var model = trained.model();
    int tailoring = model.pipeline().columnNames().indexOf("tailoring");
    assertEquals(TAILORING, model.beta()[tailoring], 0.12);
    assertEquals(SCALE, model.scale(), 0.06);

    // the ceiling: Harrell's C of the true log-time on the same rows; the holdout C must be near it
    var time = new double[rows.size()];
    var event = new boolean[rows.size()];
    var risk = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      time[i] = rows.get(i).days();
      event[i] = rows.get(i).responded();
      risk[i] = rows.get(i).snapshot().context().tailoringApplied() ? -TAILORING : 0;
    }
    double oracle = Survival.harrellConcordance(time, event, risk);
    var card = trained.report();
    assertTrue(card.survival().concordance() > oracle - 0.04, "C " + card.survival().concordance() + " vs oracle " + oracle);
    assertEquals(card.survival().concordance(), card.holdout().auc());
    for (var h : card.survival().horizons()) assertEquals(h.observed(), h.meanPredicted(), 0.05, "horizon " + h.days());

    var fast = model.predict(snapshot(new Random(2), 5, true));
    var slow = model.predict(snapshot(new Random(2), 5, false));
    assertTrue(fast.medianDays() < slow.medianDays());
    assertEquals(Math.exp(-TAILORING), slow.medianDays() / fast.medianDays(), 0.15);
    assertTrue(fast.pResponseWithin().get(7) < fast.pResponseWithin().get(14) && fast.pResponseWithin().get(14) < fast.pResponseWithin().get(30));
    assertTrue(fast.expectedDays() > 0 && fast.expectedDays() < model.horizonDays());
    assertEquals(Set.of(7, 14, 30), fast.pResponseWithin().keySet());

    var back = ResponseTimeModel.fromBytes(model.toBytes());
    assertEquals(fast, back.predict(snapshot(new Random(2), 5, true)));
  }

  @Test
  void responseTimeConcordanceIsAboutAHalfWithoutSignal() {
    var rows = LearningCoordinator.responseRows(responseExamples(4000, 13, 0));
    var c = ResponseTimeTrainer.train(rows, ResponseTimeTrainer.Settings.defaults()).report().survival().concordance();
    // holdout of ~800 rows: SE of C about 0.02
    assertEquals(0.5, c, 0.06);
  }

  @Test
  void theCardCarriesTheSurvivalBlockThroughJson() {
    var trained = ResponseTimeTrainer.train(LearningCoordinator.responseRows(responseExamples(1500, 17, TAILORING)),
        ResponseTimeTrainer.Settings.defaults());
    var card = ModelCards.ofResponseTime(1, "job", 1.0, trained.report());
    var json = card.toJson();
    assertTrue(json.contains("\"survival\":{\"model\":\"weibull_aft\""), json);
    var back = ModelCard.fromJson(json);
    assertEquals(card.survival(), back.survival());
    assertEquals("response_time", back.name());
    assertEquals(null, ModelCard.fromJson("{\"name\":\"interview\",\"version\":1}").survival());
  }
}
