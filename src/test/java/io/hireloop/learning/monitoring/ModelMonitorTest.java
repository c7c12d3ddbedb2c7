package io.hireloop.learning.monitoring;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.config.ConfigChannel;
import io.hireloop.journey.Domain;
import io.hireloop.learning.ModelCard;
import io.hireloop.learning.ModelRegistry;
import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.platform.Json;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import io.hireloop.testing.EntityTestConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The monitor actor against a real {@link ModelRegistry} and {@link ConfigChannel} on the in-memory journal (the
 * ActorTestKit stands in for a node: the models are scoring functions instead of trained ensembles, and the served
 * rows come from a stub instead of {@code prediction_log}). A champion whose scores contradict the outcomes must be
 * rolled back automatically, with the config derived from it; a good champion must raise nothing.
 */
class ModelMonitorTest {
  static final ActorTestKit testKit = ActorTestKit.create("ModelMonitorTest", EntityTestConfig.config());
  static final Duration WAIT = Duration.ofSeconds(15);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** The population's true interview probability at a fit score (0–100). */
  static double truth(double fit) {
    return 1 / (1 + Math.exp(-(fit - 60) / 10));
  }

  static final ModelMonitor.Scorer GOOD = s -> s.stream().mapToDouble(x -> truth(x.context().fitScore())).toArray();
  static final ModelMonitor.Scorer INVERTED = s -> s.stream().mapToDouble(x -> 1 - truth(x.context().fitScore())).toArray();

  static double fit(Random rnd, double mean) {
    return Math.min(100, Math.max(0, Math.round(mean + 15 * rnd.nextGaussian())));
  }

  static ModelCard card(int version, DriftReference reference) {
    // the holdout AUC of GOOD on this population is about 0.78
    return new ModelCard("interview", version, Instant.now(), "job-" + version, "cpu", 1, "v2", null,
        new ModelCard.Metrics(0.78, 0.5, 0.18, 0.03, 1000, 0.4), List.of(), null, "platt", List.of(), List.of(), null, null, reference);
  }

  static List<ModelMonitor.Labelled> labelled(Random rnd, int n) {
    var rows = new ArrayList<ModelMonitor.Labelled>();
    for (int i = 0; i < n; i++) {
      double fit = fit(rnd, 60);
      var context = new Domain.ApplicationContext("balanced", fit, "target", null, 60, false);
      var snapshot = ApplicationSnapshot.ofContext(context, Instant.parse("2026-03-02T09:00:00Z"));
      rows.add(new ModelMonitor.Labelled("u-" + (i % 50), "a-" + rnd.nextLong(), Json.write(snapshot), rnd.nextDouble() < truth(fit)));
    }
    return rows;
  }

