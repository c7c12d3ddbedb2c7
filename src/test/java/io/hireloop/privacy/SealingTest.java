package io.hireloop.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.hireloop.journey.Domain;
import io.hireloop.journey.JourneyEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Data keys wrapped by the master key, events sealed per user, and what an erased user's bytes read as. */
class SealingTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final String MASTER = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

  static final io.hireloop.platform.serialization.KryoSerializer KRYO =
      io.hireloop.platform.serialization.KryoSerializer.withoutActorSystem();

  static UserKeys keys(UserKeys.Store store, String master) {
    return new UserKeys(MasterKey.parse(master), () -> store, 100, Duration.ofMinutes(1), Duration.ofSeconds(5));
  }

  static JourneyEvent application(String company) {
    return new JourneyEvent.ApplicationRecorded("e-1", "APPLICATION_CREATED", T0, "a-1", "j-1", "r-1",
        new Domain.ApplicationContext("balanced", 70, "target",
            new Domain.JobCharacteristics("Marker Title", company, "mid", "Berlin", null), 60, true));
  }

  @Test
  void anEventRoundTripsAndItsBytesHoldNothingReadable() {
    var sealing = new Sealing(KRYO, keys(new UserKeys.InMemory(), MASTER));
    var event = application("ZebraCorp-7731");
    var sealed = sealing.seal("u-1", event);
    var text = new String(sealed.sealed(), StandardCharsets.ISO_8859_1);
    assertTrue(!text.contains("ZebraCorp") && !text.contains("Marker Title"), "ciphertext only");
    assertEquals(event, sealing.open(sealed));
  }

  @Test
  void anotherUsersBytesDoNotOpenUnderThisUser() {
    var sealing = new Sealing(KRYO, keys(new UserKeys.InMemory(), MASTER));
    var sealed = sealing.seal("u-1", application("Acme"));
    sealing.seal("u-2", application("Acme")); // u-2 has a key of its own
    assertInstanceOf(JourneyEvent.Shredded.class, sealing.open(new Sealing.SealedEvent("u-2", sealed.sealed())));
  }

  @Test
  void afterTheKeyIsDestroyedEventsAndSnapshotsReadAsTombstones() {
    var store = new UserKeys.InMemory();
    var keys = keys(store, MASTER);
    var sealing = new Sealing(KRYO, keys);
    var sealed = sealing.seal("u-1", application("Acme"));
    var snapshot = sealing.sealSnapshot("u-1", 7, application("Acme"));
    keys.destroy("u-1", T0).toCompletableFuture().join();
    assertInstanceOf(JourneyEvent.Shredded.class, sealing.open(sealed));
    assertTrue(sealing.open(snapshot).isEmpty());
    // another node, which never cached the key, reads the same from the store
    var elsewhere = new Sealing(KRYO, keys(store, MASTER));
    assertInstanceOf(JourneyEvent.Shredded.class, elsewhere.open(sealed));
    assertInstanceOf(UserKeys.Erased.class, keys.lookup("u-1"));
    assertThrows(IllegalStateException.class, () -> sealing.seal("u-1", application("Acme")), "nothing new is sealed for an erased user");
  }

  @Test
  void anErasureHeardFromAnotherNodeIsFinalEvenAgainstAStaleReadAndPastTheTtl() {
    var store = new UserKeys.InMemory();
    var sealing = new Sealing(KRYO, keys(store, MASTER));
    var sealed = sealing.seal("u-1", application("Acme"));
    var stale = store.read("u-1").toCompletableFuture().join();
    // a node whose reads still see the key (a stale replica) and whose cache trusts no entry (TTL 0: every lookup reads)
    var staleStore = new UserKeys.Store() {
      public java.util.concurrent.CompletionStage<java.util.Optional<UserKeys.Stored>> read(String userId) {
        return java.util.concurrent.CompletableFuture.completedFuture(stale);
      }

      public java.util.concurrent.CompletionStage<byte[]> create(String userId, byte[] wrappedKey, java.time.Instant at) {
        return java.util.concurrent.CompletableFuture.completedFuture(stale.orElseThrow().wrappedKey());
      }

      public java.util.concurrent.CompletionStage<Void> erase(String userId, java.time.Instant at) {
        throw new AssertionError("not this node");
      }
    };
    var elsewhere = new UserKeys(MasterKey.parse(MASTER), () -> staleStore, 100, Duration.ZERO, Duration.ofSeconds(5));
    assertInstanceOf(UserKeys.Present.class, elsewhere.lookup("u-1"));
    elsewhere.erased("u-1", T0); // the announcement of another node's destruction
    assertInstanceOf(UserKeys.Erased.class, elsewhere.lookup("u-1"), "an erasure is never replaced by a read");
    assertInstanceOf(JourneyEvent.Shredded.class, new Sealing(KRYO, elsewhere).open(sealed));
    assertThrows(IllegalStateException.class, () -> elsewhere.keyForWrite("u-1"));
  }

  @Test
  void aKeyPastItsTtlIsServedAtOnceWhileOneReadRefreshesIt() {
    var store = new UserKeys.InMemory();
    var key = keys(store, MASTER).keyForWrite("u-1");
    // a store whose next reads hang until released: a lookup waiting on one would take the whole 5 s timeout
    var pending = new java.util.concurrent.CompletableFuture<java.util.Optional<UserKeys.Stored>>();
    var reads = new java.util.concurrent.atomic.AtomicInteger();
    var slow = new UserKeys.Store() {
      public java.util.concurrent.CompletionStage<java.util.Optional<UserKeys.Stored>> read(String userId) {
        return reads.incrementAndGet() == 1 ? store.read(userId) : pending;
      }

      public java.util.concurrent.CompletionStage<byte[]> create(String userId, byte[] wrappedKey, java.time.Instant at) {
        return store.create(userId, wrappedKey, at);
      }

      public java.util.concurrent.CompletionStage<Void> erase(String userId, java.time.Instant at) {
        return store.erase(userId, at);
      }
    };
    var node = new UserKeys(MasterKey.parse(MASTER), () -> slow, 100, Duration.ZERO, Duration.ofSeconds(5));
    assertEquals(new UserKeys.Present(key), node.lookup("u-1")); // first read: from the store
    long t0 = System.nanoTime();
    for (int i = 0; i < 50; i++) assertEquals(new UserKeys.Present(key), node.lookup("u-1"), "past the TTL, still served");
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos(), "no lookup waited for the hanging read");
    assertEquals(2, reads.get(), "one background read for all 50 lookups");
    // the refresh brings the destruction this node never heard of
    store.erase("u-1", T0).toCompletableFuture().join();
    pending.complete(store.read("u-1").toCompletableFuture().join());
    assertInstanceOf(UserKeys.Erased.class, node.lookup("u-1"));
  }

  @Test
  void theStoredKeyIsWrappedByTheMasterKey() {
    var store = new UserKeys.InMemory();
    var keys = keys(store, MASTER);
    var key = keys.keyForWrite("u-1");
    var stored = store.read("u-1").toCompletableFuture().join().orElseThrow();
    var raw = key.getEncoded();
    assertTrue(!new String(stored.wrappedKey(), StandardCharsets.ISO_8859_1).contains(new String(raw, StandardCharsets.ISO_8859_1)),
        "the raw key is not in the row");
    var other = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
    assertThrows(IllegalStateException.class, () -> keys(store, other).lookup("u-1"), "a node with another master key cannot unwrap it");
    assertArrayEquals(raw, ((UserKeys.Present) keys(store, MASTER).lookup("u-1")).key().getEncoded());
  }

  @Test
  void twoWritersOfTheSameUserEndWithOneKeyNeverReplacingIt() {
    var store = new UserKeys.InMemory();
    var first = keys(store, MASTER).keyForWrite("u-1");
    var second = keys(store, MASTER).keyForWrite("u-1"); // another node, its cache empty: it reads the stored key
    assertArrayEquals(first.getEncoded(), second.getEncoded());
  }

  @Test
  void aMalformedMasterKeyIsRefusedNamingTheSetting() {
    for (var bad : new String[] {"not base64 !", Base64.getEncoder().encodeToString(new byte[7]), ""}) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> MasterKey.from(ConfigFactory.parseString(MasterKey.PATH + " = \"" + bad + "\"")), bad);
      assertTrue(e.getMessage().contains(MasterKey.PATH), e.getMessage());
    }
    assertEquals(32, MasterKey.from(ConfigFactory.load()).getEncoded().length, "the shipped development key is well-formed");
  }
}
