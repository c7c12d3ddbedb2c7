package io.hireloop.api;

import io.hireloop.analytics.insights.InsightQualityService;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/v1/analytics/insight-quality} (admin or service): per kind of suggestion and weekly insight, who acted
 * on it and the adjusted change in their interview rate ({@link InsightQualityService}). Aggregates over users, so not
 * for user tokens.
 */
final class InsightQualityRoutes extends AllDirectives {
  private final Routes routes;
  private final InsightQualityService service;

  InsightQualityRoutes(Routes routes, InsightQualityService service) {
    this.routes = routes;
    this.service = service;
  }

  Route route(Auth.Principal p) {
    return path(PathMatchers.segment("analytics").slash("insight-quality"), () -> get(() -> {
      if (p.role().equals("user")) return complete(ApiError.forbidden("insight quality is for admin or service tokens").response());
      return routes.reply(service.report().thenApply(r -> Routes.json(StatusCodes.OK, r.toJson())));
    }));
  }
}
