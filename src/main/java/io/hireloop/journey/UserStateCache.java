package io.hireloop.journey;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * The state JSON each user's row was last written with by ONE projection handler instance, least recently
 * used users evicted beyond {@code capacity} (0: nothing is kept, every load reads the store unless the group starts a
 * new row).
 *
 * <p>Safe because a user maps to one tag and a tag slice is run by one projection instance at a time: that
 * instance is the only writer of its users' state rows, so the JSON it last wrote is the row. A new cache is
 * made by every handler instance ({@link JourneyProjections#perUserCached}), and Pekko makes a new handler on
 * every projection (re)start — restart after a failure, pause/resume, offset reset (rebuild), slice move —
 * and the handler's {@code start()} empties it as well. Only successful writes are remembered; a failed write
 * forgets the user, whose next group reads the row again.
 *
 * <p>The JSON (not the state object) is kept and decoded on a hit, so a hit gives exactly what reading the
 * row would have given.
 */
public final class UserStateCache {
  public static final String CAPACITY_PATH = "hireloop.projections.user-state-cache-size";
  /** The shipped default of {@link #CAPACITY_PATH}, for projections built without a config (handler tests). */
  public static final int DEFAULT_CAPACITY = 10_000;
  /** How far the journal writer's clock may run ahead of the handler's (event write times are the writer's). */
  public static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofSeconds(60);

  /**
   * Characters of state JSON each user slot of the capacity may hold on average: the cache holds at most
   * {@code capacity} users and {@code capacity x CHARS_PER_SLOT} characters, whichever binds first. A count alone
   * is no bound on memory: a user's state JSON grows with their applications (a soak's histograms put ~150 KB
   * over the projections on a 200-application user).
   */
  static final int CHARS_PER_SLOT = 2_000;

  private final int capacity;
  private final long maxChars;
  private long chars;
  private final LinkedHashMap<String, String> entries;
  private long hits;
  private long misses;
  private long fresh;
  private volatile long startedMillis = System.currentTimeMillis();

  public UserStateCache(int capacity) {
    if (capacity < 0) throw new IllegalArgumentException(CAPACITY_PATH + " must be >= 0: " + capacity);
    this.capacity = capacity;
    this.maxChars = (long) capacity * CHARS_PER_SLOT;
    this.entries = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** One projection instance's share of {@link #CAPACITY_PATH}: see {@link #perInstance}. */
  public static int capacity(ActorSystem<?> system) {
    var config = system.settings().config();
    return perInstance(config.getInt(CAPACITY_PATH), config.getInt("hireloop.journey.slices"));
  }

  /**
   * The setting bounds a projection's cache over all its instances, one per journey slice: each instance gets an
   * even share (at least one user unless the setting is 0). Were it each instance's own bound, a node running every
   * slice would hold slices x the setting per projection — 32 x 10,000 users each for five projections, which a
   * 30-minute soak showed growing the live heap by ~300 MiB and still climbing.
   */
  static int perInstance(int total, int slices) {
    if (total <= 0) return 0;
    return Math.max(1, (total + slices - 1) / slices);
  }

  /** The user's state: decoded from the JSON this instance last wrote, else {@code read} from the store. */
  public <S> CompletionStage<S> load(String userId, Function<String, S> decode, Supplier<CompletionStage<S>> read) {
    String json;
    synchronized (this) {
      json = entries.get(userId);
      if (json == null) misses++;
      else hits++;
    }
    if (json == null) return read.get();
    try {
      return CompletableFuture.completedFuture(decode.apply(json));
    } catch (RuntimeException e) {
      forget(userId);
      return read.get();
    }
  }

  /**
   * {@link #load} for a group whose first envelope {@code first} may start the row ({@code startsRow}: the
   * user's sequence number 1, an application's creation): on a miss nothing is read and the state is
   * {@code empty} when that event was written after this cache (re)started, plus {@link #CLOCK_SKEW_ALLOWANCE}.
   * Such an event cannot have been handled before: an earlier instance of the projection stopped before this
   * one started, and a redelivery after a crash or restart only brings events written before it. So the row
   * does not exist; a group retried by this instance after a failed write folds the same events again. Events
   * written earlier are read as usual, so redelivery after a restart still writes and publishes nothing.
   */
  public <S> CompletionStage<S> load(String key, EventEnvelope<?> first, boolean startsRow, S empty,
      Function<String, S> decode, Supplier<CompletionStage<S>> read) {
    if (!startsRow || first.timestamp() <= startedMillis + CLOCK_SKEW_ALLOWANCE.toMillis()) return load(key, decode, read);
    synchronized (this) {
      // only a miss is a new row: a held entry goes through load, whose decode failure must still read the store
      if (!entries.containsKey(key)) {
        fresh++;
        return CompletableFuture.completedFuture(empty);
      }
    }
    return load(key, decode, read);
  }

  /** {@link #load(String, EventEnvelope, boolean, Object, Function, Supplier)} for a user's row: starts at sequence number 1. */
  public <S> CompletionStage<S> loadUser(String userId, List<? extends EventEnvelope<?>> envelopes, S empty,
      Function<String, S> decode, Supplier<CompletionStage<S>> read) {
    var first = envelopes.get(0);
    return load(userId, first, first.sequenceNr() == 1, empty, decode, read);
  }

  /** {@code write} of the user's state row as {@code json}: remembered when it succeeds, the user forgotten when it fails. */
  public <T> CompletionStage<T> written(String userId, String json, CompletionStage<T> write) {
    return write.whenComplete((v, failure) -> {
      if (failure == null) remember(userId, json);
      else forget(userId);
    });
  }

  synchronized void remember(String userId, String json) {
    if (capacity == 0 || json.length() > maxChars) {
      forget(userId);
      return;
    }
    var previous = entries.put(userId, json);
    chars += json.length() - (previous == null ? 0 : previous.length());
    // least recently used first (access order), never the entry just put: it is the last one
    var eldest = entries.entrySet().iterator();
    while (entries.size() > capacity || chars > maxChars) {
      chars -= eldest.next().getValue().length();
      eldest.remove();
    }
  }

  public synchronized void forget(String userId) {
    var previous = entries.remove(userId);
    if (previous != null) chars -= previous.length();
  }

  /** Characters of JSON held. */
  synchronized long chars() {
    return chars;
  }

  public synchronized void clear() {
    entries.clear();
    chars = 0;
    startedMillis = System.currentTimeMillis();
  }

  public synchronized int size() {
    return entries.size();
  }

  public synchronized long hits() {
    return hits;
  }

  public synchronized long misses() {
    return misses;
  }

  /** Loads that needed no read because the group started a new row. */
  public synchronized long fresh() {
    return fresh;
  }
}
