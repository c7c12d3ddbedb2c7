package io.hireloop.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.Domain;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.Test;

/** The "user-profiles" handler over rows in memory (the seam): the fold, idempotence, one interview per application. */
class ProfileOutcomeProjectionTest {

  static final class MemoryRows implements ProfileOutcomeRows {
    final Map<String, ProfileOutcomes> rows = new ConcurrentHashMap<>();
    int writes;

    @Override
    public CompletionStage<Optional<ProfileOutcomes>> load(String userId) {
      return CompletableFuture.completedFuture(Optional.ofNullable(rows.get(userId)));
    }

    @Override
    public CompletionStage<Done> save(String userId, ProfileOutcomes row) {
      writes++;
      // through JSON, as the Cassandra rows store it
      rows.put(userId, io.hireloop.platform.Json.read(io.hireloop.platform.Json.write(row), ProfileOutcomes.class));
      return CompletableFuture.completedFuture(Done.getInstance());
    }

    @Override
    public CompletionStage<List<Peer>> all() {
      return CompletableFuture.completedFuture(rows.entrySet().stream().map(e -> e.getValue().peer(e.getKey())).toList());
    }

    @Override
    public CompletionStage<Done> truncate() {
      rows.clear();
      return CompletableFuture.completedFuture(Done.getInstance());
    }
  }

  static final Instant T = Instant.parse("2026-11-02T09:00:00Z");
  static final Domain.ApplicationContext CTX = new Domain.ApplicationContext("balanced", 70, "target",
      new Domain.JobCharacteristics("SRE", "acme", "mid", "Berlin", "software"), 70, false);

  static EventEnvelope<JourneyEvent> env(String user, long seq, JourneyEvent e) {
    return EventEnvelope.create(Offset.sequence(seq), JobSeeker.ENTITY_KEY.name() + "|" + user, seq, e, T.toEpochMilli());
  }

  static JourneyEvent created(String app) {
    return new JourneyEvent.ApplicationRecorded("c-" + app, "APPLICATION_CREATED", T, app, "j-" + app, "r1", CTX);
  }

  static JourneyEvent status(String app, String status) {
    return new JourneyEvent.StatusChanged("s-" + app + status, T, app, "j-" + app, "r1", null, new Domain.Outcome(status, 3, null));
  }

  @Test
  void foldsTheNewestProfileAndCountsEachApplicationsInterviewOnce() throws Exception {
    var rows = new MemoryRows();
    var handler = new ProfileOutcomeProjection(rows).handler();
    var profile = new Domain.Profile(List.of("SRE"), "mid", 4.0, List.of("software"), List.of("Berlin"), List.of("kubernetes"));
    var group = new ArrayList<EventEnvelope<JourneyEvent>>();
    group.add(env("u1", 1, new JourneyEvent.ProfileUpdated("p1", T, Domain.Profile.EMPTY)));
    group.add(env("u1", 2, created("a1")));
    group.add(env("u1", 3, created("a2")));
    group.add(env("u1", 4, created("a1"))); // APPLICATION_SUBMITTED of the same application
    group.add(env("u1", 5, status("a1", "phone_screen")));
    group.add(env("u1", 6, status("a1", "interview")));
    group.add(env("u1", 7, status("a2", "rejected")));
    group.add(env("u1", 8, status("a9", "phone_screen"))); // not an application of the user's: ignored
    group.add(env("u1", 9, new JourneyEvent.ProfileUpdated("p2", T, profile)));
    group.add(env("u2", 1, created("b1")));
    handler.process(group).toCompletableFuture().get();

    var u1 = rows.rows.get("u1").peer("u1");
    assertEquals(2, u1.applications());
    assertEquals(1, u1.interviews());
    assertEquals(profile, u1.profile());
    assertEquals(9, rows.rows.get("u1").asOfSeqNr());
    assertEquals(1, rows.all().toCompletableFuture().get().stream().filter(p -> p.userId().equals("u2")).findFirst().orElseThrow()
        .applications());

    // redelivery (at-least-once) changes nothing and writes nothing
    int writes = rows.writes;
    handler.process(group.subList(0, 6)).toCompletableFuture().get();
    assertEquals(writes, rows.writes);
    assertEquals(1, rows.rows.get("u1").interviewed().size());

    // a later offer of the interviewed application is still one interview; a new one counts
    handler.process(List.of(env("u1", 10, status("a1", "offer")), env("u1", 11, status("a2", "phone_screen"))))
        .toCompletableFuture().get();
    assertEquals(2, rows.rows.get("u1").interviewed().size());
    assertTrue(rows.rows.get("u1").interviewed().contains("a2"));
  }
}
