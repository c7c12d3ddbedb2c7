package io.hireloop;

import static io.hireloop.testing.Events.batch;
import static io.hireloop.testing.Events.created;
import static io.hireloop.testing.Events.status;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.JobSeeker;
import io.hireloop.testing.Http;
import io.hireloop.testing.SharedCassandra;
import io.hireloop.testing.StreamClient;
import io.hireloop.testing.TestNodes;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes on loopback, one Cassandra: entities live on every node, any node reaches any entity, and
 * when a node leaves its shards move to the others with no acknowledged event lost.
 */
class ClusterTest {
  static final String SERVICE = TestNodes.token("svc", "service");
  static final int USERS = 30;
  final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(Node::close);
  }

  @Test
  void requestsReachTheRightEntityFromAnyNodeAndALeavingNodeLosesNothing() throws Exception {
    var cassandra = SharedCassandra.get();
    int seedPort = freePort();
    var seed = "pekko://hireloop@127.0.0.1:" + seedPort;
    for (int i = 0; i < 3; i++) {
      var m = TestNodes.isolated("cluster");
      m.put("hireloop.cassandra.contact-points", List.of(cassandra.host() + ":" + cassandra.cqlPort()));
      m.put("pekko.cluster.seed-nodes", List.of(seed));
      m.put("pekko.remote.artery.canonical.port", i == 0 ? seedPort : 0);
      nodes.add(Node.start(TestNodes.config(m), line -> System.out.println("[cluster] " + line)));
    }
    for (var node : nodes) {
      await().atMost(Duration.ofSeconds(60)).until(() -> upMembers(node) == 3);
    }

    var t = Instant.now().minus(Duration.ofDays(2));
    for (int u = 0; u < USERS; u++) {
      var http = new Http(nodes.get(u % 3).httpPort());
      var r = http.post("/api/v1/events", SERVICE, batch(created("c-" + u + "-1", "u-c" + u, "a-1", t)));
      assertEquals(200, r.status(), r.body());
    }
    for (int u = 0; u < USERS; u++) {
      var events = new Http(nodes.get((u + 1) % 3).httpPort()).get("/api/v1/users/u-c" + u + "/events", SERVICE).json();
      assertEquals(1, events.path("events").size(), "user u-c" + u);
    }
    for (var node : nodes) {
      assertFalse(shardsOf(node).isEmpty(), "every node hosts JobSeeker shards");
    }

    // a subscriber on node 1 hears an ingest handled by node 2 (topics span the cluster; the remote
    // subscription spreads by gossip, so keep ingesting until one arrives)
    try (var stream = new StreamClient(nodes.get(0).httpPort(), SERVICE)) {
      stream.subscribe("user:u-stream");
      var http2 = new Http(nodes.get(1).httpPort());
      var n = new java.util.concurrent.atomic.AtomicInteger();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
        int i = n.incrementAndGet();
        assertEquals(200, http2.post("/api/v1/events", SERVICE, batch(created("s-" + i, "u-stream", "a-" + i, t))).status());
        return stream.has("outcome_recorded", "user:u-stream");
      });
    }

    var leaving = nodes.remove(2);
    var movedShards = shardsOf(leaving);
    leaving.close();
    await().atMost(Duration.ofSeconds(60)).until(() -> upMembers(nodes.get(0)) == 2 && upMembers(nodes.get(1)) == 2);

    for (int u = 0; u < USERS; u++) {
      var http = new Http(nodes.get(u % 2).httpPort());
      // a status change is accepted only if the entity recovered the application from the journal
      var r = http.post("/api/v1/events", SERVICE, batch(status("c-" + u + "-2", "u-c" + u, "a-1", t.plusSeconds(3600), "interview")));
      assertEquals(200, r.status(), r.body());
      assertEquals(2, r.json().path("results").get(0).path("seq_nr").asLong());
    }
    for (int u = 0; u < USERS; u++) {
      var events = new Http(nodes.get((u + 1) % 2).httpPort()).get("/api/v1/users/u-c" + u + "/events", SERVICE).json();
      assertEquals(2, events.path("events").size(), "user u-c" + u);
    }
    var remaining = new ArrayList<String>();
    nodes.forEach(n -> remaining.addAll(shardsOf(n)));
    assertTrue(remaining.containsAll(movedShards), "the leaving node's shards " + movedShards + " moved to " + remaining);
  }

  static long upMembers(Node node) {
    var members = Cluster.get(node.system()).state().getMembers();
    long n = 0;
    for (var m : members) if (m.status() == MemberStatus.up()) n++;
    return n;
  }

  static List<String> shardsOf(Node node) {
    var system = node.system();
    CurrentShardRegionState state = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, CurrentShardRegionState>ask(
            ClusterSharding.get(system).shardState(), r -> new GetShardRegionState(JobSeeker.ENTITY_KEY, r),
            Duration.ofSeconds(10), system.scheduler())
        .toCompletableFuture().join();
    var ids = new ArrayList<String>();
    state.getShards().forEach(s -> ids.add(s.shardId()));
    return ids;
  }

  static int freePort() throws Exception {
    try (var s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
