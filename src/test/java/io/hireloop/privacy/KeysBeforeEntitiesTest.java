package io.hireloop.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.testing.EntityTestConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Entities never wait on the key store with a thread: the key of a first write is created asynchronously, and a
 * user's entity starts (and recovers) only once the key is loaded, getting every message that arrived meanwhile in order.
 */
class KeysBeforeEntitiesTest {
  static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    // one thread for an entity and a neighbour: a thread blocked on the key store would stall the neighbour too
    testKit = ActorTestKit.create("KeysBeforeEntitiesTest", com.typesafe.config.ConfigFactory.parseString("""
        one-thread {
          type = Dispatcher
          executor = "thread-pool-executor"
          thread-pool-executor.fixed-pool-size = 1
        }
        """).withFallback(EntityTestConfig.config()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** The in-memory rules, with reads and creations that wait until the test releases them. */
  static final class Gated implements UserKeys.Store {
    final UserKeys.InMemory rows = new UserKeys.InMemory();
    final CompletableFuture<Void> open = new CompletableFuture<>();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger creates = new AtomicInteger();

    @Override
    public CompletionStage<Optional<UserKeys.Stored>> read(String userId) {
      reads.incrementAndGet();
      return open.thenCompose(v -> rows.read(userId));
    }

    @Override
    public CompletionStage<byte[]> create(String userId, byte[] wrappedKey, Instant at) {
      creates.incrementAndGet();
      return open.thenCompose(v -> rows.create(userId, wrappedKey, at));
    }

    @Override
    public CompletionStage<Void> erase(String userId, Instant at) {
      return rows.erase(userId, at);
    }
  }

  /** Hands every message to {@code probe}. */
  static Behavior<String> echo(org.apache.pekko.actor.testkit.typed.javadsl.TestProbe<String> probe) {
    return Behaviors.receiveMessage(m -> {
      probe.getRef().tell(m);
      return Behaviors.same();
    });
  }

  static UserKeys keys(UserKeys.Store store) {
    return new UserKeys(MasterKey.parse(SealingTest.MASTER), () -> store, 100, Duration.ofMinutes(1), Duration.ofSeconds(5));
  }

  @Test
  void aFirstWritesKeyIsCreatedWithoutBlockingTheCaller() throws Exception {
    var store = new Gated();
    var keys = keys(store);
    long t0 = System.nanoTime();
    var prepared = keys.prepareForWrite("u-1").toCompletableFuture();
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(1).toNanos(), "the caller did not wait for the store");
    assertFalse(prepared.isDone());
    assertFalse(keys.writable("u-1"));

    store.open.complete(null);
    var present = assertInstanceOf(UserKeys.Present.class, prepared.get(5, TimeUnit.SECONDS));
    assertTrue(keys.writable("u-1"));
    assertEquals(present.key(), keys.keyForWrite("u-1"), "sealing finds the created key cached");
    assertEquals(1, store.creates.get(), "one creation");
    assertEquals(1, store.reads.get(), "one read, before the creation");
  }

  @Test
  void anErasedUsersKeyIsNeverCreatedAgain() throws Exception {
    var store = new Gated();
    store.open.complete(null);
    store.rows.erase("u-2", SealingTest.T0);
    var keys = keys(store);
    assertInstanceOf(UserKeys.Erased.class, keys.prepareForWrite("u-2").toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertFalse(keys.writable("u-2"));
    assertEquals(0, store.creates.get());
  }

  @Test
  void aUsersFirstWriteWaitsForItsKeyAndEverythingAfterItWaitsInOrder() {
    var store = new Gated();
    var keys = keys(store);
    var oneThread = org.apache.pekko.actor.typed.DispatcherSelector.fromConfig("one-thread");
    var entity = testKit.spawn(io.hireloop.journey.JobSeeker.create("w-1", testKit.system(),
        Sealing.get(testKit.system()).withKeys(keys)), "w-1", oneThread);
    var pongs = testKit.<String>createTestProbe();
    var neighbour = testKit.spawn(Behaviors.<String>receiveMessage(m -> {
      pongs.getRef().tell("pong");
      return Behaviors.same();
    }), "neighbour", oneThread);
    var verdicts = testKit.<io.hireloop.journey.JobSeeker.Verdict>createTestProbe();
    var summaries = testKit.<io.hireloop.journey.JobSeeker.Summary>createTestProbe();
    var created = SealingTest.application("Acme");
    var answered = new io.hireloop.journey.JourneyEvent.StatusChanged("e-2", SealingTest.T0.plusSeconds(60), "a-1", null, null,
        null, new io.hireloop.journey.Domain.Outcome("interview", 3, null));
    // the first write (its key is being created), a read, and a write that needs the first one's application
    entity.tell(new io.hireloop.journey.JobSeeker.Record(java.util.List.of(created), SealingTest.T0, verdicts.getRef()));
    entity.tell(new io.hireloop.journey.JobSeeker.GetSummary(summaries.getRef()));
    entity.tell(new io.hireloop.journey.JobSeeker.Record(java.util.List.of(answered), SealingTest.T0.plusSeconds(60), verdicts.getRef()));
    verdicts.expectNoMessage(Duration.ofMillis(300));
    summaries.expectNoMessage(Duration.ofMillis(1));
    assertEquals(1, store.reads.get(), "the key's read started");
    neighbour.tell("ping");
    assertEquals("pong", pongs.receiveMessage(Duration.ofSeconds(2)), "the entity's thread is not waiting on the store");

    store.open.complete(null);
    var first = verdicts.receiveMessage(Duration.ofSeconds(10));
    assertTrue(first.ok(), first.problems().toString());
    assertEquals(1, summaries.receiveMessage(Duration.ofSeconds(10)).applications(), "the read waited behind the write");
    var second = verdicts.receiveMessage(Duration.ofSeconds(10));
    assertTrue(second.ok(), "handled after the first write, in arrival order: " + second.problems());
    assertEquals(1, store.creates.get());
    assertTrue(keys.writable("w-1"));
  }

  @Test
  void anEntityStartsOnceItsKeyIsLoadedAndGetsWhatArrivedMeanwhileInOrder() {
    var store = new Gated();
    var keys = keys(store);
    var probe = testKit.<String>createTestProbe();
    Behavior<String> entity = Behaviors.setup(ctx -> {
      probe.getRef().tell("started, key " + (keys.writable("u-3") ? "cached" : "absent"));
      return echo(probe);
    });
    var ref = testKit.spawn(keys.loadedBefore("u-3", "loaded", entity));
    for (var m : new String[] {"a", "b", "c"}) ref.tell(m);
    probe.expectNoMessage(Duration.ofMillis(300));

    var key = keys(store.rows).keyForWrite("u-3"); // the user's key, written by another node
    store.open.complete(null);
    assertEquals("started, key cached", probe.receiveMessage(Duration.ofSeconds(5)));
    assertEquals("a", probe.receiveMessage());
    assertEquals("b", probe.receiveMessage());
    assertEquals("c", probe.receiveMessage());
    probe.expectNoMessage(Duration.ofMillis(200));
    assertEquals(key, keys.keyForWrite("u-3"));
  }

  @Test
  void aFullHoldStartsTheEntityWithoutLosingOrReorderingMessages() {
    var store = new Gated();
    var keys = keys(store);
    var probe = testKit.<String>createTestProbe();
    Behavior<String> entity = echo(probe);
    var ref = testKit.spawn(keys.loadedBefore("u-4", "loaded", entity));
    int n = 1_500; // more than the hold's capacity, with the key never loaded
    for (int i = 0; i < n; i++) ref.tell("m" + i);
    var got = new ArrayList<String>();
    for (int i = 0; i < n; i++) got.add(probe.receiveMessage(Duration.ofSeconds(10)));
    for (int i = 0; i < n; i++) assertEquals("m" + i, got.get(i));
    store.open.complete(null);
  }
}
