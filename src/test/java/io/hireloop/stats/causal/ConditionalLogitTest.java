package io.hireloop.stats.causal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConditionalLogitTest {

  /** The exact conditional log-likelihood by enumerating every k-subset of each stratum (small strata only). */
  static double bruteForce(double[][] x, int[] y, int[] stratum, double[] beta) {
    double ll = 0;
    int g = 0;
    for (int s : stratum) g = Math.max(g, s + 1);
    for (int s = 0; s < g; s++) {
      var rows = new java.util.ArrayList<Integer>();
      for (int i = 0; i < x.length; i++) if (stratum[i] == s) rows.add(i);
      int k = 0;
      double num = 0;
      for (int i : rows) {
        if (y[i] == 1) {
          k++;
          num += eta(x[i], beta);
        }
      }
      if (k == 0 || k == rows.size()) continue;
      double den = 0;
      for (int mask = 0; mask < 1 << rows.size(); mask++) {
        if (Integer.bitCount(mask) != k) continue;
        double sum = 0;
        for (int b = 0; b < rows.size(); b++) if ((mask & 1 << b) != 0) sum += eta(x[rows.get(b)], beta);
        den += Math.exp(sum);
      }
      ll += num - Math.log(den);
    }
    return ll;
  }

  private static double eta(double[] r, double[] beta) {
    double e = 0;
    for (int j = 0; j < r.length; j++) e += r[j] * beta[j];
    return e;
  }

  /** Strata of 4–12 rows, an intercept per stratum drawn wide, two covariates, one correlated with the intercept. */
  static double[][] data(int strata, long seed, int[] y, int[] stratum, double[] truth) {
    var rnd = new SplittableRandom(seed);
    var x = new double[y.length][];
    int i = 0;
    for (int s = 0; s < strata && i < y.length; s++) {
      double alpha = -1 + 1.5 * rnd.nextGaussian();
      int size = 4 + rnd.nextInt(9);
      for (int r = 0; r < size && i < y.length; r++, i++) {
        double x1 = alpha + rnd.nextGaussian(); // confounded: high-intercept strata have high x1
        double x2 = rnd.nextDouble() < 0.4 ? 1 : 0;
        x[i] = new double[] {x1, x2};
        double z = alpha + truth[0] * x1 + truth[1] * x2;
        y[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        stratum[i] = s;
      }
    }
    return x;
  }

  @Test
  void maximisesTheExactConditionalLikelihood() {
    int n = 600;
    var y = new int[n];
    var st = new int[n];
    var x = data(80, 3, y, st, new double[] {0.5, -0.7});
    var fit = ConditionalLogit.fit(x, y, st, null);
    assertTrue(fit.converged());
    assertEquals(bruteForce(x, y, st, fit.beta()), fit.logLikelihood(), 1e-8, "log-likelihood by enumeration");
    // the enumerated likelihood's numerical gradient vanishes at the fitted β: it is the conditional MLE
    for (int j = 0; j < 2; j++) {
      double h = 1e-5;
      var up = fit.beta().clone();
      var down = fit.beta().clone();
      up[j] += h;
      down[j] -= h;
      double grad = (bruteForce(x, y, st, up) - bruteForce(x, y, st, down)) / (2 * h);
      assertEquals(0, grad, 1e-4, "gradient of the enumerated likelihood at β̂, column " + j);
    }
  }

  @Test
  void recoversPlantedEffectsWhereAPooledFitIsConfoundedAndItsIntervalsCover() {
    double[] truth = {0.5, -0.7};
    int covered0 = 0, covered1 = 0, seeds = 40;
    double meanError0 = 0;
    for (int seed = 0; seed < seeds; seed++) {
      int n = 4000;
      var y = new int[n];
      var st = new int[n];
      var x = data(10_000, 100 + seed, y, st, truth);
      var fit = ConditionalLogit.fit(x, y, st, null);
      if (Math.abs(fit.beta()[0] - truth[0]) < 1.96 * fit.stdError(0)) covered0++;
      if (Math.abs(fit.beta()[1] - truth[1]) < 1.96 * fit.stdError(1)) covered1++;
      meanError0 += (fit.beta()[0] - truth[0]) / seeds;
    }
    assertTrue(covered0 >= 34 && covered1 >= 34, "95% intervals cover in " + covered0 + " and " + covered1 + " of " + seeds);
    assertEquals(0, meanError0, 0.03, "mean error of the confounded covariate's coefficient");
  }

  @Test
  void dropsColumnsConstantWithinStrataAndCollinearOnes() {
    int n = 800;
    var y = new int[n];
    var st = new int[n];
    var base = data(200, 7, y, st, new double[] {0.5, -0.7});
    var x = new double[n][];
    for (int i = 0; i < n; i++) {
      x[i] = new double[] {base[i][0], st[i] % 3, base[i][1], 2 * base[i][0] - base[i][1]};
    }
    var fit = ConditionalLogit.fit(x, y, st, null);
    assertEquals(java.util.List.of(1, 3), fit.dropped());
    assertTrue(Double.isNaN(fit.beta()[1]) && Double.isNaN(fit.beta()[3]));
    var reference = ConditionalLogit.fit(base, y, st, null);
    assertEquals(reference.beta()[0], fit.beta()[0], 1e-9);
    assertEquals(reference.beta()[1], fit.beta()[2], 1e-9);
  }

  @Test
  void largeStrataWithManyEventsStayFinite() {
    var rnd = new SplittableRandom(11);
    int n = 3000;
    var x = new double[n][];
    var y = new int[n];
    var st = new int[n];
    for (int i = 0; i < n; i++) {
      st[i] = i / 300; // 10 strata of 300 rows, event rates from ~10% to ~90%
      double alpha = -2.2 + 0.5 * st[i];
      x[i] = new double[] {rnd.nextGaussian() * 3};
      y[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-(alpha + 0.4 * x[i][0]))) ? 1 : 0;
    }
    var fit = ConditionalLogit.fit(x, y, st, null);
    assertTrue(fit.converged() && Double.isFinite(fit.logLikelihood()));
    assertEquals(0.4, fit.beta()[0], 4 * fit.stdError(0));
  }
}
