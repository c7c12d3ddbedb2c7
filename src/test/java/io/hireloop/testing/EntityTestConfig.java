package io.hireloop.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * Actor-system config for entity tests with {@link EventSourcedBehaviorTestKit}: in-memory journal and
 * snapshot store, users' data keys in memory, the app's own Kryo serialization (the testkit round-trips every command, event and
 * state through it), and a local provider instead of application.conf's cluster.
 */
public final class EntityTestConfig {
  private EntityTestConfig() {}

  public static Config config() {
    return ConfigFactory.parseString("""
            pekko.actor.provider = local
            pekko.remote.artery.canonical.port = 0
            pekko.loglevel = WARNING
            # users' data keys in memory: entity tests have no Cassandra
            hireloop.privacy.key-store = memory
            """)
        .withFallback(EventSourcedBehaviorTestKit.config())
        // application.conf points snapshots at Cassandra; JobSeeker snapshots every 100 events
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  /** Serialization of commands, events and state on, and the deserialized copy must equal the original. */
  public static EventSourcedBehaviorTestKit.SerializationSettings strictSerialization() {
    return EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true);
  }
}
