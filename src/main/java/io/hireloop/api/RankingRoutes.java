package io.hireloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.journey.IngestParser;
import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.ranking.Ranking;
import io.hireloop.ranking.RankingEvaluation;
import io.hireloop.ranking.RankingPolicy;
import io.hireloop.ranking.Reranker;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code POST /api/v1/users/{id}/rerank} (the user, admin or service): the user's jobs ranked by the champion with
 * diversity and exploration ({@link Reranker}); {@code GET /api/v1/ranking/evaluation} (admin or service): off-policy
 * estimates of a candidate policy from the logged rankings ({@link RankingEvaluation}). Thin: parse, authorise, call,
 * render the typed result. {@code GET /api/v1/ranking/diversity} (admin or service): the entropy of what users are
 * shown and apply to, its trend and alerts ({@link io.hireloop.ranking.DiversityMonitor}).
 */
final class RankingRoutes extends AllDirectives {
  static final int MAX_JOBS = PredictionRoutes.MAX_JOBS;
  static final int MAX_REQUEST_ID = 128;
  static final int MAX_DAYS = 90;

  private final Routes routes;
  private final Ranking ranking;

  RankingRoutes(Routes routes, Ranking ranking) {
    this.routes = routes;
    this.ranking = ranking;
  }

  /** {@code rerank} under {@code /users/{id}}; the caller's access to the user is checked there. */
  Route user(String userId) {
    return path("rerank", () -> post(() -> routes.jsonBody(body -> {
      var request = parse(userId, body);
      return routes.reply(ranking.reranker().rerank(request).thenApply(r -> Routes.json(StatusCodes.OK, r.toJson())));
    })));
  }

  Route route(Auth.Principal p) {
    return concat(evaluation(p), diversity(p));
  }

  /** {@code GET /api/v1/ranking/diversity}: the feedback-loop stability report, computed now (admin or service). */
  private Route diversity(Auth.Principal p) {
    return path(org.apache.pekko.http.javadsl.server.PathMatchers.segment("ranking").slash("diversity"), () -> get(() -> {
      if (p.role().equals("user")) return complete(ApiError.forbidden("the diversity report is for admin or service tokens").response());
      return routes.reply(ranking.diversity().report().thenApply(r -> Routes.json(StatusCodes.OK, r.toJson())));
    }));
  }

  private Route evaluation(Auth.Principal p) {
    return path(org.apache.pekko.http.javadsl.server.PathMatchers.segment("ranking").slash("evaluation"), () -> get(() -> {
      if (p.role().equals("user")) return complete(ApiError.forbidden("the ranking evaluation is for admin or service tokens").response());
      return parameterOptional("diversity_lambda", lambda -> parameterOptional("exploration_rate", rate -> parameterOptional("days", days -> {
        var problems = new ArrayList<FieldProblem>();
        double l = unit("diversity_lambda", lambda, problems);
        double e = unit("exploration_rate", rate, problems);
        Integer d = days.map(v -> {
          try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_DAYS) return n;
          } catch (NumberFormatException ignored) {
            // reported below
          }
          problems.add(new FieldProblem("days", "must be an integer from 1 to " + MAX_DAYS));
          return null;
        }).orElse(null);
        if (!problems.isEmpty()) throw ApiError.validation(problems);
        return routes.reply(ranking.evaluation().evaluate(new RankingEvaluation.CandidatePolicy(l, e), d)
            .thenApply(result -> Routes.json(StatusCodes.OK, result.toJson())));
      })));
    }));
  }

  /** A query parameter in [0, 1]; 0 when absent (the default candidate: the model's order without exploration). */
  private static double unit(String name, Optional<String> value, List<FieldProblem> problems) {
    if (value.isEmpty()) return 0;
    try {
      double v = Double.parseDouble(value.get());
      if (v >= 0 && v <= 1) return v;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    problems.add(new FieldProblem(name, "must be a number from 0 to 1"));
    return 0;
  }

  /** The rerank body; the 400 lists every problem. */
  static Reranker.Request parse(String userId, JsonNode body) {
    var problems = new ArrayList<FieldProblem>();
    var jobs = body.get("jobs");
    var parsed = new ArrayList<Reranker.Job>();
    if (jobs == null || !jobs.isArray() || jobs.isEmpty()) {
      problems.add(new FieldProblem("jobs", "must be a non-empty array of {job_id, context}"));
    } else if (jobs.size() > MAX_JOBS) {
      problems.add(new FieldProblem("jobs", "at most " + MAX_JOBS + " jobs per request, got " + jobs.size()));
    } else {
      var ids = new HashSet<String>();
      for (int i = 0; i < jobs.size(); i++) {
        var job = jobs.get(i);
        var path = "jobs[" + i + "]";
        if (!job.isObject()) {
          problems.add(new FieldProblem(path, "must be an object with job_id and context"));
          continue;
        }
        var id = job.get("job_id");
        String jobId = null;
        if (id == null || !id.isTextual() || id.asText().isBlank() || id.asText().length() > IngestParser.MAX_SHORT_STRING) {
          problems.add(new FieldProblem(path + ".job_id", "required non-empty string of at most " + IngestParser.MAX_SHORT_STRING
              + " characters (outcomes are joined by it)"));
        } else if (!ids.add(id.asText())) {
          problems.add(new FieldProblem(path + ".job_id", "duplicate job_id '" + id.asText() + "' in this request"));
        } else {
          jobId = id.asText();
        }
        var context = job.get("context");
        if (context == null || !context.isObject()) {
          problems.add(new FieldProblem(path + ".context", "required application context object"));
          continue;
        }
        var c = IngestParser.parseContext(context, path + ".context", problems);
        if (jobId != null && c != null) parsed.add(new Reranker.Job(jobId, c));
      }
    }
    String requestId = UUID.randomUUID().toString();
    var rid = body.get("request_id");
    if (rid != null && !rid.isNull()) {
      if (!rid.isTextual() || rid.asText().isBlank() || rid.asText().length() > MAX_REQUEST_ID) {
        problems.add(new FieldProblem("request_id", "must be a non-empty string of at most " + MAX_REQUEST_ID + " characters"));
      } else {
        requestId = rid.asText();
      }
    }
    long seed = RankingPolicy.seedOf(requestId);
    var s = body.get("seed");
    if (s != null && !s.isNull()) {
      if (!s.isIntegralNumber() || !s.canConvertToLong()) problems.add(new FieldProblem("seed", "must be an integer"));
      else seed = s.asLong();
    }
    if (!problems.isEmpty()) throw ApiError.validation(problems);
    return new Reranker.Request(requestId, seed, userId, List.copyOf(parsed));
  }
}
