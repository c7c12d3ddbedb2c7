package io.hireloop.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.hireloop.Node;
import io.hireloop.api.Auth;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodes for integration tests: real cluster, real Cassandra (the shared embedded node unless a data dir
 * is given), every keyspace prefixed so that tests never see each other's data.
 */
public final class TestNodes {
  public static final String SECRET = "test-secret-0123456789abcdef";

  private TestNodes() {}

  /** Overrides for a node whose keyspaces all start with {@code prefix}. */
  public static Map<String, Object> isolated(String prefix) {
    var m = new HashMap<String, Object>();
    m.put("hireloop.cassandra.keyspace", prefix + "_rm");
    m.put("pekko.persistence.cassandra.journal.keyspace", prefix + "_journal");
    m.put("pekko.persistence.cassandra.snapshot.keyspace", prefix + "_snapshot");
    m.put("pekko.projection.cassandra.offset-store.keyspace", prefix + "_offsets");
    m.put("pekko.remote.artery.canonical.port", 0);
    m.put("hireloop.http.port", 0);
    m.put("hireloop.http.interface", "127.0.0.1");
    m.put("hireloop.auth.jwt-secret", SECRET);
    m.put("hireloop.http.rate-limit-per-second", 0);
    m.put("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
    // Nothing reads the driver's schema metadata, and refreshing it after every CREATE costs about a second: most of
    // a test node's start, which creates some forty tables in its own keyspaces. (Kept on in production, where the
    // schema exists once and the token map, built from it, routes requests to replicas.)
    m.put("datastax-java-driver.advanced.metadata.schema.enabled", false);
    // Reminders add REMINDER_SENT events to journals of backdated applications, which would move the
    // seq_nrs other tests assert; the reminder tests turn them on.
    m.put("hireloop.reminders.enabled", false);
    // Tests post batches back to back on a loaded machine and expect 200s: pacing runs (every ingest goes
    // through the pacer) but never engages; IngestPacingTest turns it on for real.
    m.put("hireloop.ingest.pacing.target-lag", "10m");
    m.put("hireloop.ingest.pacing.burst", 0);
    return m;
  }

  public static Config config(Map<String, Object> overrides) {
    return Node.loadConfig(null, ConfigFactory.parseMap(overrides));
  }

  /**
   * {@code overrides} for an actor system started without {@link Node} (which sets the driver's contact points
   * itself) on the shared Cassandra.
   */
  public static Config onSharedCassandra(Map<String, Object> overrides) {
    var cassandra = SharedCassandra.get();
    var contactPoints = List.of(cassandra.host() + ":" + cassandra.cqlPort());
    var m = new HashMap<>(overrides);
    m.put("hireloop.cassandra.contact-points", contactPoints);
    var config = config(m);
    return config
        .withValue("datastax-java-driver.basic.contact-points", com.typesafe.config.ConfigValueFactory.fromIterable(contactPoints))
        .withValue("datastax-java-driver.basic.load-balancing-policy.local-datacenter",
            com.typesafe.config.ConfigValueFactory.fromAnyRef(config.getString("hireloop.cassandra.local-datacenter")));
  }

  /** A single node on the shared Cassandra. */
  public static Node startShared(String prefix, Map<String, Object> extra) {
    var cassandra = SharedCassandra.get();
    var m = isolated(prefix);
    m.put("hireloop.cassandra.contact-points", List.of(cassandra.host() + ":" + cassandra.cqlPort()));
    m.putAll(extra);
    return Node.start(config(m), line -> System.out.println("[" + prefix + "] " + line));
  }

  /**
   * {@code n} nodes of one cluster on the shared Cassandra, keyspaces prefixed {@code prefix}, the first the
   * seed (started and ready before the others join, so it is the oldest member), each Up with all {@code n}.
   */
  public static List<Node> startCluster(String prefix, int n, Map<String, Object> extra) throws java.io.IOException {
    var cassandra = SharedCassandra.get();
    int seedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      seedPort = socket.getLocalPort();
    }
    var nodes = new java.util.ArrayList<Node>();
    for (int i = 0; i < n; i++) {
      var m = isolated(prefix);
      m.put("hireloop.cassandra.contact-points", List.of(cassandra.host() + ":" + cassandra.cqlPort()));
      m.put("pekko.cluster.seed-nodes", List.of("pekko://hireloop@127.0.0.1:" + seedPort));
      m.put("pekko.remote.artery.canonical.port", i == 0 ? seedPort : 0);
      m.putAll(extra);
      nodes.add(Node.start(config(m), line -> System.out.println("[" + prefix + "] " + line)));
      if (i == 0) readyHttp(nodes.get(0));
    }
    for (var node : nodes) {
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> upMembers(node) == n);
    }
    return nodes;
  }

  public static long upMembers(Node node) {
    long up = 0;
    for (var m : org.apache.pekko.cluster.Cluster.get(node.system()).state().getMembers()) {
      if (m.status() == org.apache.pekko.cluster.MemberStatus.up()) up++;
    }
    return up;
  }

  /** An HTTP client of {@code node}, once the node answers ready (at most 60 s). */
  public static Http readyHttp(Node node) {
    var http = new Http(node.httpPort());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready", null).status() == 200);
    return http;
  }

  public static String token(String sub, String role) {
    return new Auth(SECRET, "hireloop").issue(sub, role, Duration.ofHours(1));
  }
}
