package io.hireloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.IngestParser;
import io.hireloop.learning.EnsemblePredictor;
import io.hireloop.learning.ResponseTimePredictor;
import io.hireloop.learning.ensemble.Ensemble;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /api/v1/predictions/…}: the champion ensemble's interview probability for one application context
 * ({@code interview}) or many jobs of one user, ranked ({@code score-jobs}); the offer-given-interview probability
 * ({@code offer}, the same body and document as {@code interview}); the expected days to the employer's first answer
 * ({@code response-time}, the same body). With a {@code user_id} the prediction uses that user's history (a
 * {@code user} token may name only itself); without one, a new user's.
 */
final class PredictionRoutes extends AllDirectives {
  static final int MAX_JOBS = 500;

  private final Routes routes;
  private final EnsemblePredictor predictor;
  private final EnsemblePredictor offer;
  private final ResponseTimePredictor responseTime;

  PredictionRoutes(Routes routes, EnsemblePredictor predictor, EnsemblePredictor offer, ResponseTimePredictor responseTime) {
    this.routes = routes;
    this.predictor = predictor;
    this.offer = offer;
    this.responseTime = responseTime;
  }

  Route route(Auth.Principal p) {
    return pathPrefix("predictions", () -> concat(
        path("interview", () -> post(() -> routes.jsonBody(body -> single(predictor, p, body)))),
        path("offer", () -> post(() -> routes.jsonBody(body -> single(offer, p, body)))),
        path("response-time", () -> post(() -> routes.jsonBody(body -> responseTime(p, body)))),
        path("score-jobs", () -> post(() -> routes.jsonBody(body -> scoreJobs(p, body))))));
  }

  /** The body of {@code interview}, {@code offer} and {@code response-time}: a context (bare or under "context") and an optional user. */
  record Single(String userId, ApplicationContext context) {}

  /** Parses a single-prediction body; the 400 (every problem listed) when the context or the user id is invalid. */
  static Single single(Auth.Principal p, JsonNode body) {
    var problems = new ArrayList<IngestParser.FieldProblem>();
    var node = body.has("context") ? body.get("context") : body;
    var context = IngestParser.parseContext(node, body.has("context") ? "context" : "", problems);
    var userId = userId(p, body, problems);
    if (context == null || !problems.isEmpty()) throw ApiError.validation(problems);
    return new Single(userId, context);
  }

  private Route single(EnsemblePredictor model, Auth.Principal p, JsonNode body) {
    var req = single(p, body);
    return routes.reply(model.predict(req.userId(), List.of(req.context())).thenApply(scored -> {
      var m = render(scored.predictions().get(0), scored.modelVersion());
      return Routes.json(StatusCodes.OK, m);
    }));
  }

  private Route responseTime(Auth.Principal p, JsonNode body) {
    var req = single(p, body);
    return routes.reply(responseTime.predict(req.userId(), req.context()).thenApply(r -> Routes.json(StatusCodes.OK, render(r))));
  }

  /** The response-time document of docs/API.md. */
  static Map<String, Object> render(ResponseTimePredictor.Predicted r) {
    var m = new LinkedHashMap<String, Object>();
    m.put("expected_days", r.prediction().expectedDays());
    m.put("median_days", r.prediction().medianDays());
    var within = new LinkedHashMap<String, Object>();
    r.prediction().pResponseWithin().forEach((days, prob) -> within.put(String.valueOf(days), prob));
    m.put("p_response_within", within);
    m.put("model_version", r.modelVersion());
    return m;
  }

