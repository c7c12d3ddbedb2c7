package io.hireloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.config.ConfigChannel;
import io.hireloop.journey.IngestParser.FieldProblem;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeSet;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /api/v1/configs/{component}…}: the current version and the full history (any token), and an admin's rollback
 * to an earlier version (a new version with its values; the history keeps every later version). Thin: parse,
 * authorise, ask the {@link ConfigChannel} entity, render.
 */
final class ConfigRoutes extends AllDirectives {
  private final Routes routes;
  private final ClusterSharding sharding;
  private final Duration askTimeout;

  ConfigRoutes(Routes routes, ClusterSharding sharding, Duration askTimeout) {
    this.routes = routes;
    this.sharding = sharding;
    this.askTimeout = askTimeout;
  }

  Route route(Auth.Principal p) {
    return pathPrefix("configs", () -> pathPrefix(PathMatchers.segment(), component -> {
      if (!ConfigChannel.COMPONENTS.contains(component)) {
        throw ApiError.notFound("unknown component '" + component + "'; one of " + new TreeSet<>(ConfigChannel.COMPONENTS));
      }
      return concat(
          pathEnd(() -> get(() -> current(component))),
          path("history", () -> get(() -> history(component))),
          path("rollback", () -> post(() -> routes.admin(p, () -> routes.jsonBody(body -> rollback(p, component, body))))));
    }));
  }

  private EntityRef<ConfigChannel.Command> channel(String component) {
    return sharding.entityRefFor(ConfigChannel.ENTITY_KEY, component);
  }

  private Route current(String component) {
    return routes.reply(channel(component).<ConfigChannel.History>ask(ConfigChannel.GetHistory::new, askTimeout)
        .thenApply(h -> Routes.json(StatusCodes.OK, h.current().toJson())));
  }

  /** Every version, oldest first (version 0 = the defaults). */
  private Route history(String component) {
    return routes.reply(channel(component).<ConfigChannel.History>ask(ConfigChannel.GetHistory::new, askTimeout).thenApply(h -> {
      var m = new LinkedHashMap<String, Object>();
      m.put("component", component);
      m.put("current_version", h.current().version());
      m.put("versions", h.versions().stream().map(ConfigChannel.Version::toJson).toList());
      return Routes.json(StatusCodes.OK, m);
    }));
  }

  private Route rollback(Auth.Principal p, String component, JsonNode body) {
    var to = body.get("to_version");
    if (to == null || !to.isIntegralNumber() || !to.canConvertToInt() || to.asInt() < 0) {
      throw ApiError.validation(List.of(new FieldProblem("to_version", "required integer >= 0: the version whose values to restore")));
    }
    String reason = ModelRoutes.reason(body);
    return routes.reply(channel(component).<ConfigChannel.Change>ask(r -> new ConfigChannel.Rollback(to.asInt(), reason, p.subject(), r), askTimeout)
        .thenApply(c -> {
          if (c.ok()) return Routes.json(StatusCodes.OK, c.version().toJson());
          throw switch (c.refusal()) {
            case UNKNOWN_VERSION -> ApiError.validation(List.of(new FieldProblem("to_version", c.message())));
            case ALREADY_CURRENT -> new ApiError(StatusCodes.CONFLICT, "conflict", c.message());
            case INVALID -> ApiError.badRequest(c.message());
          };
        }));
  }
}
