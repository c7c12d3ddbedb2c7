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
          EmbeddedCassandra.Settings.defaults(dataDir).withMaxHeap("1G"),
          line -> System.out.println("[shared-cassandra] " + line));
    }
    return node;
  }
}
