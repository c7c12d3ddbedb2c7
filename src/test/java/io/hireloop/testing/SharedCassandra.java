package io.hireloop.testing;

import io.hireloop.platform.cassandra.EmbeddedCassandra;
import java.nio.file.Path;
import java.util.UUID;

/**
 * One embedded Cassandra per test JVM, started on first use and stopped when the JVM exits (the
 * node's own shutdown hook). Integration tests share it, each with its own keyspace, because a start
 * costs tens of seconds.
 */
public final class SharedCassandra {
  private static EmbeddedCassandra node;

  private SharedCassandra() {}

  public static synchronized EmbeddedCassandra get() {
    if (node == null) {
      var dataDir = Path.of("target", "test-cassandra", UUID.randomUUID().toString());
      node = EmbeddedCassandra.start(
          // Every test class's node adds its own keyspaces (~70 tables); each table holds about a megabyte of heap
          // (metrics, memtable), and a fork's ~750 tables filled a 1 GB heap.
          EmbeddedCassandra.Settings.defaults(dataDir).withMaxHeap("2G"),
          line -> System.out.println("[shared-cassandra] " + line));
    }
    return node;
  }
}
