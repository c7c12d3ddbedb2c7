package io.hireloop.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hireloop.journey.IngestParser;
import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.platform.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rule names are stable: indices removed, kind from the parser's and the entity's messages. */
class RuleNamesTest {
  @Test
  void parserProblemsGetTheirRule() {
    var body = Json.read("""
        {"events": [
          {"event_id": "e1", "event_type": "APPLICATION_CREATED", "user_id": "u", "timestamp": "2026-03-01T10:00:00Z",
           "application_id": "a", "job_id": "j", "resume_version_id": "r",
           "context": {"strategy_mode": "balanced", "fit_score": 150, "category": "dream",
                       "job_characteristics": {"title": "t", "company": "c", "seniority": "s", "location": 7},
                       "resume_score": 70, "tailoring_applied": "yes"}},
          {"event_id": "e2", "event_type": "APPLICATION_EXPLODED", "user_id": "u", "timestamp": "yesterday"},
          {"event_type": "MODE_CHANGED", "user_id": "u", "timestamp": "2026-03-01T10:00:00Z", "to_mode": "x", "reason": "r",
           "metrics": {"resume_score": 1, "total_applications": 1, "interview_rate": 0.1, "applications_last_7_days": 1}}
        ]}""");
    var rules = IngestParser.parse(body).problems().stream().map(RuleNames::of).sorted().toList();
    assertEquals(List.of("enum:context.category", "range:context.fit_score", "required:event_id", "timestamp_format:timestamp",
        "type:context.job_characteristics.location", "type:context.tailoring_applied", "unknown_event_type:event_type"), rules);
  }

  @Test
  void entityProblemsGetTheirRule() {
    assertEquals("unknown_application:application_id", RuleNames.of(new FieldProblem("events[4].application_id",
        "unknown application for this user: send APPLICATION_CREATED first")));
    assertEquals("terminal_status:outcome.status", RuleNames.of(new FieldProblem("events[0].outcome.status",
        "application a is already withdrawn (terminal); no further status changes")));
    assertEquals("future_timestamp:timestamp", RuleNames.of(new FieldProblem("events[2].timestamp", "is more than 5 minutes in the future")));
    assertEquals("application_exists:application_id", RuleNames.of(new FieldProblem("events[0].application_id", "application a already exists")));
    assertEquals("type:gaps_addressed", RuleNames.of(new FieldProblem("events[1].gaps_addressed[3]", "must be a string of at most 512 characters")));
    assertEquals("required:events", RuleNames.of(new FieldProblem("events", "required: the body must be {\"events\": [ ... ]}")));
  }
}
