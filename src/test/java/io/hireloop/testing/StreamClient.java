package io.hireloop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.platform.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A WebSocket subscriber of /api/v1/stream that records every message it receives. */
public final class StreamClient implements AutoCloseable {
  public final List<JsonNode> received = new CopyOnWriteArrayList<>();
  public final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
  private final WebSocket ws;

  public StreamClient(int port, String token) {
    ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/stream?access_token=" + token), new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
            pings.incrementAndGet();
            return WebSocket.Listener.super.onPing(webSocket, message);
          }

          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              received.add(Json.read(text.toString()));
              text.setLength(0);
            }
            webSocket.request(1);
            return null;
          }
        }).join();
  }

  public void subscribe(String... topics) {
    ws.sendText(Json.write(Map.of("subscribe", List.of(topics))), true).join();
  }

  /** Any text, sent as one message. */
  public void send(String text) {
    ws.sendText(text, true).join();
  }

  public boolean has(String type, String topic) {
    return received.stream().anyMatch(m -> m.path("type").asText().equals(type) && m.path("topic").asText().equals(topic));
  }

  public JsonNode first(String type) {
    return received.stream().filter(m -> m.path("type").asText().equals(type)).findFirst().orElse(null);
  }

  @Override
  public void close() {
    ws.abort();
  }
}
