package io.hireloop.learning;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.hireloop.learning.monitoring.DriftReference;
import io.hireloop.platform.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one trained version of a model is: its data, its held-out quality, its calibration and, for an ensemble,
 * its members. Journals store it as JSON text ({@link ModelRegistry.VersionRegisteredV2}), never through Kryo, so
 * fields may be added freely: readers ignore properties they do not know and see {@code null} / 0 / empty lists
 * for properties an older card lacks. JSON names are snake_case.
 *
 * @param holdout the ensemble's (or the single model's) metrics on the held-out split; the registry's gate compares
 *     {@code auc} and {@code ece} of this record
 * @param calibration {@code platt}, {@code isotonic}, or {@code none} (a card built from a pre-card version)
 * @param survival the time-to-event figures of a survival model ({@code response_time}); null for classifiers. Its
 *     {@code holdout} then holds the gate's figures on the same scale of "higher auc, lower ece is better":
 *     {@code auc} = Harrell's concordance, {@code ece} = the mean |predicted − Kaplan–Meier| answer rate over the
 *     horizons, {@code brier} at 14 days, {@code log_loss} = negative log-likelihood per row
 * @param driftReference the training rows' feature distribution that served rows are compared with
 *     ({@code ModelMonitor}); null on cards of versions trained before it existed (no drift is measured for them)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelCard(
    String name,
    int version,
    Instant trainedAt,
    String jobId,
    String backend,
    double trainingSeconds,
    String featurePipeline,
    DataWindow dataWindow,
    Metrics holdout,
    List<CalibrationBin> calibrationCurve,
    Confusion confusion,
    String calibration,
    List<Member> members,
    List<FeatureImportance> featureImportance,
    Interval interval,
    Survival survival,
    DriftReference driftReference) {

  /** A classifier's card without a drift reference (no survival block). */
  public ModelCard(String name, int version, Instant trainedAt, String jobId, String backend, double trainingSeconds,
      String featurePipeline, DataWindow dataWindow, Metrics holdout, List<CalibrationBin> calibrationCurve, Confusion confusion,
      String calibration, List<Member> members, List<FeatureImportance> featureImportance, Interval interval) {
    this(name, version, trainedAt, jobId, backend, trainingSeconds, featurePipeline, dataWindow, holdout, calibrationCurve, confusion,
        calibration, members, featureImportance, interval, null, null);
  }

  @JsonCreator
  public ModelCard {
    calibrationCurve = calibrationCurve == null ? List.of() : List.copyOf(calibrationCurve);
    members = members == null ? List.of() : List.copyOf(members);
    featureImportance = featureImportance == null ? List.of() : List.copyOf(featureImportance);
  }

  /** The rows a version was trained and evaluated on; {@code from}/{@code to} bound the examples' timestamps. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record DataWindow(Instant from, Instant to, int trainRows, int validationRows, int holdoutRows, int users) {}

  /** Quality on the held-out split; {@code count} rows, {@code positiveRate} their share of positives. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Metrics(double auc, double logLoss, double brier, double ece, int count, double positiveRate) {}

  /** One reliability-diagram bin: predictions in [{@code lower}, {@code upper}). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CalibrationBin(double lower, double upper, double meanPredicted, double observedRate, int count) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Confusion(double threshold, int tp, int fp, int tn, int fn) {}

  /** One ensemble member: {@code model} is its family ({@code logistic}, {@code boosted_trees}, {@code network}). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Member(String model, double weight, Metrics metrics, Map<String, Double> hyperParameters, List<Round> history) {
    public Member {
      hyperParameters = hyperParameters == null ? Map.of() : Map.copyOf(hyperParameters);
      history = history == null ? List.of() : List.copyOf(history);
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Round(int round, double trainLoss, double validationLoss) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record FeatureImportance(String feature, double importance) {}

  /**
   * The prediction interval: at {@code level}, logit(p) ± z·√(heterogeneity² + members' logit spread²);
   * {@code heterogeneity} is the users' spread around the model on the logit scale, estimated on calibration users.
   * The split-conformal outcome sets at the same level: {@code setQuantile} (an outcome stays in the set while
   * 1 − P(outcome) ≤ it), and on the holdout the share of sets that held the real outcome and their mean size.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Interval(double level, double heterogeneity, double setQuantile, double setHoldoutCoverage, double setHoldoutMeanSize) {
    /** Without outcome sets. */
    public Interval(double level, double heterogeneity) {
      this(level, heterogeneity, 0, 0, 0);
    }
  }

  /**
   * A survival model's holdout figures: {@code model} its family ({@code weibull_aft}), {@code concordance} Harrell's C,
   * {@code scale} the Weibull scale (1/shape), {@code l2} the penalty chosen on validation users, {@code horizonDays}
   * τ of the restricted mean; {@code events}/{@code censored} over all rows; {@code horizons} the calibration per
   * horizon; {@code medianPredictedDays} the median of the holdout's predicted medians, {@code medianObservedDays}
   * the holdout's Kaplan–Meier median (null when the curve never falls to ½).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Survival(String model, double concordance, double scale, double l2, double horizonDays, int events, int censored,
      List<Horizon> horizons, double medianPredictedDays, Double medianObservedDays, boolean converged, int iterations) {
    public Survival {
      horizons = horizons == null ? List.of() : List.copyOf(horizons);
    }
  }

  /** At {@code days}: the mean predicted P(answer by then) and the observed 1 − KM(days) of the holdout. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Horizon(int days, double meanPredicted, double observed) {}

  private static final ObjectReader READER = Json.MAPPER.readerFor(ModelCard.class)
      .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public static ModelCard fromJson(String json) {
    try {
      return READER.readValue(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a model card: " + e.getOriginalMessage(), e);
    }
  }

  public String toJson() {
    return Json.write(this);
  }

  /**
   * The card of a version registered before cards existed: the metrics it had, no members, no calibration
   * ({@code none}), {@code training_examples} as the train rows.
   */
  public static ModelCard fromVersion(ModelRegistry.ModelVersion v) {
    return new ModelCard(v.name(), v.version(), v.trainedAt(), v.jobId(), v.backend(), v.trainingSeconds(), null,
        new DataWindow(null, null, v.trainingExamples(), 0, 0, 0),
        new Metrics(v.auc(), v.logLoss(), v.brier(), v.ece(), 0, 0), List.of(), null, "none", List.of(), List.of(), null);
  }

  /** This card in the pre-card shape (for {@link ModelRegistry.GetLatest} callers). */
  public ModelRegistry.ModelVersion toVersion() {
    var m = holdout == null ? new Metrics(0, 0, 0, 0, 0, 0) : holdout;
    return new ModelRegistry.ModelVersion(name, version, trainedAt, trainingExamples(), m.auc(), m.logLoss(), m.brier(), m.ece(),
        backend, jobId, trainingSeconds);
  }

  /** The rows the version was fitted to (train rows; validation and holdout rows are not counted). */
  public int trainingExamples() {
    return dataWindow == null ? 0 : dataWindow.trainRows();
  }
}
