package io.hireloop.stats.causal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.cli.analyze.Csv;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LaLonde PSID (Dehejia–Wahba): the figures in src/test/resources/datasets/README.md. */
class LalondeTest {
  static final List<String> COVARIATES = List.of("age", "educ", "black", "hispan", "married", "nodegree", "re74", "re75");
  static final Csv CSV = Csv.read("src/test/resources/datasets/lalonde_psid.csv");

  static double[][] covariates() {
    var x = new double[CSV.size()][COVARIATES.size()];
    for (int j = 0; j < COVARIATES.size(); j++) {
      var col = CSV.numbers(COVARIATES.get(j));
      for (int i = 0; i < x.length; i++) x[i][j] = col[i];
    }
    return x;
  }

  @Test
  void psmAttMovesTheNaiveNegativeIntoThePositiveFourDigitRangeAndBalances() {
    var t = CSV.binary("treat");
    var y = CSV.numbers("re78");
    var r = Causal.psm(COVARIATES, covariates(), t, y, "att");
    System.out.printf("LaLonde PSID: naive %.2f, PSM ATT %.2f (SE %.2f), n_treated %d, n_control %d, warnings %s%n",
        r.naiveDifference(), r.estimate(), r.stdError(), r.nTreated(), r.nControl(), r.warnings());
    r.balance().forEach(b -> System.out.printf("  %-9s SMD before %7.3f after %7.3f%n", b.covariate(), b.smdBefore(), b.smdAfter()));
    assertEquals(-635.03, r.naiveDifference(), 0.005);
    assertEquals(185, r.nTreated());
    assertEquals(429, r.nControl());
    assertTrue(r.estimate() > 1000 && r.estimate() < 2500, "PSM ATT " + r.estimate());
    int improved = 0, under = 0;
    for (var b : r.balance()) {
      if (Math.abs(b.smdAfter()) < Math.abs(b.smdBefore())) improved++;
      if (Math.abs(b.smdAfter()) < 0.25) under++;
    }
    assertTrue(improved >= 6, "SMD improved for " + improved + " of 8");
    assertTrue(under >= 6, "SMD under 0.25 after for " + under + " of 8");
    double maxBefore = r.balance().stream().mapToDouble(b -> Math.abs(b.smdBefore())).max().orElseThrow();
    assertTrue(maxBefore > 1, "balance before matching is poor: " + maxBefore);
  }

  @Test
  void ipwAttAndAipwAreAlsoAboveTheNaiveDifference() {
    var t = CSV.binary("treat");
    var y = CSV.numbers("re78");
    var ipw = Causal.ipw(COVARIATES, covariates(), t, y, "att");
    var dr = Causal.doublyRobust(COVARIATES, covariates(), t, y);
    System.out.printf("LaLonde PSID: IPW ATT %.2f (SE %.2f), AIPW ATE %.2f (SE %.2f)%n", ipw.estimate(), ipw.stdError(),
        dr.estimate(), dr.stdError());
    assertTrue(ipw.estimate() > 0, "IPW ATT " + ipw.estimate());
  }
}
