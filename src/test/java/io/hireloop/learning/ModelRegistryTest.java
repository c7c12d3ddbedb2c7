package io.hireloop.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.learning.ModelRegistry.AliasChange;
import io.hireloop.learning.ModelRegistry.AliasMoved;
import io.hireloop.learning.ModelRegistry.Champion;
import io.hireloop.learning.ModelRegistry.Command;
import io.hireloop.learning.ModelRegistry.Event;
import io.hireloop.learning.ModelRegistry.Gate;
import io.hireloop.learning.ModelRegistry.Latest;
import io.hireloop.learning.ModelRegistry.ModelVersion;
import io.hireloop.learning.ModelRegistry.Registered;
import io.hireloop.learning.ModelRegistry.State;
import io.hireloop.learning.ModelRegistry.VersionDetail;
import io.hireloop.learning.ModelRegistry.Versions;
import io.hireloop.platform.Json;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import io.hireloop.testing.EntityTestConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {
  static ActorTestKit testKit;
  static final AtomicInteger ids = new AtomicInteger();
  static final Gate GATE = new Gate(0.005, 0.005);
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  String name;
  EventSourcedBehaviorTestKit<Command, Event, State> kit;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("ModelRegistryTest", EntityTestConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newEntity() {
    name = "interview-" + ids.incrementAndGet();
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), ModelRegistry.create(name), EntityTestConfig.strictSerialization());
  }

  ModelCard card(int v, double auc, double ece) {
    var metrics = new ModelCard.Metrics(auc, 0.5, 0.2, ece, 300, 0.25);
    return new ModelCard(name, v, T0.plusSeconds(v), "job-" + v, "cpu", 3.5, "v2",
        new ModelCard.DataWindow(T0.minusSeconds(86400 * 30), T0, 1000 * v, 200, 300, 80), metrics,
        List.of(new ModelCard.CalibrationBin(0.0, 0.1, 0.05, 0.04, 120), new ModelCard.CalibrationBin(0.1, 0.2, 0.15, 0.16, 90)),
        new ModelCard.Confusion(0.5, 40, 20, 210, 30), "isotonic",
        List.of(new ModelCard.Member("logistic", 0.4, metrics, Map.of("l2", 0.01), List.of()),
            new ModelCard.Member("boosted_trees", 0.6, metrics, Map.of("depth", 4.0, "eta", 0.1),
                List.of(new ModelCard.Round(1, 0.6, 0.62), new ModelCard.Round(2, 0.55, 0.59)))),
        List.of(new ModelCard.FeatureImportance("fit_score", 0.7), new ModelCard.FeatureImportance("tailored", 0.3)),
        new ModelCard.Interval(0.9, 0.31));
  }

  Registered register(ModelCard card) {
    return kit.<Registered>runCommand(replyTo -> new ModelRegistry.Register(card.toJson(), GATE, replyTo)).reply();
  }

  AliasChange promote(int v) {
    return kit.<AliasChange>runCommand(r -> new ModelRegistry.Promote(v, "ops", "looks better in review", r)).reply();
  }

  AliasChange rollback(boolean automatic) {
    return kit.<AliasChange>runCommand(r -> new ModelRegistry.Rollback("ops", "harm seen", automatic, r)).reply();
  }

  Integer champion() {
    var c = kit.<Champion>runCommand(ModelRegistry.GetChampion::new).reply().card();
    return c == null ? null : c.version();
  }

  Versions versions() {
    return kit.<Versions>runCommand(ModelRegistry.GetVersions::new).reply();
  }

  @Test
  void cardRoundTripsThroughSnakeCaseJsonAndIgnoresUnknownFields() {
    var card = card(1, 0.78, 0.03);
    var json = Json.read(card.toJson());
    assertTrue(json.has("trained_at") && json.has("feature_pipeline") && json.path("data_window").has("holdout_rows"), json.toString());
    assertTrue(json.path("holdout").has("positive_rate") && json.path("calibration_curve").get(0).has("mean_predicted"));
    assertTrue(json.path("members").get(1).path("history").get(0).has("validation_loss"));
    assertTrue(json.path("interval").has("heterogeneity"));
    assertEquals(card, ModelCard.fromJson(card.toJson()));
    var withExtra = card.toJson().replaceFirst("\\{", "{\"added_later\":{\"x\":1},")
        .replace("\"count\":300", "\"count\":300,\"new_metric\":0.1");
    assertEquals(card, ModelCard.fromJson(withExtra));
  }

  @Test
  void nothingRegisteredYet() {
    assertNull(kit.<Latest>runCommand(ModelRegistry.GetLatest::new).reply().version());
    assertNull(champion());
    assertEquals(new Versions(List.of(), null, null), versions());
  }

  @Test
  void firstVersionBecomesChampionAndIsPublished() {
    TestProbe<StreamMessage> probe = testKit.createTestProbe();
    Topics.get(testKit.system()).subscribe("models", probe.getRef());
    var r = kit.<Registered>runCommand(replyTo -> new ModelRegistry.Register(card(1, 0.7, 0.03).toJson(), GATE, replyTo));
    assertTrue(r.reply().ok());
    assertEquals(ModelRegistry.CHAMPION, r.reply().alias());
    assertEquals(2, r.events().size());
    assertEquals(new ModelRegistry.VersionRegisteredV2(card(1, 0.7, 0.03).toJson()), r.events().get(0));
    var moved = (AliasMoved) r.events().get(1);
    assertEquals(ModelRegistry.CHAMPION, moved.alias());
    assertEquals(ModelRegistry.GATE, moved.kind());
    assertNull(moved.previousVersion());
    assertEquals(1, champion());
    assertEquals(card(1, 0.7, 0.03).toVersion(), kit.<Latest>runCommand(ModelRegistry.GetLatest::new).reply().version());

    var registered = probe.receiveMessage();
    assertEquals("model_registered", registered.type());
    assertEquals("champion", Json.read(registered.dataJson()).path("alias").asText());
    var alias = Json.read(probe.receiveMessage().dataJson());
    assertEquals("gate", alias.path("kind").asText());
    assertEquals(1, alias.path("version").asInt());
  }

  @Test
  void aWorseVersionStaysChallengerAndTheChampionKeepsServing() {
    register(card(1, 0.78, 0.03));
    var worseAuc = register(card(2, 0.77, 0.03));
    assertEquals(ModelRegistry.CHALLENGER, worseAuc.alias());
    assertTrue(worseAuc.reason().contains("0.7700") && worseAuc.reason().contains("0.7800"), worseAuc.reason());
    assertEquals(1, champion());
    var worseEce = register(card(3, 0.80, 0.04));
    assertEquals(ModelRegistry.CHALLENGER, worseEce.alias());
    assertEquals(1, champion());
    assertEquals(new Versions(versions().cards(), 1, 3), versions());
    assertEquals(List.of(3, 2, 1), versions().decoded().stream().map(ModelCard::version).toList());
    // the newest version is 3, whatever serves
    assertEquals(3, kit.<Latest>runCommand(ModelRegistry.GetLatest::new).reply().version().version());
  }

  @Test
  void aVersionWithinToleranceBecomesChampion() {
    register(card(1, 0.78, 0.03));
    var r = register(card(2, 0.776, 0.034));
    assertEquals(ModelRegistry.CHAMPION, r.alias(), r.reason());
    assertEquals(2, champion());
    // 1 is the champion a rollback returns to
    assertEquals(new AliasChange(true, null, 1, 2, null), rollback(false));
  }

  @Test
  void versionThatIsNotTheNextOrForAnotherModelIsRefused() {
    register(card(1, 0.7, 0.03));
    var r = kit.<Registered>runCommand(replyTo -> new ModelRegistry.Register(card(3, 0.7, 0.03).toJson(), GATE, replyTo));
    assertEquals(new Registered(false, 1, null, null, "version 3 is not the next version (2)"), r.reply());
    assertTrue(r.hasNoEvents());
    var other = new ModelCard("offer", 2, T0, "j", "cpu", 1, "v2", null, new ModelCard.Metrics(0.7, 0, 0, 0.03, 1, 0.1), null,
        null, "platt", null, null, null);
    assertFalse(register(other).ok());
    assertFalse(register(new ModelCard(name, 2, T0, "j", "cpu", 1, "v2", null, null, null, null, "platt", null, null, null)).ok());
    assertFalse(kit.<Registered>runCommand(replyTo -> new ModelRegistry.Register("{not json", GATE, replyTo)).reply().ok());
    assertEquals(1, kit.getState().latestVersion());
  }

  @Test
  void promoteMakesAChallengerChampionAndRefusesUnknownOrCurrent() {
    register(card(1, 0.78, 0.03));
    register(card(2, 0.70, 0.03));
    var r = kit.<AliasChange>runCommand(rr -> new ModelRegistry.Promote(2, "ops", "reviewed", rr));
    assertEquals(new AliasChange(true, null, 2, 1, null), r.reply());
    var moved = (AliasMoved) r.event();
    assertEquals(new AliasMoved("champion", 2, 1, "promote", "ops", "reviewed", moved.at()), moved);
    assertEquals(2, champion());
    assertNull(versions().challenger());
    assertEquals(List.of("champion"), kit.<VersionDetail>runCommand(rr -> new ModelRegistry.GetVersion(2, rr)).reply().aliases());

    var again = promote(2);
    assertEquals("conflict", again.code());
    var unknown = promote(7);
    assertEquals("not_found", unknown.code());
    assertNull(kit.<VersionDetail>runCommand(rr -> new ModelRegistry.GetVersion(7, rr)).reply().card());
  }

  @Test
  void rollbackWalksBackThroughEarlierChampionsAndSurvivesRestart() {
    register(card(1, 0.70, 0.03));
    register(card(2, 0.72, 0.03)); // champion by the gate
    register(card(3, 0.60, 0.03)); // challenger
    promote(3);
    assertEquals(3, champion());
    kit.restart();
    assertEquals(3, champion());
    var back = kit.<AliasChange>runCommand(r -> new ModelRegistry.Rollback("system:monitor", "auc dropped", true, r));
    assertEquals(new AliasChange(true, null, 2, 3, null), back.reply());
    assertEquals(ModelRegistry.AUTO_ROLLBACK, ((AliasMoved) back.event()).kind());
    assertEquals(2, champion());
    kit.restart();
    assertEquals(new AliasChange(true, null, 1, 2, null), rollback(false));
    assertEquals(1, champion());
    var none = rollback(false);
    assertFalse(none.ok());
    assertEquals("conflict", none.code());
    assertTrue(none.error().contains("no earlier"), none.error());
    kit.restart();
    assertEquals(1, champion());
    assertEquals(3, kit.getState().latestVersion());
  }

  @Test
  void onlineRevisionsAreRecordedPerVersionInOrderAndSurviveRestart() {
    register(card(1, 0.70, 0.03));
    var ok = kit.<AliasChange>runCommand(r -> new ModelRegistry.RecordRevision(1, 1, 200, r));
    assertTrue(ok.reply().ok());
    kit.<AliasChange>runCommand(r -> new ModelRegistry.RecordRevision(1, 2, 400, r));
    var stale = kit.<AliasChange>runCommand(r -> new ModelRegistry.RecordRevision(1, 2, 450, r)).reply();
    assertEquals("conflict", stale.code(), "a revision is recorded once: " + stale);
    assertEquals("not_found", kit.<AliasChange>runCommand(r -> new ModelRegistry.RecordRevision(9, 1, 1, r)).reply().code());
    kit.restart();
    var c = kit.<Champion>runCommand(ModelRegistry.GetChampion::new).reply();
    assertEquals(2, c.revision());
    assertEquals(400, c.onlineUpdates());
    register(card(2, 0.71, 0.03));
    var v2 = kit.<VersionDetail>runCommand(r -> new ModelRegistry.GetVersion(2, r)).reply();
    assertEquals(0, v2.revision(), "a new version starts as trained");
    assertEquals(400, kit.<VersionDetail>runCommand(r -> new ModelRegistry.GetVersion(1, r)).reply().onlineUpdates());
  }

  @Test
  void rollbackWithNoChampionIsRefused() {
    var none = rollback(false);
    assertEquals("conflict", none.code());
    assertTrue(none.error().contains("no champion"), none.error());
  }

  ModelVersion legacy(int v) {
    return new ModelVersion(name, v, T0.plusSeconds(v), 1000 * v, 0.7 + v / 100.0, 0.5, 0.2, 0.03, "cpu", "job-" + v, 3.5);
  }

  @Test
  void anOldJournalReplaysAsCardsWithItsLatestVersionChampion() {
    kit.initialize(new ModelRegistry.VersionRegistered(legacy(1)), new ModelRegistry.VersionRegistered(legacy(2)));
    assertEquals(2, champion());
    var v1 = kit.<VersionDetail>runCommand(r -> new ModelRegistry.GetVersion(1, r)).reply();
    assertEquals(List.of(), v1.aliases());
    assertEquals(ModelCard.fromVersion(legacy(1)), v1.card());
    assertEquals("none", v1.card().calibration());
    assertEquals(1000, v1.card().trainingExamples());
    assertEquals(legacy(2), kit.<Latest>runCommand(ModelRegistry.GetLatest::new).reply().version());
    // registration goes on at 3, gated against the old champion; rolling back reaches the old version 1
    var r = register(card(3, 0.60, 0.03));
    assertEquals(ModelRegistry.CHALLENGER, r.alias());
    assertEquals(new AliasChange(true, null, 1, 2, null), rollback(false));
  }

  @Test
  void aFirstShapeSnapshotUpcastsLikeItsReplay() {
    var upcast = ModelRegistry.upcast(new ModelRegistry.StateV1(List.of(legacy(1), legacy(2))));
    assertEquals(2, upcast.champion());
    assertNull(upcast.challenger());
    assertEquals(List.of(1), upcast.previousChampions());
    assertEquals(ModelCard.fromVersion(legacy(2)), upcast.card(2));
  }
}
