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
    return handler(store, capacity, caches, false);
  }

  /** With {@code skipFirstRead} the fold loads like the projections do: no read for a group that starts at seq nr 1. */
  static Handler<List<EventEnvelope<JourneyEvent>>> handler(Store store, int capacity, List<UserStateCache> caches,
      boolean skipFirstRead) {
    return JourneyProjections.perUserCached(capacity, (cache, userId, envelopes) -> {
      caches.add(cache);
      var loaded = skipFirstRead
          ? cache.loadUser(userId, envelopes, 0L, Long::parseLong, () -> store.read(userId))
          : cache.load(userId, Long::parseLong, () -> store.read(userId));
      return loaded.thenCompose(before -> {
        long state = before;
        for (var env : envelopes) if (env.sequenceNr() > state) state = env.sequenceNr();
        if (state == before) return CompletableFuture.completedFuture(Done.getInstance());
        var json = Long.toString(state);
        return cache.written(userId, json, store.write(userId, json));
      });
    });
  }

  /** Envelopes of seq nrs {@code fromSeq..toSeq}, written long ago (their timestamp is the seq nr). */
  static List<EventEnvelope<JourneyEvent>> group(String userId, long fromSeq, long toSeq) {
    return groupWrittenAt(userId, fromSeq, toSeq, -1);
  }

  /** Envelopes written at {@code writtenAt} (epoch ms; -1: at their seq nr, long ago). */
  static List<EventEnvelope<JourneyEvent>> groupWrittenAt(String userId, long fromSeq, long toSeq, long writtenAt) {
    var out = new ArrayList<EventEnvelope<JourneyEvent>>();
    var pid = PersistenceId.of(JobSeeker.ENTITY_KEY.name(), userId).id();
    for (long s = fromSeq; s <= toSeq; s++) {
      out.add(EventEnvelope.create(Offset.sequence(s), pid, s, (JourneyEvent) null, writtenAt < 0 ? s : writtenAt));
    }
    return out;
  }

  /** A write time the cache counts as after its start: beyond the clock-skew allowance. */
  static long afterStart() {
    return System.currentTimeMillis() + UserStateCache.CLOCK_SKEW_ALLOWANCE.toMillis() + 60_000;
  }

  static void process(Handler<List<EventEnvelope<JourneyEvent>>> handler, List<EventEnvelope<JourneyEvent>> group) throws Exception {
    handler.process(group).toCompletableFuture().join();
  }

  @Test
  void largeStatesTakeSeveralSlots() {
    var cache = new UserStateCache(10); // at most 10 users and 20,000 characters
    cache.remember("a", "x".repeat(8_000));
    cache.remember("b", "y".repeat(8_000));
    cache.remember("c", "z".repeat(8_000)); // 24,000 > 20,000: the least recently used goes
    assertEquals(2, cache.size());
    assertEquals(16_000, cache.chars());
    cache.remember("b", "y"); // replaced: its characters are given back
    assertEquals(8_001, cache.chars());
    for (int i = 0; i < 12; i++) cache.remember("s" + i, "{}");
    assertEquals(10, cache.size(), "and never more users than the capacity");
    cache.remember("huge", "h".repeat(20_001));
    assertEquals(10, cache.size(), "a state larger than the whole budget is not kept");
    cache.forget("s11");
    cache.clear();
    assertEquals(0, cache.chars());
  }

  @Test
  void theSettingIsSharedByTheSlicesInstances() {
    assertEquals(313, UserStateCache.perInstance(10_000, 32), "32 instances hold at most ~10,000 together");
    assertEquals(10_000, UserStateCache.perInstance(10_000, 1));
    assertEquals(1, UserStateCache.perInstance(5, 32), "never less than one user while on");
    assertEquals(0, UserStateCache.perInstance(0, 32), "0 is off");
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
  void aNewUsersFirstGroupReadsNothing() throws Exception {
    var store = new Store();
    var caches = new ArrayList<UserStateCache>();
    var handler = handler(store, 10, caches, true);
    long now = afterStart();
    process(handler, groupWrittenAt("u1", 1, 3, now));
    process(handler, groupWrittenAt("u1", 4, 5, now));
    assertEquals(0, store.reads, "a user whose first event was written after the start has no row; then the cache holds it");
    assertEquals("5", store.rows.get("u1"));
    assertEquals(1, caches.get(0).fresh());
    assertEquals(1, caches.get(0).hits());
    var restarted = handler(store, 10, caches, true);
    process(restarted, groupWrittenAt("u1", 6, 6, now));
    assertEquals(1, store.reads, "a group from seq nr 2 on reads the row");
    assertEquals("6", store.rows.get("u1"));
  }

  @Test
  void aRedeliveryAfterARestartStillReadsTheRow() throws Exception {
    // the row holds seq nr 5, but the offset was saved before the user's first event (a crash in between):
    // the new instance gets 1..5 again (written before it started), then 6
    var store = new Store();
    store.rows.put("u1", "5");
    var caches = new ArrayList<UserStateCache>();
    var handler = handler(store, 10, caches, true);
    process(handler, group("u1", 1, 3));
    process(handler, group("u1", 4, 5));
    assertEquals(2, store.reads, "both groups read the row (only written states are remembered)");
    assertEquals(0, store.writes, "the redelivered events change nothing (the row never goes back)");
    process(handler, groupWrittenAt("u1", 6, 6, afterStart()));
    assertEquals("6", store.rows.get("u1"));
    assertEquals(0, caches.get(0).fresh());
  }

  @Test
  void aFailedFirstGroupIsRetriedFromEmptyAndACachedUserIsNotReset() throws Exception {
    var store = new Store();
    var caches = new ArrayList<UserStateCache>();
    var handler = handler(store, 10, caches, true);
    long now = afterStart();
    store.failWrites = true;
    assertThrows(CompletionException.class, () -> process(handler, groupWrittenAt("u1", 1, 3, now)));
    store.failWrites = false;
    process(handler, groupWrittenAt("u1", 1, 3, now)); // the retry
    assertEquals("3", store.rows.get("u1"));
    process(handler, groupWrittenAt("u1", 1, 3, now)); // and once more: now the cache holds the row
    assertEquals(1, store.writes, "the cached state skips the replay");
    assertEquals(0, store.reads);
    assertEquals(2, caches.get(0).fresh());
    assertEquals(1, caches.get(0).hits());
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
