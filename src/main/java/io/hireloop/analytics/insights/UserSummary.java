package io.hireloop.analytics.insights;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.hireloop.analytics.insights.InsightState.AppFact;
import io.hireloop.analytics.insights.Rates.Cell;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What segments need of one user, stored beside the state in {@code user_insights} so that segment queries
 * read a small row per user. The profile comes from the user's own applications, because the event schema
 * carries no user profile: seniority, industry and location are the most frequent values among the jobs
 * applied to; the experience range is derived from that seniority (see {@link #experienceOf}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserSummary(
    String seniority,
    String experience,
    String industry,
    String location,
    long applications,
    long interviews,
    Double daysToFirstOffer,
    Map<String, Cell> strategies) {

  public static UserSummary of(InsightState state) {
    var apps = state.apps().values();
    var seniority = Dimensions.modal(apps, AppFact::seniority);
    var overall = Dimensions.overall(apps, null);
    var strategies = new TreeMap<String, Cell>();
    Dimensions.STRATEGIES.forEach((dim, key) ->
        Dimensions.cells(apps, key, null).forEach((value, cell) -> strategies.put(dim + "=" + value, cell)));
    var firstApp = apps.stream().map(AppFact::createdAt).min(Comparator.naturalOrder());
    var firstOffer = apps.stream().map(AppFact::offeredAt).filter(java.util.Objects::nonNull).min(Comparator.naturalOrder());
    Double days = firstApp.isPresent() && firstOffer.isPresent()
        ? Duration.between(firstApp.get(), firstOffer.get()).toMinutes() / 1440.0 : null;
    return new UserSummary(seniority, experienceOf(seniority), Dimensions.modal(apps, AppFact::industry),
        Dimensions.modal(apps, AppFact::location), overall.n(), overall.successes(), days, strategies);
  }

  double interviewRate() {
    return applications == 0 ? 0.0 : (double) interviews / applications;
  }

  /** Years-of-experience range for a seniority level (a proxy: the events carry no years of experience). */
  static String experienceOf(String seniority) {
    return switch (seniority) {
      case "junior" -> "0-2y";
      case "mid" -> "3-5y";
      case "senior" -> "6-9y";
      case "lead" -> "10y+";
      default -> "unknown";
    };
  }
}
