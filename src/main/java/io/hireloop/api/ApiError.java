package io.hireloop.api;

import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.platform.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** An error answered with the body of API.md: {"error": {"code", "message", "details"}}. */
public final class ApiError extends RuntimeException {
  public final StatusCode status;
  public final String code;
  public final List<FieldProblem> details;

  public ApiError(StatusCode status, String code, String message, List<FieldProblem> details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  public ApiError(StatusCode status, String code, String message) {
    this(status, code, message, List.of());
  }

  public static ApiError badRequest(String message) {
    return new ApiError(StatusCodes.BAD_REQUEST, "bad_request", message);
  }

  public static ApiError validation(List<FieldProblem> problems) {
    return new ApiError(StatusCodes.BAD_REQUEST, "validation_failed",
        problems.size() + " problem(s) in the request; nothing was stored", problems);
  }

  public static ApiError conflict(List<FieldProblem> problems) {
    return new ApiError(StatusCodes.CONFLICT, "conflict",
        "the request conflicts with the stored state; nothing was stored", problems);
  }

  /** Events for an erased user: they are refused for good (410), whatever they hold. */
  public static ApiError gone(List<FieldProblem> problems) {
    return new ApiError(StatusCodes.GONE, "user_erased", "the user was erased; nothing was stored", problems);
  }

  public static ApiError unauthorized(String message) {
    return new ApiError(StatusCodes.UNAUTHORIZED, "unauthorized", message);
  }

  public static ApiError forbidden(String message) {
    return new ApiError(StatusCodes.FORBIDDEN, "forbidden", message);
  }

  public static ApiError notFound(String message) {
    return new ApiError(StatusCodes.NOT_FOUND, "not_found", message);
  }

  public static ApiError unavailable(String message) {
    return new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", message);
  }

  public HttpResponse response() {
    return response(status, code, getMessage(), details);
  }

  public static HttpResponse response(StatusCode status, String code, String message, List<FieldProblem> details) {
    var error = new LinkedHashMap<String, Object>();
    error.put("code", code);
    error.put("message", message);
    if (!details.isEmpty()) {
      error.put("details", details.stream().map(d -> Map.of("field", d.field(), "problem", d.problem())).toList());
    }
    return HttpResponse.create().withStatus(status)
        .withEntity(ContentTypes.APPLICATION_JSON, Json.write(Map.of("error", error)));
  }
}
