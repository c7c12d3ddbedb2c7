package io.hireloop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.config.ConfigChannel.Change;
import io.hireloop.config.ConfigChannel.Command;
import io.hireloop.config.ConfigChannel.Current;
import io.hireloop.config.ConfigChannel.Event;
import io.hireloop.config.ConfigChannel.History;
import io.hireloop.config.ConfigChannel.State;
import io.hireloop.platform.Json;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import io.hireloop.testing.EntityTestConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Versions with provenance, recommendation writes, the append-only history and the admin's rollback. */
class ConfigChannelTest {
  static final String DEFAULTS = "{\"min_fit_score_to_apply\": 60, \"fit_score_weight\": 0.05}";
  static ActorTestKit testKit;

  EventSourcedBehaviorTestKit<Command, Event, State> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("ConfigChannelTest", EntityTestConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newEntity() {
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), ConfigChannel.create("job_discovery", testKit.system()),
        EntityTestConfig.strictSerialization());
    kit.clear(); // one entity per component: forget what earlier tests stored (clear() also restarts it)
  }

  Current get() {
    return kit.<Current>runCommand(ConfigChannel.Get::new).reply();
  }

  History history() {
    return kit.<History>runCommand(ConfigChannel.GetHistory::new).reply();
  }

  EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, Change> apply(String key, String values, Provenance p) {
    return kit.runCommand(r -> new ConfigChannel.ApplyChange(key, values, p, "interview model v3", "recommendation rec-1: lower the bar",
        p == Provenance.LEARNING ? "system:recommendations" : "admin-1", 0.6, "rec-1", r));
  }

  @Test
  void versionZeroIsTheConfiguredDefaults() {
    var c = get();
    assertEquals(0, c.current().version());
    assertEquals("job_discovery", c.current().component());
    assertEquals("manual", c.current().optimizedBy());
    assertEquals(Instant.EPOCH, c.current().lastUpdated());
    assertEquals(Json.read(DEFAULTS), Json.read(c.current().valuesJson()));
    assertNull(c.pending());
    var h = history();
    assertEquals(1, h.versions().size());
    assertEquals(Provenance.DEFAULTS, h.current().provenance());
    assertEquals("defaults", h.current().toJson().get("provenance"));

    var defaults = testKit.system().settings().config().getConfig("hireloop.configs.defaults");
    for (var component : ConfigChannel.COMPONENTS) {
      var other = EventSourcedBehaviorTestKit.<Command, Event, State>create(testKit.system(),
          ConfigChannel.create(component, testKit.system()), EntityTestConfig.strictSerialization());
      var current = other.<Current>runCommand(ConfigChannel.Get::new).reply().current();
      assertEquals(0, current.version(), component);
      assertEquals(Json.read(Json.write(defaults.getConfig(component).root().unwrapped())), Json.read(current.valuesJson()), component);
    }
  }

  @Test
  void aRecommendationsChangeIsMergedRecordedWithItsProvenanceAndPushedOncePerKey() {
    TestProbe<StreamMessage> probe = testKit.createTestProbe();
    Topics.get(testKit.system()).subscribe("config:job_discovery", probe.getRef());

    var r = apply("recommendation:rec-1", "{\"min_fit_score_to_apply\": 55}", Provenance.APPROVAL);
    assertTrue(r.reply().ok());
    var v1 = r.reply().version();
    assertEquals(1, v1.version());
    assertEquals(Provenance.APPROVAL, v1.provenance());
    assertEquals("learning", v1.legacy().optimizedBy(), "optimized_by keeps its meaning: learned values");
    assertEquals("admin-1", v1.actor());
    assertEquals("rec-1", v1.recommendationId());
    assertEquals("interview model v3", v1.source());
    assertEquals(Json.read("{\"min_fit_score_to_apply\": 55, \"fit_score_weight\": 0.05}"), Json.read(v1.valuesJson()));
    assertEquals(new ConfigChannel.Written(v1, "recommendation:rec-1"), r.event());
    var pushed = probe.receiveMessage();
    assertEquals("config_updated", pushed.type());
    assertEquals("approval", Json.read(pushed.dataJson()).get("provenance").asText());

    var again = apply("recommendation:rec-1", "{\"min_fit_score_to_apply\": 10}", Provenance.APPROVAL);
    assertTrue(again.hasNoEvents());
    assertEquals(v1, again.reply().version());
    probe.expectNoMessage(Duration.ofMillis(200));

    kit.restart();
    assertEquals(v1, history().current());
    assertEquals(v1.legacy(), get().current());
  }

  @Test
  void aChangeThatIsNotAnObjectOrNotARecommendationsProvenanceIsRefused() {
    for (var bad : List.of("{}", "[1]", "not json")) {
      var r = apply("recommendation:rec-x", bad, Provenance.LEARNING);
      assertTrue(r.hasNoEvents(), bad);
      assertEquals(ConfigChannel.Refusal.INVALID, r.reply().refusal(), bad);
    }
    var r = apply("recommendation:rec-y", "{\"a\": 1}", Provenance.EXPERIMENT);
    assertTrue(r.hasNoEvents());
    assertEquals(ConfigChannel.Refusal.INVALID, r.reply().refusal());
    assertEquals(1, history().versions().size());
  }

  @Test
  void aRollbackIsANewVersionWithTheOldValuesAndTheHistoryKeepsEveryLaterVersion() {
    apply("recommendation:rec-1", "{\"min_fit_score_to_apply\": 55}", Provenance.LEARNING);
    kit.<ConfigChannel.Proposed>runCommand(r -> new ConfigChannel.ApplyFromExperimentOnce("rollout:e:stage:1:low", "{\"fit_score_weight\": 0.09}", "experiment e", r));
    var back = kit.<Change>runCommand(r -> new ConfigChannel.Rollback(1, "v2 hurt interviews", "admin-7", r));
    assertTrue(back.reply().ok());
    var v3 = back.reply().version();
    assertEquals(3, v3.version());
    assertEquals(Provenance.ROLLBACK, v3.provenance());
    assertEquals(1, v3.restoresVersion());
    assertEquals("v2 hurt interviews", v3.reason());
    assertEquals("admin-7", v3.actor());
    assertEquals(Json.read("{\"min_fit_score_to_apply\": 55, \"fit_score_weight\": 0.05}"), Json.read(v3.valuesJson()));

    var all = history().versions();
    assertEquals(List.of(0, 1, 2, 3), all.stream().map(ConfigChannel.Version::version).toList());
    assertEquals(List.of(Provenance.DEFAULTS, Provenance.LEARNING, Provenance.EXPERIMENT, Provenance.ROLLBACK),
        all.stream().map(ConfigChannel.Version::provenance).toList());
    assertEquals(Json.read("{\"min_fit_score_to_apply\": 55, \"fit_score_weight\": 0.09}"), Json.read(all.get(2).valuesJson()),
        "the rolled-back version is still there");

    // back to the defaults is a rollback too
    var toDefaults = kit.<Change>runCommand(r -> new ConfigChannel.Rollback(0, "start over", "admin-7", r));
    assertEquals(4, toDefaults.reply().version().version());
    assertEquals(Json.read(DEFAULTS), Json.read(toDefaults.reply().version().valuesJson()));
  }

  @Test
  void aRollbackToAnUnknownOrTheCurrentVersionWritesNothing() {
    apply("recommendation:rec-1", "{\"min_fit_score_to_apply\": 55}", Provenance.LEARNING);
    var unknown = kit.<Change>runCommand(r -> new ConfigChannel.Rollback(7, "x", "admin-7", r));
    assertTrue(unknown.hasNoEvents());
    assertEquals(ConfigChannel.Refusal.UNKNOWN_VERSION, unknown.reply().refusal());
    var current = kit.<Change>runCommand(r -> new ConfigChannel.Rollback(1, "x", "admin-7", r));
    assertTrue(current.hasNoEvents());
    assertEquals(ConfigChannel.Refusal.ALREADY_CURRENT, current.reply().refusal());
    assertEquals(2, history().versions().size());
  }

  @Test
  void eventsOfEarlierReleasesReplayWithTheirProvenanceAndAPendingProposalIsDropped() {
    var applied = new ConfigChannel.ConfigVersion("job_discovery", 1, "{\"min_fit_score_to_apply\":55}", "learning", 0.6, Instant.EPOCH,
        "interview model v3");
    var pending = new ConfigChannel.ConfigVersion("job_discovery", 2, "{\"min_fit_score_to_apply\":50}", "learning", 0.1, Instant.EPOCH,
        "interview model v4");
    var stage = new ConfigChannel.ConfigVersion("job_discovery", 2, "{\"min_fit_score_to_apply\":58}", "experiment", 1.0, Instant.EPOCH,
        "experiment e stage 1");
    kit.initialize(new ConfigChannel.Applied(applied), new ConfigChannel.ProposalPending(pending), new ConfigChannel.AppliedOnce(stage, "k"));
    var all = history().versions();
    assertEquals(List.of(0, 1, 2), all.stream().map(ConfigChannel.Version::version).toList());
    assertEquals(Provenance.LEARNING, all.get(1).provenance());
    assertEquals(Provenance.EXPERIMENT, all.get(2).provenance());
    assertEquals(stage, get().current());
    assertNull(get().pending());
    // the key of the released keyed write still answers its version
    var retry = kit.<ConfigChannel.Proposed>runCommand(r -> new ConfigChannel.ApplyFromExperimentOnce("k", "{}", "experiment e stage 1", r));
    assertTrue(retry.hasNoEvents());
    assertEquals(stage, retry.reply().version());
  }
}
