package io.hireloop.testing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ingest events (API.md shape) for tests. */
public final class Events {
  private Events() {}

  public static Map<String, Object> context(double fit, String category, boolean tailored) {
    var job = new LinkedHashMap<String, Object>();
    job.put("title", "Backend Engineer");
    job.put("company", "Acme");
    job.put("seniority", "mid");
    job.put("location", "Berlin");
    var c = new LinkedHashMap<String, Object>();
    c.put("strategy_mode", "balanced");
    c.put("fit_score", fit);
    c.put("category", category);
    c.put("job_characteristics", job);
    c.put("resume_score", 70);
    c.put("tailoring_applied", tailored);
    return c;
  }

  public static Map<String, Object> created(String eventId, String userId, String appId, Instant at) {
    var e = base(eventId, "APPLICATION_CREATED", userId, at);
    e.put("application_id", appId);
    e.put("job_id", "job-" + appId);
    e.put("resume_version_id", "r-1");
    e.put("context", context(75, "target", true));
    return e;
  }

  public static Map<String, Object> status(String eventId, String userId, String appId, Instant at, String status) {
    var e = base(eventId, "STATUS_CHANGED", userId, at);
    e.put("application_id", appId);
    e.put("outcome", new LinkedHashMap<>(Map.of("status", status, "days_to_response", 3)));
    return e;
  }

  public static LinkedHashMap<String, Object> base(String eventId, String type, String userId, Instant at) {
    var e = new LinkedHashMap<String, Object>();
    e.put("event_id", eventId);
    e.put("event_type", type);
    e.put("user_id", userId);
    e.put("timestamp", at.toString());
    return e;
  }

  public static Map<String, Object> batch(List<Map<String, Object>> events) {
    return Map.of("events", events);
  }

  @SafeVarargs
  public static Map<String, Object> batch(Map<String, Object>... events) {
    return Map.of("events", List.of(events));
  }
}
