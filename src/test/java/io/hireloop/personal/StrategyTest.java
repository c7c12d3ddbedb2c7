package io.hireloop.personal;

import static io.hireloop.personal.Fixtures.STRATEGY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.personal.StrategyModel.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrategyTest {
  static final double[] EVEN = {1 / 3.0, 1 / 3.0, 1 / 3.0};

  static StrategyModel model() {
    var ev = PersonalConfigRuleTest.strong();
    return new StrategyModel(StrategyModel.InterviewCurve.fromEvidence(ev, STRATEGY, 20), 0.25, 4, STRATEGY);
  }

  static Strategy.Result run() {
    var ev = PersonalConfigRuleTest.strong();
    return Strategy.optimise(ev, model(), new Decision(15, 50, EVEN), "test", Fixtures.T0);
  }

  @Test
  void theFrontIsNonDominatedAndTheRecommendationIsOnIt() {
    var r = run();
    var front = r.front();
    assertTrue(front.size() >= 10, "a spread of trade-offs: " + front.size());
    for (var a : front) {
      for (var b : front) assertFalse(Strategy.dominates(a.objectives(), b.objectives()), a + " dominates " + b);
    }
    assertTrue(front.contains(r.recommended()));
    // the rule: within the effort budget, nothing on the front has more interviews per week
    assertTrue(r.recommended().objectives().effortHoursPerWeek() <= STRATEGY.effortBudgetHours());
    for (var p : front) {
      if (p.objectives().effortHoursPerWeek() <= STRATEGY.effortBudgetHours()) {
        assertTrue(p.objectives().interviewsPerWeek() <= r.recommended().objectives().interviewsPerWeek());
      }
    }
    // sorted by interviews per week; the decisions within bounds, the mix summing to 1
    for (int i = 1; i < front.size(); i++) {
      assertTrue(front.get(i - 1).objectives().interviewsPerWeek() <= front.get(i).objectives().interviewsPerWeek());
    }
    for (var p : front) {
      var d = p.decision();
      assertTrue(d.applicationsPerWeek() >= 1 && d.applicationsPerWeek() <= STRATEGY.maxApplicationsPerWeek());
      assertTrue(d.minFitScore() >= STRATEGY.minFit() && d.minFitScore() <= STRATEGY.maxFit());
      assertEquals(1, d.mix()[0] + d.mix()[1] + d.mix()[2], 1e-9);
    }
    // the current point is evaluated by the same model
    assertEquals(model().evaluate(r.current().decision()), r.current().objectives());
  }

  @Test
  void whenNothingFitsTheBudgetTheLeastEffortIsRecommended() {
    var front = run().front();
    var least = front.stream().min(java.util.Comparator.comparingDouble(p -> p.objectives().effortHoursPerWeek())).orElseThrow();
    assertEquals(least, Strategy.recommend(front, -1));
  }

  @Test
  void objectivesMoveInTheRightDirection() {
    var m = model();
    for (double f : new double[] {40, 60, 80}) {
      var prev = m.evaluate(new Decision(1, f, EVEN));
      for (double a = 2; a <= 40; a += 1) {
        var o = m.evaluate(new Decision(a, f, EVEN));
        assertTrue(o.interviewsPerWeek() > prev.interviewsPerWeek(), "more applications, more interviews");
        assertTrue(o.effortHoursPerWeek() > prev.effortHoursPerWeek(), "more applications, more effort");
        assertTrue(o.weeksToOffer() <= prev.weeksToOffer(), "more applications, an offer sooner");
        prev = o;
      }
    }
    for (double a : new double[] {5, 20}) {
      var prev = m.evaluate(new Decision(a, 30, EVEN));
      for (double f = 35; f <= 95; f += 5) {
        var o = m.evaluate(new Decision(a, f, EVEN));
        assertTrue(o.interviewsPerWeek() > prev.interviewsPerWeek(), "a higher fit floor, better odds per application at f=" + f);
        assertTrue(o.effortHoursPerWeek() > prev.effortHoursPerWeek(), "a higher fit floor, longer to find each job at f=" + f);
        prev = o;
      }
    }
    // the user never got a reach interview: shifting the mix from reach to safety raises interviews
    var reach = m.evaluate(new Decision(10, 60, new double[] {1, 0, 0}));
    var safety = m.evaluate(new Decision(10, 60, new double[] {0, 0, 1}));
    assertTrue(safety.interviewsPerWeek() > reach.interviewsPerWeek());
  }

  @Test
  void deterministicForTheSameJournal() {
    assertEquals(run().toJson(), run().toJson());
    var other = Strategy.optimise(UserEvidence.fold("u-other", List.of(), 0), model(), new Decision(15, 50, EVEN), "test", Fixtures.T0);
    assertFalse(other.seed() == run().seed(), "the seed is mixed with the user id");
  }

  @Test
  void theModelCurveComesFromTheModelWhenGiven() {
    var preds = new java.util.ArrayList<Double>();
    for (int c = 0; c < 3; c++) for (int i = 0; i < StrategyModel.InterviewCurve.GRID.length; i++) preds.add(0.01 * (c + 1) + 0.01 * i);
    var curve = StrategyModel.InterviewCurve.fromPredictions("model v1", preds);
    assertEquals(0.03, curve.probability(0, 50), 1e-12);
    assertEquals(0.035, curve.probability(0, 55), 1e-12, "linear between grid points");
    assertEquals(0.01, curve.probability(0, 0), 1e-12, "constant beyond the ends");
    assertEquals(0.10, curve.probability(2, 100), 1e-12);
  }
}
