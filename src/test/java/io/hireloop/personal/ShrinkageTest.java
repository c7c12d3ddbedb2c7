package io.hireloop.personal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShrinkageTest {
  static final Shrinkage.Rule RULE = new Shrinkage.Rule(20, 10);

  @Test
  void belowTheMinimumSampleTheGlobalValueStands() {
    assertEquals(60, RULE.apply(60, 80, 0));
    assertEquals(60, RULE.apply(60, 80, 9));
    assertFalse(RULE.personal(9));
    assertTrue(RULE.personal(10));
    assertEquals(60, RULE.apply(60, Double.NaN, 500), "no estimate: global");
  }

  /** n = 20, k = 20: halfway; n = 180: 90 % of the way; never past the estimate. */
  @Test
  void handComputedPosteriorMeans() {
    assertEquals(70, RULE.apply(60, 80, 20), 1e-12);
    assertEquals(78, RULE.apply(60, 80, 180), 1e-12);
    assertEquals(10 / 30.0, RULE.weight(10), 1e-12);
    assertEquals(60 + (10 / 30.0) * 20, RULE.apply(60, 80, 10), 1e-12);
  }

  @Test
  void moreEvidenceMovesMonotonicallyTowardTheUsersEstimate() {
    double previous = 60;
    for (int n = 10; n <= 2000; n += 10) {
      double v = RULE.apply(60, 45, n);
      assertTrue(v < previous, "n=" + n);
      assertTrue(v > 45);
      previous = v;
    }
  }

  @Test
  void aMixKeepsSummingToOne() {
    var v = RULE.apply(new double[] {0.2, 0.6, 0.2}, new double[] {0.5, 0.3, 0.2}, 30);
    assertEquals(1, v[0] + v[1] + v[2], 1e-12);
    assertEquals(0.2 + 0.6 * 0.3, v[0], 1e-12);
    assertArrayEquals(new double[] {0.2, 0.6, 0.2}, RULE.apply(new double[] {0.2, 0.6, 0.2}, new double[] {1, 0, 0}, 5));
  }

  @Test
  void betaPosteriorRate() {
    assertEquals((3 + 20 * 0.1) / (10 + 20.0), Shrinkage.rate(3, 10, 0.1, 20), 1e-12);
    assertEquals(0.1, Shrinkage.rate(0, 0, 0.1, 20), 1e-12);
  }

  @Test
  void quantileAndItsInterval() {
    var values = new ArrayList<Integer>();
    for (int i = 1; i <= 100; i++) values.add(i);
    assertEquals(50.5, Shrinkage.quantile(values, 0.5), 1e-12);
    assertEquals(20.8, Shrinkage.quantile(values, 0.2), 1e-12);
    var ci = Shrinkage.quantileInterval(values, 0.5);
    // ranks 50 ∓ 1.96·5 = 40.2 .. 59.8 → the 40th and 60th values
    assertEquals(40, ci[0]);
    assertEquals(60, ci[1]);
    var small = Shrinkage.quantileInterval(List.of(5, 1, 3), 0.5);
    assertTrue(small[0] <= 3 && small[1] >= 3);
    assertTrue(Double.isNaN(Shrinkage.quantile(List.of(), 0.5)));
  }

  @Test
  void invalidRules() {
    assertThrows(IllegalArgumentException.class, () -> new Shrinkage.Rule(-1, 10));
    assertThrows(IllegalArgumentException.class, () -> new Shrinkage.Rule(20, 0));
  }
}
