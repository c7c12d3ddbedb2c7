package io.hireloop.learning;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.recommendations.Recommendation;
import io.hireloop.recommendations.RecommendationDraft;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a trained interview model into values for the job-discovery service's {@code job_discovery} config.
 * The model is queried counterfactually: every application in a reference sample (typically recent real
 * applications) is re-scored with its fit score replaced, so the answer reflects the actual mix of
 * resumes, categories and strategies rather than one made-up profile.
 */
public final class JobDiscoveryConfigDeriver {

  public static final String MIN_FIT_SCORE = "min_fit_score_to_apply";
  public static final String FIT_SCORE_WEIGHT = "fit_score_weight";
  public static final String EXPECTED_RATE = "expected_interview_rate_at_threshold";

  /**
   * @return {@value #MIN_FIT_SCORE}: smallest integer fit score 0..100 whose mean predicted interview
   *     probability over the sample reaches {@code targetProbability}, or 100 if none does (then
   *     {@value #EXPECTED_RATE} is below the target, which tells the caller the target was not reachable);
   *     {@value #FIT_SCORE_WEIGHT}: average marginal effect of fit score, mean Δp per +10 points, from a
   *     central difference of ±5 points (narrowed at the 0 and 100 edges) around each application's own
   *     fit score; {@value #EXPECTED_RATE}: mean predicted probability at that threshold.
   *
   * <p>Generic over the scored row type {@code S} (e.g. an application snapshot with the user's history): {@code score}
   * answers probabilities for many rows at once, {@code withFit} a copy of a row with another fit score, {@code fitOf}
   * a row's fit score.
   */
  /**
   * The derived settings, typed; {@link #values()} is the job_discovery config they set (JSON names as in the API).
   *
   * @param minFitScore {@value #MIN_FIT_SCORE}
   * @param fitScoreWeight {@value #FIT_SCORE_WEIGHT}
   * @param expectedRate {@value #EXPECTED_RATE}
   */
  public record Derived(int minFitScore, double fitScoreWeight, double expectedRate) {
    public Map<String, Object> values() {
      Map<String, Object> config = new LinkedHashMap<>();
      config.put(MIN_FIT_SCORE, minFitScore);
      config.put(FIT_SCORE_WEIGHT, fitScoreWeight);
      config.put(EXPECTED_RATE, expectedRate);
      return config;
    }
  }

  public <S> Derived derive(java.util.function.Function<List<S>, double[]> score, List<S> referenceSample,
      java.util.function.BiFunction<S, Double, S> withFit, java.util.function.ToDoubleFunction<S> fitOf, double targetProbability) {
    if (referenceSample == null || referenceSample.isEmpty()) throw new IllegalArgumentException("reference sample is empty");
    if (!(targetProbability > 0 && targetProbability < 1)) {
      throw new IllegalArgumentException("targetProbability must be in (0, 1), was " + targetProbability);
    }
    double[] curve = meanProbabilityByFitScore(score, referenceSample, withFit);
    int threshold = 100;
    for (int fit = 0; fit <= 100; fit++) {
      if (curve[fit] >= targetProbability) {
        threshold = fit;
        break;
      }
    }

    List<S> lower = new ArrayList<>(referenceSample.size());
    List<S> upper = new ArrayList<>(referenceSample.size());
    double[] width = new double[referenceSample.size()];
    for (int i = 0; i < width.length; i++) {
      S c = referenceSample.get(i);
      double f = Math.min(Math.max(fitOf.applyAsDouble(c), 0), 100);
      double lo = Math.max(0, f - 5);
      double hi = Math.min(100, f + 5);
      lower.add(withFit.apply(c, lo));
      upper.add(withFit.apply(c, hi));
      width[i] = hi - lo;
    }
    double[] pLo = score.apply(lower);
    double[] pHi = score.apply(upper);
    double effect = 0;
    for (int i = 0; i < width.length; i++) effect += (pHi[i] - pLo[i]) / width[i] * 10;
    effect /= width.length;

    return new Derived(threshold, effect, curve[threshold]);
  }

  /** Mean predicted probability over the sample at each integer fit score 0..100 (one batched call). */
  static <S> double[] meanProbabilityByFitScore(java.util.function.Function<List<S>, double[]> score, List<S> sample,
      java.util.function.BiFunction<S, Double, S> withFit) {
    List<S> all = new ArrayList<>(101 * sample.size());
    for (int fit = 0; fit <= 100; fit++) {
      for (S c : sample) all.add(withFit.apply(c, (double) fit));
    }
    double[] p = score.apply(all);
    double[] curve = new double[101];
    for (int i = 0; i < p.length; i++) curve[i / sample.size()] += p[i];
    for (int fit = 0; fit <= 100; fit++) curve[fit] /= sample.size();
    return curve;
  }

  /**
   * Confidence in [0, 1] that a config derived from this model is worth applying:
   * {@code clamp((auc − 0.5) / 0.3, 0, 1) · n / (n + 250)}. The first factor is discrimination (chance
   * gives 0; AUC 0.8 or more counts as fully informative for a screening threshold); the second is sample
   * size (half at 250 examples, 0.8 at 1,000, 0.92 at 3,000). Either one near zero vetoes the other.
   */
  public static double confidence(double auc, int n) {
    if (n <= 0 || Double.isNaN(auc)) return 0;
    double discrimination = Math.min(Math.max((auc - 0.5) / 0.3, 0), 1);
    return discrimination * n / (n + 250.0);
  }

  /**
   * The recommendation of derived {@code values} for job_discovery from {@code model} v{@code version}. Evidence: the
   * model's holdout AUC and ECE, its training rows and {@link #confidence}. Expected impact on the interview rate of the
   * applications job discovery suggests: the model's rate at the threshold against the base rate ({@code rate / base
   * - 1}), ± the holdout ECE relative to the base rate (what the model's calibration allows). Risk low: the model
   * monitor rolls this config back with the model on live harm.
   */
  public static RecommendationDraft recommendation(Derived values, String model, int version, double auc, double ece,
      int trainRows, double baseRate) {
    double conf = confidence(auc, trainRows);
    double rate = values.expectedRate();
    double base = Math.max(baseRate, 1e-9);
    double lift = rate / base - 1, spread = Math.abs(ece) / base;
    String source = model + " model v" + version;
    return new RecommendationDraft("model:" + model + ":v" + version + ":job_discovery", Recommendation.Kind.MODEL_CONFIG,
        "job_discovery from " + source + ": min fit score " + values.minFitScore(),
        new Recommendation.Evidence(source, "ensemble", null, null, null, null, (long) trainRows, null, false,
            new Recommendation.ModelEvidence(model, version, auc, ece, trainRows, conf)),
        new Recommendation.Impact("interview_rate", lift, lift - spread, lift + spread),
        new Recommendation.ConfigChange("job_discovery", io.hireloop.platform.Json.write(values.values())), Recommendation.Risk.LOW);
  }

  /** A copy of {@code c} with another fit score. */
  static ApplicationContext withFitScore(ApplicationContext c, double fit) {
    return new ApplicationContext(c.strategyMode(), fit, c.category(), c.jobCharacteristics(), c.resumeScore(), c.tailoringApplied());
  }
}
