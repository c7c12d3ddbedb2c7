package io.hireloop.testing;

import io.hireloop.platform.ReadModelStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.projection.testkit.javadsl.ProjectionTestKit;

/**
 * A light setup for projection handler tests with ProjectionTestKit: a local actor system (no cluster, no
 * HTTP, no projections of its own) with a {@link ReadModelStore} on the shared embedded Cassandra. Every
 * test class shares the read-model keyspace {@code handlers_rm}, so its tables are created once per JVM
 * (the schema is idempotent); tests keep apart by their own user ids and read only their users' rows.
 */
public final class ReadModelTestKit implements AutoCloseable {
  public static final String PREFIX = "handlers";

  private final ActorTestKit testKit;
  private final ReadModelStore store;

  private ReadModelTestKit(ActorTestKit testKit, ReadModelStore store) {
    this.testKit = testKit;
    this.store = store;
  }

  public static ReadModelTestKit start(String name) {
    var m = TestNodes.isolated(PREFIX);
    m.put("pekko.actor.provider", "local");
    var config = TestNodes.onSharedCassandra(m);
    var testKit = ActorTestKit.create(name, config);
    try {
      var store = new ReadModelStore(testKit.system());
      store.createSchema().toCompletableFuture().get(180, TimeUnit.SECONDS);
      return new ReadModelTestKit(testKit, store);
    } catch (Exception e) {
      testKit.shutdownTestKit();
      throw new IllegalStateException("cannot create the read-model schema", e);
    }
  }

  public ActorTestKit testKit() {
    return testKit;
  }

  public ReadModelStore store() {
    return store;
  }

  public ProjectionTestKit projections() {
    return ProjectionTestKit.create(testKit.system());
  }

  /** A unique id for this run (users, applications), so classes sharing the keyspace never meet. */
  public static String unique(String prefix) {
    return prefix + "-" + Long.toString(System.nanoTime(), 36);
  }

  public static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  @Override
  public void close() {
    testKit.shutdownTestKit();
  }
}
