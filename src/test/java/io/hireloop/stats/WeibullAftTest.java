package io.hireloop.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WeibullAftTest {
  static final double INTERCEPT = 2.0, B1 = 0.5, B2 = -0.8, SCALE = 0.7;

  /** Rows of (x1 ~ N(0,1), x2 ~ Bernoulli(½)); times from the planted model when {@code signal}, else from the intercept only. */
  record Data(double[][] x, double[] time, boolean[] event, double[] trueEta) {}

  static Data planted(int n, long seed, boolean signal) {
    var rnd = new Random(seed);
    var x = new double[n][2];
    var time = new double[n];
    var event = new boolean[n];
    var eta = new double[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = rnd.nextGaussian();
      x[i][1] = rnd.nextBoolean() ? 1 : 0;
      eta[i] = INTERCEPT + (signal ? B1 * x[i][0] + B2 * x[i][1] : 0);
      double w = Math.log(-Math.log(1 - rnd.nextDouble())); // standard minimum extreme value
      double t = Math.exp(eta[i] + SCALE * w);
      double c = 25 * rnd.nextDouble(); // random censoring, independent of x and T: about a fifth censored
      time[i] = Math.max(1e-6, Math.min(t, c));
      event[i] = t <= c;
    }
    return new Data(x, time, event, eta);
  }

  @Test
  void recoversPlantedCoefficientsUnderRandomCensoring() {
    var d = planted(6000, 7, true);
    int censored = 0;
    for (boolean e : d.event()) if (!e) censored++;
    assertTrue(censored > 600 && censored < 3000, "censored " + censored);
    var fit = WeibullAft.fit(d.x(), d.time(), d.event(), 0);
    assertTrue(fit.converged(), "converged");
    // standard errors here are about 0.01-0.02: 0.06 is a 3-5 SE band
    assertEquals(INTERCEPT, fit.intercept(), 0.06);
    assertEquals(B1, fit.beta()[0], 0.06);
    assertEquals(B2, fit.beta()[1], 0.06);
    assertEquals(SCALE, fit.scale(), 0.04);
  }

  @Test
  void penaltyShrinksTowardsZeroAndKeepsCollinearColumnsFinite() {
    var d = planted(2000, 11, true);
    var x = new double[d.x().length][3];
    for (int i = 0; i < x.length; i++) {
      x[i][0] = d.x()[i][0];
      x[i][1] = d.x()[i][1];
      x[i][2] = 1 - d.x()[i][1]; // with x2 a one-hot block that sums to the intercept
    }
    var fit = WeibullAft.fit(x, d.time(), d.event(), 1.0);
    assertTrue(fit.converged());
    for (double b : fit.beta()) assertTrue(Double.isFinite(b));
    // the identified contrast survives the penalty
    assertEquals(B2, fit.beta()[1] - fit.beta()[2], 0.1);
    var strong = WeibullAft.fit(d.x(), d.time(), d.event(), 1e6);
    assertEquals(0, strong.beta()[0], 1e-2);
  }

  @Test
  void concordanceOnHoldoutIsNearTheTrueModelsAndHalfWithoutSignal() {
    var train = planted(4000, 21, true);
    var test = planted(3000, 22, true);
    var fit = WeibullAft.fit(train.x(), train.time(), train.event(), 0.1);
    var risk = new double[test.time().length];
    var oracleRisk = new double[risk.length];
    for (int i = 0; i < risk.length; i++) {
      risk[i] = -fit.linearPredictor(test.x()[i]);
      oracleRisk[i] = -test.trueEta()[i];
    }
    double c = Survival.harrellConcordance(test.time(), test.event(), risk);
    double oracle = Survival.harrellConcordance(test.time(), test.event(), oracleRisk);
    // the true linear predictor is the ceiling; a consistent fit on 4,000 rows is within sampling noise of it
    assertTrue(oracle > 0.65, "oracle C " + oracle);
    assertTrue(c > oracle - 0.01, "C " + c + " vs oracle " + oracle);

    var none = planted(4000, 31, false);
    var noneTest = planted(3000, 32, false);
    var fit0 = WeibullAft.fit(none.x(), none.time(), none.event(), 0.1);
    var risk0 = new double[noneTest.time().length];
    for (int i = 0; i < risk0.length; i++) risk0[i] = -fit0.linearPredictor(noneTest.x()[i]);
    // SE of C at n = 3,000 is about 0.01
    assertEquals(0.5, Survival.harrellConcordance(noneTest.time(), noneTest.event(), risk0), 0.035);
  }

  @Test
  void harrellConcordanceByHand() {
    double[] t = {1, 2, 2, 3, 5};
    boolean[] e = {true, true, false, true, false};
    // comparable pairs: (0,1) (0,2) (0,3) (0,4) (1,2: tied, 2 censored) (1,3) (1,4) (3,4) = 8;
    // concordant: all four of 0, (1,4), (3,4) = 6
    assertEquals(6.0 / 8, Survival.harrellConcordance(t, e, new double[] {0.9, 0.4, 0.5, 0.6, 0.1}), 1e-12);
    // risk of 4 tied with 3's: (3,4) counts ½, (1,4) becomes discordant
    assertEquals(4.5 / 8, Survival.harrellConcordance(t, e, new double[] {0.9, 0.4, 0.5, 0.6, 0.6}), 1e-12);
    assertTrue(Double.isNaN(Survival.harrellConcordance(new double[] {1, 2}, new boolean[] {false, false}, new double[] {1, 2})));
  }

  @Test
  void predictionsFollowTheWeibullForms() {
    var m = new WeibullAft(0, new double[0], 1.0, 0, 0, true); // exponential with mean 1
    assertEquals(Math.log(2), m.median(0), 1e-12);
    assertEquals(Math.exp(-2), m.survival(0, 2), 1e-12);
    assertEquals(1 - Math.exp(-3), m.restrictedMean(0, 3), 1e-9);
    var w = new WeibullAft(1, new double[0], 0.5, 0, 0, true);
    double tau = 4;
    double numeric = 0;
    int steps = 200_000;
    for (int i = 0; i < steps; i++) numeric += w.survival(1, (i + 0.5) * tau / steps) * tau / steps;
    assertEquals(numeric, w.restrictedMean(1, tau), 1e-6);
    assertEquals(0.5, w.survival(1, w.median(1)), 1e-12);
  }

  @Test
  void refusesDataWithoutEvents() {
    assertThrows(IllegalArgumentException.class,
        () -> WeibullAft.fit(new double[][] {{1}, {2}}, new double[] {1, 2}, new boolean[] {false, false}, 1));
  }
}
