package io.hireloop.cli.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.platform.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The fault scenarios' HTTP client. Unlike the CLI's ApiClient it reports a refused connection or a timeout as a
 * result instead of an exception: under fault injection those are expected outcomes the clients retry.
 */
final class ChaosHttp {
  /** {@code status} 0: no answer (connection refused or reset, or the request timed out; see {@code failure}). */
  record Reply(int status, String body, long retryAfterSeconds, String failure) {
    boolean ok() {
      return status == 200;
    }

    JsonNode json() {
      return Json.read(body);
    }

    boolean hasRetryAfter() {
      return retryAfterSeconds > 0;
    }
  }

  // HTTP/1.1, which the node speaks: the default (HTTP/2) would try an h2c upgrade on every new connection
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3))
      .build();
  private final Duration timeout;

  ChaosHttp(Duration timeout) {
    this.timeout = timeout;
  }

  Reply get(String url, String token) {
    return send(builder(url, token).GET().build());
  }

  Reply post(String url, String token, String json) {
    return send(builder(url, token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  private HttpRequest.Builder builder(String url, String token) {
    var b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  private Reply send(HttpRequest request) {
    try {
      var r = http.send(request, HttpResponse.BodyHandlers.ofString());
      long retryAfter = r.headers().firstValue("Retry-After").map(ChaosHttp::seconds).orElse(0L);
      return new Reply(r.statusCode(), r.body(), retryAfter, null);
    } catch (IOException e) {
      return new Reply(0, "", 0, e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(0, "", 0, "interrupted");
    }
  }

  private static long seconds(String header) {
    try {
      return Math.max(0, Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
