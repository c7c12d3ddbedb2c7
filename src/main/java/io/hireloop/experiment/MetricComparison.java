package io.hireloop.experiment;

import io.hireloop.stats.HypothesisTests;
import io.hireloop.stats.Intervals;
import io.hireloop.stats.Power;
import io.hireloop.stats.SequentialTest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.distribution.continuous.TDistribution;
import org.hipparchus.stat.StatUtils;

/**
 * One metric, one treatment against control. Proportions: two-proportion z test, Wilson CIs per arm,
 * Cohen's h. Continuous metrics: Welch's t test (the decision's p-value and CI on the difference of means),
 * with Mann–Whitney (p-value, Hodges–Lehmann shift and its CI) beside it for skewed data, Cohen's d. Both
 * get the mSPRT always-valid p-value (mixing variance τ² = (expected relative improvement × baseline)²).
 * A censored time to event ({@link TimeToEvent}): log-rank p-value, RMST difference and CI, hazard ratio,
 * no always-valid p-value (NaN). {@code improvement} is the difference in the metric's good direction
 * (positive = treatment better).
 */
public record MetricComparison(OutcomeMetric metric, double difference, double ciLow, double ciHigh, double pValue,
    double effectSize, Double relativeDifference, Double achievedPower, double alwaysValidP,
    HypothesisTests.MannWhitneyResult mannWhitney, TimeToEvent.Comparison timeToEvent) {

  public static final double ALPHA = 0.05;

  public double improvement() {
    return metric.direction * difference;
  }

  /** The CI excludes 0 on the improving side (lower bound > 0; for a lower-is-better metric, upper bound < 0). */
  public boolean ciExcludesZeroImproving() {
    return metric.direction > 0 ? ciLow > 0 : ciHigh < 0;
  }

  /** One-sided p-value of "treatment worse than control" (half the two-sided p on the worse side). */
  public double oneSidedWorseP() {
    return improvement() < 0 ? pValue / 2 : 1 - pValue / 2;
  }

  /** Why a treatment is not {@link #comparable} with control (in place of the figures). */
  public static final String NOT_ENOUGH_USERS = "not enough eligible users yet";

  /** Both arms need two values (and proportions one observation each) to be compared. */
  public static boolean comparable(double[] control, double[] treatment) {
    return control.length >= 2 && treatment.length >= 2;
  }

  /** {@code baseline}: the control's expected level for τ² (the spec's baseline rate, or the observed mean). */
  public static MetricComparison of(OutcomeMetric metric, double[] control, double[] treatment, double baseline,
      double expectedImprovement) {
    double m0 = mean(control);
    double mde = Math.abs(expectedImprovement * baseline);
    var seq = new SequentialTest(Math.max(mde * mde, 1e-6), ALPHA);
    Double relative = m0 == 0 ? null : (mean(treatment) - m0) / m0;
    if (metric.proportion) {
      long s0 = successes(control), s1 = successes(treatment);
      var t = HypothesisTests.proportions(s0, control.length, s1, treatment.length, ALPHA);
      Double power = null;
      try {
        power = Power.powerProportions(m0, t.difference(), Math.min(control.length, treatment.length), ALPHA);
      } catch (IllegalArgumentException e) {
        // rate of 0 or 1, or no difference: power undefined
      }
      double av = seq.lookProportions(s0, control.length, s1, treatment.length).pValue();
      return new MetricComparison(metric, t.difference(), t.ciLow(), t.ciHigh(), orOne(t.pValue()), t.effectSize(),
          relative, power, av, null, null);
    }
    double var0 = StatUtils.variance(control), var1 = StatUtils.variance(treatment);
    if (var0 == 0 && var1 == 0) { // constant in both arms: no test, the difference is exact
      double d = mean(treatment) - m0;
      return new MetricComparison(metric, d, d, d, d == 0 ? 1 : 0, 0, relative, null, d == 0 ? 1 : 0, null, null);
    }
    var t = HypothesisTests.welch(control, treatment, ALPHA);
    var mw = HypothesisTests.mannWhitney(control, treatment, ALPHA);
    Double power = null;
    double sd = Math.sqrt((var0 + var1) / 2);
    if (sd > 0 && t.difference() != 0) {
      try {
        power = Power.powerMeans(Math.abs(t.difference()), sd, Math.min(control.length, treatment.length), ALPHA);
      } catch (IllegalArgumentException e) {
        // undefined for this sample
      }
    }
    double av = seq.lookMeans(control.length, m0, var0, treatment.length, mean(treatment), var1).pValue();
    return new MetricComparison(metric, t.difference(), t.ciLow(), t.ciHigh(), orOne(t.pValue()), t.effectSize(),
        relative, power, av, mw, null);
  }

  public Map<String, Object> toJson() {
    var m = new LinkedHashMap<String, Object>();
    m.put("metric", metric.id);
    m.put("test", timeToEvent != null ? "log_rank" : metric.proportion ? "two_proportion_z" : "welch_t");
    m.put("absolute_difference", difference);
    m.put("relative_difference", relativeDifference);
    m.put("ci", List.of(ciLow, ciHigh));
    m.put("p_value", pValue);
    if (timeToEvent != null) {
      m.put("effect_size_hazard_ratio", Double.isFinite(effectSize) ? effectSize : null);
    } else {
      m.put(metric.proportion ? "effect_size_cohens_h" : "effect_size_cohens_d", effectSize);
    }
    m.put("achieved_power", achievedPower);
    m.put("always_valid_p_value", Double.isNaN(alwaysValidP) ? null : alwaysValidP);
    if (timeToEvent != null) {
      m.put("always_valid_problem", TimeToEvent.NO_ALWAYS_VALID);
      m.putAll(timeToEvent.toJson());
    }
    if (mannWhitney != null) {
      var mw = new LinkedHashMap<String, Object>();
      mw.put("p_value", orOne(mannWhitney.pValue()));
      mw.put("hodges_lehmann_shift", mannWhitney.difference());
      mw.put("ci", List.of(mannWhitney.ciLow(), mannWhitney.ciHigh()));
      m.put("mann_whitney", mw);
    }
    return m;
  }

  /** Per-arm summary: proportions conversions, rate and Wilson CI; continuous n, mean, sd and t CI of the mean. */
  public static ArmSummary arm(OutcomeMetric metric, double[] values) {
    int n = values.length;
    if (metric.proportion) {
      long s = successes(values);
      if (n == 0) return new ArmSummary.Proportion(s, null, null);
      var ci = Intervals.wilson(s, n);
      return new ArmSummary.Proportion(s, (double) s / n, new ArmSummary.Interval(ci.low(), ci.high()));
    }
    if (n < 2) return new ArmSummary.Mean(n, n == 0 ? null : mean(values), null, null);
    double sd = Math.sqrt(StatUtils.variance(values));
    double half = new TDistribution(n - 1).inverseCumulativeProbability(1 - ALPHA / 2) * Math.sqrt(StatUtils.variance(values) / n);
    return new ArmSummary.Mean(n, mean(values), sd, new ArmSummary.Interval(mean(values) - half, mean(values) + half));
  }

  static double mean(double[] x) {
    return x.length == 0 ? 0 : StatUtils.mean(x);
  }

  private static long successes(double[] x) {
    return Math.round(Arrays.stream(x).sum());
  }

  private static double orOne(double p) {
    return Double.isNaN(p) ? 1.0 : p;
  }
}
