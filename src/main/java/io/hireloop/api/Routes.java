package io.hireloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.analytics.PerformanceProjection;
import io.hireloop.analytics.PerformanceState;
import io.hireloop.analytics.insights.InsightSettings;
import io.hireloop.analytics.insights.UserInsightsProjection;
import io.hireloop.config.ConfigChannel;
import io.hireloop.learning.attribution.AttributionService;
import io.hireloop.experiment.Experiment;
import io.hireloop.experiment.ExperimentAssignments;
import io.hireloop.experiment.ExposureProjection;
import io.hireloop.experiment.ExperimentRollouts;
import io.hireloop.experiment.Results;
import io.hireloop.experiment.SpecParser;
import io.hireloop.journey.IngestAdmission;
import io.hireloop.journey.IngestParser;
import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyProjections;
import io.hireloop.journey.JourneyService;
import io.hireloop.learning.EnsemblePredictor;
import io.hireloop.learning.NoModelYet;
import io.hireloop.learning.ResponseTimePredictor;
import io.hireloop.learning.LearningCoordinator;
import io.hireloop.platform.Json;
import io.hireloop.platform.Metrics;
import io.hireloop.stream.StreamSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.pattern.AskTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP and WebSocket API of API.md. Thin: parse, validate the shape, authorise, ask the feature,
 * render. Every error, including Pekko's own rejections, is answered with the JSON error body.
 */
