package io.hireloop.stats.causal;

import java.util.SplittableRandom;

/** Seeded simulated data with planted effects. */
final class Sim {
  final SplittableRandom random;

  Sim(long seed) {
    random = new SplittableRandom(seed);
  }

  double gauss() {
    return Refuters.gaussian(random);
  }

  /**
   * Confounded observational data: x1, x2 ~ N(0,1); P(t=1) = logistic(−0.3 + 0.8x1 − 0.6x2);
   * y = 1 + effect·t + 2x1 − 1.5x2 + N(0,1). Both covariates bias the naive difference upwards.
   */
  static Object[] confounded(int n, double effect, long seed) {
    var s = new Sim(seed);
    var x = new double[n][2];
    var t = new int[n];
    var y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = s.gauss();
      x[i][1] = s.gauss();
      double e = Propensity.sigmoid(-0.3 + 0.8 * x[i][0] - 0.6 * x[i][1]);
      t[i] = s.random.nextDouble() < e ? 1 : 0;
      y[i] = 1 + effect * t[i] + 2 * x[i][0] - 1.5 * x[i][1] + s.gauss();
    }
    return new Object[] {x, t, y};
  }

  /** The 2SLS data of PlantedEffectTest (seed 31): true effect 1.5, endogenous d, instrument z, covariate w. */
  static Object[] iv(int n, long seed) {
    var s = new Sim(seed);
    var y = new double[n];
    var d = new double[n];
    var z = new double[n][1];
    var w = new double[n][1];
    for (int i = 0; i < n; i++) {
      double u = s.gauss();
      z[i][0] = s.gauss();
      w[i][0] = s.gauss();
      d[i] = 0.8 * z[i][0] + 0.5 * w[i][0] + u + 0.5 * s.gauss();
      y[i] = 1 + 1.5 * d[i] + 0.7 * w[i][0] + 2 * u + s.gauss();
    }
    return new Object[] {y, d, z, w};
  }

  /** The DiD panel of PlantedEffectTest (seed 41): 200 units × 2 periods, true effect 2.0. */
  static Object[] did(int units, long seed) {
    var s = new Sim(seed);
    int n = units * 2;
    var y = new double[n];
    var treat = new int[n];
    var post = new int[n];
    var id = new String[n];
    for (int u = 0; u < units; u++) {
      int g = u < units / 2 ? 1 : 0;
      double unitEffect = 3 * g + s.gauss();
      for (int p = 0; p < 2; p++) {
        int i = u * 2 + p;
        treat[i] = g;
        post[i] = p;
        id[i] = "u" + u;
        y[i] = 10 + unitEffect + 1.5 * p + 2.0 * g * p + 0.5 * s.gauss();
      }
    }
    return new Object[] {y, treat, post, id};
  }

  /** The RD data of PlantedEffectTest (seed 51): x ~ U(−1, 1), jump 1.0 at 0. */
  static double[][] rd(int n, long seed) {
    var s = new Sim(seed);
    var x = new double[n];
    var y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = s.random.nextDouble() * 2 - 1;
      y[i] = 0.5 + 0.8 * x[i] - 0.6 * x[i] * x[i] + (x[i] >= 0 ? 1.0 : 0) + 0.3 * s.gauss();
    }
    return new double[][] {x, y};
  }
}
