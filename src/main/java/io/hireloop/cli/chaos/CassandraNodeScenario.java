package io.hireloop.cli.chaos;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.hireloop.Node;
import io.hireloop.journey.JobSeeker;
import io.hireloop.platform.cassandra.EmbeddedCassandra;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * Scenario "cassandra-node": a three-node Cassandra ring on 127.0.0.1, 127.0.0.2 and 127.0.0.3 (one storage port,
 * three addresses), every keyspace with replication factor 3 and every read and write at QUORUM; one app node
 * ingesting from retrying clients. The third Cassandra node gets kill -9 and stays down for {@code outage} while the
 * load goes on, then starts again on its data. Measured: events acknowledged before, during and after the outage;
 * how long until the two survivors had handed it every hint they held for it; and then, with the two survivors
 * stopped, whether the third node alone holds every event of every journal (read at ONE from it).
 */
public final class CassandraNodeScenario {
  /**
   * @param pause each client's pause after an acknowledged batch (zero: as fast as the node answers)
   * @param cassandraJvmOptions more flags for the three Cassandra JVMs (the suite's quicker start; none by command)
   */
  public record Settings(Path dir, int clients, int usersPerClient, int batch, Duration pause, Duration warmup, Duration outage,
      Duration afterRestart, String cassandraHeap, List<String> cassandraJvmOptions) {}

  /**
   * @param ringStart the three nodes' concurrent start until each answered CQL and knew the other two
   * @param ackLateOutage acknowledged in the second half of the outage (the survivors' failure detectors took up to ~18 s
   *     to mark node 3 down on the loaded machine; until then each write still went to it as well)
   * @param retriesDuring batches sent again during the outage (a request that node 3 coordinated when it died, or one
   *     that timed out while the driver noticed; the client's ordinary retry)
   * @param hintsDelivered restart of the third node → no hint left on the survivors (null: not within 5 minutes)
   * @param rowsOnRestartedNode journal rows of the run's users the restarted node holds alone
   * @param rowsExpected events in those journals, read at QUORUM through the API
   */
  public record Result(int users, Duration ringStart, long ackBefore, long ackDuring, long ackLateOutage, long retriesDuring,
      long ackAfter, double outageSeconds, IngestLoad.Totals totals, Duration restart, Duration hintsDelivered, long rowsOnRestartedNode, long rowsExpected, JournalCheck.Verdict verdict) {
    public boolean consistent() {
      return verdict.exactlyOnce() && rowsOnRestartedNode == rowsExpected;
    }

    public List<String> summary() {
      var t = totals;
      return List.of(
          String.format(Locale.ROOT, "ring: 3 Cassandra nodes (127.0.0.1-3), replication factor 3, QUORUM; %d users; started at once in %.1f s",
              users, ringStart.toMillis() / 1000.0),
          String.format(Locale.ROOT, "acknowledged: %d before the kill, %d during the %.0f s outage (%.0f events/s; %d in its second half, "
                  + "%d retries in it), %d after the restart",
              ackBefore, ackDuring, outageSeconds, ackDuring / Math.max(outageSeconds, 1e-9), ackLateOutage, retriesDuring, ackAfter),
          String.format(Locale.ROOT, "retries: %d (no answer %d, 429 %d, 503 %d, other %d)", t.retries(), t.noAnswer(), t.status429(),
              t.status503(), t.otherStatus()),
          String.format(Locale.ROOT, "restart of the killed node: %.1f s to CQL; every hint for it delivered %s after", restart.toMillis() / 1000.0,
              hintsDelivered == null ? "NOT within 5 min" : String.format(Locale.ROOT, "%.1f s", hintsDelivered.toMillis() / 1000.0)),
          String.format(Locale.ROOT, "acknowledged %d events, found %d (QUORUM), missing %d, stored more than once %d",
              verdict.acknowledged(), verdict.found(), verdict.missing(), verdict.duplicated()),
          String.format(Locale.ROOT, "the restarted node alone (survivors stopped, read at ONE): %d of %d journal rows",
              rowsOnRestartedNode, rowsExpected));
    }
  }

  private CassandraNodeScenario() {}

