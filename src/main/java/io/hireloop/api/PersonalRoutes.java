package io.hireloop.api;

import io.hireloop.personal.Personalization;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/v1/users/{id}/config} (the user's learned settings with their evidence) and
 * {@code GET /api/v1/users/{id}/strategy} (the Pareto front of the user's decisions and a recommended point): the user
 * itself, a service or an admin ({@link Personalization}). Thin: call, render the typed result.
 */
final class PersonalRoutes extends AllDirectives {
  private final Routes routes;
  private final Personalization personal;

  PersonalRoutes(Routes routes, Personalization personal) {
    this.routes = routes;
    this.personal = personal;
  }

  /** Under {@code /users/{id}}, where the caller's access to the user was checked. */
  Route user(String userId) {
    return concat(
        path("config", () -> get(() -> routes.reply(personal.config(userId).thenApply(c -> Routes.json(StatusCodes.OK, c.toJson()))))),
        path("strategy", () -> get(() -> routes.reply(personal.strategy(userId).thenApply(s -> Routes.json(StatusCodes.OK, s.toJson()))))));
  }

  /** Whether a principal may subscribe to a {@code config:user:<id>} topic: null when allowed, else why not. */
  static String topicProblem(Auth.Principal p, String topic) {
    return p.mayAccessUser(topic.substring(Personalization.TOPIC_PREFIX.length())) ? null
        : "a user token may only subscribe to its own config:user topic";
  }
}
