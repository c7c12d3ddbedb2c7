package io.hireloop.experiment;

import io.hireloop.stats.Survival;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.distribution.continuous.NormalDistribution;

/**
 * The analysis of a {@link OutcomeMetric#timeToEvent} metric (time to first interview) as right-censored data:
 * per arm the Kaplan–Meier curve (events, censored, median with its Brookmeyer–Crowley log-log CI) and the
 * restricted mean survival time up to τ (RMST, the mean of min(time, τ): expected days without an interview in
 * the first τ days). Treatment vs control: the log-rank test is the p-value of record, the RMST difference
 * (days, lower is better) the effect with its CI. τ is the attribution window; with a window of 0 (censored at
 * now) it is the smallest of the arms' longest follow-up, survRM2's default.
 */
final class TimeToEvent {
  private TimeToEvent() {}

  static final String NO_CUPED = "not defined for a censored outcome (the RMST is not a per-user mean)";
  static final String NO_ALWAYS_VALID = "the mSPRT here covers proportions and means; for this censored outcome use the "
      + "log-rank p-value at the planned sample size";

  /** The results of one treatment against control. */
  record Comparison(Survival.LogRank logRank, Survival.RmstDifference rmst, Double power) {
    Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      var lr = new LinkedHashMap<String, Object>();
      lr.put("chi2", logRank.chi2());
      lr.put("p_value", logRank.pValue());
      lr.put("observed_events", List.of(logRank.observed0(), logRank.observed1()));
      lr.put("expected_events", List.of(logRank.expected0(), logRank.expected1()));
      m.put("log_rank", lr);
      var r = new LinkedHashMap<String, Object>();
      r.put("tau_days", rmst.tau());
      r.put("control", rmst.group0().estimate());
      r.put("treatment", rmst.group1().estimate());
      r.put("difference", rmst.difference());
      r.put("ci", List.of(rmst.ciLow(), rmst.ciHigh()));
      r.put("p_value", rmst.pValue());
      m.put("rmst", r);
      return m;
    }
  }

  static Survival.Curve curve(Results.Arm a) {
    return Survival.kaplanMeier(a.values(), a.events());
  }

  /** The window's length in days; window 0: the smallest of the arms' longest follow-up (arms with users). */
  static double tau(Duration window, List<Results.Arm> arms) {
    if (!window.isZero()) return window.toMillis() / 86_400_000d;
    return arms.stream().filter(a -> a.values().length > 0).mapToDouble(a -> curve(a).maxTime()).min().orElse(0);
  }

  /**
   * {@code difference}, CI and relative difference are the RMST's (treatment − control, days), {@code pValue}
   * the log-rank test's, {@code effectSize} the hazard ratio of an interview (treatment vs control, > 1 =
   * sooner), {@code achievedPower} Schoenfeld's at that ratio and the events seen; no always-valid p (NaN).
   */
  static MetricComparison compare(OutcomeMetric metric, Results.Arm control, Results.Arm treatment, double tau) {
    var c0 = curve(control);
    var c1 = curve(treatment);
    var lr = Survival.logRank(control.values(), control.events(), treatment.values(), treatment.events());
    var rmst = Survival.rmstDifference(c0, c1, tau, MetricComparison.ALPHA);
    Double power = null;
    double share = (double) c1.n() / (c0.n() + c1.n());
    if (Double.isFinite(lr.hazardRatio()) && lr.hazardRatio() > 0 && lr.hazardRatio() != 1) {
      power = Survival.logRankPower(lr.hazardRatio(), lr.observed0() + lr.observed1(), share, MetricComparison.ALPHA);
    }
    double base = rmst.group0().estimate();
    Double relative = base == 0 ? null : rmst.difference() / base;
    return new MetricComparison(metric, rmst.difference(), rmst.ciLow(), rmst.ciHigh(), lr.pValue(),
        lr.hazardRatio(), relative, power, Double.NaN, null, new Comparison(lr, rmst, power));
  }

  /**
   * Per arm: {@code observations} (eligible users), {@code events}, {@code censored}, {@code mean} and
   * {@code ci}: the RMST up to τ and its normal CI, {@code sd} null, {@code median} and {@code median_ci}
   * (null where not reached), {@code tau_days}.
   */
  static ArmSummary.Survival arm(Results.Arm a, double tau) {
    int n = a.values().length;
    var c = curve(a);
    if (n == 0) return new ArmSummary.Survival(0, c.totalEvents(), c.totalCensored(), null, null, null, null, null, tau);
    var r = Survival.rmst(c, tau);
    double z = new NormalDistribution(0, 1).inverseCumulativeProbability(1 - MetricComparison.ALPHA / 2);
    var med = Survival.median(c, MetricComparison.ALPHA);
    return new ArmSummary.Survival(n, c.totalEvents(), c.totalCensored(), r.estimate(),
        new ArmSummary.Interval(r.estimate() - z * r.se(), r.estimate() + z * r.se()),
        orNull(med.estimate()), orNull(med.ciLow()), orNull(med.ciHigh()), tau);
  }

  private static Double orNull(double x) {
    return Double.isNaN(x) ? null : x;
  }
}
