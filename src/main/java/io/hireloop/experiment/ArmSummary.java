package io.hireloop.experiment;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One variant's figures on the success metric, in the shape its kind of metric has: a 0/1 metric's conversions
 * and rate ({@link Proportion}), a continuous metric's mean ({@link Mean}), a censored time to event's
 * Kaplan–Meier summary and RMST ({@link Survival}). Each renders its own JSON fields (the variant's
 * {@code variant_id}, {@code exposed_users} and {@code eligible_users} come first: {@link VariantResult}).
 */
public sealed interface ArmSummary {

  Map<String, Object> toJson();

  /** A two-sided 95% interval. */
  record Interval(double low, double high) {
    List<Double> toJson() {
      return List.of(low, high);
    }

    static List<Double> toJson(Interval i) {
      return i == null ? null : i.toJson();
    }
  }

  /** {@code rate} and {@code ci} (Wilson) null with no eligible user. */
  record Proportion(long conversions, Double rate, Interval ci) implements ArmSummary {
    @Override
    public Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("conversions", conversions);
      m.put("rate", rate);
      m.put("ci", Interval.toJson(ci));
      return m;
    }
  }

  /** Users with a value; {@code mean} null without any, {@code sd} and the t {@code ci} of the mean with fewer than 2. */
  record Mean(int observations, Double mean, Double sd, Interval ci) implements ArmSummary {
    @Override
    public Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("observations", observations);
      m.put("mean", mean);
      m.put("sd", sd);
      m.put("ci", Interval.toJson(ci));
      return m;
    }
  }

  /**
   * Every eligible user ({@code observations}), {@code events} and {@code censored}; {@code rmst} (rendered as
   * {@code mean}) and its normal {@code ci} up to {@code tauDays}; the Kaplan–Meier {@code median} and the ends of
   * its CI, each null where not reached. With no eligible user the estimates are all null.
   */
  record Survival(int observations, int events, int censored, Double rmst, Interval ci, Double median, Double medianCiLow,
      Double medianCiHigh, double tauDays) implements ArmSummary {
    @Override
    public Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("observations", observations);
      m.put("events", events);
      m.put("censored", censored);
      m.put("mean", rmst);
      m.put("sd", null); // the RMST's spread is its CI; a per-user sd is not defined for censored times
      m.put("ci", Interval.toJson(ci));
      m.put("median", median);
      m.put("median_ci", observations == 0 ? null : Arrays.asList(medianCiLow, medianCiHigh));
      m.put("tau_days", tauDays);
      return m;
    }
  }
}
