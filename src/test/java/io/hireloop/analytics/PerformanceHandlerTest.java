package io.hireloop.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.platform.Json;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import io.hireloop.testing.ReadModelTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.testkit.javadsl.TestProjection;
import org.apache.pekko.projection.testkit.javadsl.TestSourceProvider;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The "user-performance" handler run by ProjectionTestKit over two users' journals (PerformanceStateTest's
 * hand-built journal and a prefix of it), interleaved, split into groups and redelivered; rows in the real
 * (shared) Cassandra ({@link ReadModelTestKit}). A row must equal the one-pass fold of the user's journal
 * (whose numbers PerformanceStateTest checks by hand), and a redelivered group writes and publishes nothing.
 */
class PerformanceHandlerTest {
  static ReadModelTestKit kit;

  @BeforeAll
  static void start() {
    kit = ReadModelTestKit.start("perfhandler");
  }

  @AfterAll
  static void stop() {
    if (kit != null) kit.close();
  }

  static List<EventEnvelope<JourneyEvent>> envelopes(String userId, List<JourneyEvent> events, long firstOffset) {
    var out = new ArrayList<EventEnvelope<JourneyEvent>>();
    for (int i = 0; i < events.size(); i++) {
      out.add(EventEnvelope.create(Offset.sequence(firstOffset + i), JobSeeker.ENTITY_KEY.name() + "|" + userId, i + 1, events.get(i),
          System.currentTimeMillis()));
    }
    return out;
  }

  /** {@code inner}, setting {@code done} once a group is handled. */
  static Handler<List<EventEnvelope<JourneyEvent>>> handled(Handler<List<EventEnvelope<JourneyEvent>>> inner, AtomicBoolean done) {
    return new Handler<>() {
      @Override
      public CompletionStage<Done> process(List<EventEnvelope<JourneyEvent>> group) throws Exception {
        return inner.process(group).thenApply(d -> {
          done.set(true);
          return d;
        });
      }
    };
  }

  @Test
  void rowsEqualTheFoldOfEachJournalAndRedeliveryWritesAndPublishesNothing() throws Exception {
    var a = ReadModelTestKit.unique("u-perf-a");
    var b = ReadModelTestKit.unique("u-perf-b");
    var journal = PerformanceStateTest.journal();
    var prefix = journal.subList(0, 9);
    var ea = envelopes(a, journal, 1);
    var eb = envelopes(b, prefix, 1000);
    var interleaved = new ArrayList<EventEnvelope<JourneyEvent>>();
    for (int i = 0; i < ea.size(); i++) {
      interleaved.add(ea.get(i));
      if (i < eb.size()) interleaved.add(eb.get(i));
    }
    // groups of 5 that split both journals; the 2nd and 4th delivered again right after (at-least-once)
    var groups = new ArrayList<List<EventEnvelope<JourneyEvent>>>();
    int writesA = 0;
    int writesB = 0;
    for (int g = 0; g * 5 < interleaved.size(); g++) {
      var group = interleaved.subList(g * 5, Math.min(interleaved.size(), g * 5 + 5));
      groups.add(group);
      if (g == 1 || g == 3) groups.add(group);
      if (group.stream().anyMatch(e -> e.persistenceId().endsWith(a))) writesA++;
      if (group.stream().anyMatch(e -> e.persistenceId().endsWith(b))) writesB++;
    }

    var probe = TestProbe.<StreamMessage>create(kit.testKit().system());
    var topics = Topics.get(kit.testKit().system());
    topics.subscribe("user:" + a, probe.ref());
    var projection = new PerformanceProjection(kit.testKit().system(), kit.store());
    var source = TestSourceProvider.<Offset, List<EventEnvelope<JourneyEvent>>>create(Source.from(groups), g -> g.get(g.size() - 1).offset());
    var test = TestProjection.create(ProjectionId.of("user-performance-handler-test", "t"), source, projection::handler);
    var wantA = PerformanceStateTest.fold(journal).toUserPerformance(a);
    var wantB = PerformanceStateTest.fold(prefix).toUserPerformance(b);
    kit.projections().run(test, ReadModelTestKit.RUN_TIMEOUT, () -> {
      assertEquals(Optional.of(wantA), projection.get(a).toCompletableFuture().join());
      assertEquals(Optional.of(wantB), projection.get(b).toCompletableFuture().join());
    });
    assertEquals((long) journal.size(), wantA.get("as_of_seq_nr"));
    assertEquals(5, wantA.get("total_applications"), "sanity: PerformanceStateTest's journal");

    // one performance_updated per group that brought a user something new, none for the redelivered ones
    // (all user topics share one channel: the probe gets both users' messages)
    var seqNrs = new java.util.TreeMap<String, List<Long>>();
    for (var m : probe.receiveSeveralMessages(writesA + writesB, Duration.ofSeconds(10))) {
      assertEquals("performance_updated", m.type());
      seqNrs.computeIfAbsent(m.topic(), t -> new ArrayList<>()).add(Json.read(m.dataJson()).path("as_of_seq_nr").asLong());
    }
    probe.expectNoMessage(Duration.ofMillis(500));
    assertEquals(writesA, seqNrs.get("user:" + a).size(), seqNrs.toString());
    for (var e : seqNrs.entrySet()) {
      var list = e.getValue();
      assertEquals(list.stream().sorted().distinct().toList(), list, "increasing, each once: " + seqNrs);
    }
    assertEquals((long) journal.size(), seqNrs.get("user:" + a).get(writesA - 1));
    assertEquals((long) prefix.size(), seqNrs.get("user:" + b).get(writesB - 1));
    assertTrue(writesB > 1 && writesA > writesB, "sanity: the groups split both journals");

    // a fresh handler given everything again (offsets lost) changes no row
    var done = new AtomicBoolean();
    var dump = projection.dump().toCompletableFuture().get(20, TimeUnit.SECONDS);
    var again = TestProjection.create(ProjectionId.of("user-performance-handler-test", "t2"),
        TestSourceProvider.<Offset, List<EventEnvelope<JourneyEvent>>>create(Source.single(interleaved), g -> g.get(g.size() - 1).offset()),
        () -> handled(new PerformanceProjection(kit.testKit().system(), kit.store()).handler(), done));
    kit.projections().run(again, ReadModelTestKit.RUN_TIMEOUT, () -> assertTrue(done.get()));
    var users = new HashSet<>(List.of(a, b));
    var after = projection.dump().toCompletableFuture().get(20, TimeUnit.SECONDS);
    after.keySet().retainAll(users);
    dump.keySet().retainAll(users);
    assertEquals(dump, after);
    probe.expectNoMessage(Duration.ofMillis(500));
  }
}
