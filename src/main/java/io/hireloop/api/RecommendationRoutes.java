package io.hireloop.api;

import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.recommendations.Recommendation;
import io.hireloop.recommendations.RecommendationBook;
import io.hireloop.recommendations.RecommendationJson;
import io.hireloop.recommendations.Recommendations;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /api/v1/recommendations…}: the list (optionally by status) and one recommendation (admin or service), approve
 * and reject (admin, with a required reason; the actor is the token's subject). Thin: parse, authorise, call
 * {@link Recommendations}, render with {@link RecommendationJson}.
 */
final class RecommendationRoutes extends AllDirectives {
  private final Routes routes;
  private final Recommendations recommendations;

  RecommendationRoutes(Routes routes, Recommendations recommendations) {
    this.routes = routes;
    this.recommendations = recommendations;
  }

  Route route(Auth.Principal p) {
    return pathPrefix("recommendations", () -> {
      if (p.role().equals("user")) return complete(ApiError.forbidden("recommendations need an admin or service token").response());
      return concat(
          pathEnd(() -> get(() -> parameterOptional("status", this::list))),
          pathPrefix(PathMatchers.segment(), id -> concat(
              pathEnd(() -> get(() -> outcome(recommendations.get(id)))),
              path("approve", () -> post(() -> routes.admin(p, () -> routes.jsonBody(body ->
                  outcome(recommendations.approve(id, p.subject(), ModelRoutes.reason(body))))))),
              path("reject", () -> post(() -> routes.admin(p, () -> routes.jsonBody(body ->
                  outcome(recommendations.reject(id, p.subject(), ModelRoutes.reason(body))))))))));
    });
  }

  private Route list(java.util.Optional<String> status) {
    Recommendation.Status filter = null;
    if (status.isPresent()) {
      filter = Recommendation.Status.ofWire(status.get());
      if (filter == null) {
        throw ApiError.validation(List.of(new FieldProblem("status", "one of " + Recommendation.Status.wireNames())));
      }
    }
    return routes.reply(recommendations.list(filter).thenApply(list -> Routes.json(StatusCodes.OK, RecommendationJson.list(list))));
  }

  private Route outcome(CompletionStage<RecommendationBook.Outcome> outcome) {
    return routes.reply(outcome.thenApply(RecommendationRoutes::rendered));
  }

  private static HttpResponse rendered(RecommendationBook.Outcome o) {
    if (o.ok()) return Routes.json(StatusCodes.OK, RecommendationJson.render(o.recommendation()));
    throw switch (o.refusal()) {
      case NOT_FOUND -> ApiError.notFound(o.message());
      case CONFLICT -> new ApiError(StatusCodes.CONFLICT, "conflict", o.message());
    };
  }
}
