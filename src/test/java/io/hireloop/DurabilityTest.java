package io.hireloop;

import static io.hireloop.testing.Events.batch;
import static io.hireloop.testing.Events.created;
import static io.hireloop.testing.Events.status;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node with its own embedded Cassandra: what it acknowledged is still there after the whole node —
 * actor system and Cassandra — stops and starts again on the same data dir.
 */
class DurabilityTest {
  static final String SERVICE = TestNodes.token("svc", "service");

  @Test
  void acknowledgedEventsAndTheReadModelSurviveARestart() throws Exception {
    Path dataDir = Files.createTempDirectory(Path.of("target"), "durability-");
    var overrides = TestNodes.isolated("durable");
    overrides.put("hireloop.data-dir", dataDir.toString());
    overrides.put("hireloop.cassandra.embedded-heap", "1G");
    var t = Instant.now().minus(Duration.ofDays(3));
    var body = batch(created("d-1", "u-durable", "a-1", t), created("d-2", "u-durable", "a-2", t.plusSeconds(5)),
        status("d-3", "u-durable", "a-1", t.plusSeconds(3600), "interview"));

    String eventsBefore;
    String performanceBefore;
    try (var node = Node.start(TestNodes.config(overrides), System.out::println)) {
      var http = new Http(node.httpPort());
      assertEquals(200, http.post("/api/v1/events", SERVICE, body).status());
      await().atMost(Duration.ofSeconds(60)).until(() ->
          http.get("/api/v1/users/u-durable/performance", SERVICE).json().path("as_of_seq_nr").asLong() == 3);
      eventsBefore = http.get("/api/v1/users/u-durable/events", SERVICE).body();
      performanceBefore = http.get("/api/v1/users/u-durable/performance", SERVICE).body();
    }

    try (var node = Node.start(TestNodes.config(overrides), System.out::println)) {
      var http = new Http(node.httpPort());
      assertEquals(eventsBefore, http.get("/api/v1/users/u-durable/events", SERVICE).body());
      assertEquals(performanceBefore, http.get("/api/v1/users/u-durable/performance", SERVICE).body());
      // the entity recovered its state: a retry is a duplicate with the original seq_nr, and the
      // recovered applications accept status changes
      var retry = http.post("/api/v1/events", SERVICE, body).json().path("results");
      assertEquals(List.of("duplicate", "duplicate", "duplicate"),
          List.of(retry.get(0).path("status").asText(), retry.get(1).path("status").asText(), retry.get(2).path("status").asText()));
      assertEquals(3, retry.get(2).path("seq_nr").asLong());
      var next = http.post("/api/v1/events", SERVICE, batch(status("d-4", "u-durable", "a-2", t.plusSeconds(7200), "rejected")));
      assertEquals(200, next.status(), next.body());
      assertEquals(4, next.json().path("results").get(0).path("seq_nr").asLong());
    }
  }
}
