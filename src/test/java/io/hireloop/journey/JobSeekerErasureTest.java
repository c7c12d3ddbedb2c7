package io.hireloop.journey;

import static io.hireloop.journey.JobSeekerTest.created;
import static io.hireloop.journey.JobSeekerTest.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.JobSeeker.Command;
import io.hireloop.journey.JobSeeker.State;
import io.hireloop.journey.JobSeeker.Verdict;
import io.hireloop.platform.serialization.KryoSerializer;
import io.hireloop.privacy.Sealing;
import io.hireloop.privacy.UserKeys;
import io.hireloop.testing.EntityTestConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the JobSeeker entity stores is sealed with the user's data key (journal and snapshots), reads back as it was while
 * the key exists, and after erasure (USER_ERASED, then the key destroyed) recovers as an erased user with tombstones
 * instead of failing.
 */
class JobSeekerErasureTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final Instant NOW = T0.plus(Duration.ofDays(30));
  /** A value of ctx() (JobSeekerTest): the company of every application these tests record. */
  static final String COMPANY = "Acme";

  static ActorTestKit testKit;
  static PersistenceTestKit journal;
  static SnapshotTestKit snapshots;
  static final AtomicInteger users = new AtomicInteger();

  String userId;
  EventSourcedBehaviorTestKit<Command, JourneyEvent, State> kit;

  @BeforeAll
  static void startSystem() {
    // the first seal of a JVM loads the JDK's crypto provider: seconds on a busy machine, beyond the 3 s default
    testKit = ActorTestKit.create("JobSeekerErasureTest", com.typesafe.config.ConfigFactory
        .parseString("pekko.actor.testkit.typed.single-expect-default = 20s").withFallback(EntityTestConfig.config()));
    journal = PersistenceTestKit.create(testKit.system());
    snapshots = SnapshotTestKit.create(testKit.system());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newEntity() {
    userId = "erase-" + users.incrementAndGet();
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), JobSeeker.create(userId, testKit.system()),
        EntityTestConfig.strictSerialization());
  }

  private String pid() {
    return PersistenceId.of(JobSeeker.ENTITY_KEY.name(), userId).id();
  }

  private Verdict record(JourneyEvent... events) {
    return kit.<Verdict>runCommand(r -> new JobSeeker.Record(List.of(events), NOW, r)).reply();
  }

  private void recordHundred() {
    for (int batch = 0; batch < 10; batch++) {
      var events = new ArrayList<JourneyEvent>();
      for (int i = batch * 10; i < batch * 10 + 10; i++) events.add(created("e" + i, "a" + i, T0.plusSeconds(i)));
      assertTrue(record(events.toArray(JourneyEvent[]::new)).ok());
    }
  }

  @Test
  void eventsAreStoredSealedAndReadBackAsTheyWere() {
    assertTrue(record(created("e1", "a1", T0), status("e2", "a1", "interview", T0.plusSeconds(60))).ok());
    var stored = journal.persistedInStorage(pid());
    assertEquals(2, stored.size());
    var kryo = KryoSerializer.withoutActorSystem();
    for (Object o : stored) {
      var sealed = assertInstanceOf(Sealing.SealedEvent.class, o);
      assertEquals(userId, sealed.userId());
      var bytes = new String(kryo.toBinary(o), StandardCharsets.ISO_8859_1);
      assertFalse(bytes.contains(COMPANY) || bytes.contains("Backend Engineer") || bytes.contains("a1"),
          "the stored bytes hold no readable personal value");
    }
    var before = kit.getState();
    var restarted = kit.restart();
    assertEquals(before, restarted.state());
    assertEquals("interview", restarted.state().applications().get("a1").status());
  }

  @Test
  void eventsWrittenBeforeSealingStillReplayAndLaterOnesAreSealed() {
    // a journal of the previous version: plain events, no key for the user
    journal.persistForRecovery(pid(), List.of(created("old-1", "a1", T0), status("old-2", "a1", "viewed", T0.plusSeconds(60))));
    var recovered = kit.restart().state();
    assertEquals(2, recovered.lastSeqNr());
    assertEquals("viewed", recovered.applications().get("a1").status());
    assertTrue(record(status("new-3", "a1", "interview", T0.plusSeconds(120))).ok());
    var stored = journal.persistedInStorage(pid());
    assertInstanceOf(JourneyEvent.ApplicationRecorded.class, stored.get(0));
    assertInstanceOf(Sealing.SealedEvent.class, stored.get(2));
    assertEquals("interview", kit.restart().state().applications().get("a1").status());
  }

  @Test
  void snapshotsAreSealedTooAndRecoverWhileTheKeyExists() {
    recordHundred();
    var stored = snapshots.persistedInStorage(pid());
    assertFalse(stored.isEmpty(), "100 events make a snapshot");
    var snapshot = assertInstanceOf(Sealing.SealedSnapshot.class, stored.get(stored.size() - 1).second());
    assertEquals(100, snapshot.lastSeqNr());
    var before = kit.getState();
    assertEquals(before, kit.restart().state());
  }

  @Test
  void erasureRecordsUserErasedAndRecoveryAfterTheKeyIsGoneSeesTombstones() {
    assertTrue(record(created("e1", "a1", T0), status("e2", "a1", "interview", T0.plusSeconds(60))).ok());
    var erased = kit.<JobSeeker.Erased>runCommand(r -> new JobSeeker.Erase("job-1", NOW, r));
    assertInstanceOf(JourneyEvent.UserErased.class, erased.event());
    assertEquals(3, erased.reply().seqNr());
    assertFalse(erased.reply().already());
    assertTrue(erased.state().erased());
    assertTrue(erased.state().applications().isEmpty() && erased.state().seen().isEmpty(), "the state forgets everything");
    // USER_ERASED is stored as it is: readable without the key
    assertInstanceOf(JourneyEvent.UserErased.class, journal.persistedInStorage(pid()).get(2));

    UserKeys.get(testKit.system()).destroy(userId, NOW).toCompletableFuture().join();
    var recovered = kit.restart().state();
    assertTrue(recovered.erased(), "recovery replays the tombstones and USER_ERASED instead of failing");
    assertEquals(NOW, recovered.erasedAt());
    assertEquals(3, recovered.lastSeqNr(), "each unreadable event still counts");

    // an erased user records nothing more (410 at the API), and a second erasure answers the first
    var refused = record(created("e9", "a9", NOW));
    assertFalse(refused.ok());
    assertTrue(refused.problems().get(0).erased());
    assertEquals(3, journal.persistedInStorage(pid()).size(), "nothing was stored");
    var again = kit.<JobSeeker.Erased>runCommand(r -> new JobSeeker.Erase("job-2", NOW.plusSeconds(5), r));
    assertTrue(again.reply().already());
    assertEquals(NOW, again.reply().erasedAt());
    assertTrue(again.events().isEmpty());
  }

  @Test
  void aSnapshotWhoseKeyIsGoneRecoversAsTheEventCountThenTheErasure() {
    recordHundred();
    kit.<JobSeeker.Erased>runCommand(r -> new JobSeeker.Erase("job-1", NOW, r));
    UserKeys.get(testKit.system()).destroy(userId, NOW).toCompletableFuture().join();
    var recovered = kit.restart().state();
    assertTrue(recovered.erased());
    assertEquals(101, recovered.lastSeqNr());
  }

  @Test
  void anotherUsersEventsAreUntouchedByAnErasure() {
    assertTrue(record(created("e1", "a1", T0)).ok());
    var other = EventSourcedBehaviorTestKit.<Command, JourneyEvent, State>create(testKit.system(),
        JobSeeker.create(userId + "-other", testKit.system()), EntityTestConfig.strictSerialization());
    assertTrue(other.<Verdict>runCommand(r -> new JobSeeker.Record(List.of(created("o1", "b1", T0)), NOW, r)).reply().ok());
    kit.<JobSeeker.Erased>runCommand(r -> new JobSeeker.Erase("job-1", NOW, r));
    UserKeys.get(testKit.system()).destroy(userId, NOW).toCompletableFuture().join();
    var state = other.restart().state();
    assertFalse(state.erased());
    assertNotNull(state.applications().get("b1"));
    assertEquals(COMPANY, state.applications().get("b1").context().jobCharacteristics().company());
  }
}
