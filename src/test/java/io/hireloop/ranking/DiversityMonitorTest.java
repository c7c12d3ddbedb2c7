package io.hireloop.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import io.hireloop.testing.EntityTestConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitor over a source that tests fill: its report comes from the source's window, and the singleton's behaviour
 * publishes {@code diversity_alert} on the {@code ranking} topic once when narrowing starts, not again while it holds,
 * and again after it cleared.
 */
class DiversityMonitorTest {
  static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("DiversityMonitorTest", EntityTestConfig.config());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** A probe on the ranking topic once its subscription took effect (Topic subscribes asynchronously): pinged until one arrives. */
  static TestProbe<StreamMessage> subscribed() {
    var probe = testKit.<StreamMessage>createTestProbe();
    Topics.get(testKit.system()).subscribe(DiversityMonitor.TOPIC, probe.getRef());
    for (int i = 0; i < 100; i++) {
      Topics.get(testKit.system()).publish(StreamMessage.of(DiversityMonitor.TOPIC, PING, java.util.Map.of()));
      try {
        probe.expectMessageClass(StreamMessage.class, Duration.ofMillis(100));
      } catch (AssertionError notYet) {
        continue; // the subscription is not in place yet
      }
      // an earlier ping may still be on its way: drain until quiet, then nothing of ours is in flight
      while (true) {
        try {
          probe.expectMessageClass(StreamMessage.class, Duration.ofMillis(300));
        } catch (AssertionError quiet) {
          return probe;
        }
      }
    }
    throw new AssertionError("no subscription to the ranking topic");
  }

  static final String PING = "test_ping";

  static StreamMessage nextAlert(TestProbe<StreamMessage> probe) {
    return probe.expectMessageClass(StreamMessage.class, Duration.ofSeconds(5));
  }

  @Test
  void alertsArePublishedWhenNarrowingStartsAndNotWhileItHolds() {
    var shown = new AtomicReference<List<DiversityTrend.Observation>>();
    var source = new DiversitySource() {
      @Override
      public CompletionStage<List<DiversityTrend.Observation>> shown(java.time.Instant since) {
        return CompletableFuture.completedFuture(shown.get().stream().filter(o -> !o.at().isBefore(since)).toList());
      }

      @Override
      public CompletionStage<List<DiversityTrend.Observation>> applied(java.time.Instant since) {
        return CompletableFuture.completedFuture(List.of());
      }
    };
    var monitor = new DiversityMonitor(source, DiversityTrendTest.WEEKLY, Runnable::run, Clock.fixed(DiversityTrendTest.NOW, ZoneOffset.UTC));
    var stable = new ArrayList<DiversityTrend.Observation>();
    var rnd = new SplittableRandom(9);
    for (int w = 0; w < 8; w++) stable.addAll(DiversityTrendTest.week(w, 300, 8, rnd));
    var narrow = new ArrayList<DiversityTrend.Observation>(DiversityTrendTest.week(0, 300, 2, rnd));
    for (int w = 1; w < 8; w++) narrow.addAll(DiversityTrendTest.week(w, 300, 8, rnd));
    // observations outside the window are not the source's to return, nor the report's to count
    stable.addAll(DiversityTrendTest.week(12, 300, 1, rnd));

    var pushes = subscribed();
    var holding = java.util.EnumSet.noneOf(DiversityTrend.AlertKind.class);
    for (var window : List.of(stable, narrow, narrow, stable, narrow)) {
      shown.set(window);
      var report = monitor.report().toCompletableFuture().join();
      assertEquals(8 * 300, report.periods().stream().mapToInt(p -> p.shown().items()).sum());
      DiversityMonitor.publishStarted(testKit.system(), report, holding);
    }
    // narrow (published), narrow (holds: nothing), stable (cleared), narrow (published again)
    for (int i = 0; i < 2; i++) {
      var m = nextAlert(pushes);
      assertEquals(DiversityMonitor.ALERT, m.type());
      assertEquals(DiversityMonitor.TOPIC, m.topic());
      assertEquals("shown_narrowed", io.hireloop.platform.Json.read(m.dataJson()).path("kind").asText());
    }
    noAlert(pushes, Duration.ofMillis(500));
  }

  static void noAlert(TestProbe<StreamMessage> probe, Duration within) {
    probe.expectNoMessage(within);
  }

  @Test
  void theSingletonsBehaviourReportsAtOnceAndPublishesANarrowingAlert() {
    var rnd = new SplittableRandom(10);
    var narrow = new ArrayList<DiversityTrend.Observation>(DiversityTrendTest.week(0, 300, 2, rnd));
    for (int w = 1; w < 8; w++) narrow.addAll(DiversityTrendTest.week(w, 300, 8, rnd));
    var applied = new ArrayList<DiversityTrend.Observation>();
    int[] widths = {3, 4, 5, 6, 7, 8, 9, 10};
    for (int w = 0; w < 8; w++) applied.addAll(DiversityTrendTest.week(w, 200, widths[w], rnd));
    var source = new DiversitySource() {
      @Override
      public CompletionStage<List<DiversityTrend.Observation>> shown(java.time.Instant since) {
        return CompletableFuture.completedFuture(narrow);
      }

      @Override
      public CompletionStage<List<DiversityTrend.Observation>> applied(java.time.Instant since) {
        return CompletableFuture.completedFuture(applied);
      }
    };
    var monitor = new DiversityMonitor(source, DiversityTrendTest.WEEKLY, Runnable::run, Clock.fixed(DiversityTrendTest.NOW, ZoneOffset.UTC));
    var pushes = subscribed();
    testKit.spawn(DiversityMonitor.behavior(monitor, Duration.ofHours(1)));
    var kinds = new java.util.TreeSet<String>();
    for (int i = 0; i < 2; i++) {
      var m = nextAlert(pushes);
      var data = io.hireloop.platform.Json.read(m.dataJson());
      kinds.add(data.path("kind").asText());
      assertEquals("week", data.path("period").asText());
    }
    assertEquals(java.util.Set.of("applied_trending_down", "shown_narrowed"), kinds, "the first report comes without waiting an hour");
    noAlert(pushes, Duration.ofMillis(300));
  }
}
