package io.hireloop.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.hireloop.journey.JobSeeker.Command;
import io.hireloop.journey.JobSeeker.Preferences;
import io.hireloop.journey.JobSeeker.State;
import io.hireloop.journey.JourneyEvent.PreferencesChanged;
import io.hireloop.testing.EntityTestConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Preferences live in the user's journal (PREFERENCES_CHANGED) and in the second State shape. */
class JobSeekerPreferencesTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static ActorTestKit testKit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("JobSeekerPreferencesTest", EntityTestConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  private EventSourcedBehaviorTestKit<Command, JourneyEvent, State> kit(String userId) {
    return EventSourcedBehaviorTestKit.create(testKit.system(), JobSeeker.create(userId, testKit.system()),
        EntityTestConfig.strictSerialization());
  }

  @Test
  void defaultsAreFalseAndNeverUpdated() {
    var r = kit("p-1").<Preferences>runCommand(JobSeeker.GetPreferences::new);
    assertEquals(Preferences.DEFAULT, r.reply());
    assertEquals(List.of(), r.events());
  }

  @Test
  void aPartialChangeKeepsTheOtherFlagAndSurvivesARestart() {
    var kit = kit("p-2");
    var first = kit.<Preferences>runCommand(r -> new JobSeeker.SetPreferences(true, null, T0, r));
    assertEquals(new Preferences(true, false, T0), first.reply());
    var event = assertInstanceOf(PreferencesChanged.class, Sealed.open(testKit.system(), first.event()));
    assertEquals("PREFERENCES_CHANGED", event.eventType());
    assertEquals(new PreferencesChanged(event.eventId(), T0, true, false), event);

    var t1 = T0.plus(Duration.ofHours(1));
    var second = kit.<Preferences>runCommand(r -> new JobSeeker.SetPreferences(null, true, t1, r));
    assertEquals(new Preferences(true, true, t1), second.reply());
    var third = kit.<Preferences>runCommand(r -> new JobSeeker.SetPreferences(false, null, t1.plusSeconds(1), r));
    assertEquals(new Preferences(false, true, t1.plusSeconds(1)), third.reply());
    assertEquals(3, third.state().lastSeqNr());

    kit.restart();
    assertEquals(new Preferences(false, true, t1.plusSeconds(1)), kit.<Preferences>runCommand(JobSeeker.GetPreferences::new).reply());
  }

  @Test
  void preferencesDoNotDisturbApplicationsOrIdempotencyKeys() {
    var kit = kit("p-3");
    kit.<JobSeeker.Verdict>runCommand(r -> new JobSeeker.Record(List.of(JobSeekerTest.created("e1", "a1", T0)), T0, r));
    var set = kit.<Preferences>runCommand(r -> new JobSeeker.SetPreferences(true, true, T0.plusSeconds(5), r));
    assertEquals(1, set.state().applications().size());
    assertEquals(2, set.state().lastSeqNr());
    var dup = kit.<JobSeeker.Verdict>runCommand(r -> new JobSeeker.Record(List.of(JobSeekerTest.created("e1", "a1", T0)), T0, r));
    assertEquals(JobSeeker.Result.DUPLICATE, dup.reply().results().get(0).status());
  }

  @Test
  void theUserPerformanceFoldIgnoresThePreferencesEvent() {
    var before = io.hireloop.analytics.PerformanceState.EMPTY.apply(1, JobSeekerTest.created("e1", "a1", T0));
    var after = before.apply(2, new PreferencesChanged("preferences:x", T0, true, true));
    var expected = new java.util.LinkedHashMap<>(before.toUserPerformance("u"));
    expected.put("as_of_seq_nr", 2L);
    assertEquals(expected.toString(), after.toUserPerformance("u").toString());
  }

  @Test
  void aFirstVersionSnapshotIsUpcastWithDefaultPreferences() {
    var app = new JobSeeker.Application("a-1", "j-1", "r-1", JobSeekerTest.ctx(), T0, "viewed");
    var legacy = new JobSeeker.LegacyState(Map.of("a-1", app), Map.of("e-1", 1L), List.of(), List.of(), 1);
    assertEquals(new State(Map.of("a-1", app), Map.of("e-1", 1L), List.of(), List.of(), 1, Preferences.DEFAULT, null), legacy.upcast());
  }
}
