package io.hireloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.learning.Backend;
import io.hireloop.learning.LearningCoordinator;
import io.hireloop.learning.ModelCard;
import io.hireloop.learning.ModelRegistry;
import io.hireloop.learning.ResponseTimeModel;
import io.hireloop.learning.monitoring.ModelMonitor;
import io.hireloop.platform.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /api/v1/models/{name}…}: the champion's document, the registered versions and their cards (any token),
 * training, promotion and rollback (admin), live monitoring (admin or service). Thin: parse, authorise, ask the {@link ModelRegistry} entity, render.
 * {@code interview} has a trainer and always answers (untrained: no versions); {@code offer} and {@code response_time}
 * are trained in the interview model's job (they have no train route of their own), so their reads are 404 until a
 * version of them is registered.
 */
final class ModelRoutes extends AllDirectives {
  static final List<String> MODELS = List.of(LearningCoordinator.MODEL, LearningCoordinator.OFFER, ResponseTimeModel.NAME);

  private final Routes routes;
  private final Routes.Services s;
  private final ClusterSharding sharding;

  ModelRoutes(Routes routes, Routes.Services services) {
    this.routes = routes;
    this.s = services;
    this.sharding = ClusterSharding.get(services.system());
  }

  Route route(Auth.Principal p) {
    return pathPrefix("models", () -> pathPrefix(PathMatchers.segment(), name -> {
      if (!MODELS.contains(name)) throw ApiError.notFound("unknown model '" + name + "'; models: " + String.join(", ", MODELS));
      return concat(
          pathEnd(() -> get(() -> model(name))),
          path("train", () -> post(() -> routes.admin(p, () -> train(name)))),
          pathPrefix("versions", () -> concat(
              pathEnd(() -> get(() -> versions(name))),
              pathPrefix(PathMatchers.integerSegment(), v -> concat(
                  pathEnd(() -> get(() -> version(name, v))),
                  path("promote", () -> post(() -> routes.admin(p, () -> routes.jsonBody(body ->
                      promote(p, name, v, reason(body)))))))))),
          path("rollback", () -> post(() -> routes.admin(p, () -> routes.jsonBody(body -> rollback(p, name, reason(body)))))),
          path("monitoring", () -> get(() -> monitoring(p, name))));
    }));
  }

  private EntityRef<ModelRegistry.Command> registry(String name) {
    return sharding.entityRefFor(ModelRegistry.ENTITY_KEY, name);
  }

  private static boolean trainable(String name) {
    return name.equals(LearningCoordinator.MODEL);
  }

  private static ApiError noneTrained(String name) {
    return ApiError.notFound("no " + name + " model has been trained yet: it has no registered versions");
  }

  private Route model(String name) {
    var champion = registry(name).<ModelRegistry.Champion>ask(ModelRegistry.GetChampion::new, s.askTimeout());
    CompletionStage<LearningCoordinator.Status> status = trainable(name)
        ? AskPattern.ask(s.learning(), LearningCoordinator.GetStatus::new, s.askTimeout(), s.system().scheduler())
        : CompletableFuture.completedFuture(null);
    return routes.reply(champion.thenCombine(status, (c, st) -> {
      var card = c.card();
      if (card == null && !trainable(name)) throw noneTrained(name);
      LinkedHashMap<String, Object> m;
      if (card == null) {
        m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("version", null);
        m.put("backend", Backend.name());
      } else {
        m = LearningCoordinator.modelJson(card);
      }
      m.put("status", st != null && st.training() ? "training" : card == null ? "untrained" : "ready");
      m.put("champion", card == null ? null : card.version());
      m.put("challenger", c.challenger());
      m.put("online_updates", c.onlineUpdates());
      if (st != null) {
        if (st.lastError() != null) m.put("last_error", st.lastError());
        m.put("labels_since_last_training", st.labelsSinceLastTraining());
      }
      return Routes.json(StatusCodes.OK, m);
    }));
  }

