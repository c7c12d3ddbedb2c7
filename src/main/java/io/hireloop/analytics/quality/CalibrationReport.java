package io.hireloop.analytics.quality;

import io.hireloop.stats.Calibration;
import io.hireloop.stats.ClassificationMetrics;
import io.hireloop.stats.Intervals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well the resume score (0–100) predicts interviews: the applications whose outcome is known, in ten
 * resume-score buckets with their interview rates (Wilson 95% intervals); the calibration error of reading
 * the score as a probability (score / 100); how well it ranks (AUC); the Platt map that would calibrate it;
 * and a recommendation.
 */
public final class CalibrationReport {
  private CalibrationReport() {}

  static final int BUCKETS = 10;
  /** ECE at or under this counts as calibrated. */
  static final double CALIBRATED_ECE = 0.05;
  /** An AUC under this means the score barely ranks interview chances. */
  static final double USEFUL_AUC = 0.55;

  public static Map<String, Object> compute(List<ApplicationOutcome> outcomes, int minSample) {
    var known = outcomes.stream().filter(ApplicationOutcome::labelled).toList();
    var out = new LinkedHashMap<String, Object>();
    out.put("applications", known.size());
    out.put("min_sample", minSample);
    if (known.size() < minSample) {
      out.put("buckets", List.of());
      out.put("recommendation", "not enough applications with a known outcome (" + known.size() + " < " + minSample
          + ") to judge the resume score's calibration; wait for more outcomes");
      return out;
    }
    double[] p = new double[known.size()];
    double[] score = new double[known.size()];
    int[] y = new int[known.size()];
    for (int i = 0; i < p.length; i++) {
      score[i] = known.get(i).resumeScore();
      p[i] = Math.min(1, Math.max(0, score[i] / 100));
      y[i] = known.get(i).interviewed() ? 1 : 0;
    }
    var raw = Calibration.report(p, y, BUCKETS);
    var buckets = new ArrayList<Map<String, Object>>();
    for (var b : raw.bins()) {
      var m = new LinkedHashMap<String, Object>();
      m.put("resume_score_from", Math.round(b.lower() * 100));
      m.put("resume_score_to", Math.round(b.upper() * 100));
      m.put("applications", b.count());
      if (b.count() > 0) {
        long interviews = Math.round(b.observedRate() * b.count());
        var ci = Intervals.wilson(interviews, b.count());
        m.put("interviews", interviews);
        m.put("mean_resume_score", b.meanPredicted() * 100);
        m.put("interview_rate", b.observedRate());
        m.put("ci", List.of(ci.low(), ci.high()));
      }
      buckets.add(m);
    }
    out.put("buckets", buckets);
    out.put("score_as_probability", Map.of("ece", raw.ece(), "brier", raw.brier()));
    double auc = ClassificationMetrics.auc(score, y);
    out.put("auc", auc);
    var platt = Calibration.platt(score, y);
    var calibrated = Calibration.report(platt.apply(score), y, BUCKETS);
    var pm = new LinkedHashMap<String, Object>();
    pm.put("a", platt.a());
    pm.put("b", platt.b());
    pm.put("ece", calibrated.ece());
    pm.put("brier", calibrated.brier());
    out.put("platt", pm);
    boolean monotonic = monotonic(raw.bins(), minSample);
    out.put("monotonic", monotonic);
    out.put("calibration_error", raw.ece());
    out.put("recommendation", recommendation(raw.ece(), auc, monotonic, platt));
    return out;
  }

  /** Interview rates never fall from one bucket to the next, among buckets with at least minSample applications. */
  static boolean monotonic(List<ClassificationMetrics.ReliabilityBin> bins, int minSample) {
    double previous = -1;
    for (var b : bins) {
      if (b.count() < minSample) continue;
      if (b.observedRate() < previous) return false;
      previous = b.observedRate();
    }
    return true;
  }

  static String recommendation(double ece, double auc, boolean monotonic, Calibration.Platt platt) {
    if (auc < USEFUL_AUC) {
      return String.format(java.util.Locale.ROOT,
          "the resume score barely ranks interview chances (AUC %.2f): review the scoring before using it to steer users", auc);
    }
    var order = monotonic ? "" : "; interview rates are not monotonic across the well-sampled score buckets, so look at the rubric too";
    if (ece <= CALIBRATED_ECE) {
      return String.format(java.util.Locale.ROOT, "the resume score read as score/100 is calibrated (ECE %.3f <= %.2f): keep showing it as is%s",
          ece, CALIBRATED_ECE, order);
    }
    return String.format(java.util.Locale.ROOT,
        "the resume score ranks interview chances (AUC %.2f) but is not a probability (ECE %.3f): show users the calibrated rate "
            + "1 / (1 + exp(-(%.4f * score + %.4f))) instead of score/100%s", auc, ece, platt.a(), platt.b(), order);
  }
}
