package io.hireloop.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import io.hireloop.journey.Domain.Outcome;
import io.hireloop.journey.Domain.StrategyMetrics;
import io.hireloop.journey.JobSeeker.Command;
import io.hireloop.journey.JobSeeker.Problem;
import io.hireloop.journey.JobSeeker.Result;
import io.hireloop.journey.JobSeeker.State;
import io.hireloop.journey.JobSeeker.Summary;
import io.hireloop.journey.JobSeeker.Verdict;
import io.hireloop.journey.JourneyEvent.ApplicationRecorded;
import io.hireloop.journey.JourneyEvent.ResumeChanged;
import io.hireloop.journey.JourneyEvent.StatusChanged;
import io.hireloop.journey.JourneyEvent.StrategyChanged;
import io.hireloop.journey.JourneyEvent.SuggestionFeedback;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import io.hireloop.testing.EntityTestConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every history-dependent ingest rule of API.md, enforced by the JobSeeker entity; Kryo-serialized throughout. */
class JobSeekerTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final Instant NOW = T0.plus(Duration.ofDays(30));

  static ActorTestKit testKit;
  static final AtomicInteger users = new AtomicInteger();

  String userId;
  EventSourcedBehaviorTestKit<Command, JourneyEvent, State> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("JobSeekerTest", EntityTestConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newEntity() {
    userId = "u-" + users.incrementAndGet();
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), JobSeeker.create(userId, testKit.system()),
        EntityTestConfig.strictSerialization());
  }

  @Test
  void theTestkitVerifiesKryoSerialization() {
    var serialization = org.apache.pekko.serialization.SerializationExtension.get(testKit.system());
    for (Object o : List.of(State.EMPTY, created("e1", "a1", T0), new JobSeeker.GetSummary(testKit.<Summary>createTestProbe().getRef()))) {
      assertEquals(io.hireloop.platform.serialization.KryoSerializer.class, serialization.findSerializerFor(o).getClass());
    }
  }

  // ------------------------------------------------------------ accepted batches

  @Test
  void acceptedBatchGetsConsecutiveSeqNrsAndIsPersistedTogether() {
    var batch = List.<JourneyEvent>of(created("e1", "a1", T0), created("e2", "a2", T0.plusSeconds(60)),
        resume("e3", T0.plusSeconds(120), 60, 70, true));
    var r = record(batch);
    assertEquals(new Verdict(List.of(accepted("e1", 1), accepted("e2", 2), accepted("e3", 3)), List.of()), r.reply());
    assertEquals(batch, Sealed.open(testKit.system(), r.events()));
    assertEquals(3, r.state().lastSeqNr());
    assertEquals(batch, journal());

    var r2 = record(List.of(status("e4", "a1", "viewed", T0.plusSeconds(3600))));
    assertEquals(List.of(accepted("e4", 4)), r2.reply().results());
    assertEquals("viewed", r2.state().applications().get("a1").status());
  }

  @Test
  void everyEventFamilyIsAcceptedAndSummarised() {
    var batch = List.<JourneyEvent>of(
        created("e1", "a1", T0),
        submitted("e2", "a1", T0.plusSeconds(10)),
        status("e3", "a1", "phone_screen", T0.plusSeconds(20)),
        strategy("e4", "MODE_CHANGED", "balanced", "aggressive", T0.plusSeconds(30)),
        resume("e5", T0.plusSeconds(40), 60, 72, true),
        feedback("e6", T0.plusSeconds(50)));
    var r = record(batch);
    assertTrue(r.reply().ok());
    assertEquals(6, r.reply().results().size());
    assertEquals(batch, journal());

    Summary summary = kit.<Summary>runCommand(JobSeeker.GetSummary::new).reply();
    assertEquals(new Summary(1, java.util.Map.of("a1", "phone_screen"), 6, 1, "aggressive"), summary);
    var app = r.state().applications().get("a1");
    assertEquals(T0, app.createdAt(), "APPLICATION_SUBMITTED keeps the creation time");
  }

  @Test
  void createAndStatusChangeInTheSameBatch() {
    var r = record(List.of(created("e1", "a1", T0), status("e2", "a1", "phone_screen", T0.plusSeconds(60)),
        status("e3", "a1", "interview", T0.plusSeconds(120))));
    assertEquals(List.of(accepted("e1", 1), accepted("e2", 2), accepted("e3", 3)), r.reply().results());
    assertEquals("interview", r.state().applications().get("a1").status());
  }

  @Test
  void acceptedEventsArePushedToTheUsersTopic() {
    TestProbe<StreamMessage> probe = testKit.createTestProbe();
    Topics.get(testKit.system()).subscribe("user:" + userId, probe.getRef());
    record(List.of(created("e1", "a1", T0)));
    StreamMessage m = probe.receiveMessage();
    assertEquals("user:" + userId, m.topic());
    assertEquals("outcome_recorded", m.type());
    assertTrue(m.dataJson().contains("\"event_id\":\"e1\""), m.dataJson());
  }

  // ------------------------------------------------------------ duplicates

  @Test
  void sameEventIdInALaterCommandIsDuplicateWithItsOriginalSeqNr() {
    record(List.of(created("e1", "a1", T0), created("e2", "a2", T0)));

    var again = record(List.of(created("e2", "a2", T0)));
    assertEquals(new Verdict(List.of(duplicate("e2", 2)), List.of()), again.reply());
    assertTrue(again.hasNoEvents());
    assertEquals(2, journal().size());

    // a duplicate is recognised by its id alone, whatever else it carries
    var changed = record(List.of(created("e1", "a9", T0.plusSeconds(5))));
    assertEquals(List.of(duplicate("e1", 1)), changed.reply().results());
    assertTrue(changed.hasNoEvents());
    assertFalse(changed.state().applications().containsKey("a9"));

    // mixed: the known id is a duplicate, the new one is stored
    var mixed = record(List.of(created("e1", "a1", T0), created("e3", "a3", T0)));
    assertEquals(List.of(duplicate("e1", 1), accepted("e3", 3)), mixed.reply().results());
    assertEquals(List.of(created("e3", "a3", T0)), Sealed.open(testKit.system(), mixed.events()));
    assertEquals(3, journal().size());
  }

  @Test
  void sameEventIdTwiceInsideOneBatchIsStoredOnce() {
    var r = record(List.of(created("e1", "a1", T0), created("e1", "a1", T0), created("e2", "a2", T0)));
    assertEquals(List.of(accepted("e1", 1), duplicate("e1", 1), accepted("e2", 2)), r.reply().results());
    assertEquals(List.of(created("e1", "a1", T0), created("e2", "a2", T0)), journal());

    // the repeat would be invalid on its own (a second CREATED of a3): by id it is just a duplicate
    var r2 = record(List.of(created("e3", "a3", T0), created("e3", "a3", T0.plusSeconds(1))));
    assertTrue(r2.reply().ok());
    assertEquals(List.of(accepted("e3", 3), duplicate("e3", 3)), r2.reply().results());
    assertEquals(3, journal().size());
  }

  @Test
  void batchOfOnlyDuplicatesPersistsNothing() {
    record(List.of(created("e1", "a1", T0)));
    var r = record(List.of(created("e1", "a1", T0), created("e1", "a1", T0)));
    assertEquals(List.of(duplicate("e1", 1), duplicate("e1", 1)), r.reply().results());
    assertTrue(r.hasNoEvents());
    assertEquals(1, journal().size());
  }

  // ------------------------------------------------------------ problems: nothing of the batch persisted

  @Test
  void statusChangeForUnknownApplicationRejectsTheWholeBatch() {
    var r = record(List.of(created("e1", "a1", T0), status("e2", "a-unknown", "viewed", T0.plusSeconds(60)),
        resume("e3", T0.plusSeconds(120), 60, 70, true)));
    assertProblems(r, new Problem(1, "application_id", "unknown application for this user: send APPLICATION_CREATED first", false));
    assertEquals(State.EMPTY, r.state());
    assertTrue(journal().isEmpty());

    // the valid events of the refused batch were not remembered either: sent again alone they are accepted
    var again = record(List.of(created("e1", "a1", T0), resume("e3", T0.plusSeconds(120), 60, 70, true)));
    assertEquals(List.of(accepted("e1", 1), accepted("e3", 2)), again.reply().results());
  }

  @Test
  void statusChangeBeforeTheCreateInTheSameBatchIsUnknown() {
    var r = record(List.of(status("e1", "a1", "viewed", T0.plusSeconds(60)), created("e2", "a1", T0)));
    assertEquals(1, r.reply().problems().size());
    assertEquals(0, r.reply().problems().get(0).index());
    assertEquals("application_id", r.reply().problems().get(0).field());
    assertTrue(journal().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"offer_accepted", "withdrawn"})
  void noStatusChangeAfterATerminalStatus(String terminal) {
    record(List.of(created("e1", "a1", T0), status("e2", "a1", terminal, T0.plusSeconds(60))));

    var r = record(List.of(created("e3", "a2", T0.plusSeconds(100)), status("e4", "a1", "rejected", T0.plusSeconds(120))));
    assertEquals(1, r.reply().problems().size());
    Problem p = r.reply().problems().get(0);
    assertEquals(1, p.index());
    assertEquals("outcome.status", p.field());
    assertTrue(p.conflict(), "a status change after " + terminal + " is a conflict (409)");
    assertTrue(p.problem().contains(terminal), p.problem());
    assertTrue(r.reply().results().isEmpty());
    assertTrue(r.hasNoEvents());
    assertEquals(2, journal().size());
    assertFalse(r.state().applications().containsKey("a2"));
  }

  @Test
  void terminalStatusReachedEarlierInTheSameBatchAlsoBlocks() {
    var r = record(List.of(created("e1", "a1", T0), status("e2", "a1", "withdrawn", T0.plusSeconds(60)),
        status("e3", "a1", "viewed", T0.plusSeconds(120))));
    assertEquals(1, r.reply().problems().size());
    assertEquals(2, r.reply().problems().get(0).index());
    assertTrue(r.reply().problems().get(0).conflict());
    assertTrue(journal().isEmpty());
  }

  @Test
  void timestampMoreThanFiveMinutesInTheFutureIsAProblem() {
    var r = record(List.of(created("e1", "a1", T0), created("e2", "a2", NOW.plus(Duration.ofMinutes(5)).plusSeconds(1))));
    assertProblems(r, new Problem(1, "timestamp", "is more than 5 minutes in the future", false));
    assertTrue(journal().isEmpty());

    // exactly at the limit is allowed
    var ok = record(List.of(created("e2", "a2", NOW.plus(Duration.ofMinutes(5)))));
    assertEquals(List.of(accepted("e2", 1)), ok.reply().results());
  }

  @Test
  void statusTimestampBeforeTheApplicationsCreationIsAProblem() {
    record(List.of(created("e1", "a1", T0)));
    var r = record(List.of(status("e2", "a1", "viewed", T0.minusSeconds(1))));
    assertEquals(1, r.reply().problems().size());
    Problem p = r.reply().problems().get(0);
    assertEquals(0, p.index());
    assertEquals("timestamp", p.field());
    assertFalse(p.conflict());
    assertTrue(p.problem().startsWith("is before the application's creation"), p.problem());
    assertEquals(1, journal().size());

    // same check when the application is created in the same batch
    var sameBatch = record(List.of(created("e3", "a3", T0), status("e4", "a3", "viewed", T0.minusSeconds(60))));
    assertEquals("timestamp", sameBatch.reply().problems().get(0).field());
    assertEquals(1, journal().size());

    // at the creation instant is fine
    assertTrue(record(List.of(status("e5", "a1", "viewed", T0))).reply().ok());
  }

  @Test
  void submittedBeforeTheApplicationsCreationIsAProblem() {
    record(List.of(created("e1", "a1", T0)));
    var r = record(List.of(submitted("e2", "a1", T0.minusSeconds(1))));
    assertEquals(1, r.reply().problems().size());
    assertEquals("timestamp", r.reply().problems().get(0).field());
    assertFalse(r.reply().problems().get(0).conflict());
    assertTrue(r.hasNoEvents());
    assertTrue(record(List.of(submitted("e3", "a1", T0))).reply().ok());
  }

  @Test
  void applicationCreatedTwiceIsAConflict() {
    record(List.of(created("e1", "a1", T0)));
    var r = record(List.of(created("e2", "a1", T0.plusSeconds(60))));
    assertProblems(r, new Problem(0, "application_id", "application a1 already exists", true));
    assertEquals(1, journal().size());

    var sameBatch = record(List.of(created("e3", "a2", T0), created("e4", "a2", T0.plusSeconds(1))));
    assertProblems(sameBatch, new Problem(1, "application_id", "application a2 already exists", true));
    assertEquals(1, journal().size());

    // APPLICATION_SUBMITTED of an existing application is the normal next step, not a conflict
    assertTrue(record(List.of(submitted("e5", "a1", T0.plusSeconds(120)))).reply().ok());
  }

  @Test
  void everyProblemOfTheBatchIsListed() {
    record(List.of(created("e1", "a1", T0)));
    var r = record(List.of(
        status("e2", "nope", "viewed", T0),
        created("e3", "a1", T0),
        created("e4", "a4", NOW.plus(Duration.ofHours(1))),
        status("e5", "a1", "viewed", T0.minusSeconds(5)),
        created("e6", "a6", T0)));
    var fields = r.reply().problems().stream().map(p -> p.index() + ":" + p.field()).toList();
    assertEquals(List.of("0:application_id", "1:application_id", "2:timestamp", "3:timestamp"), fields);
    assertTrue(r.reply().results().isEmpty());
    assertEquals(1, journal().size());
  }

  // ------------------------------------------------------------ Validate

  @Test
  void validatePersistsNothing() {
    var batch = List.<JourneyEvent>of(created("e1", "a1", T0), status("e2", "a1", "viewed", T0.plusSeconds(60)));
    CommandResultWithReply<Command, JourneyEvent, State, Verdict> v =
        kit.runCommand(replyTo -> new JobSeeker.Validate(batch, NOW, replyTo));
    assertTrue(v.reply().ok());
    assertEquals(List.of("e1", "e2"), v.reply().results().stream().map(Result::eventId).toList());
    assertTrue(v.reply().results().stream().allMatch(res -> res.status().equals(Result.ACCEPTED)));
    assertTrue(v.hasNoEvents());
    assertEquals(State.EMPTY, v.state());
    assertTrue(journal().isEmpty());

    CommandResultWithReply<Command, JourneyEvent, State, Verdict> bad =
        kit.runCommand(replyTo -> new JobSeeker.Validate(List.of(status("e9", "zz", "viewed", T0)), NOW, replyTo));
    assertFalse(bad.reply().ok());
    assertTrue(bad.hasNoEvents());

    // validated ids are not "seen": recording the batch afterwards stores it
    assertEquals(List.of(accepted("e1", 1), accepted("e2", 2)), record(batch).reply().results());
  }

  @Test
  void validateReportsDuplicatesWithTheirSeqNr() {
    record(List.of(created("e1", "a1", T0)));
    CommandResultWithReply<Command, JourneyEvent, State, Verdict> v =
        kit.runCommand(replyTo -> new JobSeeker.Validate(List.of(created("e1", "a1", T0)), NOW, replyTo));
    assertEquals(List.of(duplicate("e1", 1)), v.reply().results());
    assertTrue(v.hasNoEvents());
  }

  // ------------------------------------------------------------ recovery and snapshots

  @Test
  void restartKeepsApplicationsStatusesAndSeenIds() {
    record(List.of(created("e1", "a1", T0), created("e2", "a2", T0), status("e3", "a1", "offer_accepted", T0.plusSeconds(60))));
    record(List.of(status("e4", "a2", "phone_screen", T0.plusSeconds(90)), strategy("e5", "MODE_CHANGED", null, "balanced", T0)));
    State before = kit.getState();

    var restarted = kit.restart();
    assertEquals(before, restarted.state());
    assertEquals(5, restarted.state().lastSeqNr());
    assertEquals("offer_accepted", restarted.state().applications().get("a1").status());
    assertEquals("phone_screen", restarted.state().applications().get("a2").status());

    // a duplicate after restart is still a duplicate, with the original seq_nr
    var dup = record(List.of(created("e2", "a2", T0)));
    assertEquals(List.of(duplicate("e2", 2)), dup.reply().results());
    assertTrue(dup.hasNoEvents());
    // the terminal status survived the restart
    assertTrue(record(List.of(status("e6", "a1", "viewed", T0.plusSeconds(120)))).reply().problems().get(0).conflict());
    // numbering continues after the journal's last event
    assertEquals(List.of(accepted("e7", 6)), record(List.of(status("e7", "a2", "interview", T0.plusSeconds(120)))).reply().results());
  }

  @Test
  void snapshotEveryHundredEventsAndRestartAfterMore() {
    int n = 0;
    for (int batch = 0; batch < 13; batch++) {
      var events = new ArrayList<JourneyEvent>();
      for (int i = 0; i < 10; i++, n++) events.add(created("e" + n, "a" + n, T0.plusSeconds(n)));
      assertTrue(record(events).reply().ok());
    }
    assertEquals(130, journal().size());
    var snapshots = kit.snapshotTestKit().orElseThrow().persistedInStorage(pid());
    assertEquals(List.of(100L), snapshots.stream().map(p -> p.first().sequenceNr()).toList());
    assertEquals(100, Sealed.state(testKit.system(), snapshots.get(0).second()).lastSeqNr());

    State before = kit.getState();
    var restarted = kit.restart();
    assertEquals(before, restarted.state());
    assertEquals(130, restarted.state().applications().size());
    assertEquals(130, restarted.state().seen().size());
    assertEquals(List.of(duplicate("e42", 43), duplicate("e120", 121)),
        record(List.of(created("e42", "a42", T0), created("e120", "a120", T0))).reply().results());
    assertEquals(List.of(accepted("e130", 131)), record(List.of(created("e130", "a130", T0))).reply().results());
  }

  @Test
  void recoveryStartsFromTheSnapshot() {
    int n = 0;
    for (int batch = 0; batch < 10; batch++) {
      var events = new ArrayList<JourneyEvent>();
      for (int i = 0; i < 10; i++, n++) events.add(created("e" + n, "a" + n, T0.plusSeconds(n)));
      record(events);
    }
    State before = kit.getState();
    assertEquals(100, before.lastSeqNr());
    // without its events, the entity can only come back through the snapshot taken at seq_nr 100
    kit.persistenceTestKit().clearByIdPreservingSeqNumbers(pid());
    var restarted = kit.restart();
    assertEquals(before, restarted.state());
    assertEquals(List.of(duplicate("e0", 1)), record(List.of(created("e0", "a0", T0))).reply().results());
  }

  // ------------------------------------------------------------ helpers

  private CommandResultWithReply<Command, JourneyEvent, State, Verdict> record(List<JourneyEvent> events) {
    return kit.runCommand(replyTo -> new JobSeeker.Record(events, NOW, replyTo));
  }

  private void assertProblems(CommandResultWithReply<Command, JourneyEvent, State, Verdict> r, Problem... expected) {
    assertEquals(new Verdict(List.of(), List.of(expected)), r.reply());
    assertTrue(r.hasNoEvents());
  }

  private String pid() {
    return PersistenceId.of(JobSeeker.ENTITY_KEY.name(), userId).id();
  }

  /** The user's stored events, opened (they are stored sealed with the user's key). */
  private List<Object> journal() {
    return Sealed.open(testKit.system(), kit.persistenceTestKit().persistedInStorage(pid()));
  }

  static Result accepted(String id, long seq) {
    return new Result(id, Result.ACCEPTED, seq);
  }

  static Result duplicate(String id, long seq) {
    return new Result(id, Result.DUPLICATE, seq);
  }

  static ApplicationContext ctx() {
    return new ApplicationContext("balanced", 75, "target",
        new JobCharacteristics("Backend Engineer", "Acme", "mid", "Berlin", null), 70, true);
  }

  static JourneyEvent created(String eventId, String appId, Instant ts) {
    return new ApplicationRecorded(eventId, "APPLICATION_CREATED", ts, appId, "job-" + appId, "r1", ctx());
  }

  static JourneyEvent submitted(String eventId, String appId, Instant ts) {
    return new ApplicationRecorded(eventId, "APPLICATION_SUBMITTED", ts, appId, "job-" + appId, "r2", ctx());
  }

  static JourneyEvent status(String eventId, String appId, String status, Instant ts) {
    return new StatusChanged(eventId, ts, appId, null, null, null, new Outcome(status, 3, null));
  }

  static JourneyEvent strategy(String eventId, String type, String from, String to, Instant ts) {
    return new StrategyChanged(eventId, type, ts, from, to, "low interview rate", new StrategyMetrics(70, 12, 0.08, 5));
  }

  static JourneyEvent resume(String eventId, Instant ts, double before, double after, boolean accepted) {
    return new ResumeChanged(eventId, "RESUME_REWRITTEN", ts, "r2", "bullet", before, after, after - before,
        List.of("metrics"), List.of("added_metrics_to_bullets"), true, accepted);
  }

  static JourneyEvent feedback(String eventId, Instant ts) {
    return new SuggestionFeedback(eventId, "SUGGESTION_REJECTED", ts, "job", "{\"job_id\":\"j9\"}", null, "too far");
  }

  @Test
  void helperStatusIsOnTheApplicationOnly() {
    // guards the fixtures: a STATUS_CHANGED without context keeps the application's context
    record(List.of(created("e1", "a1", T0), status("e2", "a1", "viewed", T0.plusSeconds(1))));
    var app = kit.getState().applications().get("a1");
    assertEquals(ctx(), app.context());
    assertNull(((StatusChanged) status("x", "a1", "viewed", T0)).context());
  }
}
