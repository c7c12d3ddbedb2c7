package io.hireloop.learning;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.learning.features.FeaturePipeline;
import io.hireloop.platform.Json;
import io.hireloop.stats.WeibullAft;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The response-time model: days from an application's creation to the employer's first answer, as a Weibull
 * accelerated-failure-time regression ({@link WeibullAft}) on the {@link FeaturePipeline}'s columns. Ghosted or
 * withdrawn applications are censored at the time they ended. Stored as JSON (the pipeline and the coefficients).
 *
 * <p>{@code expected_days} is the restricted mean ∫₀^τ S(t) dt with τ = {@code horizonDays}: a Weibull mean is
 * unbounded when many applications are never answered, the restricted mean is not, and it reads as "days without
 * an answer within the next τ days". {@code median_days} is the model's median (it may exceed τ).
 */
public record ResponseTimeModel(String format, FeaturePipeline pipeline, double intercept, double[] beta, double scale,
    double horizonDays) {
  public static final String FORMAT = "weibull_aft/1";
  public static final String NAME = "response_time";
  /** The horizons of {@code p_response_within}, in days. */
  public static final List<Integer> HORIZONS = List.of(7, 14, 30);
  /** Reported days are whole days: 0 means "within the first day", so times are floored at half a day. */
  public static final double MIN_DAYS = 0.5;

  public record Prediction(double expectedDays, double medianDays, Map<Integer, Double> pResponseWithin, double eta) {}

  static ResponseTimeModel of(FeaturePipeline pipeline, WeibullAft fit, double horizonDays) {
    return new ResponseTimeModel(FORMAT, pipeline, fit.intercept(), fit.beta(), fit.scale(), horizonDays);
  }

  @JsonIgnore
  public WeibullAft aft() {
    return new WeibullAft(intercept, beta, scale, 0, 0, true);
  }

  public Prediction predict(ApplicationSnapshot snapshot) {
    return predictEta(aft().linearPredictor(pipeline.encode(snapshot)));
  }

  Prediction predictEta(double eta) {
    var aft = aft();
    var within = new LinkedHashMap<Integer, Double>();
    for (int h : HORIZONS) within.put(h, 1 - aft.survival(eta, h));
    return new Prediction(aft.restrictedMean(eta, horizonDays), aft.median(eta), within, eta);
  }

  public byte[] toBytes() {
    return Json.write(this).getBytes(StandardCharsets.UTF_8);
  }

  public static ResponseTimeModel fromBytes(byte[] bytes) {
    var m = Json.read(new String(bytes, StandardCharsets.UTF_8), ResponseTimeModel.class);
    if (!FORMAT.equals(m.format())) throw new IllegalArgumentException("unsupported response-time model format " + m.format());
    if (!m.pipeline().version().equals(FeaturePipeline.VERSION)) {
      throw new IllegalArgumentException("model uses feature pipeline " + m.pipeline().version() + ", this build has " + FeaturePipeline.VERSION);
    }
    return m;
  }
}
