package io.hireloop.quality;

import io.hireloop.journey.JourneyEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optional fields of each ingested event family (API.md; {@code IngestParser} reads them with
 * {@code required = false}) and whether an event has them. Events the platform writes itself
 * (exposures, preferences, reminders) are not ingested and have none.
 */
final class OptionalFields {
  private OptionalFields() {}

  /** Field name → present, in schema order; empty for events that are not ingested. */
  static Map<String, Boolean> of(JourneyEvent e) {
    var m = new LinkedHashMap<String, Boolean>();
    if (e instanceof JourneyEvent.ApplicationRecorded a) {
      var job = a.context() == null ? null : a.context().jobCharacteristics();
      m.put("context.job_characteristics.industry", job != null && job.industry() != null);
    } else if (e instanceof JourneyEvent.StatusChanged s) {
      m.put("job_id", s.jobId() != null);
      m.put("resume_version_id", s.resumeVersionId() != null);
      m.put("context", s.context() != null);
      m.put("outcome.days_to_response", s.outcome().daysToResponse() != null);
      m.put("outcome.response_type", s.outcome().responseType() != null);
    } else if (e instanceof JourneyEvent.StrategyChanged s) {
      m.put("from_mode", s.fromMode() != null);
    } else if (e instanceof JourneyEvent.ResumeChanged r) {
      m.put("rewrite_type", r.rewriteType() != null);
      m.put("gaps_addressed", r.gapsAddressed() != null);
      m.put("edit_types", r.editTypes() != null);
      m.put("suggested_by_system", r.suggestedBySystem() != null);
    } else if (e instanceof JourneyEvent.SuggestionFeedback f) {
      m.put("final_content", f.finalContentJson() != null);
      m.put("rejection_reason", f.rejectionReason() != null);
    }
    return m;
  }
}
