package io.hireloop.api;

import io.hireloop.analytics.insights.InsightState;
import io.hireloop.analytics.insights.UserInsightsProjection;
import io.hireloop.analytics.insights.UserPatterns;
import io.hireloop.journey.IngestParser.FieldProblem;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Patterns, weekly insights and benchmark of a user (under /users/{id}, already authorised by Routes), and
 * the anonymised segments (any authenticated caller: aggregates only, small segments suppressed).
 */
final class InsightRoutes extends AllDirectives {
  private final UserInsightsProjection insights;
  private final Function<CompletionStage<HttpResponse>, Route> reply;
  private final int minSample;

  InsightRoutes(UserInsightsProjection insights, int minSample, Function<CompletionStage<HttpResponse>, Route> reply) {
    this.insights = insights;
    this.minSample = minSample;
    this.reply = reply;
  }

  Route user(String userId) {
    return concat(
        path("patterns", () -> get(() -> reply.apply(insights.patterns(userId).thenApply(p ->
            Routes.json(StatusCodes.OK, p.orElseGet(() -> UserPatterns.of(userId, InsightState.EMPTY, minSample))))))),
        path(PathMatchers.segment("insights").slash("weekly"), () -> get(() -> parameterOptional("week_start", week -> {
          var monday = monday(week.orElse(null));
          return reply.apply(insights.weekly(userId, monday).thenApply(doc -> Routes.json(StatusCodes.OK, doc.orElseThrow(() ->
              ApiError.notFound("no weekly insights for user " + userId + " in the week of " + monday
                  + ": no events that week, or the week is not closed yet (a week closes with the user's first event of a later week)")))));
        }))),
        path("benchmark", () -> get(() -> reply.apply(insights.benchmark(userId).thenApply(b -> Routes.json(StatusCodes.OK,
            b.orElseThrow(() -> ApiError.notFound("no applications of user " + userId + " projected yet: nothing to benchmark"))))))));
  }

  Route segments() {
    return pathPrefix("segments", () -> get(() -> concat(
        pathEnd(() -> reply.apply(insights.segmentList().thenApply(l -> Routes.json(StatusCodes.OK, l)))),
        path(PathMatchers.segment(), id -> reply.apply(insights.segment(id).thenApply(s -> Routes.json(StatusCodes.OK,
            s.orElseThrow(() -> ApiError.notFound("no segment '" + id + "' with at least the minimum number of users; "
                + "GET /api/v1/segments lists the available ones")))))))));
  }

  private static LocalDate monday(String value) {
    if (value == null) throw problem("required query parameter (a Monday, YYYY-MM-DD)");
    LocalDate date;
    try {
      date = LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw problem("must be a date YYYY-MM-DD");
    }
    if (date.getDayOfWeek() != DayOfWeek.MONDAY) throw problem("must be a Monday (weeks run Monday to Sunday, UTC); " + value + " is a " + date.getDayOfWeek());
    return date;
  }

  private static ApiError problem(String what) {
    return ApiError.validation(List.of(new FieldProblem("week_start", what)));
  }
}
