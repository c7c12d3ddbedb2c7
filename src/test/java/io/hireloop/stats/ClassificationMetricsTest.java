package io.hireloop.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.stats.ClassificationMetrics.ReliabilityBin;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
  private static final double TOL = 1e-12;

  @Test
  void aucFromRanks() {
    // scores 0.1 0.4 0.35 0.8, labels 0 0 1 1 → ranks 1 3 2 4; positive rank sum = 2 + 4 = 6
    // U = 6 − 2·3/2 = 3; AUC = 3 / (2·2) = 0.75 (pairs: 0.35>0.1 yes, 0.35>0.4 no, 0.8 beats both → 3/4)
    assertEquals(0.75, ClassificationMetrics.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1}), TOL);
  }

  @Test
  void aucAveragesTiedRanks() {
    // scores 0.2 0.5 0.5 0.9, labels 0 0 1 1 → ranks 1 2.5 2.5 4; positive rank sum = 2.5 + 4 = 6.5
    // U = 6.5 − 3 = 3.5; AUC = 3.5 / 4 = 0.875 (the tied pos/neg pair counts one half)
    assertEquals(0.875, ClassificationMetrics.auc(new double[] {0.2, 0.5, 0.5, 0.9}, new int[] {0, 0, 1, 1}), TOL);
    // all scores equal: every pair is a tie → 0.5
    assertEquals(0.5, ClassificationMetrics.auc(new double[] {0.3, 0.3, 0.3, 0.3, 0.3}, new int[] {1, 0, 1, 0, 0}), TOL);
  }

  @Test
  void aucPerfectAndInverted() {
    double[] p = {0.1, 0.2, 0.7, 0.9};
    assertEquals(1.0, ClassificationMetrics.auc(p, new boolean[] {false, false, true, true}), TOL);
    assertEquals(0.0, ClassificationMetrics.auc(p, new boolean[] {true, true, false, false}), TOL);
  }

  @Test
  void aucNeedsBothClasses() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClassificationMetrics.auc(new double[] {0.1, 0.9}, new int[] {1, 1}));
    assertTrue(e.getMessage().contains("single class"), e.getMessage());
  }

  @Test
  void logLoss() {
    // −(ln 0.9 + ln(1 − 0.2)) / 2 = (0.1053605157 + 0.2231435513) / 2 = 0.1642520335
    assertEquals(0.16425203348, ClassificationMetrics.logLoss(new double[] {0.9, 0.2}, new int[] {1, 0}), 1e-10);
    // p = 0 for a positive is clipped to 1e-15: −ln(1e-15) = 15·ln 10 = 34.538776395
    assertEquals(15 * Math.log(10), ClassificationMetrics.logLoss(new double[] {0.0}, new int[] {1}), 1e-9);
    assertEquals(15 * Math.log(10), ClassificationMetrics.logLoss(new double[] {1.0}, new int[] {0}), 1e-3);
  }

  @Test
  void brier() {
    // ((0.9−1)² + (0.2−0)² + (0.6−0)²) / 3 = (0.01 + 0.04 + 0.36) / 3 = 0.41 / 3
    assertEquals(0.41 / 3, ClassificationMetrics.brier(new double[] {0.9, 0.2, 0.6}, new int[] {1, 0, 0}), TOL);
  }

  @Test
  void expectedCalibrationError() {
    // 10 bins. p 0.05 → bin 0 (|0.05 − 0| = 0.05, 1 row); 0.15, 0.15 → bin 1 (|0.15 − 0.5| = 0.35, 2 rows);
    // 0.85 → bin 8 (|0.85 − 1| = 0.15); 0.95 → bin 9 (|0.95 − 1| = 0.05)
    // ECE = (1·0.05 + 2·0.35 + 1·0.15 + 1·0.05) / 5 = 0.95 / 5 = 0.19
    double[] p = {0.05, 0.15, 0.15, 0.85, 0.95};
    int[] y = {0, 0, 1, 1, 1};
    assertEquals(0.19, ClassificationMetrics.expectedCalibrationError(p, y, 10), 1e-12);
    assertEquals(0.19, ClassificationMetrics.expectedCalibrationError(p, y), 1e-12);
    // perfectly calibrated within each bin → 0
    assertEquals(0.0, ClassificationMetrics.expectedCalibrationError(new double[] {0.5, 0.5}, new int[] {0, 1}, 10), TOL);
  }

  @Test
  void reliabilityBinsKeepShapeAndPutOneInLastBin() {
    List<ReliabilityBin> bins = ClassificationMetrics.reliabilityBins(new double[] {0.0, 0.3, 1.0}, new int[] {0, 1, 1}, 4);
    assertEquals(4, bins.size());
    assertEquals(1, bins.get(0).count());      // 0.0 in [0, 0.25)
    assertEquals(1, bins.get(1).count());      // 0.3 in [0.25, 0.5)
    assertEquals(0, bins.get(2).count());
    assertTrue(Double.isNaN(bins.get(2).meanPredicted()));
    assertEquals(1, bins.get(3).count());      // 1.0 goes to the last bin
    assertEquals(0.75, bins.get(3).lower(), TOL);
    assertEquals(1.0, bins.get(3).observedRate(), TOL);
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.brier(new double[] {0.1}, new int[] {0, 1}));
    assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.logLoss(new double[0], new int[0]));
    assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.auc(new double[0], new boolean[0]));
    assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.brier(new double[] {1.2}, new int[] {1}));
    assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.brier(new double[] {0.2}, new int[] {2}));
    assertThrows(IllegalArgumentException.class,
        () -> ClassificationMetrics.expectedCalibrationError(new double[] {0.2}, new int[] {1}, 0));
  }
}
