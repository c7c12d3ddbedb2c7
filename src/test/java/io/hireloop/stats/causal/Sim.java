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
}
