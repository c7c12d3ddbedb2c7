package io.hireloop.api;

import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The operators' console: {@code GET /} is the page, {@code GET /console/…} its scripts and styles, all static files of
 * the classpath folder {@code console/}. No token is needed to load them: they hold no data; every figure the pages show
 * comes from the API with the token the operator pastes, so the API's roles decide what a page can show. Served with
 * {@code no-cache} so that a node upgrade never runs old scripts against a new API.
 */
final class ConsoleRoutes extends AllDirectives {
  static final String RESOURCES = "console";

  Route route() {
    return respondWithHeader(CacheControl.create(CacheDirectives.NO_CACHE), () -> get(() -> concat(
        pathSingleSlash(() -> getFromResource(RESOURCES + "/index.html")),
        pathPrefix(RESOURCES, () -> getFromResourceDirectory(RESOURCES)))));
  }
}
