package io.hireloop.learning.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.learning.ModelCard;
import io.hireloop.stats.Drift;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AlertRuleTest {
  static final ModelCard.Metrics HOLDOUT = new ModelCard.Metrics(0.80, 0.5, 0.17, 0.03, 1000, 0.3);

  /** Labels from a logistic truth; {@code noise} mixes the model's score towards a coin flip, {@code shift} miscalibrates it. */
  static LiveMetrics.Snapshot live(long seed, int n, double noise, double shift) {
    var rnd = new Random(seed);
    var live = new LiveMetrics(2000);
    for (int i = 0; i < n; i++) {
      double z = rnd.nextGaussian() * 1.6 - 1;
      double truth = 1 / (1 + Math.exp(-z));
      boolean y = rnd.nextDouble() < truth;
      double zModel = (1 - noise) * z + noise * rnd.nextGaussian() * 1.6 - 1 * noise + shift;
      live.add(1, 1 / (1 + Math.exp(-zModel)), y);
    }
    return live.metrics(1);
  }

  @Test
  void aFineModelRaisesNothing() {
    var s = live(1, 3000, 0, 0);
    assertTrue(Math.abs(s.auc() - 0.80) < 0.04, "the simulated truth matches the holdout: " + s);
    assertEquals(0, AlertRule.critical(s, HOLDOUT, AlertRule.Critical.defaults()).size(), s.toString());
  }

  @Test
  void aWorseModelIsCritical() {
    // half its signal replaced by noise: AUC far below holdout
    var weak = live(2, 3000, 0.7, 0);
    var alerts = AlertRule.critical(weak, HOLDOUT, AlertRule.Critical.defaults());
    assertTrue(alerts.stream().anyMatch(a -> a.kind().equals(AlertRule.AUC) && a.severity().equals(AlertRule.CRITICAL)), weak + " " + alerts);
    // right ranking, probabilities far too high: ECE
    var miscalibrated = live(3, 3000, 0, 1.5);
    alerts = AlertRule.critical(miscalibrated, HOLDOUT, AlertRule.Critical.defaults());
    assertTrue(alerts.stream().anyMatch(a -> a.kind().equals(AlertRule.ECE)), miscalibrated + " " + alerts);
    assertTrue(alerts.get(0).message().contains("ECE"), alerts.toString());
  }

  @Test
  void tooFewLabelsJudgeNothing() {
    var bad = live(4, 400, 0.9, 2);
    assertTrue(bad.ece() > 0.1);
    assertEquals(0, AlertRule.critical(bad, HOLDOUT, AlertRule.Critical.defaults()).size());
  }

  @Test
  void pageHinkleyOnLogLossStaysQuietWhenStableAndFiresWhenItRises() {
    // the monitor's defaults (hireloop.learning.monitoring.page-hinkley): delta 0.05, lambda 50
    int falseAlarms = 0;
    for (long seed = 0; seed < 200; seed++) {
      var rnd = new Random(seed);
      var ph = new Drift.PageHinkley(0.05, 50);
      boolean alarm = false;
      for (int i = 0; i < 2000; i++) alarm |= ph.update(logLoss(rnd, 0)) && ph.increase() > 50;
      if (alarm) falseAlarms++;
    }
    assertTrue(falseAlarms <= 2, "stable log loss alarmed in " + falseAlarms + " of 200 runs");
    var rnd = new Random(9);
    var ph = new Drift.PageHinkley(0.05, 50);
    for (int i = 0; i < 1000; i++) ph.update(logLoss(rnd, 0));
    int at = -1;
    for (int i = 0; i < 1000 && at < 0; i++) if (ph.update(logLoss(rnd, 1.5)) && ph.increase() > 50) at = i;
    assertTrue(at >= 0 && at < 500, "a miscalibrated model's rising log loss must alarm, alarmed at " + at);
  }

  private static double logLoss(Random rnd, double shift) {
    double z = rnd.nextGaussian() * 1.6 - 1;
    boolean y = rnd.nextDouble() < 1 / (1 + Math.exp(-z));
    double p = 1 / (1 + Math.exp(-(z + shift)));
    return y ? -Math.log(p) : -Math.log1p(-p);
  }
}
