package io.hireloop.market;

import static io.hireloop.market.JourneyFixtures.created;
import static io.hireloop.market.JourneyFixtures.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.Node;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.platform.ReadModelStore;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.testkit.javadsl.ProjectionTestKit;
import org.apache.pekko.projection.testkit.javadsl.TestProjection;
import org.apache.pekko.projection.testkit.javadsl.TestSourceProvider;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The market handler run by ProjectionTestKit over groups of envelopes, writing to the real (shared) Cassandra. */
class MarketHandlerTest {
  static Node node;
  static final Instant MON = Instant.parse("2026-03-02T09:00:00Z");
  static final LocalDate WEEK = LocalDate.parse("2026-03-02");

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("mkthandler", Map.of());
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static EventEnvelope<JourneyEvent> env(String user, long seq, JourneyEvent e) {
    return EventEnvelope.create(Offset.sequence(seq), "JobSeeker|" + user, seq, e, e.timestamp().toEpochMilli());
  }

  @Test
  void groupsAreFoldedPerUserAndRedeliveryChangesNothing() throws Exception {
    var store = new ReadModelStore(node.system());
    Set<LocalDate> announced = ConcurrentHashMap.newKeySet();
    var projection = new MarketProjection(store, announced::add);
    var second = List.of(
        env("h-1", 3, status("a1", MON.plusSeconds(5 * 86400), "phone_screen", 5)),
        env("h-2", 2, status("b1", MON.plusSeconds(30 * 86400), "ghosted", null)));
    List<List<EventEnvelope<JourneyEvent>>> groups = List.of(
        List.of(env("h-1", 1, created("a1", MON, "fintech", "Berlin", "mid", 70)),
            env("h-1", 2, created("a2", MON.plusSeconds(3600), "fintech", "Paris", "senior", 80)),
            env("h-2", 1, created("b1", MON.plusSeconds(7200), "health", "Berlin", "mid", 55))),
        second,
        second); // at-least-once: the same group again
    var source = TestSourceProvider.<Integer, List<EventEnvelope<JourneyEvent>>>create(Source.from(groups), g -> groups.indexOf(g));
    var testProjection = TestProjection.create(ProjectionId.of("market-handler-test", "t"), source, projection::handler);
    ProjectionTestKit.create(node.system()).run(testProjection, Duration.ofSeconds(60), () -> {
      var rows = projection.rows(WEEK, WEEK).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(2, rows.size());
      var h1 = rows.stream().filter(r -> r.userId().equals("h-1")).findFirst().orElseThrow().facts();
      var h2 = rows.stream().filter(r -> r.userId().equals("h-2")).findFirst().orElseThrow().facts();
      assertEquals(2, h1.applications());
      assertEquals(1, h1.interviews());
      assertEquals(List.of(5.0), h1.responseDays());
      assertEquals(new MarketFacts.Counts(2, 1), h1.industries().get("fintech"));
      assertEquals(1, h2.ghosted());
      assertEquals(1, h2.applications());
      var outcomes = projection.outcomes().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(3, outcomes.size());
      assertEquals(1, outcomes.stream().filter(o -> o.interviewed()).count());
      assertEquals(2, outcomes.stream().filter(o -> o.labelled()).count());
    });
    assertTrue(announced.contains(WEEK));
    assertEquals(Set.of(), projection.optedOut().toCompletableFuture().get(10, TimeUnit.SECONDS));
  }
}
