package io.hireloop.coldstart;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /users/{id}/cold-start} (API.md): what the profile alone says, blended with the user's own outcomes as
 * they arrive. Every number about other users is an aggregate over at least k of them. JSON is snake_case.
 *
 * @param segment null when fewer than k peers exist at all
 * @param peerBenchmark the segment's interview rate; null with the segment
 * @param prediction the user's interview rate: the segment's rate as a Beta prior plus the user's own applications
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ColdStartReport(String userId, Basis basis, List<String> notes, Segment segment, Strong predictedStrong,
    Benchmark peerBenchmark, Prediction prediction, List<FirstAction> firstActions) {

  /** Which peers the segment is: the similar ones, the nearest after widening, everyone, or none (too few). */
  public enum Basis {
    SIMILAR_USERS, WIDENED, ALL_USERS, INSUFFICIENT_DATA;

    @JsonValue
    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The segment, anonymised: its size, how alike its members are to the user, and the weight each profile field had
   * in the similarity (the fields' share of the population's information gain).
   *
   * @param successfulUsers members with at least one interview request
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Segment(int users, int applications, int successfulUsers, double minSimilarity, double meanSimilarity,
      Map<String, Double> fieldWeights) {}

  /** A role, industry or location held by at least k members, with their (shrunk) pooled interview rate. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record StrongValue(String value, double interviewProbability, int users) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Strong(List<StrongValue> roles, List<StrongValue> industries, List<StrongValue> locations) {}

  /** The segment's pooled interview rate with a 95% CI clustered by user, and every peer's rate beside it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Benchmark(double interviewRate, double ciLow, double ciHigh, int users, int applications, double allUsersRate) {}

  /**
   * Posterior mean and 95% credible interval of Beta(priorRate·m + own interviews, (1 − priorRate)·m + own rejections),
   * m = {@code priorPseudoCount}; {@code priorWeight} = m / (m + own applications).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Prediction(double interviewRate, double ciLow, double ciHigh, double priorRate, double priorPseudoCount,
      double priorWeight, int ownApplications, int ownInterviews) {}

  /**
   * A first step: the attribution's largest positive effect of a resume edit, and of a timing level (risk difference
   * on the interview probability, with its CI and confidence). {@code scope} says whose data estimated it.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record FirstAction(String kind, String factor, String level, double effect, double ciLow, double ciHigh,
      String confidence, String scope, String attributionRunId) {}
}
