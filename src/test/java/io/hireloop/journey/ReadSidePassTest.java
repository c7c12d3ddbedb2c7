package io.hireloop.journey;

import static io.hireloop.testing.Events.batch;
import static io.hireloop.testing.Events.created;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.platform.Json;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The read-side pass on a real cluster member and the real Cassandra journal: every registered read model gets
 * every event of every user, in order, through one query per slice; a failing read model costs the others only
 * idempotent redeliveries; a rebuild replays one read model while the others keep theirs; and a journal written
 * with fewer slices is read whole after the count grows.
 */
class ReadSidePassTest {
  private static final Instant T = Instant.parse("2026-11-23T09:00:00Z");
  private final List<ActorTestKit> kits = new ArrayList<>();

  @AfterEach
  void stop() {
    kits.forEach(ActorTestKit::shutdownTestKit);
  }

  @Test
  void everyReadModelGetsEveryEventInOrderAndAFailingOneCostsTheOthersOnlyRedeliveries() {
    var a = new Recording("a");
    var b = new Recording("b");
    b.failNext.set(2);
    var kit = start("pass1", Map.of("hireloop.journey.slices", 8), a, b);
    var service = new JourneyService(kit.system(), Duration.ofSeconds(30));
    ingest(service, 40, 1, 3);
    await().atMost(Duration.ofSeconds(120)).until(() -> a.hasAll(40, 3) && b.hasAll(40, 3));
    assertEquals(List.of(), a.violations, "no gap and no reordering for any user");
    assertEquals(List.of(), b.violations);
    assertTrue(b.failures.get() >= 2, "b failed its first groups: " + b.failures.get());
    assertTrue(b.handlers.get() > 8, "each failure restarted its slice's pass with new handlers: " + b.handlers.get());

    // one offset per slice, saved by the pass for all read models; none per read model
    var slices = JourneyProjections.get(kit.system()).slices();
    var offsets = new io.hireloop.platform.ReadModelStore(kit.system()).session()
        .selectAll("SELECT projection_name, projection_key FROM pass1_offsets.offset_store").toCompletableFuture().join();
    var names = new java.util.HashSet<String>();
    offsets.forEach(row -> names.add(row.getString("projection_name")));
    assertEquals(java.util.Set.of(JourneyProjections.PASS), names);
    assertTrue(offsets.size() >= 4 && offsets.size() <= slices.count(), "40 users spread over most of the 8 slices: " + offsets.size());

    // rebuild a: a is replayed whole from the journal by a new handler, b is not given the old events again
    b.oldUpTo = 3;
    a.clear();
    var projections = JourneyProjections.get(kit.system());
    projections.rebuild("a").toCompletableFuture().join();
    ingest(service, 40, 4, 5); // written while the pass is paused or replaying: wait in the journal
    await().atMost(Duration.ofSeconds(120)).until(() -> a.hasAll(40, 5) && b.hasAll(40, 5));
    assertEquals(List.of(), a.violations, "the replay and the pass after it gave a's events in order");
    assertEquals(0, b.oldDeliveries.get(), "b was not given its old events again");
    var rows = await().atMost(Duration.ofSeconds(60)).until(() -> projections.status().toCompletableFuture().join(),
        list -> list.stream().filter(s -> s.name().equals("a")).allMatch(s -> s.rebuild() != null
            && s.rebuild().slicesDone() == slices.count() && !s.paused()));
    var progress = rows.stream().filter(s -> s.name().equals("a")).findFirst().orElseThrow().rebuild();
    assertEquals(null, progress.failure());
    assertEquals(40 * 3, progress.replayedEvents(), "the replay stopped at the pass's offset");
  }

  @Test
  void aJournalWrittenWithFourSlicesIsReadWholeAfterMovingToEight() {
    var before = new Recording("c");
    var kit = start("pass2", Map.of("hireloop.journey.slices", 4), before);
    ingest(new JourneyService(kit.system(), Duration.ofSeconds(30)), 30, 1, 2);
    await().atMost(Duration.ofSeconds(120)).until(() -> before.hasAll(30, 2));
    kit.shutdownTestKit();
    kits.remove(kit);

    // a node configured with another count than the journal's refuses to start
    var refused = org.junit.jupiter.api.Assertions.assertThrows(SliceHistory.Mismatch.class,
        () -> start("pass2", Map.of("hireloop.journey.slices", 8), new Recording("c")));
    assertTrue(refused.getMessage().contains("tagged with 4 journey slices"), refused.getMessage());
    kits.remove(kits.size() - 1).shutdownTestKit();

    // the cluster restarts with 8 slices (resize on): the users' first events stay under the 4-slice tags
    var after = new Recording("c");
    after.firstExpected = 3; // slices 0-3 go on from their offsets; the new slices 4-7 also give events 1-2 again
    var moved = start("pass2", Map.of("hireloop.journey.slices", 8, "hireloop.journey.resize", true), after);
    ingest(new JourneyService(moved.system(), Duration.ofSeconds(30)), 30, 3, 4);
    await().atMost(Duration.ofSeconds(120)).until(() -> after.hasAll(30, 4));
    after.clear();
    JourneyProjections.get(moved.system()).rebuild("c").toCompletableFuture().join();
    await().atMost(Duration.ofSeconds(120)).until(() -> after.hasAll(30, 4));
    assertEquals(List.of(), after.violations, "every user's events, old tags then new, in order");
  }

