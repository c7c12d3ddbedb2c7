package io.hireloop.privacy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.Node;
import io.hireloop.platform.Json;
import io.hireloop.testing.Events;
import io.hireloop.testing.Http;
import io.hireloop.testing.SharedCassandra;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An erasure job survives its node: the first node's job stops right after the key is destroyed (the test seam
 * {@code erasure-halt-after}: as if the node had died there, before any read-model row was deleted), the node is
 * stopped, and a new node on the same keyspaces finishes the job by itself — nobody asks again. The raw-table scan of
 * {@link ErasureApiTest} then finds no readable value of the erased user. The rows keyed by week and experiment can
 * only be found with the facts the job read from the journal before the key was destroyed, which it kept.
 */
class ErasureResumeTest {
  static final String PREFIX = "erasureresume";
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final String SERVICE = TestNodes.token("svc", "service");

  Node node;
  CqlSession cql;

  @AfterEach
  void stop() {
    if (cql != null) cql.close();
    if (node != null) node.close();
  }

  static Map<String, Object> settings(boolean halting) {
    var m = new HashMap<String, Object>(Map.of("hireloop.privacy.key-cache-ttl", "2s", "hireloop.privacy.erasure-settle", "4s",
        "hireloop.privacy.erasure-resume-every", "2s"));
    if (halting) m.put("hireloop.privacy.erasure-halt-after", "key_destroyed");
    return m;
  }

  @Test
  void aJobStoppedPartWayIsFinishedByTheNextNodeWithoutAnyoneAskingAgain() {
    cql = CqlSession.builder().addContactPoint(SharedCassandra.get().contactPoint()).withLocalDatacenter("datacenter1").build();
    node = TestNodes.startShared(PREFIX, settings(true));
    var http = TestNodes.readyHttp(node);
    var gone = ErasureApiTest.Markers.of("Gone");
    var kept = ErasureApiTest.Markers.of("Kept");
    var erased = "u-resume-" + UUID.randomUUID().toString().substring(0, 8);
    var other = "u-stay-" + UUID.randomUUID().toString().substring(0, 8);
    var batch = new ArrayList<Map<String, Object>>(ErasureApiTest.journey(erased, gone));
    batch.addAll(ErasureApiTest.journey(other, kept));
    var r = http.post("/api/v1/events", SERVICE, Events.batch(batch));
    assertEquals(200, r.status(), r.body());
    for (var user : List.of(erased, other)) {
      await().atMost(Duration.ofSeconds(90)).until(() -> http.get("/api/v1/users/" + user + "/performance", SERVICE).json()
          .path("total_applications").asInt() == 2);
      await().atMost(Duration.ofSeconds(90)).until(() -> Json.read(http.get("/api/v1/users/" + user + "/export", ADMIN).body())
          .path("read_models").path("training_examples").size() >= 3);
    }
    var before = ErasureApiTest.scan(cql, PREFIX, gone.all());
    System.out.println("[erasure-resume] before: the erased user's values readable in " + before.found());
    assertTrue(before.readable(gone.all()) > 0, "control: the scan finds the user's values in the read models");

    var started = http.delete("/api/v1/users/" + erased, TestNodes.token(erased, "user"));
    assertEquals(202, started.status(), started.body());
    var jobId = started.json().path("job_id").asText();
    assertEquals("requested", started.json().path("step").asText(), started.body());
    // the job stops once the key is destroyed, and stays stopped on this node through several resume ticks
    await().atMost(Duration.ofSeconds(60)).until(() -> job(http, erased).path("step").asText().equals("key_destroyed"));
    await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(30)).until(() -> {
      var job = job(http, erased);
      return job.path("status").asText().equals("running") && job.path("step").asText().equals("key_destroyed");
    });
    // asking again while the job is unfinished answers the same job
    var again = http.delete("/api/v1/users/" + erased, ADMIN);
    assertEquals(202, again.status(), again.body());
    assertEquals(jobId, again.json().path("job_id").asText(), again.body());
    var halfway = ErasureApiTest.scan(cql, PREFIX, gone.all());
    assertTrue(halfway.readable(gone.all()) > 0, "the stopped job deleted no row yet: " + halfway.found());
    node.close();
    node = null;

    node = TestNodes.startShared(PREFIX, settings(false));
    var next = TestNodes.readyHttp(node);
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
      var job = job(next, erased);
      assertEquals(jobId, job.path("job_id").asText(), job.toString());
      assertFalse(job.path("status").asText().equals("failed"), job.toString());
      return job.path("status").asText().equals("completed");
    });
    var job = job(next, erased);
    assertEquals("second_sweep", job.path("step").asText(), job.toString());
    assertTrue(job.path("rows_deleted").asInt() > 0, job.toString());
    assertFalse(job.path("finished_at").isNull(), job.toString());

    var after = ErasureApiTest.scan(cql, PREFIX, ErasureApiTest.concat(gone.all(), kept.all()));
    System.out.println("[erasure-resume] after the next node finished the job: tables scanned " + after.tables() + ", rows scanned "
        + after.rows() + ", readable PII of the erased user found " + after.readable(gone.all()) + "; " + after.byKeyspace());
    assertEquals(0, after.readable(gone.all()), "readable values of the erased user: " + after.found());
    assertTrue(after.readable(List.of(kept.company())) > 0, "the other user's rows are intact: " + after.found());
    assertEquals(0, cql.execute("SELECT user_id FROM " + PREFIX + "_rm.erasure_pending").all().size(), "no unfinished job is left");
    var events = next.get("/api/v1/users/" + erased + "/events", ADMIN).json().path("events");
    assertEquals("USER_ERASED", events.get(events.size() - 1).path("event_type").asText(), events.toString());
    assertEquals("SHREDDED", events.get(0).path("event_type").asText(), events.toString());
  }

  static JsonNode job(Http http, String userId) {
    var r = http.get("/api/v1/users/" + userId + "/erasure", ADMIN);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }
}