  /** {@code appConfig}: the node's configuration; contact points, keyspaces, replication and consistency are set here. */
  public static Result run(Settings s, Config appConfig, String serviceToken, String adminToken, Consumer<String> progress) {
    var hosts = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");
    int storagePort = freeOnAll(hosts);
    var settings = new ArrayList<EmbeddedCassandra.Settings>();
    var ring = new ArrayList<EmbeddedCassandra>();
    for (int i = 0; i < 3; i++) {
      settings.add(EmbeddedCassandra.Settings.defaults(s.dir().resolve("cassandra-" + (i + 1))).withMaxHeap(s.cassandraHeap())
          .withJvmOptions(s.cassandraJvmOptions())
          .withRing(EmbeddedCassandra.Ring.member(hosts, i, storagePort, "Hireloop chaos ring")));
    }
    try {
      long ringBegan = System.nanoTime();
      ring.addAll(EmbeddedCassandra.startAll(settings, progress));
      for (var c : ring) awaitPeers(c, 2, progress);
      var ringStart = Duration.ofNanos(System.nanoTime() - ringBegan);
      progress.accept(String.format(Locale.ROOT, "ring of 3 up after %.1f s (started at once)", ringStart.toMillis() / 1000.0));
      var contactPoints = ring.stream().map(c -> c.host() + ":" + c.cqlPort()).toList();
      try (var session = session(ring.get(0))) {
        // as in production, the schema comes first (cluster-config/schema.cql): tables the plugins create on first use
        // are not yet known to every node of a ring when the first queries reach them ("table snapshots does not
        // exist"), and pekko-projection-cassandra would create its keyspace with replication factor 1
        for (var statement : schemaStatements()) session.execute(statement);
        progress.accept("schema created (cluster-config/schema.cql: replication factor 3)");
      }
      var config = appConfig
          .withValue("hireloop.cassandra.contact-points", ConfigValueFactory.fromIterable(contactPoints))
          // the keyspaces of schema.cql: the ring is the run's own
          .withValue("hireloop.cassandra.keyspace", ConfigValueFactory.fromAnyRef("hireloop"))
          .withValue("pekko.persistence.cassandra.journal.keyspace", ConfigValueFactory.fromAnyRef("hireloop_journal"))
          .withValue("pekko.persistence.cassandra.snapshot.keyspace", ConfigValueFactory.fromAnyRef("hireloop_snapshot"))
          .withValue("pekko.projection.cassandra.offset-store.keyspace", ConfigValueFactory.fromAnyRef("hireloop_offsets"))
          .withValue("hireloop.cassandra.replication-factor", ConfigValueFactory.fromAnyRef(3))
          .withValue("pekko.persistence.cassandra.journal.replication-factor", ConfigValueFactory.fromAnyRef(3))
          .withValue("pekko.persistence.cassandra.snapshot.replication-factor", ConfigValueFactory.fromAnyRef(3))
          // the node creates its read-model tables on start: each CREATE must be known to all three nodes before the next
          // statement may reach another one ("Table 'hireloop.reminders_due' doesn't exist" otherwise), and the driver
          // waits for schema agreement only with its schema metadata on (the suite's node configuration turns it off)
          .withValue("datastax-java-driver.advanced.metadata.schema.enabled", ConfigValueFactory.fromAnyRef(true))
          // a schema change waits for all three nodes to agree, which took over 10 s on the loaded 2-core machine
          .withValue("datastax-java-driver.basic.request.timeout", ConfigValueFactory.fromAnyRef("30s"))
          .withValue("datastax-java-driver.advanced.control-connection.schema-agreement.timeout", ConfigValueFactory.fromAnyRef("60s"))
          // the journal's profile is QUORUM already; the read models', the offsets' and the snapshots' too
          .withValue("datastax-java-driver.basic.request.consistency", ConfigValueFactory.fromAnyRef("QUORUM"))
          .withValue("datastax-java-driver.profiles.pekko-persistence-cassandra-snapshot-profile.basic.request.consistency",
              ConfigValueFactory.fromAnyRef("QUORUM"));
      try (var node = Node.start(config, line -> progress.accept("app: " + line))) {
        var url = "http://127.0.0.1:" + node.httpPort();
        var load = new IngestLoad(new IngestLoad.Settings(s.clients(), s.usersPerClient(), s.batch(), s.pause(), "ring"),
            () -> List.of(url), serviceToken, Duration.ofSeconds(15));
        load.start();
        // the warm-up counts from the first acknowledgement: a fresh node's first batches wait for its entities and JIT
        if (!KillNodeScenario.waitUntil(() -> load.totals().eventsAcknowledged() > 0, Duration.ofMinutes(3), "the first acknowledgement",
            progress, load)) {
          throw new IllegalStateException("no batch was acknowledged within 3 minutes of the load's start; last failure: " + load.lastFailure());
        }
        KillNodeScenario.waitUntil(() -> false, s.warmup(), "warm-up", progress, load);
        long before = load.totals().eventsAcknowledged();
        var victim = ring.get(2);
        victim.kill();
        progress.accept("kill -9 of Cassandra node 3 (" + victim.host() + ", pid " + victim.pid() + ")");
        long killedAt = System.nanoTime();
        long retriesBefore = load.totals().retries();
        KillNodeScenario.waitUntil(() -> false, s.outage().dividedBy(2), "load during the outage", progress, load);
        long half = load.totals().eventsAcknowledged();
        KillNodeScenario.waitUntil(() -> false, s.outage().minus(s.outage().dividedBy(2)), "load during the outage", progress, load);
        long during = load.totals().eventsAcknowledged() - before;
        long late = load.totals().eventsAcknowledged() - half;
        long retriesDuring = load.totals().retries() - retriesBefore;
        double outageSeconds = (System.nanoTime() - killedAt) / 1e9;
        long restartAt = System.nanoTime();
        var restarted = EmbeddedCassandra.start(settings.get(2), line -> progress.accept("cassandra 3: " + line));
        ring.set(2, restarted);
        var restart = Duration.ofNanos(System.nanoTime() - restartAt);
        long afterFrom = load.totals().eventsAcknowledged();
        KillNodeScenario.waitUntil(() -> false, s.afterRestart(), "load after the restart", progress, load);
        load.close();
        long after = load.totals().eventsAcknowledged() - afterFrom;
        boolean delivered = KillNodeScenario.waitUntil(() -> noHints(s.dir().resolve("cassandra-1")) && noHints(s.dir().resolve("cassandra-2")),
            Duration.ofMinutes(5), "hints delivered to node 3", progress, null);
        var hints = delivered ? Duration.ofNanos(System.nanoTime() - restartAt) : null;
        progress.accept("reading every journal back (QUORUM)");
        var verdict = JournalCheck.run(load.acknowledged(), load.users(), url, adminToken);
        long expected = expectedRows(load.users(), url, adminToken);
        node.close();
        // node 3 alone: the survivors stop, so a read at ONE can only be answered from node 3's own data
        EmbeddedCassandra.closeAll(ring.subList(0, 2));
        long rows = rowsOn(restarted, load.users());
        return new Result(load.slots(), ringStart, before, during, late, retriesDuring, after, outageSeconds, load.totals(), restart, hints,
            rows, expected, verdict);
      }
    } finally {
      EmbeddedCassandra.closeAll(ring);
    }
  }

