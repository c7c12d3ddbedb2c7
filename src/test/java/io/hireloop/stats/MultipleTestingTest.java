package io.hireloop.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MultipleTestingTest {
  @Test
  void smallExampleByHand() {
    double[] p = {0.01, 0.04, 0.03, 0.005};
    // Holm: sorted 0.005, 0.01, 0.03, 0.04 × 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04 → running max 0.02, 0.03, 0.06, 0.06
    assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, MultipleTesting.holm(p), 1e-12);
    // BH: from the top 0.04·4/4 = 0.04, 0.03·4/3 = 0.04, 0.01·4/2 = 0.02, 0.005·4/1 = 0.02 → running min
    assertArrayEquals(new double[] {0.02, 0.04, 0.04, 0.02}, MultipleTesting.benjaminiHochberg(p), 1e-12);
  }

  @Test
  void benjaminiHochberg1995Example() {
    // The 15 p-values of Benjamini & Hochberg (1995), section 4: at q = 0.05 BH rejects the 4 smallest,
    // the Bonferroni-type (Holm) procedure only 3.
    double[] p = {0.0201, 0.0001, 0.0004, 0.0019, 0.0095, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262,
        0.5719, 0.6528, 0.7590, 1.0000};
    var bh = MultipleTesting.benjaminiHochberg(p);
    var holm = MultipleTesting.holm(p);
    assertEquals(4, MultipleTesting.rejections(bh, 0.05));
    assertEquals(3, MultipleTesting.rejections(holm, 0.05));
    // BH of 0.0095 (4th smallest) = 0.0095·15/4 = 0.035625; of 0.0201 = min over j ≥ 5 of 15·p/j = 0.0603
    assertEquals(0.035625, bh[4], 1e-12);
    assertEquals(0.0603, bh[0], 1e-12);
    // Holm of 0.0019 (3rd) = max(0.0001·15, 0.0004·14, 0.0019·13) = 0.0247; capped at 1 at the top
    assertEquals(0.0247, holm[3], 1e-12);
    assertEquals(1, holm[14], 1e-12);
  }
}