  static StreamMessage awaitMessage(TestProbe<StreamMessage> probe, Predicate<JsonNode> match, String type) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      var m = probe.receiveMessage(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (m.type().equals(type) && match.test(Json.read(m.dataJson()))) return m;
    }
  }

  @Test
  void aChampionThatContradictsOutcomesIsRolledBackWithItsConfigAndAGoodOneIsLeftAlone() {
    var system = testKit.system();
    var rnd = new Random(5);
    var reference = new DriftReference(5000, List.of(DriftReference.numeric("fit_score",
        rnd.doubles(5000).map(u -> fit(rnd, 60) / 100).toArray())), List.of());

    var registry = testKit.spawn(ModelRegistry.create("interview"));
    var registered = testKit.<ModelRegistry.Registered>createTestProbe();
    var gate = new ModelRegistry.Gate(0.005, 0.005);
    registry.tell(new ModelRegistry.Register(card(1, reference).toJson(), gate, registered.getRef()));
    assertEquals(ModelRegistry.CHAMPION, registered.receiveMessage().alias());
    registry.tell(new ModelRegistry.Register(card(2, reference).toJson(), gate, registered.getRef()));
    assertEquals(ModelRegistry.CHAMPION, registered.receiveMessage().alias());

    ActorRef<ConfigChannel.Command> config = testKit.spawn(ConfigChannel.create("job_discovery", system));
    var changes = testKit.<ConfigChannel.Change>createTestProbe();
    config.tell(learned("{\"min_fit_score_to_apply\": 50}", "interview model v1", changes.getRef()));
    assertTrue(changes.receiveMessage().ok());
    config.tell(learned("{\"min_fit_score_to_apply\": 90}", "interview model v2", changes.getRef()));
    assertEquals(2, changes.receiveMessage().version().version());

    var models = testKit.<StreamMessage>createTestProbe();
    Topics.get(system).subscribe(ModelRegistry.TOPIC, models.getRef());

    // served rows: fit scores 15 points above the training rows' (drift of fit_score, a warning)
    ModelMonitor.ServingLog served = (model, version, limit, days) -> {
      var r = new Random(version);
      var rows = new ArrayList<Map<String, Object>>();
      for (int i = 0; i < 1000; i++) {
        var row = new HashMap<String, Object>();
        row.put("fit_score", fit(r, 75) / 100);
        rows.add(row);
      }
      return CompletableFuture.completedFuture(rows);
    };
    var loads = new ArrayList<Integer>();
    var settings = new ModelMonitor.Settings(2000, Duration.ofMillis(300), 7, DriftCheck.Settings.defaults(), 0.05, 50,
        AlertRule.Critical.defaults(), 50, Duration.ofSeconds(5));
    var monitor = testKit.spawn(ModelMonitor.create(settings, new ModelMonitor.Deps("interview", registry, config, (v, rev, updates) -> {
      synchronized (loads) {
        loads.add(v);
      }
      return CompletableFuture.<ModelMonitor.Scorer>completedFuture(v == 2 ? INVERTED : GOOD);
    }, served)));

    // 600 outcomes that contradict v2 (the champion): over min-labelled (500), AUC ~0.22 and a large ECE
    for (var batch : partition(labelled(rnd, 600), 100)) monitor.tell(new ModelMonitor.LabelsObserved(batch));

    var critical = awaitMessage(models, d -> d.path("severity").asText().equals("critical"), ModelMonitor.ALERT);
    var alert = Json.read(critical.dataJson());
    assertEquals(2, alert.path("version").asInt(), alert.toString());
    assertTrue(alert.path("figures").path("labelled").asInt() >= 500, alert.toString());
    var moved = Json.read(awaitMessage(models, d -> d.path("kind").asText().equals(ModelRegistry.AUTO_ROLLBACK), "model_alias_moved").dataJson());
    assertEquals(1, moved.path("version").asInt(), moved.toString());
    assertEquals(2, moved.path("previous_version").asInt(), moved.toString());
    assertEquals(ModelMonitor.BY, moved.path("by").asText());
    assertTrue(moved.path("reason").asText().contains("live"), moved.toString());

    var champion = testKit.<ModelRegistry.Champion>createTestProbe();
    registry.tell(new ModelRegistry.GetChampion(champion.getRef()));
    assertEquals(1, champion.receiveMessage().card().version());

    // the config derived from v2 is undone: the values from before it, as a new version
    var current = testKit.<ConfigChannel.Current>createTestProbe();
    await().atMost(WAIT).untilAsserted(() -> {
      config.tell(new ConfigChannel.Get(current.getRef()));
      var c = current.receiveMessage().current();
      assertEquals(3, c.version(), c.toString());
      assertEquals(50, Json.read(c.valuesJson()).path("min_fit_score_to_apply").asInt(), c.toString());
      assertEquals("rollback", c.optimizedBy());
      assertTrue(c.source().startsWith("auto rollback of interview model v2 to v1"), c.source());
    });

    // the drift of the served fit scores is a warning, published once
    var drift = Json.read(awaitMessage(models, d -> d.path("kind").asText().equals("drift"), ModelMonitor.ALERT).dataJson());
    assertEquals("warning", drift.path("severity").asText());
    assertEquals("fit_score", drift.path("feature").asText());

    // v1 (good) now judges the next outcomes: no critical alert for it
    await().atMost(WAIT).until(() -> {
      synchronized (loads) {
        return loads.contains(1);
      }
    });
    for (var batch : partition(labelled(rnd, 700), 100)) monitor.tell(new ModelMonitor.LabelsObserved(batch));
    var report = testKit.<ModelMonitor.MonitoringReport>createTestProbe();
    await().atMost(WAIT).untilAsserted(() -> {
      monitor.tell(new ModelMonitor.GetReport(report.getRef()));
      var doc = Json.read(report.receiveMessage().json());
      assertEquals(1, doc.path("champion").asInt(), doc.toString());
      var v1 = doc.path("versions").get(0);
      assertEquals(1, v1.path("version").asInt());
      assertEquals(700, v1.path("labelled").asInt(), doc.toString());
    });
    monitor.tell(new ModelMonitor.GetReport(report.getRef()));
    var doc = Json.read(report.receiveMessage().json());
    var v1 = doc.path("versions").get(0);
    var v2 = doc.path("versions").get(1);
    assertTrue(v1.path("auc").asDouble() > 0.73 && v1.path("ece").asDouble() < 0.1, doc.toString());
    assertEquals(0.78, v1.path("holdout_auc").asDouble(), 1e-9);
    assertEquals(600, v2.path("labelled").asInt());
    assertTrue(v2.path("auc").asDouble() < 0.3, doc.toString());
    for (var a : doc.path("alerts")) {
      assertFalse(a.path("severity").asText().equals("critical") && a.path("version").asInt() == 1, "v1 is fine: " + a);
    }
    assertEquals(2000, doc.path("window").asInt());
    assertEquals("fit_score", doc.path("drift").get(0).path("feature").asText(), doc.toString());
    assertTrue(doc.path("drift").get(0).has("ks") && doc.path("drift").get(0).path("alarm").asBoolean(), doc.toString());
    assertTrue(doc.path("page_hinkley").has("statistic"), doc.toString());
  }

  /**
   * A champion that learns online: the monitor hands it each scored outcome, stores its parameters every
   * {@code revisionEvery} outcomes and has the registry record the revision, one at a time and in order.
   */
  @Test
  void aLearningChampionIsStoredAsRevisionsThatTheRegistryRecords() {
    var rnd = new Random(9);
    var registry = testKit.spawn(ModelRegistry.create("offer"));
    var registered = testKit.<ModelRegistry.Registered>createTestProbe();
    var c = card(1, null);
    var offerCard = new ModelCard("offer", 1, c.trainedAt(), c.jobId(), c.backend(), c.trainingSeconds(), c.featurePipeline(), null,
        c.holdout(), List.of(), null, "platt", List.of(), List.of(), null, null, null);
    registry.tell(new ModelRegistry.Register(offerCard.toJson(), new ModelRegistry.Gate(0.005, 0.005), registered.getRef()));
    assertTrue(registered.receiveMessage().ok());

    var learned = new java.util.concurrent.atomic.AtomicLong();
    ModelMonitor.Scorer learning = new ModelMonitor.Scorer() {
      public double[] probabilities(List<ApplicationSnapshot> snapshots) {
        return GOOD.probabilities(snapshots);
      }

      public long learn(List<ApplicationSnapshot> snapshots, List<Boolean> labels) {
        return learned.addAndGet(snapshots.size());
      }

      public byte[] revisionBytes() {
        return Long.toString(learned.get()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }
    };
    var saved = java.util.Collections.synchronizedList(new ArrayList<String>());
    ModelMonitor.RevisionStore store = (model, version, revision, updates, bytes) -> {
      saved.add(model + " v" + version + " r" + revision + " " + updates + " " + new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      return CompletableFuture.completedFuture(null);
    };
    var settings = new ModelMonitor.Settings(2000, Duration.ofMillis(300), 7, DriftCheck.Settings.defaults(), 0.05, 50,
        AlertRule.Critical.defaults(), 50, Duration.ofSeconds(5), 200);
    var config = testKit.spawn(ConfigChannel.create("strategy_engine", testKit.system()));
    var monitor = testKit.spawn(ModelMonitor.create(settings, new ModelMonitor.Deps("offer", registry, config,
        (v, rev, updates) -> CompletableFuture.completedFuture(learning),
        (model, version, limit, days) -> CompletableFuture.completedFuture(List.of()), store)));
    var champion = testKit.<ModelRegistry.Champion>createTestProbe();
    for (var batch : partition(labelled(rnd, 450), 50)) {
      // wait for each batch to be learned, so that revisions fall at known counts (the target is read before the
      // batch is sent: the monitor may learn it before this thread looks again)
      long expected = learned.get() + batch.size();
      monitor.tell(new ModelMonitor.LabelsObserved(batch));
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> learned.get() >= expected);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        var report = testKit.<ModelMonitor.MonitoringReport>createTestProbe();
        monitor.tell(new ModelMonitor.GetReport(report.getRef()));
        throw new AssertionError("learned " + learned.get() + " of " + expected + "; monitor: " + report.receiveMessage().json(), e);
      }
      if (expected % 200 == 0) {
        // the revision is recorded before more outcomes arrive (a save in flight skips the next trigger)
        await().atMost(WAIT).untilAsserted(() -> {
          registry.tell(new ModelRegistry.GetChampion(champion.getRef()));
          assertEquals(expected / 200, champion.receiveMessage().revision());
        });
      }
    }
    await().atMost(WAIT).untilAsserted(() -> {
      registry.tell(new ModelRegistry.GetChampion(champion.getRef()));
      var ch = champion.receiveMessage();
      assertEquals(2, ch.revision(), saved.toString());
      assertEquals(400, ch.onlineUpdates());
    });
    assertEquals(List.of("offer v1 r1 200 200", "offer v1 r2 400 400"), saved);
  }

  @Test
  void restoreBeforeIsIdempotentAndNeedsAnAppliedSource() {
    ActorRef<ConfigChannel.Command> config = testKit.spawn(ConfigChannel.create("orchestrator", testKit.system()));
    var proposed = testKit.<ConfigChannel.Proposed>createTestProbe();
    config.tell(new ConfigChannel.RestoreBefore("k", "interview model v7", "auto", proposed.getRef()));
    assertFalse(proposed.receiveMessage().applied(), "nothing came from v7");
    var changes = testKit.<ConfigChannel.Change>createTestProbe();
    config.tell(learned("{\"x\": 1}", "interview model v7", changes.getRef()));
    assertEquals(1, changes.receiveMessage().version().version());
    config.tell(new ConfigChannel.RestoreBefore("k", "interview model v7", "auto", proposed.getRef()));
    var restored = proposed.receiveMessage().version();
    assertEquals(2, restored.version());
    config.tell(new ConfigChannel.RestoreBefore("k", "interview model v7", "auto", proposed.getRef()));
    assertEquals(2, proposed.receiveMessage().version().version(), "the same key writes nothing again");
  }

  /** A learned change as a recommendation's rules apply it (keyed by its source). */
  static ConfigChannel.ApplyChange learned(String values, String source, ActorRef<ConfigChannel.Change> replyTo) {
    return new ConfigChannel.ApplyChange("recommendation:" + source, values, io.hireloop.config.Provenance.LEARNING, source, "test",
        "system:recommendations", 1, null, replyTo);
  }

  static <T> List<List<T>> partition(List<T> list, int size) {
    var out = new ArrayList<List<T>>();
    for (int i = 0; i < list.size(); i += size) out.add(List.copyOf(list.subList(i, Math.min(list.size(), i + size))));
    return out;
  }
}
