package io.hireloop.learning.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.stats.ClassificationMetrics;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LiveMetricsTest {

  @Test
  void rollingWindowKeepsTheLastPairsPerVersion() {
    var live = new LiveMetrics(4);
    // version 1: the first two pairs are pushed out by the next four
    live.add(1, 0.9, false);
    live.add(1, 0.1, true);
    live.add(1, 0.8, true);
    live.add(1, 0.6, true);
    live.add(1, 0.3, false);
    live.add(1, 0.2, false);
    live.add(2, 0.5, true);
    var v1 = live.metrics(1);
    assertEquals(4, v1.labelled());
    assertEquals(6, v1.total());
    assertEquals(1.0, v1.auc(), 1e-12); // 0.8, 0.6 positive above 0.3, 0.2 negative
    double[] p = {0.8, 0.6, 0.3, 0.2};
    int[] y = {1, 1, 0, 0};
    assertEquals(ClassificationMetrics.logLoss(p, y), v1.logLoss(), 1e-12);
    assertEquals(ClassificationMetrics.expectedCalibrationError(p, y, 10), v1.ece(), 1e-12);
    assertEquals(0.5, v1.positiveRate(), 1e-12);
    // one class only: AUC undefined, the rest defined
    var v2 = live.metrics(2);
    assertTrue(Double.isNaN(v2.auc()));
    assertEquals(-Math.log(0.5), v2.logLoss(), 1e-12);
    assertEquals(2, live.all().size());
    assertEquals(0, live.metrics(3).labelled());
  }

  @Test
  void calibratedScoresLookCalibratedAndInvertedOnesDoNot() {
    var rnd = new Random(3);
    var live = new LiveMetrics(2000);
    for (int i = 0; i < 5000; i++) {
      double p = 0.05 + 0.9 * rnd.nextDouble();
      boolean y = rnd.nextDouble() < p;
      live.add(1, p, y);
      live.add(2, 1 - p, y);
    }
    var good = live.metrics(1);
    var bad = live.metrics(2);
    assertEquals(2000, good.labelled());
    assertTrue(good.ece() < 0.05, "calibrated: " + good);
    assertTrue(good.auc() > 0.75, "informative: " + good);
    assertTrue(bad.auc() < 0.3 && bad.ece() > 0.2, "inverted: " + bad);
  }
}
