package io.hireloop.stats.causal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reported standard errors against the spread of the estimates over repeated fresh samples: 40 seeded data sets
 * of n = 2,000 from {@link Sim#confounded} (true effect 1.0 for everyone, so ATE = ATT = 1). A standard error that is
 * right has mean(SE) / sd(estimates) near 1 and its 95% interval covers the truth in about 38 of 40 samples.
 */
class StandardErrorCoverageTest {
  static final int REPS = 40;
  static final int N = 2000;
  static final double EFFECT = 1.0;

  record Summary(double sdOfEstimates, double meanSe, int covered) {
    double ratio() {
      return meanSe / sdOfEstimates;
    }

    @Override
    public String toString() {
      return String.format("sd(estimates) %.4f, mean SE %.4f, ratio %.3f, coverage %d/%d", sdOfEstimates, meanSe, ratio(),
          covered, REPS);
    }
  }

  interface Method {
    double[] run(double[][] x, int[] t, double[] y); // {estimate, se}
  }

  static Summary repeat(Method method) {
    var est = new double[REPS];
    double seSum = 0;
    int covered = 0;
    for (int r = 0; r < REPS; r++) {
      var data = Sim.confounded(N, EFFECT, 7_000 + r);
      var out = method.run((double[][]) data[0], (int[]) data[1], (double[]) data[2]);
      est[r] = out[0];
      seSum += out[1];
      if (Math.abs(out[0] - EFFECT) <= Stats.Z975 * out[1]) covered++;
    }
    return new Summary(Math.sqrt(Stats.variance(est)), seSum / REPS, covered);
  }

  static final List<String> NAMES = List.of("x1", "x2");

  @Test
  void ipwStandardErrorAccountsForTheFittedPropensity() {
    for (var estimand : List.of("ate", "att")) {
      var corrected = repeat((x, t, y) -> {
        var r = Causal.ipw(NAMES, x, t, y, estimand);
        return new double[] {r.estimate(), r.stdError()};
      });
      var known = repeat((x, t, y) -> {
        var r = Weighting.ipw(Propensity.fit(x, t).scores(), t, y, estimand);
        return new double[] {r.estimate(), r.stdError()};
      });
      System.out.println("IPW " + estimand + " corrected: " + corrected + "; propensity treated as known: " + known);
      assertTrue(corrected.ratio() > 0.8 && corrected.ratio() < 1.25, estimand + " " + corrected);
      assertTrue(corrected.covered() >= 35, estimand + " " + corrected);
    }
  }

  @Test
  void psmStandardErrorUsesTheConditionalVariance() {
    var s = repeat((x, t, y) -> {
      var r = Causal.psm(NAMES, x, t, y, "att");
      return new double[] {r.estimate(), r.stdError()};
    });
    System.out.println("PSM att: " + s);
    assertTrue(s.ratio() > 0.8 && s.ratio() < 1.25, s.toString());
    assertTrue(s.covered() >= 35, s.toString());
  }
}