public final class Routes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(Routes.class);

  /** What the routes call into; built by the node. */
  public record Services(
      ActorSystem<?> system,
      Auth auth,
      JourneyService journey,
      PerformanceProjection performance,
      UserInsightsProjection insights,
      EnsemblePredictor predictor,
      EnsemblePredictor offerPredictor,
      ResponseTimePredictor responseTimePredictor,
      ActorRef<LearningCoordinator.Command> learning,
      ActorRef<io.hireloop.learning.monitoring.ModelMonitor.Command> modelMonitor,
      ExperimentAssignments assignments,
      ExposureProjection exposures,
      ExperimentRollouts rollouts,
      io.hireloop.quality.DataQuality dataQuality,
      Supplier<CompletionStage<String>> readiness,
      Duration askTimeout,
      double rateLimitPerSecond,
      MarketRoutes market,
      AttributionRoutes.Deps attribution,
      io.hireloop.privacy.UserExport export,
      io.hireloop.coldstart.ColdStartService coldStart,
      io.hireloop.privacy.Erasure erasure) {}

  /** The OpenAPI 3 document of every route below; OpenApiContractTest holds the two in step. */
  public static final String OPENAPI_RESOURCE = "api/openapi.json";
  /** The API explorer's files: the swagger-ui webjar of pom.xml (its version in the path). */
  static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/5.35.0";

  private final Services s;
  private final ClusterSharding sharding;
  private final RateLimiter rateLimiter;
  /** Bounds every ingest's wait on this node (in-flight cap, queue time, request timeout). */
  private final IngestGate ingestGate;
  private final long maxBody;
  private final AllocationRoutes allocations;
  private final PreferenceRoutes preferences;
  private final DataQualityRoutes dataQuality;
  private final InsightRoutes insights;
  private final ModelRoutes models;
  private final PredictionRoutes predictions;
  private final AttributionRoutes attribution;
  private final ProfileRoutes profiles;
  private final ConfigRoutes configs;
  private final RecommendationRoutes recommendations;
  private final RankingRoutes ranking;
  private final ErasureRoutes erasure;
  private final ColdStartRoutes coldStart;
  private final io.hireloop.personal.Personalization personalization;
  private final PersonalRoutes personal;
  private final InsightQualityRoutes insightQuality;
  private final ConsoleRoutes console = new ConsoleRoutes();

  public Routes(Services services) {
    this.s = services;
    this.sharding = ClusterSharding.get(services.system());
    this.rateLimiter = new RateLimiter(services.rateLimitPerSecond());
    this.ingestGate = new IngestGate(IngestGate.Settings.from(services.system().settings().config()));
    this.maxBody = services.system().settings().config().getBytes("pekko.http.server.parsing.max-content-length");
    this.allocations = new AllocationRoutes(this, services);
    this.models = new ModelRoutes(this, services);
    this.predictions = new PredictionRoutes(this, services.predictor(), services.offerPredictor(), services.responseTimePredictor());
    this.preferences = new PreferenceRoutes(this, sharding, services.askTimeout());
    this.dataQuality = new DataQualityRoutes(this, services.dataQuality());
    this.attribution = new AttributionRoutes(this, services.attribution(), services.system(), services.askTimeout());
    this.profiles = new ProfileRoutes(this, sharding, services.journey(), services.askTimeout());
    this.insights = new InsightRoutes(services.insights(), InsightSettings.from(services.system().settings().config()).minSample(), this::reply);
    this.configs = new ConfigRoutes(this, sharding, services.askTimeout());
    this.erasure = new ErasureRoutes(this, services.erasure());
    this.recommendations = new RecommendationRoutes(this, io.hireloop.recommendations.Recommendations.get(services.system()));
    this.personalization = new io.hireloop.personal.Personalization(services.system(),
        io.hireloop.ranking.Ranking.globalPolicy(services.system()), services.predictor(), services.askTimeout());
    this.personal = new PersonalRoutes(this, personalization);
    this.ranking = new RankingRoutes(this, io.hireloop.ranking.Ranking.create(services.system(), services.predictor(),
        services.attribution().trainingSet(), personalization::rankingSettings));
    this.coldStart = new ColdStartRoutes(this, services.coldStart(), sharding, services.journey(), services.askTimeout());
    this.insightQuality = new InsightQualityRoutes(this, io.hireloop.analytics.insights.InsightQualityService.create(services.system()));
  }

  public Route route() {
    // a request Pekko times out gets the API's error body with Retry-After too
    return withRequestTimeoutResponse(IngestGate::timedOut, () -> measured(() -> handleExceptions(exceptions(),
        () -> handleRejections(rejections(), () -> sizeChecked(() -> concat(
        path(PathMatchers.segment("health").slash("live"), () -> get(() -> complete(json(StatusCodes.OK, Map.of("status", "up"))))),
        path(PathMatchers.segment("health").slash("ready"), () -> get(this::ready)),
        path("metrics", () -> get(() -> {
          Metrics.clusterMembers(s.system());
          return complete(HttpResponse.create().withEntity(
              HttpEntities.create(ContentTypes.create(MediaTypes.TEXT_PLAIN, org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8),
                  Metrics.scrape())));
        })),
        pathPrefix(PathMatchers.segment("api").slash("v1"), this::api),
        console.route()))))));
  }

  /**
   * Refuses a declared body over the limit before reading it, so that a client sending
   * {@code Expect: 100-continue} gets the 413 without uploading. Bodies without a length are cut by
   * pekko.http.server.parsing.max-content-length while being read (EntityStreamSizeException below).
   */
  private Route sizeChecked(Supplier<Route> inner) {
    return extractRequest(request -> {
      var length = request.entity().getContentLengthOption();
      if (length.isPresent() && length.getAsLong() > maxBody) return complete(tooLarge());
      return inner.get();
    });
  }

  private static HttpResponse tooLarge() {
    return ApiError.response(StatusCodes.PAYLOAD_TOO_LARGE, "too_large",
        "request body over the 1 MiB limit; split the batch (at most 500 events per request)", List.of());
  }

  private Route api() {
    return concat(
        // the contract is public, like the docs it mirrors: it holds no data
        path("openapi.json", () -> get(() -> getFromResource(OPENAPI_RESOURCE, ContentTypes.APPLICATION_JSON))),
        pathPrefix("docs", () -> get(() -> concat(
            pathEnd(() -> getFromResource("api/docs.html", ContentTypes.TEXT_HTML_UTF8)),
            getFromResourceDirectory(SWAGGER_UI)))),
        path("stream", () -> get(() -> authenticated(p -> handleWebSocketMessages(
            StreamSession.flow(s.system(), topic -> topicProblem(p, topic)))))),
        authenticatedRoute(p -> concat(
            path("events", () -> post(() -> {
              long arrived = System.nanoTime();
              return withRequestTimeout(scala.concurrent.duration.FiniteDuration.fromNanos(ingestGate.timeout().toNanos()),
                  () -> jsonBody(body -> ingest(p, body, arrived)));
            })),
            pathPrefix("users", () -> pathPrefix(PathMatchers.segment(), userId -> {
              if (!p.mayAccessUser(userId)) return complete(ApiError.forbidden("a user token may only access its own user_id").response());
              return concat(
                  erasure.route(p, userId),
                  path("events", () -> get(() -> userEvents(userId))),
                  path("performance", () -> get(() -> performance(userId))),
                  path("preferences", () -> preferences.route(p, userId)),
                  attribution.user(userId),
                  path("export", () -> get(() -> export(p, userId))),
                  profiles.route(userId),
                  coldStart.user(userId),
                  ranking.user(userId),
                  personal.user(userId),
                  insights.user(userId));
            })),
            models.route(p),
            dataQuality.route(p),
            insights.segments(),
            predictions.route(p),
            attribution.route(p),
            configs.route(p),
            recommendations.route(p),
            ranking.route(p),
            insightQuality.route(p),
            pathPrefix("experiments", () -> concat(
                pathEnd(() -> concat(
                    post(() -> admin(p, () -> jsonBody(body -> createExperiment(p, body)))),
                    get(() -> admin(p, this::experiments)))),
                pathPrefix(PathMatchers.segment(), id -> concat(
                    allocations.experiment(p, id),
                    pathEnd(() -> get(() -> admin(p, () -> experiment(id)))),
                    path("assignment", () -> get(() -> assignment(p, id))),
                    path("history", () -> get(() -> admin(p, () -> experimentHistory(id)))),
                    path("results", () -> get(() -> admin(p, () -> experimentResults(id)))),
                    path(PathMatchers.segment(), action -> post(() -> admin(p, () -> experimentAction(p, id, action)))))))),
            s.market().route(p, marketWiring()),
            allocations.layers(p),
            pathPrefix(PathMatchers.segment("admin").slash("projections"), () -> admin(p, () -> concat(
                pathEnd(() -> get(this::projections)),
                path(PathMatchers.segment().slash("rebuild"), name -> post(() -> rebuild(name))))))
        )));
  }

  // ------------------------------------------------------------------ endpoints

  private Route ingest(Auth.Principal p, JsonNode body, long arrived) {
    var events = body.path("events");
    if (events.isArray()) {
      for (int i = 0; i < events.size(); i++) {
        var userId = events.get(i).path("user_id");
        if (userId.isTextual() && !p.mayAccessUser(userId.asText())) {
          return complete(ApiError.forbidden("events[" + i + "].user_id: a user token may only write its own events").response());
        }
      }
    }
    var parsed = IngestParser.parse(body);
    if (!parsed.ok()) {
      Metrics.EVENTS_INGESTED.labels("rejected").inc(events.isArray() ? events.size() : 0);
      s.dataQuality().rejected(parsed.problems());
      return complete(ApiError.validation(parsed.problems()).response());
    }
    int count = parsed.items().size();
    var refused = ingestGate.admit(arrived, count);
    if (refused.isPresent()) return complete(refused.get());
    return reply(IngestAdmission.get(s.system()).admit(count).thenCompose(refusal -> {
      if (refusal.isPresent()) return CompletableFuture.completedFuture(paced(refusal.get(), count));
      var askTimeout = ingestGate.askTimeout(arrived); // after any pacing delay: what is left of the request's time
      if (askTimeout.isEmpty()) return CompletableFuture.completedFuture(ingestGate.tooLate(count));
      return s.journey().ingest(parsed.items(), askTimeout.get()).thenApply(outcome -> {
        if (!outcome.problems().isEmpty()) {
          Metrics.EVENTS_INGESTED.labels("rejected").inc(parsed.items().size());
          s.dataQuality().rejected(outcome.problems());
          throw outcome.gone() ? ApiError.gone(outcome.problems())
              : outcome.conflict() ? ApiError.conflict(outcome.problems()) : ApiError.validation(outcome.problems());
        }
        // the users whose journals grew get their personal config recomputed (pushed on config:user:<id> if it changed)
        parsed.items().stream().map(IngestParser.Item::userId).distinct().forEach(personalization::ingested);
        var results = new ArrayList<Map<String, Object>>();
        for (var r : outcome.results()) {
          Metrics.EVENTS_INGESTED.labels(r.status()).inc();
          var m = new LinkedHashMap<String, Object>();
          m.put("event_id", r.eventId());
          m.put("status", r.status());
          m.put("seq_nr", r.seqNr());
          results.add(m);
        }
        return json(StatusCodes.OK, Map.of("results", results));
      });
    }).whenComplete((response, failure) -> ingestGate.release()));
  }

  /** 429 for a batch the ingest pacer refused: nothing written, Retry-After tells when to send it again. */
  private static HttpResponse paced(IngestAdmission.Refusal refusal, int events) {
    Metrics.EVENTS_INGESTED.labels("paced").inc(events);
    return ApiError.response(StatusCodes.TOO_MANY_REQUESTS, "read_side_behind", refusal.message(), List.of())
        .addHeader(RetryAfter.create(refusal.retryAfterSeconds()));
  }

  private Route userEvents(String userId) {
    return parameterOptional("after_seq", after -> parameterOptional("limit", limit -> {
      long afterSeq = longParam("after_seq", after.orElse("0"), 0, Long.MAX_VALUE);
      int n = (int) longParam("limit", limit.orElse("100"), 1, 1000);
      return reply(s.journey().events(userId, afterSeq, n).thenApply(page -> {
        var m = new LinkedHashMap<String, Object>();
        m.put("events", page.events());
        m.put("next_after_seq", page.nextAfterSeq());
        return json(StatusCodes.OK, m);
      }));
    }));
  }

  /**
   * Everything held about the user as one streamed JSON document (io.hireloop.privacy.UserExport): the user's own token
   * or an admin's; a service reads what it needs through the other endpoints.
   */
  private Route export(Auth.Principal p, String userId) {
    if (p.role().equals("service")) return complete(ApiError.forbidden("an export is for the user or an admin").response());
    return complete(HttpResponse.create().withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON,
        s.export().document(userId))));
  }

  private Route performance(String userId) {
    return reply(s.performance().get(userId).thenApply(p ->
        json(StatusCodes.OK, p.orElseGet(() -> PerformanceState.EMPTY.toUserPerformance(userId)))));
  }

  private Route createExperiment(Auth.Principal p, JsonNode body) {
    var parsed = SpecParser.parse(body);
    if (!parsed.ok()) throw ApiError.validation(parsed.problems());
    var spec = parsed.spec();
    var schedule = parsed.rampSchedule();
    return reply(sharding.entityRefFor(Experiment.ENTITY_KEY, spec.experimentId())
        .<Experiment.Reply>ask(r -> schedule == null ? new Experiment.Define(spec, p.subject(), r)
            : new Experiment.DefineScheduled(spec, schedule, p.subject(), r), s.askTimeout())
        .thenApply(r -> json(StatusCodes.CREATED, withRampSchedule(experimentJson(checked(r, spec.experimentId())), schedule))));
  }

  /** Every experiment, newest first, each as {@code GET /experiments/{id}} renders it. */
  private Route experiments() {
    return reply(Experiment.ids(s.system()).thenCompose(ids -> {
      var replies = ids.stream().map(id -> askExperiment(id, Experiment.Get::new).toCompletableFuture()).toList();
      return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).thenApply(done -> {
        var list = replies.stream().map(CompletableFuture::join).filter(r -> !r.notFound() && r.error() == null)
            .sorted(java.util.Comparator.comparing(Experiment.Reply::createdAt).reversed())
            .map(Routes::experimentJson).toList();
        return json(StatusCodes.OK, Map.of("experiments", list));
      });
    }));
  }

  private Route experiment(String id) {
    return reply(sharding.entityRefFor(Experiment.ENTITY_KEY, id).<Experiment.RampView>ask(Experiment.GetRamp::new, s.askTimeout())
        .thenApply(v -> json(StatusCodes.OK, withRampSchedule(experimentJson(checked(v.reply(), id)), v.schedule()))));
  }

  /** The definition's {@code ramp_schedule}, when it has one. */
  private static Map<String, Object> withRampSchedule(Map<String, Object> m, io.hireloop.experiment.RampSchedule schedule) {
    if (schedule != null) m.put("ramp_schedule", schedule.toJson());
    return m;
  }

  private Route experimentHistory(String id) {
    return reply(askExperiment(id, Experiment.Get::new).thenCompose(r -> {
      checked(r, id);
      var out = new ArrayList<Map<String, Object>>(r.history().stream().map(h -> {
        var m = new LinkedHashMap<String, Object>();
        m.put("type", h.type());
        m.put("from", h.from());
        m.put("to", h.to());
        m.put("by", h.by());
        m.put("at", h.at().toString());
        return (Map<String, Object>) m;
      }).toList());
      return s.rollouts().rolloutState(id).thenApply(ro -> {
        out.addAll(ExperimentRollouts.historyJson(ro)); // stages and rollbacks, with their reasons
        out.sort(java.util.Comparator.comparing(m -> java.time.Instant.parse((String) m.get("at"))));
        return json(StatusCodes.OK, Map.of("experiment_id", id, "history", out));
      });
    }));
  }

  /** Users may ask only for themselves; services and admins for anyone. */
  private Route assignment(Auth.Principal p, String id) {
    return parameterOptional("user_id", user -> {
      var userId = user.filter(u -> !u.isBlank() && u.length() <= IngestParser.MAX_SHORT_STRING).orElseThrow(() ->
          ApiError.validation(List.of(new FieldProblem("user_id", "required query parameter"))));
      if (!p.mayAccessUser(userId)) return complete(ApiError.forbidden("a user token may only ask for its own assignment").response());
      return reply(s.assignments().assign(id, userId).thenApply(a -> {
        if (a.notFound()) throw ApiError.notFound(a.problem());
        if (a.problem() != null) throw new ApiError(StatusCodes.CONFLICT, "conflict", a.problem());
        var m = new LinkedHashMap<String, Object>();
        m.put("experiment_id", id);
        m.put("user_id", userId);
        m.put("variant_id", a.variantId());
        m.put("value", Json.read(a.valueJson()));
        m.put("in_experiment", a.inExperiment());
        if (a.reason() != null) m.put("reason", a.reason());
        return json(StatusCodes.OK, m);
      }));
    });
  }

  private Route experimentResults(String id) {
    return reply(askExperiment(id, Experiment.Get::new).thenCompose(r -> {
      checked(r, id);
      if (r.spec().control() == null) throw new ApiError(StatusCodes.CONFLICT, "conflict", "experiment " + id + " has no variants to analyse");
      return s.rollouts().results(r).thenApply(results -> json(StatusCodes.OK, results.toJson()));
    }));
  }

  private Route experimentAction(Auth.Principal p, String id, String action) {
    if (action.equals("rollout")) return reply(rollout(p, id, null));
    if (action.equals("approve")) {
      return jsonBody(body -> {
        var v = body.path("variant_id");
        if (!v.isTextual() || v.asText().isBlank()) throw ApiError.validation(List.of(new FieldProblem("variant_id", "required string")));
        return reply(rollout(p, id, v.asText()));
      });
    }
    if (action.equals("rollback")) {
      return reply(s.rollouts().rollback(id, p.subject(), "rolled back by " + p.subject()).thenApply(o -> {
        s.assignments().invalidate(id);
        if ("not_found".equals(o.code())) throw ApiError.notFound(o.problem());
        if (o.problem() != null) throw new ApiError(StatusCodes.CONFLICT, "conflict", o.problem());
        var m = experimentJson(checked(o.experiment(), id));
        m.put("config", o.config() == null ? null : o.config().toJson());
        m.put("rollout", ExperimentRollouts.rolloutJson(o.rollout()));
        return json(StatusCodes.OK, m);
      }));
    }
    if (!Experiment.TRANSITIONS.containsKey(action)) {
      throw ApiError.notFound("unknown experiment action '" + action + "'; one of " + new java.util.TreeSet<>(Experiment.TRANSITIONS.keySet()));
    }
    return reply(askExperiment(id, r -> new Experiment.ChangeStatus(action, p.subject(), r))
        .thenApply(r -> {
          s.assignments().invalidate(id);
          return json(StatusCodes.OK, experimentJson(checked(r, id)));
        }));
  }

  private CompletionStage<HttpResponse> rollout(Auth.Principal p, String id, String approvedVariant) {
    return s.rollouts().rollout(id, p.subject(), approvedVariant).thenApply(o -> {
      s.assignments().invalidate(id);
      if ("not_found".equals(o.code())) throw ApiError.notFound(o.problem());
      if (o.problem() != null) {
        throw new ApiError(StatusCodes.CONFLICT, "conflict", o.problem(), o.failedChecks().stream()
            .map(c -> new FieldProblem("checks." + c.name().wire(), "failed: " + c.rule())).toList());
      }
      var m = experimentJson(o.experiment());
      m.put("config", o.config().toJson());
      m.put("rollout", ExperimentRollouts.rolloutJson(o.rollout()));
      return json(StatusCodes.OK, m);
    });
  }

  private CompletionStage<Experiment.Reply> askExperiment(String id, Function<ActorRef<Experiment.Reply>, Experiment.Command> cmd) {
    return sharding.entityRefFor(Experiment.ENTITY_KEY, id).ask(cmd::apply, s.askTimeout());
  }

  /** Maps a refused or unknown reply to its HTTP error. */
  static Experiment.Reply checked(Experiment.Reply r, String id) {
    if (r.notFound()) throw ApiError.notFound("no experiment '" + id + "'");
    if (r.error() == null) return r;
    throw switch (r.errorCode()) {
      case "ethics" -> new ApiError(StatusCodes.UNPROCESSABLE_ENTITY, "ethics_check_failed", r.error(),
          r.problems().stream().map(x -> new FieldProblem("ethics", x)).toList());
      case "bad_request" -> ApiError.badRequest(r.error());
      default -> new ApiError(StatusCodes.CONFLICT, "conflict", r.error());
    };
  }

  static Map<String, Object> experimentJson(Experiment.Reply r) {
    var m = new LinkedHashMap<String, Object>();
    var d = r.spec();
    m.put("experiment_id", d.experimentId());
    m.put("name", d.name());
    m.put("hypothesis", d.hypothesis());
    m.put("component", d.component());
    m.put("parameter", d.parameter());
    m.put("variants", d.variants().stream().map(v -> {
      var vm = new LinkedHashMap<String, Object>();
      vm.put("variant_id", v.variantId());
      vm.put("name", v.name());
      vm.put("value", v.value() == null ? null : Json.read(v.value()));
      vm.put("allocation", v.allocation());
      if (v.jobRecommendationsChange() != null || v.userEffortChange() != null) {
        var im = new LinkedHashMap<String, Object>();
        im.put("job_recommendations_change", v.jobRecommendationsChange());
        im.put("user_effort_change", v.userEffortChange());
        vm.put("impact", im);
      }
      return vm;
    }).toList());
    m.put("success_metric", d.successMetric());
    m.put("guardrail_metrics", d.guardrailMetrics());
    m.put("minimum_sample_size", d.minimumSampleSize());
    m.put("maximum_duration_days", d.maximumDurationDays());
    m.put("attribution_window_days", d.attributionWindowDays());
    m.put("expected_improvement", d.expectedImprovement());
    m.put("baseline_rate", d.baselineRate());
    m.put("rollback_plan", d.rollbackPlan());
    m.put("layer", d.layer());
    m.put("allocation_mode", d.allocationMode());
    m.put("status", r.status());
    m.put("created_at", r.createdAt().toString());
    return m;
  }

  private Route projections() {
    return reply(JourneyProjections.get(s.system()).status().thenApply(list -> {
      var out = list.stream().map(st -> {
        var m = new LinkedHashMap<String, Object>();
        m.put("name", st.name());
        m.put("key", st.key());
        m.put("offset", st.offset());
        m.put("offset_time", st.offsetTime() == null ? null : st.offsetTime().toString());
        m.put("lag_seconds", st.lagSeconds());
        m.put("last_handled_at", st.lastHandledAt() == null ? null : st.lastHandledAt().toString());
        m.put("paused", st.paused());
        if (st.rebuild() != null) {
          var r = st.rebuild();
          var rebuild = new LinkedHashMap<String, Object>();
          rebuild.put("started_at", r.startedAt().toString());
          rebuild.put("replayed_events", r.replayedEvents());
          rebuild.put("slices_done", r.slicesDone());
          rebuild.put("slices", r.slices());
          rebuild.put("failure", r.failure());
          m.put("rebuild", rebuild);
        }
        return m;
      }).toList();
      return json(StatusCodes.OK, Map.of("projections", out));
    }));
  }

  private Route rebuild(String name) {
    var projections = JourneyProjections.get(s.system());
    if (!projections.exists(name)) throw ApiError.notFound("unknown projection '" + name + "'; one of " + projections.names());
    return reply(projections.rebuild(name).<HttpResponse>thenApply(d -> json(StatusCodes.ACCEPTED,
        Map.of("projection", name, "status", "rebuilding", "progress", "GET /api/v1/admin/projections")))
        .exceptionally(t -> {
          var cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
          if (cause instanceof JourneyProjections.RebuildRunning running) {
            return new ApiError(StatusCodes.CONFLICT, "rebuild_running", running.getMessage()).response();
          }
          throw t instanceof CompletionException c ? c : new CompletionException(t);
        }));
  }

  private Route ready() {
    return reply(s.readiness().get().thenApply(problem -> problem == null
        ? json(StatusCodes.OK, Map.of("status", "ready"))
        : json(StatusCodes.SERVICE_UNAVAILABLE, Map.of("status", "not_ready", "reason", problem))));
  }

  // ------------------------------------------------------------------ auth, bodies, errors

  private String topicProblem(Auth.Principal p, String topic) {
    if (topic.startsWith("user:")) {
      return p.mayAccessUser(topic.substring(5)) ? null : "a user token may only subscribe to its own user topic";
    }
    if (topic.startsWith(io.hireloop.personal.Personalization.TOPIC_PREFIX)) return PersonalRoutes.topicProblem(p, topic);
    if (topic.startsWith("config:")) {
      return ConfigChannel.COMPONENTS.contains(topic.substring(7)) ? null : "unknown component";
    }
    if (topic.startsWith("experiment:")) return p.isAdmin() ? null : "experiment topics are for admin tokens";
    if (topic.equals(AttributionService.TOPIC)) return p.role().equals("user") ? "the attribution topic is for admin or service tokens" : null;
    if (topic.equals(io.hireloop.recommendations.RecommendationBook.TOPIC)) {
      return p.role().equals("user") ? "the recommendations topic is for admin and service tokens" : null;
    }
    if (topic.equals(io.hireloop.ranking.DiversityMonitor.TOPIC)) {
      return p.role().equals("user") ? "the ranking topic is for admin and service tokens" : null;
    }
    return topic.equals("models") || topic.equals("market") ? null
        : "unknown topic; use user:<id>, config:<component>, config:user:<id>, experiment:<id>, models, market, attribution, recommendations or ranking";
  }

  private MarketRoutes.Wiring marketWiring() {
    return new MarketRoutes.Wiring() {
      public Route reply(CompletionStage<HttpResponse> response) {
        return Routes.this.reply(response);
      }

      public Route admin(Auth.Principal p, Supplier<Route> inner) {
        return Routes.this.admin(p, inner);
      }
    };
  }

  private Route authenticatedRoute(Function<Auth.Principal, Route> inner) {
    return authenticated(inner);
  }

  private Route authenticated(Function<Auth.Principal, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> parameterOptional("access_token", query -> {
      String token = header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7).trim())
          .or(() -> query).orElse(null);
      if (token == null) {
        return complete(ApiError.unauthorized("missing token: send Authorization: Bearer <JWT> (bin/hireloop token makes one)").response());
      }
      Auth.Principal p;
      try {
        p = s.auth().verify(token);
      } catch (ApiError e) {
        return complete(e.response());
      }
      if (!rateLimiter.tryAcquire(p.subject())) {
        // the bucket refills at the limit's rate: one second always brings a token back
        return complete(new ApiError(StatusCodes.TOO_MANY_REQUESTS, "rate_limited",
            "more than " + s.rateLimitPerSecond() + " requests per second for " + p.subject() + "; retry after 1 s").response()
            .addHeader(RetryAfter.create(1L)));
      }
      return inner.apply(p);
    }));
  }

  Route admin(Auth.Principal p, Supplier<Route> inner) {
    if (!p.isAdmin()) return complete(ApiError.forbidden("this call needs an admin token").response());
    return inner.get();
  }

  /** The body as a JSON object ({@link JsonBody}: JSON content type, strict UTF-8, one object), else its 4xx. */
  Route jsonBody(Function<JsonNode, Route> inner) {
    return extractRequestEntity(entity -> {
      var problem = JsonBody.contentTypeProblem(entity.getContentType());
      if (problem != null) return complete(problem.response());
      return entity(Unmarshaller.entityToByteString(), bytes -> {
        JsonNode node;
        try {
          node = JsonBody.read(bytes.toArray());
        } catch (ApiError e) {
          return complete(e.response());
        }
        return inner.apply(node);
      });
    });
  }

  private static long longParam(String name, String value, long min, long max) {
    try {
      long v = Long.parseLong(value);
      if (v >= min && v <= max) return v;
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw new ApiError(StatusCodes.BAD_REQUEST, "validation_failed", "query parameter " + name + " must be an integer in ["
        + min + ", " + max + "]", List.of(new FieldProblem(name, "must be an integer in [" + min + ", " + max + "]")));
  }

  Route reply(CompletionStage<HttpResponse> response) {
    return completeWithFuture(response.exceptionally(this::errorResponse));
  }

  private HttpResponse errorResponse(Throwable t) {
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ApiError e) return e.response();
    if (t instanceof NoModelYet) return ApiError.unavailable(t.getMessage()).response();
    if (t instanceof AskTimeoutException || t instanceof TimeoutException) {
      // typically an entity whose shard is moving (a node left or crashed) or an overloaded node: worth a retry soon
      // the wait was the route's own (ingest: what is left of ingest-timeout; others: ask-timeout), so no figure here
      return ApiError.unavailable("the cluster did not answer in time; retry — "
          + "an ingest that timed out may or may not have been stored, and a retry with the same event_ids is safe").response()
          .addHeader(RetryAfter.create(1L));
    }
    log.error("request failed", t);
    return ApiError.response(StatusCodes.INTERNAL_SERVER_ERROR, "internal_error", String.valueOf(t.getMessage()), List.of());
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(ApiError.class, e -> complete(e.response()))
        .match(EntityStreamSizeException.class, e -> complete(tooLarge()))
        .match(Throwable.class, e -> complete(errorResponse(e)))
        .build();
  }

  /** Pekko's own rejections (404, 405, 413, ...) with our JSON body. */
  private static RejectionHandler rejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      if (response.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) return response;
      var text = response.entity() instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict strict
          ? strict.getData().utf8String() : response.status().reason();
      return ApiError.response(response.status(), codeOf(response.status()), text, List.of()).withHeaders(response.getHeaders());
    });
  }

  static String codeOf(StatusCode status) {
    return switch (status.intValue()) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 429 -> "rate_limited";
      case 431 -> "headers_too_large";
      case 503 -> "unavailable";
      default -> "error";
    };
  }

  private Route measured(Supplier<Route> inner) {
    return extractRequest(request -> {
      long start = System.nanoTime();
      String label = routeLabel(request.getUri().path());
      return mapResponse(response -> {
        Metrics.HTTP_REQUESTS.labels(label, String.valueOf(response.status().intValue())).inc();
        Metrics.HTTP_LATENCY.labels(label).observe((System.nanoTime() - start) / 1e9);
        return response;
      }, inner);
    });
  }

  /** The path with ids replaced, so that metric labels stay few. */
  static String routeLabel(String path) {
    var parts = path.split("/");
    for (int i = 1; i < parts.length; i++) {
      if (List.of("users", "models", "configs", "experiments", "projections", "layers", "recommendations").contains(parts[i - 1])) parts[i] = "{id}";
    }
    return String.join("/", parts);
  }

  static HttpResponse json(StatusCode status, Object body) {
    return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, Json.write(body));
  }
}
