package io.hireloop.learning.attribution;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.hireloop.learning.attribution.FactorEffect.Confidence;
import io.hireloop.learning.features.UserHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * For one user's next applications: the interview rate expected now, and after each resume edit the user has not made,
 * from the causal estimates of an {@link AttributionReport} (not from the correlational interview model, whose
 * coefficients on edits mix their effect with the kind of user who makes them).
 *
 * <p>Now: the user's own labelled applications shrunk toward the population rate m as a Beta(a·m, a·(1 − m)) prior with
 * a = {@value #PRIOR_STRENGTH} applications, i.e. (interviews + a·m) / (labelled + a), its interval from that Beta
 * posterior on the log-odds scale (variance ≈ 1/α + 1/β). After edit e: the same log-odds shifted by the edit's
 * within-user effect β_e (constant on the log-odds scale, as the model assumes); the interval of the change uses β_e's
 * CI, that of the rate after adds both variances.
 */
public final class Counterfactuals {
  private Counterfactuals() {}

  static final double PRIOR_STRENGTH = 5;
  static final double Z = 1.959963984540054;

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Result(String userId, String runId, Instant ranAt, Rate now, List<EditOption> edits, List<String> editsMade,
      String method, List<String> notes) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Rate(double interviewRate, double ciLow, double ciHigh, int labelledApplications, int interviews) {}

  /** One edit not yet made, best first; {@code change} = rate after − rate now (probability points /100). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record EditOption(String editType, double interviewRateAfter, double ciLow, double ciHigh, double change,
      double changeCiLow, double changeCiHigh, double logOdds, Confidence causalConfidence, List<String> warnings) {}

  public static Result of(String userId, UserHistory history, AttributionReport report) {
    double m = Math.min(0.99, Math.max(0.01, report.interviewRate()));
    double alpha = history.interviews() + PRIOR_STRENGTH * m;
    double beta = Math.max(0, history.labelled() - history.interviews()) + PRIOR_STRENGTH * (1 - m);
    double rate = alpha / (alpha + beta);
    double l = logit(rate), var = 1 / alpha + 1 / beta;
    var now = new Rate(rate, sigmoid(l - Z * Math.sqrt(var)), sigmoid(l + Z * Math.sqrt(var)), history.labelled(), history.interviews());
    var options = new ArrayList<EditOption>();
    for (var e : report.edits()) {
      if (history.editTypes().contains(e.factor())) continue;
      double se = (e.logOddsCiHigh() - e.logOddsCiLow()) / (2 * Z);
      double after = sigmoid(l + e.logOdds());
      double sd = Math.sqrt(var + se * se);
      var warnings = e.causalConfidence() == Confidence.LOW
          ? List.of("no reliable evidence that this edit changes interview chances (causal_confidence LOW)") : List.<String>of();
      options.add(new EditOption(e.factor(), after, sigmoid(l + e.logOdds() - Z * sd), sigmoid(l + e.logOdds() + Z * sd),
          after - rate, sigmoid(l + e.logOddsCiLow()) - rate, sigmoid(l + e.logOddsCiHigh()) - rate, e.logOdds(),
          e.causalConfidence(), warnings));
    }
    options.sort(Comparator.comparingDouble(EditOption::change).reversed());
    var notes = new ArrayList<String>();
    if (history.labelled() == 0) notes.add("no labelled application of this user yet: the rate now is the population's ("
        + Math.round(m * 1000) / 10.0 + " %)");
    return new Result(userId, report.runId(), report.ranAt(), now, options, history.editTypes(),
        "the user's smoothed interview rate shifted by each edit's within-user causal effect (attribution run " + report.runId() + ")",
        notes);
  }

  static double logit(double p) {
    return Math.log(p / (1 - p));
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }
}
