package io.hireloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.journey.JobSeeker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET|POST /api/v1/users/{id}/preferences}: the user itself or an admin; stored in the user's journal. */
final class PreferenceRoutes extends AllDirectives {
  static final String MARKET = "market_insights_opt_out";
  static final String EXPERIMENTS = "experiments_opt_out";

  private final Routes routes;
  private final ClusterSharding sharding;
  private final Duration askTimeout;

  PreferenceRoutes(Routes routes, ClusterSharding sharding, Duration askTimeout) {
    this.routes = routes;
    this.sharding = sharding;
    this.askTimeout = askTimeout;
  }

  Route route(Auth.Principal p, String userId) {
    if (!p.isAdmin() && !(p.role().equals("user") && p.subject().equals(userId))) {
      return complete(ApiError.forbidden("preferences are read and changed by the user itself or an admin").response());
    }
    var entity = sharding.entityRefFor(JobSeeker.ENTITY_KEY, userId);
    return concat(
        get(() -> routes.reply(entity.<JobSeeker.Preferences>ask(JobSeeker.GetPreferences::new, askTimeout)
            .thenApply(prefs -> Routes.json(StatusCodes.OK, render(userId, prefs))))),
        post(() -> routes.jsonBody(body -> {
          var flags = parse(body);
          return routes.reply(entity.<JobSeeker.Preferences>ask(
                  r -> new JobSeeker.SetPreferences(flags.get(MARKET), flags.get(EXPERIMENTS), Instant.now(), r), askTimeout)
              .thenApply(prefs -> Routes.json(StatusCodes.OK, render(userId, prefs))));
        })));
  }

  /** The given flags by field name; throws the 400 naming every unknown or mistyped field. */
  static Map<String, Boolean> parse(JsonNode body) {
    var problems = new ArrayList<FieldProblem>();
    var flags = new LinkedHashMap<String, Boolean>();
    body.fields().forEachRemaining(field -> {
      var name = field.getKey();
      if (!name.equals(MARKET) && !name.equals(EXPERIMENTS)) {
        problems.add(new FieldProblem(name, "unknown field; allowed: " + MARKET + ", " + EXPERIMENTS));
      } else if (!field.getValue().isBoolean()) {
        problems.add(new FieldProblem(name, "must be true or false"));
      } else {
        flags.put(name, field.getValue().booleanValue());
      }
    });
    if (!problems.isEmpty()) throw ApiError.validation(problems);
    return flags;
  }

  static Map<String, Object> render(String userId, JobSeeker.Preferences prefs) {
    var m = new LinkedHashMap<String, Object>();
    m.put("user_id", userId);
    m.put(MARKET, prefs.marketInsightsOptOut());
    m.put(EXPERIMENTS, prefs.experimentsOptOut());
    m.put("updated_at", prefs.updatedAt() == null ? null : prefs.updatedAt().toString());
    return m;
  }
}
