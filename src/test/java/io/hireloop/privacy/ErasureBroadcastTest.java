package io.hireloop.privacy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.Node;
import io.hireloop.stream.Topics;
import io.hireloop.testing.Events;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes of one cluster whose key caches trust a key for 120 s: after an erasure through node A, node B no longer
 * yields the user's key (nor opens their events) within seconds — the destruction is announced to every node — instead
 * of after its cache's TTL.
 */
class ErasureBroadcastTest {
  static final String PREFIX = "erasurecast";
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final Duration TTL = Duration.ofSeconds(120);

  final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    for (int i = nodes.size() - 1; i >= 0; i--) nodes.get(i).close();
  }

  @Test
  void anotherNodeForgetsTheKeyAtOnceNotAfterItsCacheTtl() throws Exception {
    // the settle outlasts the test: only the announcement can change node B's cache in time
    nodes.addAll(TestNodes.startCluster(PREFIX, 2, Map.of("hireloop.privacy.key-cache-ttl", TTL.toSeconds() + "s",
        "hireloop.privacy.erasure-settle", TTL.plusSeconds(5).toSeconds() + "s")));
    var a = nodes.get(0); // the oldest member: it hosts the erasure runner, which destroys the key
    var b = nodes.get(1);
    assertTrue(Cluster.get(a.system()).selfMember().isOlderThan(Cluster.get(b.system()).selfMember()),
        "the singleton runs on node A, so node B hears of the destruction only through the announcement");
    var httpA = TestNodes.readyHttp(a);
    var httpB = TestNodes.readyHttp(b);
    var user = "u-cast-" + UUID.randomUUID().toString().substring(0, 8);
    var r = httpA.post("/api/v1/events", SERVICE, Events.batch(Events.created(user + "-c0", user, "a-0", Instant.now().minusSeconds(3600))));
    assertEquals(200, r.status(), r.body());

    // node B opens the user's events, and so caches the key for the TTL
    var keysB = UserKeys.get(b.system());
    assertEquals("APPLICATION_CREATED", httpB.get("/api/v1/users/" + user + "/events", ADMIN).json().path("events").get(0)
        .path("event_type").asText());
    assertInstanceOf(UserKeys.Present.class, keysB.lookup(user));
    // each node's topic actor knows the other's (registrations spread by gossip after the nodes start)
    for (var node : nodes) {
      await().atMost(Duration.ofSeconds(60)).until(() -> Topics.get(node.system())
          .instances(UserKeys.ERASURES_TOPIC, Duration.ofSeconds(5)).toCompletableFuture().join() == 2);
    }

    var started = System.nanoTime();
    var erasure = httpA.delete("/api/v1/users/" + user, TestNodes.token(user, "user"));
    assertEquals(202, erasure.status(), erasure.body());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> keysB.lookup(user) instanceof UserKeys.Erased);
    var elapsed = Duration.ofNanos(System.nanoTime() - started);
    System.out.println("[erasure-broadcast] node B forgot the key " + elapsed.toMillis() + " ms after the DELETE (its cache TTL: "
        + TTL.toSeconds() + " s)");
    // far sooner than the TTL, and B's readers now get tombstones
    assertInstanceOf(UserKeys.Erased.class, keysB.lookup(user));
    assertEquals("SHREDDED", httpB.get("/api/v1/users/" + user + "/events", ADMIN).json().path("events").get(0)
        .path("event_type").asText());
    assertEquals("running", httpB.get("/api/v1/users/" + user + "/erasure", ADMIN).json().path("status").asText(),
        "the job still waits out its settle before the second sweep");
  }
}
