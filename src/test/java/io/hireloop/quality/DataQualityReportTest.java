package io.hireloop.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hireloop.journey.Domain;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.platform.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-user fold and the cluster-wide sums, against counts made by hand. */
class DataQualityReportTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  static JourneyEvent created(String id, String industry) {
    var ctx = new Domain.ApplicationContext("balanced", 70, "target",
        new Domain.JobCharacteristics("Engineer", "Acme", "mid", "Berlin", industry), 60, true);
    return new JourneyEvent.ApplicationRecorded(id, "APPLICATION_CREATED", T0, "a-" + id, "j", "r", ctx);
  }

  static JourneyEvent status(String id, Instant at, Integer days) {
    return new JourneyEvent.StatusChanged(id, at, "a-1", null, null, null, new Domain.Outcome("viewed", days, null));
  }

  @Test
  void foldsIngestedEventsOnceAndSumsAcrossUsers() {
    var changes = new ArrayList<DataQualityState.Change>();
    long written = T0.plus(Duration.ofDays(3)).toEpochMilli();
    var u1 = DataQualityState.EMPTY
        .apply(1, created("e1", "software"), written, changes)
        .apply(2, created("e2", null), written, changes)
        .apply(3, status("e3", T0.plus(Duration.ofDays(2)), 2), written, changes) // reported a day late
        .apply(4, new JourneyEvent.PreferencesChanged("p", T0, true, false), written, changes); // not ingested: ignored
    assertEquals(u1, u1.apply(3, status("e3", T0, 2), written, new ArrayList<>())); // redelivery
    assertEquals(3, changes.size());
    assertEquals(u1, DataQualityProjection.read(Json.write(u1)));
    var u2 = DataQualityState.EMPTY
        .apply(1, created("e1", "finance"), written, changes)
        .apply(2, status("e2", T0.plus(Duration.ofDays(3)).minusSeconds(30), null), written, changes); // 30 s late

    var report = DataQualityReport.render(Map.of("range:context.fit_score", 2L), List.of(u1, u2));
    var json = Json.read(Json.write(report));
    assertEquals(2, json.path("validation_failures").path("total").asInt());
    var created = json.path("completeness").path("APPLICATION_CREATED");
    assertEquals(3, created.path("events").asInt());
    assertEquals(2.0 / 3, created.path("present_fraction").path("context.job_characteristics.industry").asDouble(), 1e-12);
    var status = json.path("completeness").path("STATUS_CHANGED");
    assertEquals(2, status.path("events").asInt());
    assertEquals(0.5, status.path("present_fraction").path("outcome.days_to_response").asDouble(), 1e-12);
    assertEquals(0.0, status.path("present_fraction").path("job_id").asDouble(), 1e-12);
    var delay = json.path("outcome_reporting_delay");
    assertEquals(2, delay.path("count").asInt());
    assertEquals(86400, delay.path("max_seconds").asDouble(), 1e-9);
    assertEquals((86400 + 30) / 2.0, delay.path("mean_seconds").asDouble(), 1e-9);
    assertEquals(1, delay.path("histogram").get(0).path("count").asInt()); // <= 60 s
    assertEquals(1, delay.path("histogram").get(2).path("count").asInt()); // <= 1 day
  }
}