  /** Admin or service tokens: the live figures name model versions and the alerts that moved them. */
  private Route monitoring(Auth.Principal p, String name) {
    if (p.role().equals("user")) return complete(ApiError.forbidden("model monitoring needs an admin or service token").response());
    if (!trainable(name)) throw ApiError.notFound("the " + name + " model is not monitored; monitored: " + LearningCoordinator.MODEL);
    return routes.reply(AskPattern.<ModelMonitor.Command, ModelMonitor.MonitoringReport>ask(s.modelMonitor(), ModelMonitor.GetReport::new,
            s.askTimeout(), s.system().scheduler())
        .thenApply(r -> Routes.json(StatusCodes.OK, Json.read(r.json()))));
  }

  private Route train(String name) {
    if (!trainable(name)) throw ApiError.notFound("the " + name + " model has no trainer of its own: it is trained right after the interview model; trainable: " + LearningCoordinator.MODEL);
    return routes.reply(AskPattern.<LearningCoordinator.Command, LearningCoordinator.TrainingAccepted>ask(s.learning(),
            r -> new LearningCoordinator.Train("api", r), s.askTimeout(), s.system().scheduler())
        .thenApply(a -> Routes.json(StatusCodes.ACCEPTED, Map.of("job_id", a.jobId(), "progress_topic", "models"))));
  }

  private Route versions(String name) {
    return routes.reply(registry(name).<ModelRegistry.Versions>ask(ModelRegistry.GetVersions::new, s.askTimeout()).thenApply(v -> {
      if (v.cards().isEmpty() && !trainable(name)) throw noneTrained(name);
      var m = new LinkedHashMap<String, Object>();
      m.put("name", name);
      m.put("champion", v.champion());
      m.put("challenger", v.challenger());
      m.put("versions", v.decoded());
      return Routes.json(StatusCodes.OK, m);
    }));
  }

  private Route version(String name, int version) {
    return routes.reply(registry(name).<ModelRegistry.VersionDetail>ask(r -> new ModelRegistry.GetVersion(version, r), s.askTimeout())
        .thenApply(d -> {
          var card = d.card();
          if (card == null) throw ApiError.notFound("model " + name + " has no version " + version);
          ObjectNode node = Json.MAPPER.valueToTree(card);
          node.set("aliases", Json.MAPPER.valueToTree(d.aliases()));
          node.put("online_revision", d.revision());
          node.put("online_updates", d.onlineUpdates());
          return Routes.json(StatusCodes.OK, node);
        }));
  }

  private Route promote(Auth.Principal p, String name, int version, String reason) {
    return aliasChange(name, ModelRegistry.PROMOTE, p.subject(), reason,
        registry(name).ask(r -> new ModelRegistry.Promote(version, p.subject(), reason, r), s.askTimeout()));
  }

  private Route rollback(Auth.Principal p, String name, String reason) {
    return aliasChange(name, ModelRegistry.ROLLBACK, p.subject(), reason,
        registry(name).ask(r -> new ModelRegistry.Rollback(p.subject(), reason, false, r), s.askTimeout()));
  }

  private Route aliasChange(String name, String kind, String by, String reason, CompletionStage<ModelRegistry.AliasChange> change) {
    return routes.reply(change.thenApply(c -> {
      if (!c.ok()) {
        throw "not_found".equals(c.code()) ? ApiError.notFound(c.error()) : new ApiError(StatusCodes.CONFLICT, "conflict", c.error());
      }
      return moved(name, kind, by, reason, c);
    }));
  }

  private static HttpResponse moved(String name, String kind, String by, String reason, ModelRegistry.AliasChange c) {
    var m = new LinkedHashMap<String, Object>();
    m.put("name", name);
    m.put("alias", ModelRegistry.CHAMPION);
    m.put("version", c.version());
    m.put("previous_version", c.previousVersion());
    m.put("kind", kind);
    m.put("by", by);
    m.put("reason", reason);
    return Routes.json(StatusCodes.OK, m);
  }

  /** The required {@code reason} of an alias change; the 400 when it is missing or blank. */
  static String reason(JsonNode body) {
    var r = body.get("reason");
    if (r == null || !r.isTextual() || r.asText().isBlank()) {
      throw ApiError.validation(List.of(new FieldProblem("reason", "required non-empty string: why the alias moves")));
    }
    return r.asText();
  }
}
