package io.hireloop.experiment;

import io.hireloop.stats.HypothesisTests;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.stat.StatUtils;
import org.hipparchus.stat.correlation.Covariance;

/**
 * CUPED (Deng et al. 2013): Y' = Y − θ·(X − mean X) with X the user's pre-exposure interview rate and
 * θ = cov(X, Y) / var(X) on the pooled sample of every variant. X does not depend on the assignment, so the
 * adjusted difference estimates the same effect with variance reduced by the share of Y's variance that X
 * explains (ρ²). Users with no application before their exposure get the pooled mean of X (they are
 * neither adjusted nor dropped).
 */
public final class Cuped {
  private Cuped() {}

  /** θ and the pooled mean of X, or a reason why no adjustment is possible. */
  public record Fit(double theta, double meanX, double varianceReduction, String problem) {
    double[] adjust(double[] y, double[] x) {
      var out = new double[y.length];
      for (int i = 0; i < y.length; i++) out[i] = y[i] - theta * (impute(x[i]) - meanX);
      return out;
    }

    double impute(double x) {
      return Double.isNaN(x) ? meanX : x;
    }
  }

  /** Fits θ on the pooled (y, x) pairs; x may hold NaN (no pre-period). */
  public static Fit fit(double[] y, double[] x) {
    int known = 0;
    double sum = 0;
    for (double v : x) {
      if (!Double.isNaN(v)) {
        known++;
        sum += v;
      }
    }
    if (known < 2 || y.length < 3) return new Fit(0, 0, 0, "fewer than 2 users with a pre-exposure application");
    double meanX = sum / known;
    var xi = new double[x.length];
    for (int i = 0; i < x.length; i++) xi[i] = Double.isNaN(x[i]) ? meanX : x[i];
    double varX = StatUtils.variance(xi);
    if (varX == 0) return new Fit(0, meanX, 0, "the pre-exposure interview rate does not vary");
    double theta = new Covariance().covariance(xi, y) / varX;
    var partial = new Fit(theta, meanX, 0, null);
    double varY = StatUtils.variance(y);
    double reduction = varY == 0 ? 0 : 1 - StatUtils.variance(partial.adjust(y, x)) / varY;
    return new Fit(theta, meanX, reduction, null);
  }

  /**
   * The CUPED-adjusted comparison of one treatment with control. {@code problem} non-null: no adjustment (the
   * figures are unused); else Welch's t test on the adjusted values.
   */
  public record Adjusted(String problem, double theta, double adjustedDifference, double ciLow, double ciHigh, double pValue,
      double varianceReduction) {
    public static final String COVARIATE = "pre_exposure_interview_rate";

    public static Adjusted notApplicable(String why) {
      return new Adjusted(why, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    public Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("covariate", COVARIATE);
      if (problem != null) {
        m.put("problem", problem);
        return m;
      }
      m.put("theta", theta);
      m.put("adjusted_difference", adjustedDifference);
      m.put("ci", List.of(ciLow, ciHigh));
      m.put("p_value", pValue);
      m.put("variance_reduction", varianceReduction);
      return m;
    }
  }

  /** The adjusted comparison of one treatment with control (Welch on the adjusted values). */
  public static Adjusted compare(Fit fit, double[] y0, double[] x0, double[] y1, double[] x1) {
    if (fit.problem() != null) return Adjusted.notApplicable(fit.problem());
    var t = HypothesisTests.welch(fit.adjust(y0, x0), fit.adjust(y1, x1), MetricComparison.ALPHA);
    return new Adjusted(null, fit.theta(), t.difference(), t.ciLow(), t.ciHigh(), Double.isNaN(t.pValue()) ? 1.0 : t.pValue(),
        fit.varianceReduction());
  }
}
