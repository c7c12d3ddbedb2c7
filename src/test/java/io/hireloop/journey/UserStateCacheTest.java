package io.hireloop.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;
import org.junit.jupiter.api.Test;

/**
 * {@link UserStateCache} and {@link JourneyProjections#perUserCached} without Cassandra: a fold whose state
 * is the last sequence number folded in (like as_of_seq_nr), a row store that counts reads and can fail writes.
 */
class UserStateCacheTest {

  /** The rows of one "projection": user → state JSON (the last folded seq nr), with read/write counts. */
  static final class Store {
    final Map<String, String> rows = new HashMap<>();
    int reads;
    int writes;
    boolean failWrites;

    CompletionStage<Long> read(String userId) {
      reads++;
      return CompletableFuture.completedFuture(Long.parseLong(rows.getOrDefault(userId, "0")));
    }

    CompletionStage<Done> write(String userId, String json) {
      if (failWrites) return CompletableFuture.failedFuture(new IllegalStateException("write timed out"));
      writes++;
      rows.put(userId, json);
      return CompletableFuture.completedFuture(Done.getInstance());
    }
  }

  /** A projection over the store: folds envelopes above the stored seq nr, writes only when it moved. */
  static Handler<List<EventEnvelope<JourneyEvent>>> handler(Store store, int capacity, List<UserStateCache> caches) {
    return JourneyProjections.perUserCached(capacity, (cache, userId, envelopes) -> {
      caches.add(cache);
      return cache.load(userId, Long::parseLong, () -> store.read(userId)).thenCompose(before -> {
        long state = before;
        for (var env : envelopes) if (env.sequenceNr() > state) state = env.sequenceNr();
        if (state == before) return CompletableFuture.completedFuture(Done.getInstance());
        var json = Long.toString(state);
        return cache.written(userId, json, store.write(userId, json));
      });
    });
  }

  static List<EventEnvelope<JourneyEvent>> group(String userId, long fromSeq, long toSeq) {
    var out = new ArrayList<EventEnvelope<JourneyEvent>>();
    var pid = PersistenceId.of(JobSeeker.ENTITY_KEY.name(), userId).id();
    for (long s = fromSeq; s <= toSeq; s++) out.add(EventEnvelope.create(Offset.sequence(s), pid, s, (JourneyEvent) null, s));
    return out;
  }

  static void process(Handler<List<EventEnvelope<JourneyEvent>>> handler, List<EventEnvelope<JourneyEvent>> group) throws Exception {
    handler.process(group).toCompletableFuture().join();
  }

  @Test
  void aHitSkipsTheReadAMissReads() throws Exception {
    var store = new Store();
    var caches = new ArrayList<UserStateCache>();
    var handler = handler(store, 10, caches);
    handler.start().toCompletableFuture().join();
    process(handler, group("u1", 1, 3));
    assertEquals(1, store.reads);
    process(handler, group("u1", 4, 5));
    process(handler, group("u1", 6, 6));
    assertEquals(1, store.reads, "the state this instance wrote is not read again");
    assertEquals(3, store.writes);
    assertEquals("6", store.rows.get("u1"));
    process(handler, group("u2", 1, 1));
    assertEquals(2, store.reads, "another user is a miss");
    assertEquals(2, caches.get(0).hits());
    assertEquals(2, caches.get(0).misses());
  }

  @Test
  void aRedeliveredGroupChangesNothingOnAHit() throws Exception {
    var store = new Store();
    var handler = handler(store, 10, new ArrayList<>());
    process(handler, group("u1", 1, 4));
    process(handler, group("u1", 2, 4)); // at-least-once redelivery
    assertEquals(1, store.writes, "as_of_seq_nr still makes the replay a no-op");
    process(handler, group("u1", 3, 7));
    assertEquals("7", store.rows.get("u1"));
    assertEquals(1, store.reads);
  }

  @Test
  void aFailedWriteDoesNotPoisonTheCache() throws Exception {
    var store = new Store();
    var handler = handler(store, 10, new ArrayList<>());
    process(handler, group("u1", 1, 2));
    store.failWrites = true;
    assertThrows(CompletionException.class, () -> process(handler, group("u1", 3, 5)));
    store.failWrites = false;
    // the same instance retries the group (retry recovery): the row is read again, the state is the fold of what was written
    process(handler, group("u1", 3, 5));
    assertEquals(2, store.reads, "after a failed write the user's row is read again");
    assertEquals("5", store.rows.get("u1"));
    process(handler, group("u1", 6, 6));
    assertEquals(2, store.reads);
    assertEquals("6", store.rows.get("u1"));
  }

  @Test
  void aNewHandlerInstanceStartsEmpty() throws Exception {
    var store = new Store();
    var caches = new ArrayList<UserStateCache>();
    var first = handler(store, 10, caches);
    process(first, group("u1", 1, 3));
    // a rebuild: the rows are truncated and the offsets reset, then the projection restarts with a new handler
    store.rows.clear();
    var second = handler(store, 10, caches);
    second.start().toCompletableFuture().join();
    process(second, group("u1", 1, 3));
    assertEquals("3", store.rows.get("u1"), "a stale cache would have skipped the replay and left no row");
    assertEquals(2, store.reads);
    assertEquals(2, caches.stream().distinct().count());
  }

  @Test
  void startEmptiesTheCache() throws Exception {
    var store = new Store();
    var handler = handler(store, 10, new ArrayList<>());
    process(handler, group("u1", 1, 3));
    store.rows.clear();
    handler.start().toCompletableFuture().join(); // restarted with the same instance
    process(handler, group("u1", 1, 3));
    assertEquals("3", store.rows.get("u1"));
    assertEquals(2, store.reads);
  }

  @Test
  void leastRecentlyUsedUsersAreEvictedAndZeroDisables() throws Exception {
    var store = new Store();
    var caches = new ArrayList<UserStateCache>();
    var handler = handler(store, 2, caches);
    process(handler, group("a", 1, 1));
    process(handler, group("b", 1, 1));
    process(handler, group("a", 2, 2)); // a is now more recent than b
    process(handler, group("c", 1, 1)); // evicts b
    assertEquals(3, store.reads);
    assertEquals(2, caches.get(0).size());
    process(handler, group("a", 3, 3));
    assertEquals(3, store.reads, "a was kept");
    process(handler, group("b", 2, 2));
    assertEquals(4, store.reads, "b was evicted");
    assertEquals("2", store.rows.get("b"));

    var off = new Store();
    var disabled = handler(off, 0, new ArrayList<>());
    process(disabled, group("a", 1, 1));
    process(disabled, group("a", 2, 2));
    assertEquals(2, off.reads);
    assertEquals("2", off.rows.get("a"));
  }

  @Test
  void anUndecodableEntryFallsBackToTheStore() {
    var cache = new UserStateCache(4);
    cache.written("u", "not a number", CompletableFuture.completedFuture(Done.getInstance())).toCompletableFuture().join();
    var store = new Store();
    store.rows.put("u", "9");
    assertEquals(9L, cache.load("u", Long::parseLong, () -> store.read("u")).toCompletableFuture().join());
    assertEquals(0, cache.size());
  }
}
