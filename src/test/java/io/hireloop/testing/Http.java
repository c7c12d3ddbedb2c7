package io.hireloop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.platform.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain JDK HTTP client for tests: requests as a real client sends them. */
public final class Http {
  /** {@code retryAfter}: the Retry-After header, null when absent. */
  public record Reply(int status, String body, String retryAfter) {
    public Reply(int status, String body) {
      this(status, body, null);
    }

    public JsonNode json() {
      return Json.read(body);
    }

    public String errorCode() {
      return json().path("error").path("code").asText();
    }
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;

  public Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public Reply get(String path, String token) {
    return send(builder(path, token).GET());
  }

  /**
   * Declares a body of {@code declaredLength} bytes, sends only the headers and {@code sent} bytes of it,
   * and reads the answer: a server that checks the declared length answers before the upload ends.
   * (Raw socket: the JDK 17 client blocks on Expect: 100-continue when the answer is not 100.)
   */
  public Reply postDeclaringLength(String path, String token, long declaredLength, int sent) {
    var uri = URI.create(base + path);
    try (var socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      var out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Bearer " + token
          + "\r\nContent-Type: application/json\r\nContent-Length: " + declaredLength + "\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.write(new byte[sent]);
      out.flush();
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      var statusLine = in.readLine();
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      int length = 0;
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
      }
      var body = new char[length];
      int read = 0;
      while (read < length) {
        int n = in.read(body, read, length - read);
        if (n < 0) break;
        read += n;
      }
      return new Reply(status, new String(body, 0, read));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Reply delete(String path, String token) {
    return send(builder(path, token).DELETE());
  }

  public Reply post(String path, String token, Object body) {
    var text = body instanceof String s ? s : Json.write(body);
    return send(builder(path, token).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(text)));
  }

  public Reply put(String path, String token, Object body) {
    var text = body instanceof String s ? s : Json.write(body);
    return send(builder(path, token).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(text)));
  }

  /**
   * Any method with raw body bytes and a chosen Content-Type (null: none sent); {@code chunked}: no
   * Content-Length, so that the server only finds the size while reading.
   */
  public Reply send(String method, String path, String token, String contentType, byte[] body, boolean chunked) {
    var b = builder(path, token);
    if (contentType != null) b.header("Content-Type", contentType);
    var publisher = chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))
        : HttpRequest.BodyPublishers.ofByteArray(body);
    return send(b.method(method, publisher));
  }

  private HttpRequest.Builder builder(String path, String token) {
    var b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return b;
  }

  private static Reply send(HttpRequest.Builder b) {
    try {
      var r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
