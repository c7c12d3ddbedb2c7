package io.hireloop.cli.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CI size of {@code bin/hireloop chaos cassandra-node}: a ring of three Cassandra nodes of its own (127.0.0.1-3,
 * started at once), replication factor 3 and QUORUM everywhere, one app node ingesting from retrying clients;
 * kill -9 of Cassandra node 3, an outage, its restart. Ingest goes on during the outage (2 of 3 replicas are a
 * quorum), every acknowledged event is read back exactly once at QUORUM, and once the survivors' hints are delivered
 * and the survivors are stopped, node 3 alone holds every journal row. Small: 2 clients x 3 users, paced, 512M heaps,
 * the Cassandra JVMs on C1 only; its time is the four Cassandra starts' CPU (RELIABILITY.md "A Cassandra node lost").
 */
class CassandraNodeChaosTest {
  @Test
  void losingOneCassandraNodeOfThreeLosesNothingAndTheRestartedNodeCatchesUp() throws Exception {
    var dir = Files.createTempDirectory(Path.of("target"), "chaos-ring-");
    var settings = new CassandraNodeScenario.Settings(dir, 2, 3, 5, Duration.ofMillis(300), Duration.ofSeconds(10), Duration.ofSeconds(20),
        Duration.ofSeconds(10), "512M",
        // C1 only: a node's start is mostly JIT work that a short test never earns back (the command keeps the full JIT)
        List.of("-XX:TieredStopAtLevel=1"));
    var config = TestNodes.config(TestNodes.isolated("ringci"));
    var result = CassandraNodeScenario.run(settings, config, TestNodes.token("svc", "service"), TestNodes.token("ops", "admin"),
        line -> System.out.println("[cassandra-node] " + line));
    result.summary().forEach(line -> System.out.println("[cassandra-node] " + line));

    assertTrue(result.ackBefore() > 0, "the clients got acknowledgements before the kill");
    assertTrue(result.ackDuring() > 0, "ingest went on while node 3 was down");
    assertTrue(result.ackLateOutage() > 0, "and still in the outage's second half");
    var verdict = result.verdict();
    assertEquals(verdict.acknowledged(), verdict.found(), "every acknowledged event is in the journal: " + verdict.examples());
    assertEquals(0, verdict.missing(), verdict.examples().toString());
    assertEquals(0, verdict.duplicated(), verdict.examples().toString());
    assertNotNull(result.hintsDelivered(), "the survivors delivered every hint for node 3");
    assertTrue(result.rowsExpected() >= verdict.acknowledged(), "the journals hold at least what was acknowledged");
    assertEquals(result.rowsExpected(), result.rowsOnRestartedNode(), "node 3 alone (survivors stopped) holds every journal row");
  }
}
