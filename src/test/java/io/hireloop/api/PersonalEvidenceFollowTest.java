package io.hireloop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hireloop.Node;
import io.hireloop.platform.Metrics;
import io.hireloop.testing.Events;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node follows each user's journal for their personal config instead of reading it again from the start: over
 * batch after batch, every event is read once. (Pushes after ingest are off here so that only the test's reads count.)
 */
class PersonalEvidenceFollowTest {
  static Node node;
  static Http http;
  static final String SERVICE = TestNodes.token("svc", "service");

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("follow", Map.of("hireloop.personal.push-on-ingest", false));
    http = TestNodes.readyHttp(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void eachJournalEventIsReadOnceOverManyRecomputations() {
    var user = "u-follow";
    var t0 = Instant.now().minus(Duration.ofDays(30));
    int journal = 0;
    double before = Metrics.PERSONAL_EVENTS_READ.get();
    for (int b = 0; b < 6; b++) {
      var events = new ArrayList<Map<String, Object>>();
      for (int i = 0; i < 3; i++) {
        int n = b * 3 + i;
        var at = t0.plus(Duration.ofHours(20L * n));
        events.add(Events.created("fc-" + n, user, "fa-" + n, at));
        events.add(Events.status("fs-" + n, user, "fa-" + n, at.plus(Duration.ofHours(2)), n % 2 == 0 ? "interview" : "rejected"));
      }
      var ingest = http.post("/api/v1/events", SERVICE, Events.batch(events));
      assertEquals(200, ingest.status(), ingest.body());
      journal += events.size();
      var config = http.get("/api/v1/users/" + user + "/config", SERVICE);
      assertEquals(200, config.status(), config.body());
      assertEquals(journal, Metrics.PERSONAL_EVENTS_READ.get() - before, 1e-9,
          "after batch " + (b + 1) + " every event of the journal was read exactly once");
    }
  }
}