  private Route scoreJobs(Auth.Principal p, JsonNode body) {
    var problems = new ArrayList<IngestParser.FieldProblem>();
    var userId = userId(p, body, problems);
    var jobs = body.get("jobs");
    var contexts = new ArrayList<ApplicationContext>();
    var jobIds = new ArrayList<String>();
    if (jobs == null || !jobs.isArray() || jobs.isEmpty()) {
      problems.add(new IngestParser.FieldProblem("jobs", "must be a non-empty array of application contexts"));
    } else if (jobs.size() > MAX_JOBS) {
      problems.add(new IngestParser.FieldProblem("jobs", "at most " + MAX_JOBS + " jobs per request, got " + jobs.size()));
    } else {
      for (int i = 0; i < jobs.size(); i++) {
        var job = jobs.get(i);
        var node = job.has("context") ? job.get("context") : job;
        var context = IngestParser.parseContext(node, "jobs[" + i + "]" + (job.has("context") ? ".context" : ""), problems);
        contexts.add(context);
        jobIds.add(job.hasNonNull("job_id") ? job.get("job_id").asText() : null);
      }
    }
    int explainTop = EnsemblePredictor.DEFAULT_EXPLAIN_TOP;
    var explain = body.get("explain_top");
    if (explain != null && !explain.isNull()) {
      if (!explain.canConvertToInt() || !explain.isIntegralNumber() || explain.asInt() < 0 || explain.asInt() > MAX_JOBS) {
        throw ApiError.validation(List.of(new IngestParser.FieldProblem("explain_top", "must be an integer from 0 to " + MAX_JOBS)));
      }
      explainTop = explain.asInt();
    }
    if (!problems.isEmpty()) throw ApiError.validation(problems);
    return routes.reply(predictor.predictRanked(userId, contexts, explainTop).thenApply(scored -> {
      var ranked = new ArrayList<Map<String, Object>>();
      for (int i : scored.ranked().order()) {
        var m = new LinkedHashMap<String, Object>();
        m.put("index", i);
        if (jobIds.get(i) != null) m.put("job_id", jobIds.get(i));
        m.putAll(render(scored.ranked().predictions().get(i), scored.modelVersion()));
        ranked.add(m);
      }
      var out = new LinkedHashMap<String, Object>();
      out.put("user_id", userId);
      out.put("model_version", scored.modelVersion());
      out.put("jobs", ranked);
      return Routes.json(StatusCodes.OK, out);
    }));
  }

  /** The optional {@code user_id}; a {@code user} token may name only itself, and without one scores as itself. */
  private static String userId(Auth.Principal p, JsonNode body, List<IngestParser.FieldProblem> problems) {
    var node = body.get("user_id");
    if (node == null || node.isNull()) return p.mayAccessUser(p.subject()) && "user".equals(p.role()) ? p.subject() : null;
    if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > 512) {
      problems.add(new IngestParser.FieldProblem("user_id", "must be a non-empty string of at most 512 characters"));
      return null;
    }
    if (!p.mayAccessUser(node.asText())) throw ApiError.forbidden("a user token may only access its own user_id");
    return node.asText();
  }

  /** The prediction document of docs/API.md. */
  static Map<String, Object> render(Ensemble.Prediction pr, int version) {
    var m = new LinkedHashMap<String, Object>();
    m.put("probability", pr.probability());
    var interval = new LinkedHashMap<String, Object>();
    interval.put("low", pr.interval().low());
    interval.put("high", pr.interval().high());
    interval.put("level", pr.interval().level());
    m.put("interval", interval);
    var set = new LinkedHashMap<String, Object>();
    set.put("outcomes", pr.outcomeSet().outcomes());
    set.put("level", pr.outcomeSet().level());
    m.put("outcome_set", set);
    m.put("model_version", version);
    m.put("members", pr.members().stream().map(x -> Map.of("model", x.model(), "probability", x.probability())).toList());
    m.put("disagreement", pr.disagreement());
    m.put("base_value", Double.isNaN(pr.baseValue()) ? null : pr.baseValue());
    m.put("logit", pr.logit());
    m.put("explanation", pr.explanation().stream().map(c -> {
      var e = new LinkedHashMap<String, Object>();
      e.put("feature", c.feature());
      e.put("value", c.value());
      e.put("contribution", c.contribution());
      return e;
    }).toList());
    return m;
  }
}
