package io.hireloop.api;

import java.util.List;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Requests too malformed for routing (a URI or a header over Pekko's limits, a broken request line) get the error
 * body of API.md too, instead of Pekko's plain text: {@code pekko.http.server.parsing.error-handler} (http.conf).
 * The answer names the limit, never the offending input.
 */
public final class ParsingErrors extends ParsingErrorHandler {
  /** Pekko looks the handler up as a Scala object first. */
  public static final ParsingErrors MODULE$ = new ParsingErrors();

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    return ApiError.response(status, Routes.codeOf(status), info.summary(), List.of());
  }
}
