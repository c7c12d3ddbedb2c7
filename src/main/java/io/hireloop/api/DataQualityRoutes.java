package io.hireloop.api;

import io.hireloop.quality.DataQuality;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /api/v1/analytics/data-quality} (admin): the cluster-wide data-quality report. */
final class DataQualityRoutes extends AllDirectives {
  private final Routes routes;
  private final DataQuality quality;

  DataQualityRoutes(Routes routes, DataQuality quality) {
    this.routes = routes;
    this.quality = quality;
  }

  Route route(Auth.Principal p) {
    return path(PathMatchers.segment("analytics").slash("data-quality"), () -> get(() -> {
      if (!p.isAdmin()) return complete(ApiError.forbidden("this call needs an admin token").response());
      return routes.reply(quality.report().thenApply(body -> Routes.json(StatusCodes.OK, body)));
    }));
  }
}
