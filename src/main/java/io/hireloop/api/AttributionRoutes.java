package io.hireloop.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.hireloop.learning.TrainingSetProjection;
import io.hireloop.learning.attribution.AttributionReport;
import io.hireloop.learning.attribution.AttributionService;
import io.hireloop.learning.attribution.AttributionStore;
import io.hireloop.learning.attribution.Counterfactuals;
import io.hireloop.learning.attribution.FactorEffect;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /api/v1/attribution/{edits,timing,strategy}} (admin or service): the latest attribution run's effects of one
 * group; {@code POST /api/v1/attribution/run} (admin): start a run (202, progress on the {@code attribution} topic);
 * {@code /api/v1/users/{id}/counterfactuals} (the user, admin or service): that user's expected interview rate now and
 * after each edit not yet made, from the latest run. Thin: authorise, read or ask, render the typed result.
 */
public final class AttributionRoutes extends AllDirectives {
  static final List<String> GROUPS = List.of("edits", "timing", "strategy");

  /** What the routes need from the node. */
  public record Deps(ActorRef<AttributionService.Command> service, AttributionStore store, TrainingSetProjection trainingSet) {}

  /** One group of the latest run, as served. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record GroupView(String runId, Instant ranAt, String group, int applications, int users, double interviewRate,
      List<FactorEffect> factors, List<AttributionReport.Skipped> skipped, List<String> notes) {}

  private final Routes routes;
  private final Deps deps;
  private final ActorSystem<?> system;
  private final java.time.Duration askTimeout;

  AttributionRoutes(Routes routes, Deps deps, ActorSystem<?> system, java.time.Duration askTimeout) {
    this.routes = routes;
    this.deps = deps;
    this.system = system;
    this.askTimeout = askTimeout;
  }

  Route route(Auth.Principal p) {
    return pathPrefix("attribution", () -> concat(
        path("run", () -> post(() -> routes.admin(p, this::run))),
        path(PathMatchers.segment(), group -> get(() -> {
          if (p.role().equals("user")) return complete(ApiError.forbidden("attribution is for admin or service tokens").response());
          if (!GROUPS.contains(group)) {
            throw ApiError.notFound("unknown attribution group '" + group + "'; groups: " + String.join(", ", GROUPS));
          }
          return routes.reply(latest().thenApply(r -> Routes.json(StatusCodes.OK, view(r, group))));
        }))));
  }

  /** {@code counterfactuals} under {@code /users/{id}}; the caller's access to the user is checked there. */
  Route user(String userId) {
    return path("counterfactuals", () -> get(() -> routes.reply(latest().thenCompose(report -> deps.trainingSet().history(userId)
        .thenApply(history -> Routes.json(StatusCodes.OK, Counterfactuals.of(userId, history, report)))))));
  }

  private CompletionStage<AttributionReport> latest() {
    return deps.store().latest().thenApply(r -> r.orElseThrow(() -> ApiError.notFound(
        "no attribution run has finished yet: start one with POST /api/v1/attribution/run (admin) and follow the "
            + AttributionService.TOPIC + " topic")));
  }

  private Route run() {
    CompletionStage<HttpResponse> accepted = AskPattern.<AttributionService.Command, AttributionService.RunAccepted>ask(
            deps.service(), r -> new AttributionService.Run("api", r), askTimeout, system.scheduler())
        .thenApply(a -> Routes.json(StatusCodes.ACCEPTED, Map.of("run_id", a.runId(),
            "status", a.alreadyRunning() ? "already_running" : "started", "topic", AttributionService.TOPIC)));
    return routes.reply(accepted);
  }

  static GroupView view(AttributionReport r, String group) {
    var factors = switch (group) {
      case "edits" -> r.edits();
      case "timing" -> r.timing();
      default -> r.strategy();
    };
    return new GroupView(r.runId(), r.ranAt(), group, r.applications(), r.users(), r.interviewRate(), factors,
        r.skipped().stream().filter(s -> s.group().equals(group)).toList(), r.notes());
  }
}
