package io.hireloop.platform.cassandra;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedCassandraTest {
  @TempDir Path dataDir;

  private final List<String> progress = new ArrayList<>();

  @Test
  void rowsSurviveARestartAndTheProcessIsGoneAfterClose() throws Exception {
    var settings = EmbeddedCassandra.Settings.defaults(dataDir).withMaxHeap("1G");

    long firstPid;
    int firstPort;
    try (var node = EmbeddedCassandra.start(settings, this::log)) {
      firstPid = node.pid();
      firstPort = node.cqlPort();
      try (var session = connect(node)) {
        session.execute("CREATE KEYSPACE hireloop_test WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        session.execute("CREATE TABLE hireloop_test.outcomes (user_id text PRIMARY KEY, stage text)");
        session.execute("INSERT INTO hireloop_test.outcomes (user_id, stage) VALUES ('ada', 'offer')");
        session.execute("INSERT INTO hireloop_test.outcomes (user_id, stage) VALUES ('alan', 'interview')");
      }
      // a second process (or a second node in this one) must not get the same data directory
      var e = assertThrows(IllegalStateException.class, () -> EmbeddedCassandra.start(settings, this::log));
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }
    assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false), "child JVM still alive");

    // the rows were only in the memtable + commitlog: reading them proves the drain / commitlog replay works
    try (var node = EmbeddedCassandra.start(settings, this::log)) {
      assertEquals(firstPort, node.cqlPort(), "remembered CQL port reused");
      try (var session = connect(node)) {
        Map<String, String> rows = new TreeMap<>();
        session.execute("SELECT user_id, stage FROM hireloop_test.outcomes")
            .forEach(r -> rows.put(r.getString("user_id"), r.getString("stage")));
        assertEquals(Map.of("ada", "offer", "alan", "interview"), rows);
      }
      node.close();
      node.close(); // idempotent
      assertFalse(node.isRunning());
    }

    assertTrue(Files.isRegularFile(dataDir.resolve("cassandra/conf/cassandra.yaml")));
    assertTrue(Files.isRegularFile(dataDir.resolve("cassandra/logs/system.log")));
    assertTrue(progress.stream().anyMatch(l -> l.startsWith("Cassandra ready on 127.0.0.1:")), progress.toString());
  }

  @Test
  void childExitsWhenItsParentDies() throws Exception {
    // stands in for a killed parent: close the child's stdin pipe, as the OS does when the parent dies
    var node = EmbeddedCassandra.start(EmbeddedCassandra.Settings.defaults(dataDir).withMaxHeap("1G"), this::log);
    try {
      var handle = ProcessHandle.of(node.pid()).orElseThrow();
      closeStdin(node);
      await().atMost(Duration.ofSeconds(90)).until(() -> !handle.isAlive());
    } finally {
      node.close();
    }
  }

  @Test
  void missingClasspathFileTellsWhatToRun() {
    var settings = new EmbeddedCassandra.Settings(dataDir, 0, "1G", Duration.ofSeconds(5), dataDir.resolve("nope"));
    var e = assertThrows(IllegalStateException.class, () -> EmbeddedCassandra.start(settings, this::log));
    assertTrue(e.getMessage().contains("mvn -B -q generate-resources"), e.getMessage());
  }

  private static void closeStdin(EmbeddedCassandra node) throws Exception {
    var field = EmbeddedCassandra.class.getDeclaredField("process");
    field.setAccessible(true);
    ((Process) field.get(node)).getOutputStream().close();
  }

  private static CqlSession connect(EmbeddedCassandra node) {
    return CqlSession.builder().addContactPoint(node.contactPoint()).withLocalDatacenter("datacenter1").build();
  }

  private void log(String line) {
    System.out.println("[cassandra] " + line);
    progress.add(line);
  }
}
