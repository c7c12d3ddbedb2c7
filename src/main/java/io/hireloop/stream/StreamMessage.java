package io.hireloop.stream;

import io.hireloop.platform.Json;
import io.hireloop.platform.serialization.HireloopSerializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One message on a topic, as sent to WebSocket subscribers; {@code dataJson} is the rendered "data" object. */
public record StreamMessage(String topic, String type, Instant at, String dataJson) implements HireloopSerializable {

  public static StreamMessage of(String topic, String type, Map<String, ?> data) {
    return new StreamMessage(topic, type, Instant.now(), Json.write(data));
  }

  /** The wire form of API.md: {"topic", "type", "at", "data"}. */
  public String toJson() {
    var m = new LinkedHashMap<String, Object>();
    m.put("topic", topic);
    m.put("type", type);
    m.put("at", at.toString());
    m.put("data", Json.read(dataJson));
    return Json.write(m);
  }
}
