package io.hireloop.recommendations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.platform.Json;
import io.hireloop.recommendations.Recommendation.Risk;
import io.hireloop.recommendations.Recommendation.Route;
import io.hireloop.recommendations.Recommendation.Status;
import io.hireloop.recommendations.RecommendationBook.Command;
import io.hireloop.recommendations.RecommendationBook.Event;
import io.hireloop.recommendations.RecommendationBook.Outcome;
import io.hireloop.recommendations.RecommendationBook.Refusal;
import io.hireloop.recommendations.RecommendationBook.Report;
import io.hireloop.recommendations.RecommendationBook.State;
import io.hireloop.recommendations.RecommendationBook.Submitted;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import io.hireloop.testing.EntityTestConfig;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The recommendations' journal: dedup, the status machine, one audited event per change, pushes, recovery. */
class RecommendationBookTest {
  static final String ONE = "{\"follow_up_after_days\": 5}";
  static ActorTestKit testKit;
  EventSourcedBehaviorTestKit<Command, Event, State> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("RecommendationBookTest", EntityTestConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newEntity() {
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), RecommendationBook.create(RecommendationBook.ID, Topics.get(testKit.system())),
        EntityTestConfig.strictSerialization());
    kit.clear();
  }

  Submitted submit(RecommendationDraft d, Route route) {
    return kit.<Submitted>runCommand(r -> new RecommendationBook.Submit(d, route, List.of("because"), r)).reply();
  }

  EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, Outcome> run(
      java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<Outcome>, Command> cmd) {
    return kit.runCommand(cmd::apply);
  }

  @Test
  void theRouteSetsTheFirstStatusAndADedupKeyIsAnsweredWithTheExistingOne() {
    var auto = submit(Drafts.strong("k-auto", "orchestrator", ONE, Risk.LOW), Route.AUTO_APPLY);
    assertFalse(auto.duplicate());
    assertEquals("rec-1", auto.recommendation().id());
    assertEquals(Status.APPROVED, auto.recommendation().status());
    assertEquals(RecommendationBook.SYSTEM, auto.recommendation().decidedBy());
    assertEquals(Status.TO_TEST, submit(Drafts.weak("k-ab", "orchestrator", ONE), Route.A_B_TEST).recommendation().status());
    var manual = submit(Drafts.confounded("k-man", "orchestrator", ONE), Route.MANUAL_REVIEW);
    assertEquals(Status.PENDING_REVIEW, manual.recommendation().status());
    assertNull(manual.recommendation().decidedBy());

    var again = kit.<Submitted>runCommand(r -> new RecommendationBook.Submit(Drafts.strong("k-auto", "orchestrator", "{\"x\": 1}", Risk.HIGH),
        Route.MANUAL_REVIEW, List.of(), r));
    assertTrue(again.hasNoEvents());
    assertTrue(again.reply().duplicate());
    assertEquals(auto.recommendation(), again.reply().recommendation());
    assertEquals(3, kit.getState().recommendations().size());
  }

  @Test
  void approveAppliesOnceAndRejectRecordsItsReasonEachAnAuditedPushedEvent() {
    TestProbe<StreamMessage> pushes = testKit.createTestProbe();
    Topics.get(testKit.system()).subscribe(RecommendationBook.TOPIC, pushes.getRef());
    var id = submit(Drafts.confounded("k1", "orchestrator", ONE), Route.MANUAL_REVIEW).recommendation().id();
    var id2 = submit(Drafts.confounded("k2", "orchestrator", ONE), Route.MANUAL_REVIEW).recommendation().id();
    assertEquals("submitted", Json.read(pushes.receiveMessage().dataJson()).get("change").asText());
    pushes.receiveMessage();

    var approved = run(r -> new RecommendationBook.Approve(id, "admin-1", "looks right", r));
    assertEquals(Status.APPROVED, approved.reply().recommendation().status());
    assertEquals("admin-1", approved.reply().recommendation().decidedBy());
    var twice = run(r -> new RecommendationBook.Approve(id, "admin-1", "again", r));
    assertTrue(twice.hasNoEvents());
    assertEquals(Refusal.CONFLICT, twice.reply().refusal());
    assertEquals("cannot approve recommendation rec-1: it is approved", twice.reply().message());
    var rejectWhileApplying = run(r -> new RecommendationBook.Reject(id, "admin-2", "no", r));
    assertEquals(Refusal.CONFLICT, rejectWhileApplying.reply().refusal(), "an approved change is being applied");

    var applied = run(r -> Report.applied(id, 4, r));
    assertEquals(Status.APPLIED, applied.reply().recommendation().status());
    assertEquals(4, applied.reply().recommendation().configVersion());
    assertTrue(run(r -> Report.applied(id, 4, r)).hasNoEvents(), "a repeated report changes nothing");

    var rejected = run(r -> new RecommendationBook.Reject(id2, "admin-2", "confounded by seniority", r));
    var rec = rejected.reply().recommendation();
    assertEquals(Status.REJECTED, rec.status());
    assertEquals("confounded by seniority", rec.decisionReason());
    assertEquals("admin-2", rec.decidedBy());
    assertEquals(new RecommendationBook.RecommendationRejected(id2, "admin-2", "confounded by seniority", rec.history().get(1).at()),
        rejected.event());

    var changes = List.of(pushes.receiveMessage(), pushes.receiveMessage(), pushes.receiveMessage()).stream()
        .map(m -> Json.read(m.dataJson()).get("change").asText()).toList();
    assertEquals(List.of("approved", "applied", "rejected"), changes);
    assertEquals(Refusal.NOT_FOUND, run(r -> new RecommendationBook.Reject("rec-99", "a", "b", r)).reply().refusal());

    kit.restart();
    assertEquals(rec, run(r -> new RecommendationBook.Get(id2, r)).reply().recommendation());
    assertEquals(List.of(Status.PENDING_REVIEW, Status.APPROVED, Status.APPLIED),
        kit.getState().find(id).history().stream().map(Recommendation.Step::status).toList());
  }

  @Test
  void aChangeWaitsForAnExperimentAndIsApprovedAgainWhenItEnds() {
    var id = submit(Drafts.strong("k", "orchestrator", ONE, Risk.LOW), Route.AUTO_APPLY).recommendation().id();
    var blocked = run(r -> Report.blocked(id, "exp-9", r));
    assertEquals(Status.WAITING_FOR_EXPERIMENT, blocked.reply().recommendation().status());
    assertEquals("exp-9", blocked.reply().recommendation().blockedBy());
    assertTrue(run(r -> Report.blocked(id, "exp-9", r)).hasNoEvents());
    assertEquals(Refusal.CONFLICT, run(r -> Report.applied(id, 3, r)).reply().refusal(), "not applied while waiting");
    var unblocked = run(r -> Report.unblocked(id, r));
    assertEquals(Status.APPROVED, unblocked.reply().recommendation().status());
    assertNull(unblocked.reply().recommendation().blockedBy());
    assertTrue(run(r -> Report.unblocked(id, r)).hasNoEvents());
    assertEquals(Status.APPLIED, run(r -> Report.applied(id, 3, r)).reply().recommendation().status());
  }

  @Test
  void aTestRouteRecordsItsDraftExperimentAndMayBeRejectedThen() {
    var id = submit(Drafts.weak("k", "orchestrator", ONE), Route.A_B_TEST).recommendation().id();
    assertEquals(Refusal.CONFLICT, run(r -> new RecommendationBook.Approve(id, "admin-1", "x", r)).reply().refusal());
    var created = run(r -> Report.experimentCreated(id, "rec-1-ab", r));
    assertEquals(Status.EXPERIMENT_CREATED, created.reply().recommendation().status());
    assertEquals("rec-1-ab", created.reply().recommendation().experimentId());
    assertEquals(Status.REJECTED, run(r -> new RecommendationBook.Reject(id, "admin-1", "the test is enough", r)).reply().recommendation().status());
    var listed = kit.<RecommendationBook.Listing>runCommand(r -> new RecommendationBook.ListAll(Status.REJECTED, r)).reply();
    assertEquals(List.of(id), listed.recommendations().stream().map(Recommendation::id).toList());
  }
}
