package io.hireloop.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.platform.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's text message on {@code /api/v1/stream}, parsed: {@code {"subscribe": [topics]}},
 * {@code {"unsubscribe": [topics]}} (subscribe wins when both are sent), or why it is refused. Pure, so that
 * it can be fuzzed; the session answers an {@link Invalid} with the stream's error message and stays open.
 */
public sealed interface ControlMessage {
  /** Longer messages are refused unread (the session stops collecting a message's frames past this). */
  int MAX_LENGTH = 64 * 1024;
  /** Topics per message, and per connection. */
  int MAX_TOPICS = 100;
  /** The bound of every id of the API. */
  int MAX_TOPIC_LENGTH = 512;

  record Subscribe(List<String> topics) implements ControlMessage {}

  record Unsubscribe(List<String> topics) implements ControlMessage {}

  /** {@code code}: {@code malformed_json}, {@code too_large} or {@code validation_failed}. */
  record Invalid(String code, String message) implements ControlMessage {}

  String USAGE = "send {\"subscribe\": [\"user:<id>\", \"config:<component>\", \"models\"]}";

  static ControlMessage parse(String text) {
    if (text.length() > MAX_LENGTH) return new Invalid("too_large", "messages are at most " + MAX_LENGTH + " characters");
    JsonNode node;
    try {
      node = Json.read(text);
    } catch (IllegalArgumentException e) {
      return new Invalid("malformed_json", e.getMessage());
    }
    if (node == null || !node.isObject()) return new Invalid("validation_failed", USAGE);
    boolean subscribe = node.has("subscribe");
    var list = subscribe ? node.get("subscribe") : node.get("unsubscribe");
    if (list == null || !list.isArray()) return new Invalid("validation_failed", USAGE);
    if (list.size() > MAX_TOPICS) return new Invalid("validation_failed", "at most " + MAX_TOPICS + " topics per message");
    var topics = new ArrayList<String>();
    for (var t : list) {
      if (!t.isTextual() || t.asText().length() > MAX_TOPIC_LENGTH) {
        return new Invalid("validation_failed", "topics are strings of at most " + MAX_TOPIC_LENGTH + " characters; " + USAGE);
      }
      topics.add(t.asText());
    }
    return subscribe ? new Subscribe(List.copyOf(topics)) : new Unsubscribe(List.copyOf(topics));
  }
}
