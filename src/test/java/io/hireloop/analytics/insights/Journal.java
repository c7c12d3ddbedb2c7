package io.hireloop.analytics.insights;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import io.hireloop.journey.Domain.Outcome;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyEvent.ApplicationRecorded;
import io.hireloop.journey.JourneyEvent.ResumeChanged;
import io.hireloop.journey.JourneyEvent.StatusChanged;
import io.hireloop.journey.JourneyEvent.SuggestionFeedback;
import java.time.Instant;
import java.util.List;

/** Hand-built journal events for the insight tests. */
final class Journal {
  private Journal() {}

  static ApplicationRecorded app(String id, Instant at, String title, String industry, String seniority, String mode, boolean tailored) {
    var job = new JobCharacteristics(title, industry + "-co", seniority, "Berlin", industry);
    return new ApplicationRecorded("ev-" + id, "APPLICATION_CREATED", at, id, "job-" + id, "rv-1",
        new ApplicationContext(mode, 70, "target", job, 65, tailored));
  }

  static StatusChanged status(String appId, Instant at, String status) {
    return new StatusChanged("ev-" + appId + "-" + status, at, appId, null, null, null, new Outcome(status, 3, null));
  }

  static ResumeChanged rewrite(String id, Instant at, String rewriteType, List<String> edits, boolean accepted) {
    return new ResumeChanged("ev-" + id, "RESUME_REWRITTEN", at, "rv-2", rewriteType, 60, 70, 10, List.of(), edits, true, accepted);
  }

  static SuggestionFeedback feedback(String id, Instant at, String type, String suggestionType, String reason) {
    return new SuggestionFeedback("ev-" + id, type, at, suggestionType, "{}", null, reason);
  }

  static List<JourneyEvent> list(JourneyEvent... events) {
    return List.of(events);
  }
}
