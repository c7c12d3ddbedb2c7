package io.hireloop.journey;

import static io.hireloop.journey.JobSeekerTest.created;
import static io.hireloop.journey.JobSeekerTest.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.JobSeeker.Command;
import io.hireloop.journey.JobSeeker.ReminderOutcome;
import io.hireloop.journey.JobSeeker.State;
import io.hireloop.journey.JourneyEvent.ReminderSent;
import io.hireloop.platform.Json;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import io.hireloop.testing.EntityTestConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The entity decides whether a due reminder is sent: once, only while unanswered and current (default 7/14/30 days). */
class JobSeekerReminderTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static ActorTestKit testKit;
  static final AtomicInteger users = new AtomicInteger();

  String userId;
  EventSourcedBehaviorTestKit<Command, JourneyEvent, State> kit;
  TestProbe<StreamMessage> stream;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("JobSeekerReminderTest", EntityTestConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newEntity() {
    userId = "r-" + users.incrementAndGet();
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), JobSeeker.create(userId, testKit.system()),
        EntityTestConfig.strictSerialization());
    stream = testKit.createTestProbe();
    Topics.get(testKit.system()).subscribe("user:" + userId, stream.getRef());
    record(created("e1", "a1", T0));
    stream.receiveMessage(); // outcome_recorded of the application
  }

  private void record(JourneyEvent e) {
    assertTrue(kit.<JobSeeker.Verdict>runCommand(r -> new JobSeeker.Record(List.of(e), e.timestamp(), r)).reply().ok());
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, JourneyEvent, State, ReminderOutcome> fire(int step, Instant now) {
    return kit.runCommand(r -> new JobSeeker.FireReminder("a1", step, now, r));
  }

  @Test
  void aDueReminderIsPersistedThenPublishedOnce() {
    var now = T0.plus(Duration.ofDays(7)).plusSeconds(30);
    var r = fire(1, now);
    assertEquals(ReminderOutcome.SENT, r.reply().status());
    var sent = assertInstanceOf(ReminderSent.class, Sealed.open(testKit.system(), r.event()));
    assertEquals(new ReminderSent("reminder:a1:1", now, "a1", 1, Duration.ofDays(7)), sent);

    var m = stream.receiveMessage();
    assertEquals("reminder", m.type());
    assertEquals("user:" + userId, m.topic());
    var data = Json.read(m.dataJson());
    assertEquals(userId, data.path("user_id").asText());
    assertEquals("a1", data.path("application_id").asText());
    assertEquals("job-a1", data.path("job_id").asText());
    assertEquals(1, data.path("step").asInt());
    assertEquals(7, data.path("days_since_application").asInt());
    assertEquals(T0.plus(Duration.ofDays(7)).toString(), data.path("due_at").asText());

    // fired again (a redelivered row, another node after rebalancing, a restart): a duplicate, nothing published
    assertEquals(ReminderOutcome.DUPLICATE, fire(1, now.plusSeconds(5)).reply().status());
    kit.restart();
    var again = fire(1, now.plusSeconds(10));
    assertEquals(ReminderOutcome.DUPLICATE, again.reply().status());
    assertTrue(again.hasNoEvents());
    stream.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aResponseCancelsThePendingReminders() {
    assertEquals(ReminderOutcome.SENT, fire(1, T0.plus(Duration.ofDays(8))).reply().status());
    stream.receiveMessage();
    record(status("e2", "a1", "rejected", T0.plus(Duration.ofDays(9))));
    stream.receiveMessage(); // outcome_recorded
    var r = fire(2, T0.plus(Duration.ofDays(15)));
    assertEquals(ReminderOutcome.ANSWERED, r.reply().status());
    assertTrue(r.hasNoEvents());
    stream.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void tooEarlyStaleAndUnknownAreNotSent() {
    assertEquals(ReminderOutcome.NOT_DUE, fire(1, T0.plus(Duration.ofDays(6))).reply().status());
    // the 14-day reminder has replaced the 7-day one
    assertEquals(ReminderOutcome.STALE, fire(1, T0.plus(Duration.ofDays(20))).reply().status());
    assertEquals(ReminderOutcome.SENT, fire(2, T0.plus(Duration.ofDays(20))).reply().status());
    // 90 days late: the last one is stale too
    assertEquals(ReminderOutcome.STALE, fire(3, T0.plus(Duration.ofDays(90))).reply().status());
    assertEquals(ReminderOutcome.UNKNOWN, fire(4, T0.plus(Duration.ofDays(31))).reply().status());
    assertEquals(ReminderOutcome.UNKNOWN,
        kit.<ReminderOutcome>runCommand(r -> new JobSeeker.FireReminder("nope", 1, T0.plus(Duration.ofDays(8)), r)).reply().status());
    assertEquals(2, kit.getState().lastSeqNr()); // the application and the one reminder sent
  }
}