  /** Waits until {@code node} lists {@code peers} other nodes (it has heard of them by gossip); fails after 3 minutes. */
  private static void awaitPeers(EmbeddedCassandra node, int peers, Consumer<String> progress) {
    try (var session = session(node)) {
      if (!KillNodeScenario.waitUntil(() -> session.execute("SELECT peer FROM system.peers_v2").all().size() == peers,
          Duration.ofMinutes(3), "peers of " + node.host(), progress, null)) {
        throw new IllegalStateException(node.host() + " did not learn of its " + peers + " peers within 3 minutes; see its logs/system.log");
      }
    }
  }

  /** cluster-config/schema.cql of the checkout this runs from (target/classes/../..), else of the working directory. */
  private static List<String> schemaStatements() {
    Path file = Path.of("cluster-config", "schema.cql");
    try {
      var classes = Path.of(CassandraNodeScenario.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      var beside = classes.getParent() == null || classes.getParent().getParent() == null ? null
          : classes.getParent().getParent().resolve("cluster-config/schema.cql");
      if (beside != null && Files.isRegularFile(beside)) file = beside;
      var text = Files.readString(file).replaceAll("(?m)^\\s*--.*$", "");
      return java.util.Arrays.stream(text.split(";")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
      throw new IllegalStateException("cannot read " + file.toAbsolutePath() + " (run from the project directory): " + e.getMessage(), e);
    }
  }

  /** Events in the users' journals as the API lists them (reads at QUORUM). */
  private static long expectedRows(List<String> users, String url, String token) {
    var http = new ChaosHttp(Duration.ofSeconds(30));
    long n = 0;
    for (var user : users) {
      long after = 0;
      while (true) {
        var events = http.get(url + "/api/v1/users/" + user + "/events?after_seq=" + after + "&limit=100", token).json().path("events");
        n += events.size();
        for (var e : events) after = Math.max(after, e.path("seq_nr").asLong());
        if (events.size() < 100) break;
      }
    }
    return n;
  }

  private static long rowsOn(EmbeddedCassandra node, List<String> users) {
    try (var session = session(node)) {
      long n = 0;
      for (var user : users) {
        var pid = PersistenceId.of(JobSeeker.ENTITY_KEY.name(), user).id();
        n += session.execute(SimpleStatement.newInstance(
                "SELECT sequence_nr FROM hireloop_journal.messages WHERE persistence_id = ? AND partition_nr = 0", pid)
            .setConsistencyLevel(ConsistencyLevel.ONE)).all().size();
      }
      return n;
    }
  }

  private static boolean noHints(Path nodeData) {
    try (var files = Files.list(nodeData.resolve("cassandra/hints"))) {
      return files.noneMatch(f -> f.getFileName().toString().endsWith(".hints"));
    } catch (IOException e) {
      return false;
    }
  }

  private static CqlSession session(EmbeddedCassandra node) {
    return CqlSession.builder().addContactPoint(new InetSocketAddress(node.host(), node.cqlPort()))
        .withLocalDatacenter("datacenter1")
        .withConfigLoader(com.datastax.oss.driver.api.core.config.DriverConfigLoader.programmaticBuilder()
            .withDuration(com.datastax.oss.driver.api.core.config.DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(60))
            .withDuration(com.datastax.oss.driver.api.core.config.DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT,
                Duration.ofSeconds(60))
            .build())
        .build();
  }

  /** A port free on every one of {@code hosts}: the ring's nodes share their storage port. */
  private static int freeOnAll(List<String> hosts) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = KillNodeScenario.freePort();
      boolean free = true;
      for (var h : hosts) {
        try (var socket = new ServerSocket()) {
          socket.setReuseAddress(true);
          socket.bind(new InetSocketAddress(InetAddress.getByName(h), port), 1);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) return port;
    }
    throw new IllegalStateException("no port free on all of " + hosts);
  }
}