  /** {@code users} users, each given events {@code from..to} (an application, then status changes). */
  private static void ingest(JourneyService service, int users, int from, int to) {
    var events = new ArrayList<Map<String, Object>>();
    for (int u = 0; u < users; u++) {
      for (int k = from; k <= to; k++) {
        var user = "rsp-" + u;
        events.add(k == 1 ? created(user + "-e1", user, "a-1", T)
            : created(user + "-e" + k, user, "a-" + k, T.plusSeconds(60L * k)));
      }
    }
    var parsed = IngestParser.parse(Json.MAPPER.valueToTree(batch(events)));
    assertTrue(parsed.ok(), parsed.problems().toString());
    var outcome = service.ingest(parsed.items()).toCompletableFuture().join();
    assertEquals(List.of(), outcome.problems());
  }

  private ActorTestKit start(String prefix, Map<String, Object> extra, Recording... models) {
    var m = TestNodes.isolated(prefix);
    m.putAll(extra);
    var config = TestNodes.onSharedCassandra(m);
    var kit = ActorTestKit.create(prefix, config);
    kits.add(kit);
    var system = kit.system();
    var cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    try {
      CassandraProjection.createTablesIfNotExists(system).toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    var store = new io.hireloop.platform.ReadModelStore(system);
    JourneySlices slices;
    try {
      store.createSchema().toCompletableFuture().get(120, TimeUnit.SECONDS);
      slices = SliceHistory.resolve(SliceHistory.cassandra(store.session(), store.table("journey_slices"), prefix + "_offsets"),
          JourneySlices.configuredCount(config), config.getBoolean(SliceHistory.RESIZE_PATH)).toCompletableFuture().join();
    } catch (java.util.concurrent.CompletionException e) {
      throw (RuntimeException) e.getCause();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    var projections = JourneyProjections.get(system);
    projections.useSlices(slices);
    JobSeeker.init(system);
    for (var model : models) projections.init(model.name, model::handler, model::truncate);
    projections.start();
    return kit;
  }

  /** A read model that records what it was given: per user, the sequence numbers in delivery order. */
  static final class Recording {
    final String name;
    final Map<String, Long> contiguous = new ConcurrentHashMap<>();
    final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger failNext = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger handlers = new AtomicInteger();
    /** Deliveries of sequence numbers up to {@code oldUpTo} from when it was set. */
    final java.util.concurrent.atomic.AtomicLong oldDeliveries = new java.util.concurrent.atomic.AtomicLong();
    volatile long oldUpTo;
    /** The first sequence number expected of a user not seen yet (after {@link #clear()} of a moved journal: 1). */
    volatile long firstExpected = 1;

    Recording(String name) {
      this.name = name;
    }

    Handler<List<EventEnvelope<JourneyEvent>>> handler() {
      handlers.incrementAndGet();
      return new Handler<>() {
        @Override
        public CompletionStage<Done> process(List<EventEnvelope<JourneyEvent>> group) {
          if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            failures.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("planted failure of " + name));
          }
          for (var env : group) {
            if (env.sequenceNr() <= oldUpTo) oldDeliveries.incrementAndGet();
            var user = JobSeeker.userIdOf(env.persistenceId());
            long seq = env.sequenceNr();
            contiguous.compute(user, (u, max) -> {
              long m = max == null ? firstExpected - 1 : max;
              if (seq <= m) return m; // a redelivery
              if (seq == m + 1) return seq;
              violations.add(user + ": " + seq + " after " + m);
              return m;
            });
          }
          return CompletableFuture.completedFuture(Done.getInstance());
        }
      };
    }

    CompletionStage<Done> truncate() {
      contiguous.clear();
      return CompletableFuture.completedFuture(Done.getInstance());
    }

    void clear() {
      contiguous.clear();
      violations.clear();
      firstExpected = 1;
    }

    boolean hasAll(int users, long last) {
      if (contiguous.size() != users) return false;
      return contiguous.values().stream().allMatch(v -> v == last);
    }

  }
}
