package io.hireloop.stats.causal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PropensityTest {
  @Test
  void recoversPlantedLogisticCoefficients() {
    var d = Sim.confounded(20_000, 2.0, 11);
    var fit = Propensity.fit((double[][]) d[0], (int[]) d[1]);
    assertEquals(-0.3, fit.coefficients()[0], 0.06);
    assertEquals(0.8, fit.coefficients()[1], 0.06);
    assertEquals(-0.6, fit.coefficients()[2], 0.06);
    for (double s : fit.scores()) assertTrue(s >= 1e-6 && s <= 1 - 1e-6);
  }

  @Test
  void coefficientsAreOnTheOriginalScale() {
    // scaling a covariate by 1000 divides its coefficient by 1000
    var d = Sim.confounded(5_000, 2.0, 12);
    var x = (double[][]) d[0];
    var scaled = new double[x.length][2];
    for (int i = 0; i < x.length; i++) {
      scaled[i][0] = x[i][0] * 1000;
      scaled[i][1] = x[i][1];
    }
    var a = Propensity.fit(x, (int[]) d[1]);
    var b = Propensity.fit(scaled, (int[]) d[1]);
    assertEquals(a.coefficients()[1] / 1000, b.coefficients()[1], 1e-9);
    assertEquals(a.scores()[7], b.scores()[7], 1e-9);
  }

  @Test
  void perfectSeparationIsAClearError() {
    int n = 200;
    var x = new double[n][1];
    var t = new int[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = i;
      t[i] = i >= 100 ? 1 : 0;
    }
    var e = assertThrows(Propensity.FitException.class, () -> Propensity.fit(x, t));
    assertTrue(e.getMessage().contains("separat"), e.getMessage());
  }
}
