package io.hireloop.learning;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The champion of one registry model, decoded and kept in memory: asks the registry which version is champion on
 * every call (so a promotion or rollback serves at once) and loads that version's bytes from Cassandra only when
 * the version or its online revision changed.
 */
final class Champions<T> {
  /** {@code revision}: the version's online revision that was loaded (0: as trained). */
  record Loaded<T>(int version, int revision, T model) {}

  private final ActorSystem<?> system;
  private final ModelStore store;
  private final String model;
  private final Function<byte[], T> decode;
  private final Duration askTimeout;
  private final AtomicReference<Loaded<T>> loaded = new AtomicReference<>();
  /** How long an answer of the registry is trusted before it is asked again ({@code hireloop.learning.champion-cache}). */
  private final long cacheNanos;
  private volatile long checkedAt;

  Champions(ActorSystem<?> system, ModelStore store, String model, Function<byte[], T> decode, Duration askTimeout) {
    this.system = system;
    this.store = store;
    this.model = model;
    this.decode = decode;
    this.askTimeout = askTimeout;
    this.cacheNanos = system.settings().config().getDuration("hireloop.learning.champion-cache").toNanos();
  }

  /**
   * Fails with {@link NoModelYet} while the model has no champion. The registry is asked at most once per
   * {@code cacheNanos} while a champion is loaded: a promotion, rollback or new online revision serves everywhere
   * within that time, and a prediction does not pay a round trip to the registry's shard.
   */
  CompletionStage<Loaded<T>> champion() {
    var current = loaded.get();
    if (current != null && System.nanoTime() - checkedAt < cacheNanos) return CompletableFuture.completedFuture(current);
    return ask();
  }

  private CompletionStage<Loaded<T>> ask() {
    long asked = System.nanoTime();
    return ClusterSharding.get(system).entityRefFor(ModelRegistry.ENTITY_KEY, model)
        .<ModelRegistry.Champion>ask(ModelRegistry.GetChampion::new, askTimeout)
        .thenCompose(champion -> {
          var card = champion.card();
          if (card == null) throw new NoModelYet(model);
          int version = card.version();
          int revision = champion.revision();
          var current = loaded.get();
          if (current != null && current.version() == version && current.revision() == revision) {
            checkedAt = asked;
            return CompletableFuture.completedFuture(current);
          }
          return store.load(model, version, revision).thenApply(bytes -> {
            var l = new Loaded<>(version, revision, decode.apply(bytes.orElseThrow(() ->
                new IllegalStateException("no stored bytes for " + model + " v" + version + " revision " + revision))));
            loaded.set(l);
            checkedAt = asked;
            return l;
          });
        });
  }
}
