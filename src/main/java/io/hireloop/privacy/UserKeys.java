package io.hireloop.privacy;

import com.typesafe.config.Config;
import io.hireloop.platform.Json;
import io.hireloop.platform.ReadModelStore;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.crypto.SecretKey;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * Every user's data key (AES-256), stored in {@code user_keys} wrapped by the {@link MasterKey}, created at the user's
 * first write and destroyed by erasure (the row keeps only {@code erased_at}). Lookups go through a bounded in-memory
 * cache whose entries expire after {@code key-cache-ttl}.
 *
 * <p>A destroyed key is announced to every node on {@link #ERASURES_TOPIC}: each node replaces the cached key with
 * {@link Erased} at once. Erased is final: such an entry never expires and no later read (one that raced with the
 * destruction, or a stale replica) replaces it. Pub-sub is at-most-once and a node may have joined late, so the TTL
 * still bounds how long a node that missed the notice may open a destroyed key's data; erasure waits it out before its
 * last sweep ({@link Erasure}).
 *
 * <p>The journal's adapters must answer synchronously, so a cache miss blocks the caller for one key read (a user's
 * first event after a projection met them; a few ms); the key is the only thing read. Entities do not block on the
 * store: {@code JobSeeker} {@link #load}s the key before its recovery and {@link #prepareForWrite}s it before its first
 * write, holding its commands meanwhile.
 */
public final class UserKeys implements Extension {
  public static final String CONFIG = "hireloop.privacy";

  /** Cluster-wide notices of destroyed keys ({@code key_destroyed}: user id and time); not a WebSocket topic. */
  public static final String ERASURES_TOPIC = "privacy:keys-destroyed";

  static final String KEY_DESTROYED = "key_destroyed";

  /** What is known about a user's key. */
  public sealed interface Lookup {}

  public record Present(SecretKey key) implements Lookup {}

  /** The user never wrote anything: no key yet. */
  public record Absent() implements Lookup {}

  /** The key was destroyed: everything sealed with it is unreadable for good. */
  public record Erased(Instant at) implements Lookup {}

  /** The stored row: the wrapped key (null once erased) and the erasure time (null while not). */
  public record Stored(byte[] wrappedKey, Instant erasedAt) {}

  /** The table seam (Cassandra on a node, a map in entity tests). */
  public interface Store {
    CompletionStage<Optional<Stored>> read(String userId);

    /**
     * Stores the wrapped key unless the user has a row already; answers the row's wrapped key either way (so a key is
     * never replaced: that would make everything sealed with the first unreadable). Null: the user was erased.
     */
    CompletionStage<byte[]> create(String userId, byte[] wrappedKey, Instant at);

    CompletionStage<Void> erase(String userId, Instant at);
  }

  private record Cached(Lookup lookup, long loadedNanos) {}

  private final SecretKey master;
  private final Supplier<Store> storeFactory;
  private volatile Store store;
  private final int capacity;
  private final long ttlNanos;
  private final Duration timeout;
  private final Map<String, Cached> cache;
  /** Where destructions are announced; null in tests that build the keys without an actor system. */
  private volatile Topics topics;

  UserKeys(SecretKey master, Supplier<Store> store, int capacity, Duration ttl, Duration timeout) {
    this.master = master;
    this.storeFactory = store;
    this.capacity = capacity;
    this.ttlNanos = ttl.toNanos();
    this.timeout = timeout;
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
        return size() > UserKeys.this.capacity;
      }
    };
  }

  public static UserKeys get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** The master key is parsed here, eagerly: a node with a malformed one fails at start, naming the setting. */
  static UserKeys create(ActorSystem<?> system) {
    Config c = system.settings().config().getConfig(CONFIG);
    var master = MasterKey.from(system.settings().config());
    Supplier<Store> store = c.getString("key-store").equals("memory") ? InMemory::new : () -> cassandra(system);
    var keys = new UserKeys(master, store, c.getInt("key-cache-size"), c.getDuration("key-cache-ttl"), c.getDuration("key-timeout"));
    keys.listen(system);
    return keys;
  }

  /** Subscribes this node to the destruction notices of every node (its own included, harmlessly). */
  private void listen(ActorSystem<?> system) {
    var listener = system.systemActorOf(Behaviors.<StreamMessage>receiveMessage(m -> {
      if (KEY_DESTROYED.equals(m.type())) {
        var data = Json.read(m.dataJson());
        var userId = data.path("user_id").asText(null);
        if (userId != null) erased(userId, Instant.parse(data.path("erased_at").asText()));
      }
      return Behaviors.same();
    }), "user-key-destructions", Props.empty());
    topics = Topics.get(system);
    topics.subscribe(ERASURES_TOPIC, listener);
  }

  public Duration cacheTtl() {
    return Duration.ofNanos(ttlNanos);
  }

  private Store store() {
    var s = store;
    if (s == null) {
      synchronized (this) {
        if (store == null) store = storeFactory.get();
        s = store;
      }
    }
    return s;
  }

  /**
   * The user's key as known now: cached, else read (blocking for the read). A key past the TTL is still served while
   * one read in the background refreshes it, so that the writes and replays of an active user never wait on the
   * store (a blocking read per user every TTL, on the entities' dispatcher, stalled a node under overload); what the
   * TTL bounds — how long a node that missed a destruction notice opens the user's events — stays the TTL plus that
   * one read.
   */
  public Lookup lookup(String userId) {
    var cached = cached(userId);
    return cached != null ? cached : await(load(userId));
  }

  /**
   * The user's key as {@link #lookup} knows it, without blocking the caller: an entity loads it before its recovery
   * opens the user's events, so that no journal reader waits on the store for it.
   */
  public CompletionStage<Lookup> load(String userId) {
    var cached = cached(userId);
    if (cached != null) return CompletableFuture.completedFuture(cached);
    return store().read(userId).thenApply(stored -> {
      var lookup = fromStore(userId, stored);
      remember(userId, lookup);
      return lookup;
    });
  }

  /** What the cache answers without the store: null when the store must be read. */
  private Lookup cached(String userId) {
    Cached hit;
    synchronized (cache) {
      hit = cache.get(userId);
    }
    if (hit == null) return null;
    if (hit.lookup() instanceof Erased || System.nanoTime() - hit.loadedNanos() < ttlNanos) return hit.lookup();
    if (hit.lookup() instanceof Present) {
      refreshInBackground(userId);
      return hit.lookup();
    }
    return null;
  }

  /**
   * {@code behavior} (a user's entity) once the user's key is {@link #load}ed: messages that arrive before are held and
   * then handed to it in order; {@code loaded} is the message this wrapper sends itself (compared by identity). A load
   * that fails starts the entity all the same (its recovery reads the key the blocking way, and fails as it did).
   */
  public <T> Behavior<T> loadedBefore(String userId, T loaded, Behavior<T> behavior) {
    return Behaviors.withStash(STASH_CAPACITY, stash -> Behaviors.setup(ctx -> {
      ctx.pipeToSelf(load(userId), (lookup, failure) -> loaded);
      return Behaviors.receiveMessage(m -> {
        if (m == loaded) return stash.unstashAll(behavior);
        stash.stash(m);
        // a full hold stops waiting (a late `loaded` then reaches the entity, which must ignore it)
        return stash.isFull() ? stash.unstashAll(behavior) : Behaviors.same();
      });
    }));
  }

  /** How many messages an entity holds while its key loads (sharding delivers few before; a full stash stops waiting). */
  private static final int STASH_CAPACITY = 1_000;

  /** True when a write can be sealed now, without waiting on the store: the user's key is in the cache. */
  public boolean writable(String userId) {
    return cached(userId) instanceof Present;
  }

  private final java.util.Set<String> refreshing = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** One read at a time per user; a failed one leaves the cached key (the next lookup past the TTL tries again). */
  private void refreshInBackground(String userId) {
    if (!refreshing.add(userId)) return;
    store().read(userId).whenComplete((stored, failure) -> {
      refreshing.remove(userId);
      if (failure == null && stored != null) remember(userId, fromStore(userId, stored));
    });
  }

  private Lookup fromStore(String userId, Optional<Stored> stored) {
    return stored.isEmpty() ? new Absent()
        : stored.get().wrappedKey() == null ? new Erased(stored.get().erasedAt())
        : new Present(unwrap(userId, stored.get().wrappedKey()));
  }

  /**
   * The key to seal a new write with, created and stored (before returning) at the user's first write. Entities call
   * {@link #prepareForWrite} first and wait for it without blocking, so this finds the key cached.
   *
   * @throws IllegalStateException for an erased user: the entity refuses their writes before sealing anything
   */
  public SecretKey keyForWrite(String userId) {
    // every sealed event comes here: a cached key is answered without a future
    var lookup = cached(userId) instanceof Present p ? p : await(prepareForWrite(userId));
    if (lookup instanceof Present p) return p.key();
    throw new IllegalStateException("user " + userId + " was erased: nothing more is sealed for them");
  }

  /**
   * The user's key for writing, created at their first write (a lightweight transaction in the store, so it must not
   * run on an entity's thread): {@link Present}, or {@link Erased} for a user whose key was destroyed. Never
   * {@link Absent}.
   */
  public CompletionStage<Lookup> prepareForWrite(String userId) {
    return load(userId).thenCompose(lookup -> {
      if (!(lookup instanceof Absent)) return CompletableFuture.completedFuture(lookup);
      var wrapped = Aead.seal(master, Aead.newKey().getEncoded(), associated(userId));
      return store().create(userId, wrapped, Instant.now()).thenApply(stored -> {
        Lookup created = stored == null ? new Erased(Instant.now()) : new Present(unwrap(userId, stored));
        remember(userId, created);
        return created;
      });
    });
  }

  /** Destroys the user's key (the row keeps only the erasure time), forgets it here and tells every node to. */
  public CompletionStage<Void> destroy(String userId, Instant at) {
    return store().erase(userId, at).thenRun(() -> {
      remember(userId, new Erased(at));
      var t = topics;
      if (t != null) t.publish(StreamMessage.of(ERASURES_TOPIC, KEY_DESTROYED, Map.of("user_id", userId, "erased_at", at.toString())));
    });
  }

  /** Another node destroyed the user's key: forget it here, for good. */
  void erased(String userId, Instant at) {
    remember(userId, new Erased(at));
    for (var l : erasureListeners) l.accept(userId);
  }

  private final java.util.List<java.util.function.Consumer<String>> erasureListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * {@code forget} is called with the user's id when this node learns that a user's key was destroyed (by any node):
   * for what a node holds in memory, derived from the user's events, beyond the key cache.
   */
  public void onErased(java.util.function.Consumer<String> forget) {
    erasureListeners.add(forget);
  }

  /**
   * A read that raced with the key's creation (it saw no row) never hides the key created meanwhile; nothing replaces
   * an erasure (a read that started before the destruction would bring the key back for a TTL).
   */
  private void remember(String userId, Lookup lookup) {
    synchronized (cache) {
      var known = cache.get(userId);
      if (known != null && known.lookup() instanceof Erased && !(lookup instanceof Erased)) return;
      if (lookup instanceof Absent && known != null && known.lookup() instanceof Present) return;
      cache.put(userId, new Cached(lookup, System.nanoTime()));
    }
  }

  private SecretKey unwrap(String userId, byte[] wrapped) {
    try {
      return Aead.key(Aead.open(master, wrapped, associated(userId)));
    } catch (Aead.Unreadable e) {
      throw new IllegalStateException("the data key of " + userId + " does not open with " + MasterKey.PATH
          + ": is every node configured with the same master key?", e);
    }
  }

  private static String associated(String userId) {
    return "hireloop/user-key/" + userId;
  }

  private <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading a user key", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("user key store did not answer: " + e, e);
    }
  }

  static Store cassandra(ActorSystem<?> system) {
    var session = CassandraSessionRegistry.get(system).sessionFor(ReadModelStore.SESSION_CONFIG);
    var table = system.settings().config().getString("hireloop.cassandra.keyspace") + ".user_keys";
    return new Store() {
      @Override
      public CompletionStage<Optional<Stored>> read(String userId) {
        return session.selectOne("SELECT wrapped_key, erased_at FROM " + table + " WHERE user_id = ?", userId)
            .thenApply(row -> row.map(r -> new Stored(bytes(r.getByteBuffer("wrapped_key")), r.getInstant("erased_at"))));
      }

      @Override
      public CompletionStage<byte[]> create(String userId, byte[] wrappedKey, Instant at) {
        // a lightweight transaction, once per user: two writers (a shard handover) can never replace each other's key
        var insert = com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(
            "INSERT INTO " + table + " (user_id, wrapped_key, created_at) VALUES (?, ?, ?) IF NOT EXISTS",
            userId, ByteBuffer.wrap(wrappedKey), at);
        return session.underlying().thenCompose(s -> s.executeAsync(insert)).thenApply(rs -> {
          if (rs.wasApplied()) return wrappedKey;
          return bytes(rs.one().getByteBuffer("wrapped_key"));
        });
      }

      @Override
      public CompletionStage<Void> erase(String userId, Instant at) {
        return session.executeWrite("UPDATE " + table + " SET wrapped_key = null, created_at = null, erased_at = ? WHERE user_id = ?",
            at, userId).thenApply(d -> null);
      }
    };
  }

  private static byte[] bytes(ByteBuffer b) {
    if (b == null) return null;
    var out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  /** For entity tests without Cassandra ({@code hireloop.privacy.key-store = memory}): the same rules, in a map. */
  static final class InMemory implements Store {
    private final Map<String, Stored> rows = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Optional<Stored>> read(String userId) {
      return CompletableFuture.completedFuture(Optional.ofNullable(rows.get(userId)));
    }

    @Override
    public CompletionStage<byte[]> create(String userId, byte[] wrappedKey, Instant at) {
      return CompletableFuture.completedFuture(rows.computeIfAbsent(userId, u -> new Stored(wrappedKey, null)).wrappedKey());
    }

    @Override
    public CompletionStage<Void> erase(String userId, Instant at) {
      rows.put(userId, new Stored(null, at));
      return CompletableFuture.completedFuture(null);
    }
  }

  static final class Id extends ExtensionId<UserKeys> {
    static final Id INSTANCE = new Id();

    @Override
    public UserKeys createExtension(ActorSystem<?> system) {
      return create(system);
    }
  }
}
