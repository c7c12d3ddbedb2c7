package io.hireloop.api;

import io.hireloop.privacy.Erasure;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code DELETE /api/v1/users/{id}} (the user itself or an admin) starts an erasure job and answers 202 with it;
 * {@code GET /api/v1/users/{id}/erasure} follows the user's newest job. A service may do neither: erasure is the
 * user's right, exercised by them or by an operator on their behalf.
 */
final class ErasureRoutes extends AllDirectives {
  private final Routes routes;
  private final Erasure erasure;

  ErasureRoutes(Routes routes, Erasure erasure) {
    this.routes = routes;
    this.erasure = erasure;
  }

  /** Under {@code /users/{id}}, where the caller's access to the user was checked. */
  Route route(Auth.Principal p, String userId) {
    return concat(
        pathEnd(() -> delete(() -> {
          if (p.role().equals("service")) return complete(ApiError.forbidden("erasure is for the user or an admin").response());
          return routes.reply(erasure.start(userId, p.role()).thenApply(job -> Routes.json(StatusCodes.ACCEPTED, render(job))));
        })),
        path("erasure", () -> get(() -> {
          if (p.role().equals("service")) return complete(ApiError.forbidden("erasure is for the user or an admin").response());
          return routes.reply(erasure.latest(userId).thenApply(job -> job
              .map(j -> Routes.json(StatusCodes.OK, render(j)))
              .orElseThrow(() -> ApiError.notFound("no erasure was requested for user " + userId))));
        })));
  }

  static Map<String, Object> render(Erasure.Job job) {
    var m = new LinkedHashMap<String, Object>();
    m.put("job_id", job.jobId());
    m.put("user_id", job.userId());
    m.put("status", job.status().name().toLowerCase(Locale.ROOT));
    m.put("step", job.step().wireName());
    m.put("requested_by", job.requestedBy());
    m.put("requested_at", job.requestedAt().toString());
    m.put("finished_at", job.finishedAt() == null ? null : job.finishedAt().toString());
    m.put("rows_deleted", job.rowsDeleted());
    m.put("error", job.error());
    m.put("follow", "/api/v1/users/" + job.userId() + "/erasure");
    return m;
  }
}
