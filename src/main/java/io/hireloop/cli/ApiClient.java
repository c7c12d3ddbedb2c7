package io.hireloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.platform.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A small client of the Hireloop API for the CLI: JSON over HTTP with a bearer token, and the stream. */
final class ApiClient {
  /** {@code retryAfterSeconds}: the Retry-After header of a 429/503, 0 when absent. */
  record Response(int status, JsonNode body, long retryAfterSeconds) {
    Response(int status, JsonNode body) {
      this(status, body, 0);
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String baseUrl;
  private final String token;

  ApiClient(String baseUrl, String token) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.token = token;
  }

  Response get(String path) {
    return send(request(path).GET().build());
  }

  Response post(String path, Object body) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : Json.write(body))).build());
  }

  /** The Retry-After header in seconds (at most 60; 1 when unreadable), 0 when absent. */
  static long retryAfterSeconds(HttpResponse<?> r) {
    return r.headers().firstValue("Retry-After").map(v -> {
      try {
        return Math.min(60, Long.parseLong(v.trim()));
      } catch (NumberFormatException e) {
        return 1L;
      }
    }).orElse(0L);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token);
  }

  private Response send(HttpRequest request) {
    try {
      var r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body().isEmpty() ? null : Json.read(r.body()), retryAfterSeconds(r));
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach " + request.uri() + ": " + e.getMessage()
          + " (is the node running? check --url)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Opens the WebSocket stream, subscribes to {@code topics} and hands every message to {@code onMessage}. */
  WebSocket stream(java.util.List<String> topics, Consumer<JsonNode> onMessage) {
    var wsUrl = baseUrl.replaceFirst("^http", "ws") + "/api/v1/stream";
    var ws = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
        .buildAsync(URI.create(wsUrl), new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              onMessage.accept(Json.read(text.toString()));
              text.setLength(0);
            }
            webSocket.request(1);
            return null;
          }
        }).join();
    ws.sendText(Json.write(java.util.Map.of("subscribe", topics)), true).join();
    return ws;
  }
}
