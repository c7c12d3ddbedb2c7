package io.hireloop.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PowerTest {
  @Test
  void proportionsClosedForm() {
    // baseline 0.10, MDE +0.02 (p2 = 0.12), alpha 0.05, power 0.8: z_a = 1.959964, z_b = 0.841621, p̄ = 0.11
    // z_a·sqrt(2·0.11·0.89) = 1.959964·0.442493 = 0.867270
    // z_b·sqrt(0.10·0.90 + 0.12·0.88) = 0.841621·0.442267 = 0.372221
    // n = (0.867270 + 0.372221)² / 0.02² = 1.536338 / 0.0004 = 3840.8 → 3841 per variant
    // (the usual online calculators, e.g. Evan Miller's, give ≈ 3,841 for this case)
    assertEquals(3841, Power.sampleSizeProportions(0.10, 0.02, 0.05, 0.8));
    // a downward MDE of the same size needs a different n (variance at 0.08 is smaller)
    long down = Power.sampleSizeProportions(0.10, -0.02, 0.05, 0.8);
    assertTrue(down < 3841, "n for 0.10 → 0.08 = " + down);
    // achieved power at that n is just at or above 0.8, one fewer is below
    assertTrue(Power.powerProportions(0.10, 0.02, 3841, 0.05) >= 0.8);
    assertTrue(Power.powerProportions(0.10, 0.02, 3840, 0.05) < 0.8);
    // MDE for n = 3841 is 0.02 (up to rounding of n)
    assertEquals(0.02, Power.mdeProportions(0.10, 3841, 0.05, 0.8), 1e-5);
  }

  @Test
  void meansClosedForm() {
    // δ = 0.5σ, alpha 0.05, power 0.8: n = 2·(1.959964 + 0.841621)²/0.25 = 2·7.848879/0.25 = 62.79 → 63
    assertEquals(63, Power.sampleSizeMeans(0.5, 1, 0.05, 0.8));
    assertEquals(63, Power.sampleSizeMeans(5, 10, 0.05, 0.8));
    double power = Power.powerMeans(0.5, 1, 63, 0.05);
    assertTrue(power > 0.8 && power < 0.81, "power " + power);
    // MDE for n = 100 per arm: 2.801585·sqrt(2/100) = 0.396203
    assertEquals(2.801585 * Math.sqrt(0.02), Power.mdeMeans(1, 100, 0.05, 0.8), 1e-5);
    assertEquals(0.8, Power.powerMeans(Power.mdeMeans(1, 100, 0.05, 0.8), 1, 100, 0.05), 1e-9);
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> Power.sampleSizeProportions(0, 0.02, 0.05, 0.8));
    assertThrows(IllegalArgumentException.class, () -> Power.sampleSizeProportions(0.99, 0.02, 0.05, 0.8));
    assertThrows(IllegalArgumentException.class, () -> Power.sampleSizeProportions(0.1, 0, 0.05, 0.8));
    assertThrows(IllegalArgumentException.class, () -> Power.sampleSizeProportions(0.1, 0.02, 0.05, 1));
    assertThrows(IllegalArgumentException.class, () -> Power.sampleSizeMeans(0.1, -1, 0.05, 0.8));
  }
}
