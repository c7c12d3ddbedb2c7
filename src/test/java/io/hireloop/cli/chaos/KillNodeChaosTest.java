package io.hireloop.cli.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.testing.SharedCassandra;
import io.hireloop.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CI size of {@code bin/hireloop chaos kill-node}: three app nodes in child JVMs on the shared Cassandra, retrying
 * clients ingesting into them, kill -9 of one node (not the seed: {@code chaos kill-node --kill 0} covers that).
 * Every acknowledged event is in the journal exactly once, and every user is served again within 30 s: ~5.5 s to
 * see the node unreachable, 3 s stable-after, 3 s removal margin, then the shards' new homes and the entities'
 * recovery, and up to a client timeout (2 s) before a waiting client retries. The 15 s is the criterion of
 * {@code bin/hireloop chaos kill-node}; on the shared CI machine this measured 16.6 s at load average 20 and 20.0 s
 * at 44 (the nodes took 5 minutes to start), so the test allows twice the promise: it still fails if the resolver
 * never downs the node or the shards never move (then no user of theirs is served again).
 */
class KillNodeChaosTest {
  @Test
  void killingANodeUnderIngestLosesAndDuplicatesNothingAndItsShardsComeBack() throws Exception {
    var cassandra = SharedCassandra.get();
    var settings = new KillNodeScenario.Settings(3, cassandra.host() + ":" + cassandra.cqlPort(), "killci",
        Files.createTempDirectory(Path.of("target"), "chaos-kill-"), 4, 6, 5, 2,
        Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60), "640m",
        Map.of(
            // as in the other integration tests: pacing must not engage on a loaded CI machine
            "hireloop.ingest.pacing.target-lag", "10m",
            "hireloop.ingest.pacing.burst", 0));
    var result = KillNodeScenario.run(settings, TestNodes.token("svc", "service"), TestNodes.token("ops", "admin"),
        Map.of("hireloop.auth.jwt-secret", TestNodes.SECRET), line -> System.out.println("[kill-node] " + line));
    result.summary().forEach(line -> System.out.println("[kill-node] " + line));

    assertTrue(result.acknowledged() > 0, "the clients got acknowledgements");
    assertTrue(result.totals().retries() > 0, "the kill made some client retry");
    assertEquals(result.acknowledged(), result.verdict().found(), "every acknowledged event is in the journal: " + result.verdict().examples());
    assertEquals(0, result.missing(), result.verdict().examples().toString());
    assertEquals(0, result.duplicated(), result.verdict().examples().toString());
    assertTrue(result.recoveredWithin(Duration.ofSeconds(30)), "every user served again within 30 s: " + result.recovery());
    assertTrue(result.shardsBackWithin(Duration.ofSeconds(30)), "every user's entity answering again within 30 s: " + result.shardsBack());
  }
}
