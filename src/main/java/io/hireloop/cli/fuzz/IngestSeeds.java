package io.hireloop.cli.fuzz;

import java.util.List;

/** Valid ingest batches (every event family) and the values the ingest fuzzer splices in. */
final class IngestSeeds {
  private IngestSeeds() {}

  private static final String CONTEXT = """
      {"strategy_mode": "balanced", "fit_score": 82.5, "category": "target",
       "job_characteristics": {"title": "Backend Engineer", "company": "Acme", "seniority": "senior",
                               "location": "Berlin", "industry": "fintech"},
       "resume_score": 71, "tailoring_applied": true}""";

  static final List<String> SEEDS = List.of(
      """
      {"events": [
        {"event_id": "e1", "event_type": "APPLICATION_CREATED", "user_id": "u-42", "timestamp": "2026-03-02T09:15:00Z",
         "application_id": "app-1", "job_id": "job-7", "resume_version_id": "rv-3", "context": %s},
        {"event_id": "e2", "event_type": "STATUS_CHANGED", "user_id": "u-42", "timestamp": "2026-03-09T14:00:00+02:00",
         "application_id": "app-1", "outcome": {"status": "phone_screen", "days_to_response": 7, "response_type": "email"}}
      ]}""".formatted(CONTEXT),
      """
      {"events": [
        {"event_id": "e3", "event_type": "MODE_CHANGED", "user_id": "u-42", "timestamp": "2026-03-03T08:00:00Z",
         "from_mode": "balanced", "to_mode": "aggressive", "reason": "interview rate below target",
         "metrics": {"resume_score": 71.5, "total_applications": 40, "interview_rate": 0.05, "applications_last_7_days": 12}},
        {"event_id": "e4", "event_type": "RESUME_REWRITTEN", "user_id": "u-42", "timestamp": "2026-03-04T11:30:00Z",
         "resume_version_id": "rv-4", "rewrite_type": "bullet", "before_score": 61.5, "after_score": 70.25, "score_delta": 8.75,
         "gaps_addressed": ["quantified impact"], "edit_types": ["added_metrics_to_bullets"], "suggested_by_system": true,
         "user_accepted": true}
      ]}""",
      """
      {"events": [
        {"event_id": "e5", "event_type": "SUGGESTION_EDITED", "user_id": "u-7", "timestamp": "2026-03-05T10:00:00Z",
         "suggestion_type": "rewrite", "suggested_content": {"bullet": "Led a team of 5", "alternatives": ["a", "b"], "n": 2},
         "final_content": "Led a team of 5 engineers"},
        {"event_id": "e6", "event_type": "SUGGESTION_REJECTED", "user_id": "u-7", "timestamp": "2026-03-05T10:05:00Z",
         "suggestion_type": "job", "suggested_content": {"job_id": "job-99"}, "rejection_reason": "commute too long"},
        {"event_id": "e7", "event_type": "STATUS_CHANGED", "user_id": "u-7", "timestamp": "2026-03-09T14:00:00Z",
         "application_id": "app-2", "job_id": "job-8", "resume_version_id": "rv-1", "context": %s,
         "outcome": {"status": "offer"}}
      ]}""".formatted(CONTEXT));

  static final List<String> DICTIONARY = List.of("-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
      "0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
      "+10000-01-01T00:00:00Z", "2026-03-02T09:15:00+18:00", "2026-03-02T09:15:00-18:00", "2026-02-30T09:15:00Z",
      "2026-03-02T09:15:00", "2026-03-02T24:00:00Z", "APPLICATION_CREATED", "APPLICATION_SUBMITTED", "STATUS_CHANGED",
      "MODE_CHANGED", "TARGET_ADJUSTED", "PLAN_GENERATED", "RESUME_REWRITTEN", "SCORE_CHANGED", "SUGGESTION_ACCEPTED",
      "SUGGESTION_EDITED", "SUGGESTION_REJECTED", "reach", "target", "safety", "interview", "offer_accepted",
      "withdrawn", "bullet", "summary", "section", "rewrite", "job", "strategy", "plan");
}
