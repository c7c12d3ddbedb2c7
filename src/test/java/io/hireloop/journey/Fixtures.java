package io.hireloop.journey;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hireloop.platform.Json;

/** Valid ingest JSON of every event family (API.md), to be mutated by tests. */
final class Fixtures {
  private Fixtures() {}

  static ObjectNode obj(String json) {
    return (ObjectNode) Json.read(json);
  }

  static ObjectNode context() {
    return obj("""
        {"strategy_mode": "balanced", "fit_score": 82.5, "category": "target",
         "job_characteristics": {"title": "Backend Engineer", "company": "Acme", "seniority": "senior",
                                 "location": "Berlin", "industry": "fintech"},
         "resume_score": 71, "tailoring_applied": true}""");
  }

  static ObjectNode applicationCreated(String eventId) {
    var e = obj("""
        {"event_id": "%s", "event_type": "APPLICATION_CREATED", "user_id": "u-42",
         "timestamp": "2026-03-02T09:15:00Z", "application_id": "app-1", "job_id": "job-7",
         "resume_version_id": "rv-3"}""".formatted(eventId));
    e.set("context", context());
    return e;
  }

  static ObjectNode applicationSubmitted(String eventId) {
    var e = applicationCreated(eventId);
    e.put("event_type", "APPLICATION_SUBMITTED");
    return e;
  }

  static ObjectNode statusChanged(String eventId) {
    return obj("""
        {"event_id": "%s", "event_type": "STATUS_CHANGED", "user_id": "u-42",
         "timestamp": "2026-03-09T14:00:00Z", "application_id": "app-1",
         "outcome": {"status": "phone_screen", "days_to_response": 7, "response_type": "email"}}""".formatted(eventId));
  }

  static ObjectNode statusChangedFull(String eventId) {
    var e = statusChanged(eventId);
    e.put("job_id", "job-7");
    e.put("resume_version_id", "rv-3");
    e.set("context", context());
    return e;
  }

  static ObjectNode modeChanged(String eventId) {
    return obj("""
        {"event_id": "%s", "event_type": "MODE_CHANGED", "user_id": "u-42",
         "timestamp": "2026-03-03T08:00:00Z", "from_mode": "balanced", "to_mode": "aggressive",
         "reason": "interview rate below target",
         "metrics": {"resume_score": 71.5, "total_applications": 40, "interview_rate": 0.05,
                     "applications_last_7_days": 12}}""".formatted(eventId));
  }

  static ObjectNode resumeRewritten(String eventId) {
    return obj("""
        {"event_id": "%s", "event_type": "RESUME_REWRITTEN", "user_id": "u-42",
         "timestamp": "2026-03-04T11:30:00Z", "resume_version_id": "rv-4", "rewrite_type": "bullet",
         "before_score": 61.3, "after_score": 70.1, "score_delta": 8.8,
         "gaps_addressed": ["quantified impact"], "edit_types": ["added_metrics_to_bullets", "strengthened_action_verbs"],
         "suggested_by_system": true, "user_accepted": true}""".formatted(eventId));
  }

  static ObjectNode scoreChanged(String eventId) {
    return obj("""
        {"event_id": "%s", "event_type": "SCORE_CHANGED", "user_id": "u-42",
         "timestamp": "2026-03-04T12:00:00Z", "resume_version_id": "rv-4",
         "before_score": 70, "after_score": 65, "score_delta": -5, "user_accepted": false}""".formatted(eventId));
  }

  static ObjectNode suggestionEdited(String eventId) {
    return obj("""
        {"event_id": "%s", "event_type": "SUGGESTION_EDITED", "user_id": "u-42",
         "timestamp": "2026-03-05T10:00:00Z", "suggestion_type": "rewrite",
         "suggested_content": {"bullet": "Led a team of 5", "alternatives": ["a", "b"], "n": 2},
         "final_content": "Led a team of 5 engineers"}""".formatted(eventId));
  }

  static ObjectNode suggestionRejected(String eventId) {
    return obj("""
        {"event_id": "%s", "event_type": "SUGGESTION_REJECTED", "user_id": "u-42",
         "timestamp": "2026-03-05T10:05:00Z", "suggestion_type": "job",
         "suggested_content": {"job_id": "job-99"}, "rejection_reason": "commute too long"}""".formatted(eventId));
  }

  static ObjectNode body(ObjectNode... events) {
    var body = Json.MAPPER.createObjectNode();
    ArrayNode arr = body.putArray("events");
    for (var e : events) arr.add(e);
    return body;
  }
}
