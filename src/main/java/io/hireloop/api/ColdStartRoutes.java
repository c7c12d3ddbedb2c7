package io.hireloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.coldstart.ColdStartService;
import io.hireloop.coldstart.ProfileField;
import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyService;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Under {@code /users/{id}} (the caller's access to the user is checked there): {@code GET cold-start},
 * {@code GET onboarding/questions} and {@code POST onboarding/answers} (the answered fields merged into the profile,
 * stored as a {@code PROFILE_UPDATED} like a PUT of the whole profile). An unknown user (no profile, no event) is 404.
 */
final class ColdStartRoutes extends AllDirectives {
  private final Routes routes;
  private final ColdStartService coldStart;
  private final ClusterSharding sharding;
  private final JourneyService journey;
  private final Duration askTimeout;

  ColdStartRoutes(Routes routes, ColdStartService coldStart, ClusterSharding sharding, JourneyService journey, Duration askTimeout) {
    this.routes = routes;
    this.coldStart = coldStart;
    this.sharding = sharding;
    this.journey = journey;
    this.askTimeout = askTimeout;
  }

  Route user(String userId) {
    return concat(
        path("cold-start", () -> get(() -> routes.reply(coldStart.coldStart(userId).thenApply(r -> r
            .map(report -> Routes.json(StatusCodes.OK, report))
            .orElseGet(() -> unknown(userId)))))),
        path(PathMatchers.segment("onboarding").slash("questions"), () -> get(() -> routes.reply(coldStart.questions(userId)
            .thenApply(q -> q.map(questions -> Routes.json(StatusCodes.OK, questions)).orElseGet(() -> unknown(userId)))))),
        path(PathMatchers.segment("onboarding").slash("answers"), () -> post(() -> routes.jsonBody(body -> answer(userId, body)))));
  }

  /** Validates like the profile's PUT (every problem named, nothing stored), then replaces only the answered fields. */
  private Route answer(String userId, JsonNode body) {
    var answers = ProfileRoutes.parse(body);
    var fields = new HashSet<String>();
    body.fieldNames().forEachRemaining(fields::add);
    if (fields.isEmpty()) {
      throw ApiError.validation(List.of(new FieldProblem("body", "answer at least one of: " + String.join(", ", ProfileRoutes.FIELDS))));
    }
    return routes.reply(journey.profile(userId).thenCompose(current -> {
      var merged = ProfileField.merge(current.profile(), answers, fields);
      var now = Instant.now();
      return sharding.entityRefFor(JobSeeker.ENTITY_KEY, userId)
          .<JobSeeker.ProfileStored>ask(r -> new JobSeeker.SetProfile(merged, now, r), askTimeout)
          .thenApply(stored -> Routes.json(StatusCodes.OK, ProfileRoutes.render(userId, merged, now)));
    }));
  }

  private static org.apache.pekko.http.javadsl.model.HttpResponse unknown(String userId) {
    return ApiError.notFound("unknown user " + userId + ": no profile and no events yet (PUT /users/{id}/profile first)").response();
  }
}
