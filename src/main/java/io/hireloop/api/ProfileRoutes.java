package io.hireloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.journey.Domain;
import io.hireloop.journey.EventJson;
import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET|PUT /api/v1/users/{id}/profile}: the user itself, a service (the platform's profile service keeps it in
 * step) or an admin. PUT replaces the whole profile (a field left out is cleared); stored as a {@code PROFILE_UPDATED}
 * event of the user's journal, so it is part of the user's history, export and erasure.
 */
final class ProfileRoutes extends AllDirectives {
  static final Set<String> SENIORITIES = Set.of("junior", "mid", "senior", "lead");
  static final int MAX_ITEMS = 50;
  static final int MAX_LENGTH = 100;
  static final List<String> FIELDS = List.of("target_roles", "seniority", "years_experience", "industries", "locations", "skills");

  private final Routes routes;
  private final ClusterSharding sharding;
  private final JourneyService journey;
  private final Duration askTimeout;

  ProfileRoutes(Routes routes, ClusterSharding sharding, JourneyService journey, Duration askTimeout) {
    this.routes = routes;
    this.sharding = sharding;
    this.journey = journey;
    this.askTimeout = askTimeout;
  }

  /** Under {@code /users/{id}}, where the caller's access to the user was checked. */
  Route route(String userId) {
    return path("profile", () -> concat(
        get(() -> routes.reply(journey.profile(userId).thenApply(p -> Routes.json(StatusCodes.OK, render(userId, p.profile(),
            p.updatedAt()))))),
        put(() -> routes.jsonBody(body -> {
          var profile = parse(body);
          var now = Instant.now();
          return routes.reply(sharding.entityRefFor(JobSeeker.ENTITY_KEY, userId)
              .<JobSeeker.ProfileStored>ask(r -> new JobSeeker.SetProfile(profile, now, r), askTimeout)
              .thenApply(stored -> {
                if (stored.seqNr() < 0) throw new ApiError(StatusCodes.GONE, "user_erased", "the user was erased; nothing was stored");
                return Routes.json(StatusCodes.OK, render(userId, profile, now));
              }));
        }))));
  }

  /** The profile of a PUT body; throws the 400 naming every unknown, mistyped or out-of-range field. */
  static Domain.Profile parse(JsonNode body) {
    var problems = new ArrayList<FieldProblem>();
    if (!body.isObject()) throw ApiError.validation(List.of(new FieldProblem("body", "must be a JSON object")));
    body.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) problems.add(new FieldProblem(name, "unknown field; allowed: " + String.join(", ", FIELDS)));
    });
    var roles = strings(body, "target_roles", problems);
    var industries = strings(body, "industries", problems);
    var locations = strings(body, "locations", problems);
    var skills = strings(body, "skills", problems);
    String seniority = null;
    var s = body.get("seniority");
    if (s != null && !s.isNull()) {
      if (!s.isTextual() || !SENIORITIES.contains(s.asText())) {
        problems.add(new FieldProblem("seniority", "one of junior, mid, senior, lead"));
      } else {
        seniority = s.asText();
      }
    }
    Double years = null;
    var y = body.get("years_experience");
    if (y != null && !y.isNull()) {
      if (!y.isNumber() || !(y.asDouble() >= 0 && y.asDouble() <= 60)) {
        problems.add(new FieldProblem("years_experience", "a number from 0 to 60"));
      } else {
        years = y.asDouble();
      }
    }
    if (!problems.isEmpty()) throw ApiError.validation(problems);
    return new Domain.Profile(roles, seniority, years, industries, locations, skills);
  }

  private static List<String> strings(JsonNode body, String field, List<FieldProblem> problems) {
    var v = body.get(field);
    if (v == null || v.isNull()) return List.of();
    if (!v.isArray()) {
      problems.add(new FieldProblem(field, "an array of strings"));
      return List.of();
    }
    if (v.size() > MAX_ITEMS) {
      problems.add(new FieldProblem(field, "at most " + MAX_ITEMS + " items"));
      return List.of();
    }
    var out = new ArrayList<String>();
    for (int i = 0; i < v.size(); i++) {
      var item = v.get(i);
      if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > MAX_LENGTH) {
        problems.add(new FieldProblem(field + "[" + i + "]", "a non-empty string of at most " + MAX_LENGTH + " characters"));
      } else if (!out.contains(item.asText().trim())) {
        out.add(item.asText().trim());
      }
    }
    return out;
  }

  static Map<String, Object> render(String userId, Domain.Profile p, Instant updatedAt) {
    var m = new LinkedHashMap<String, Object>();
    m.put("user_id", userId);
    EventJson.putProfile(m, p);
    m.put("updated_at", updatedAt == null ? null : updatedAt.toString());
    return m;
  }
}
