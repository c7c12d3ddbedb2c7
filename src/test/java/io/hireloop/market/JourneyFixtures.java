package io.hireloop.market;

import io.hireloop.journey.Domain;
import io.hireloop.journey.JourneyEvent;
import java.time.Instant;
import java.util.List;

/** Journal events (not ingest JSON) for the market fold and handler tests. */
final class JourneyFixtures {
  private JourneyFixtures() {}

  static JourneyEvent.ApplicationRecorded created(String app, Instant at, String industry, String location, String seniority, double score) {
    var job = new Domain.JobCharacteristics("Backend Engineer", "Acme GmbH", seniority, location, industry);
    var context = new Domain.ApplicationContext("balanced", 70, "target", job, score, false);
    return new JourneyEvent.ApplicationRecorded("e-" + app + "-c", "APPLICATION_CREATED", at, app, "job-" + app, "r-1", context);
  }

  static JourneyEvent.StatusChanged status(String app, Instant at, String status, Integer days) {
    return new JourneyEvent.StatusChanged("e-" + app + "-" + status, at, app, null, null, null, new Domain.Outcome(status, days, null));
  }

  static JourneyEvent.ResumeChanged rewrite(String id, Instant at, List<String> gaps) {
    return new JourneyEvent.ResumeChanged(id, "RESUME_REWRITTEN", at, "r-2", "bullet", 60, 70, 10, gaps, List.of("added_keywords"), true, true);
  }
}
