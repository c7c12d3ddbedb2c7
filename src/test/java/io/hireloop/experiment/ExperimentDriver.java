package io.hireloop.experiment;

import static io.hireloop.testing.Events.batch;
import static io.hireloop.testing.Events.created;
import static io.hireloop.testing.Events.status;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hireloop.testing.Http;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Drives an experiment over HTTP for integration tests: assignments (exposures) and planted outcomes. */
final class ExperimentDriver {
  private ExperimentDriver() {}

  /** Assigns users {@code <id>-u0 … u(n−1)} over HTTP; returns user → variant. */
  static Map<String, String> assign(Http http, String token, String id, int users) {
    var variants = new LinkedHashMap<String, String>();
    for (int u = 0; u < users; u++) {
      String user = id + "-u" + u;
      var r = http.get("/api/v1/experiments/" + id + "/assignment?user_id=" + user, token);
      assertEquals(200, r.status(), r.body());
      variants.put(user, r.json().path("variant_id").asText());
    }
    return variants;
  }

  /**
   * Each user creates one application; every k-th user of an arm (k = controlEvery or treatmentEvery) gets an
   * interview. Returns the conversions per arm.
   */
  static Map<String, Integer> outcomes(Http http, String token, Map<String, String> variants, int controlEvery, int treatmentEvery) {
    var at = Instant.now(); // after every exposure
    var events = new ArrayList<Map<String, Object>>();
    var seenPerArm = new HashMap<String, Integer>();
    var conversions = new HashMap<String, Integer>();
    variants.forEach((user, variant) -> {
      int k = seenPerArm.merge(variant, 1, Integer::sum) - 1;
      events.add(created(user + "-c", user, "a-1", at));
      if (k % (variant.equals("control") ? controlEvery : treatmentEvery) == 0) {
        events.add(status(user + "-s", user, "a-1", at.plusMillis(1), "interview"));
        conversions.merge(variant, 1, Integer::sum);
      }
    });
    var ingest = http.post("/api/v1/events", token, batch(events));
    assertEquals(200, ingest.status(), ingest.body());
    return conversions;
  }
}
