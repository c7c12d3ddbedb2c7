package io.hireloop.platform.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The cassandra.yaml of a single node and of a ring member (the chaos cassandra-node scenario's three nodes). */
class NodeFilesTest {
  @Test
  void aSingleNodeIsItsOwnSeedOnLoopback() {
    var yaml = NodeFiles.cassandraYaml(Path.of("/tmp/n"), "127.0.0.1", 7001, 9043, "127.0.0.1:7001", "Hireloop embedded", true);
    assertTrue(yaml.contains("cluster_name: 'Hireloop embedded'"), yaml);
    assertTrue(yaml.contains("seeds: \"127.0.0.1:7001\""), yaml);
    assertTrue(yaml.contains("listen_address: 127.0.0.1\n"), yaml);
    assertTrue(yaml.contains("storage_port: 7001\n"), yaml);
    assertTrue(yaml.contains("native_transport_port: 9043\n"), yaml);
    assertTrue(yaml.contains("auto_bootstrap: true\n"), yaml);
  }

  @Test
  void aRingMemberListensOnItsAddressAndJoinsTheSeedWithoutStreaming() {
    var yaml = NodeFiles.cassandraYaml(Path.of("/tmp/n"), "127.0.0.3", 7001, 9044, "127.0.0.1:7001", "Hireloop 'chaos' ring", false);
    assertTrue(yaml.contains("cluster_name: 'Hireloop ''chaos'' ring'"), yaml);
    assertTrue(yaml.contains("seeds: \"127.0.0.1:7001\""), yaml);
    assertTrue(yaml.contains("listen_address: 127.0.0.3\n"), yaml);
    assertTrue(yaml.contains("rpc_address: 127.0.0.3\n"), yaml);
    assertTrue(yaml.contains("auto_bootstrap: false\n"), yaml);
    assertEquals(1, Arrays.stream(yaml.split("\n")).filter(l -> l.startsWith("listen_address")).count());
  }

  @Test
  void ringMembersAreAllSeedsWithAThirdOfTheTokenRangeEach() {
    var hosts = java.util.List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");
    var first = EmbeddedCassandra.Ring.member(hosts, 0, 7001, "r");
    var second = EmbeddedCassandra.Ring.member(hosts, 1, 7001, "r");
    var third = EmbeddedCassandra.Ring.member(hosts, 2, 7001, "r");
    assertEquals("127.0.0.1:7001,127.0.0.2:7001,127.0.0.3:7001", second.seeds());
    assertEquals("127.0.0.2", second.host());
    assertEquals(Long.toString(Long.MIN_VALUE), first.initialToken());
    assertEquals("-3074457345618258603", second.initialToken());
    assertEquals("3074457345618258602", third.initialToken());
    assertThrows(IllegalArgumentException.class, () -> EmbeddedCassandra.Ring.member(hosts, 3, 7001, "r"));

    var yaml = NodeFiles.cassandraYaml(Path.of("/tmp/n"), "127.0.0.2", 7001, 9044, second.seeds(), "r", false, second.initialToken());
    assertTrue(yaml.contains("\ninitial_token: -3074457345618258603\n"), yaml);
    assertTrue(yaml.contains("\nnum_tokens: 1\n"), yaml);
    var single = NodeFiles.cassandraYaml(Path.of("/tmp/n"), "127.0.0.1", 7001, 9043, "127.0.0.1:7001", "x", true);
    assertEquals(0, Arrays.stream(single.split("\n")).filter(l -> l.startsWith("initial_token")).count(), single);
  }

  @Test
  void ringMembersNeedAFixedStoragePort() {
    assertThrows(IllegalArgumentException.class, () -> new EmbeddedCassandra.Ring("127.0.0.2", 0, "127.0.0.1:7000", "x"));
    assertTrue(EmbeddedCassandra.Ring.SINGLE.single());
  }
}
