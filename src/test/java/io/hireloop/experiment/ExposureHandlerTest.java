package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.experiment.ExposureHandler.Journaled;
import io.hireloop.experiment.ExposureProjection.Exposure;
import io.hireloop.experiment.ExposureProjection.UserState;
import io.hireloop.journey.Domain;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.platform.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.Test;

/**
 * The experiment-exposures handler without Cassandra: an in-memory read model and journal. Never-exposed
 * users cost no read or write; at a user's first exposure the skipped history is read from the journal, so
 * the rows equal the old fold of every event (checked on hand-made and on random journeys).
 */
class ExposureHandlerTest {
  private static final Instant T = Instant.parse("2026-05-01T00:00:00Z");

  /** The read model in memory; state goes through JSON like the Cassandra row. */
  static final class MemoryStore implements ExposureHandler.Store {
    final Map<String, String> states = new ConcurrentHashMap<>();
    final Map<String, Exposure> rows = new ConcurrentHashMap<>();
    int loads;
    int writes;

    @Override
    public synchronized CompletionStage<Set<String>> exposedUsers() {
      var users = new HashSet<String>();
      rows.keySet().forEach(k -> users.add(k.substring(k.indexOf(' ') + 1)));
      return CompletableFuture.completedFuture(users);
    }

    @Override
    public synchronized CompletionStage<UserState> load(String userId) {
      loads++;
      var json = states.get(userId);
      return CompletableFuture.completedFuture(json == null ? UserState.EMPTY : read(json));
    }

    @Override
    public synchronized CompletionStage<Done> writeRow(String experimentId, String userId, Exposure exposure) {
      writes++;
      rows.put(experimentId + " " + userId, exposure);
      return CompletableFuture.completedFuture(Done.getInstance());
    }

    @Override
    public synchronized CompletionStage<Done> writeState(String userId, UserState state) {
      writes++;
      states.put(userId, Json.write(state));
      return CompletableFuture.completedFuture(Done.getInstance());
    }
  }

  static UserState read(String json) {
    try {
      return Json.MAPPER.readValue(json, UserState.class);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every user's journal; {@link #reads} counts catch-up reads. */
  static final class MemoryJournal implements ExposureHandler.History {
    final Map<String, List<JourneyEvent>> byUser = new LinkedHashMap<>();
    int reads;

    EventEnvelope<JourneyEvent> append(String userId, JourneyEvent e) {
      var events = byUser.computeIfAbsent(userId, u -> new ArrayList<>());
      events.add(e);
      long seq = events.size();
      return EventEnvelope.create(Offset.sequence(seq), pid(userId), seq, e, e.timestamp().toEpochMilli());
    }

    @Override
    public CompletionStage<List<Journaled>> events(String persistenceId, long from, long to) {
      reads++;
      var events = byUser.getOrDefault(JobSeeker.userIdOf(persistenceId), List.of());
      var out = new ArrayList<Journaled>();
      for (long s = from; s <= to && s <= events.size(); s++) out.add(new Journaled(s, events.get((int) s - 1)));
      return CompletableFuture.completedFuture(out);
    }
  }

  private final MemoryStore store = new MemoryStore();
  private final MemoryJournal journal = new MemoryJournal();
  private final List<String> notified = new ArrayList<>();
  private final ExposureHandler handler = new ExposureHandler(store, journal, ConcurrentHashMap.newKeySet(), () -> notified::add);

  private static String pid(String userId) {
    return PersistenceId.of(JobSeeker.ENTITY_KEY.name(), userId).id();
  }

  private static JourneyEvent created(String id, long atSeconds, String appId, String type) {
    return new JourneyEvent.ApplicationRecorded(id, type, T.plusSeconds(atSeconds), appId, "job", "r1", null);
  }

  private static JourneyEvent created(String id, long atSeconds, String appId) {
    return created(id, atSeconds, appId, "APPLICATION_CREATED");
  }

  private static JourneyEvent status(String id, long atSeconds, String appId, String status) {
    return new JourneyEvent.StatusChanged(id, T.plusSeconds(atSeconds), appId, "job", "r1", null, new Domain.Outcome(status, null, null));
  }

  private static JourneyEvent exposed(String experimentId, long atSeconds, String variant) {
    return new JourneyEvent.ExperimentExposed("exposure:" + experimentId, T.plusSeconds(atSeconds), experimentId, variant);
  }

  private static JourneyEvent resume(String id, long atSeconds) {
    return new JourneyEvent.ResumeChanged(id, "SCORE_CHANGED", T.plusSeconds(atSeconds), "r2", null, 50, 60, 10, null, null, null, true);
  }

  private void handle(List<EventEnvelope<JourneyEvent>> group) {
    try {
      handler.process(group).toCompletableFuture().join();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The old projection: every event of the user folded from the empty state. */
  private Map<String, Exposure> fullFold(String userId) {
    var s = UserState.EMPTY;
    long seq = 0;
    for (var e : journal.byUser.get(userId)) s = ExposureProjection.apply(s, ++seq, e, new HashSet<>());
    return s.exposures();
  }

  private Map<String, Exposure> rowsOf(String userId) {
    var out = new TreeMap<String, Exposure>();
    store.rows.forEach((k, v) -> {
      if (k.endsWith(" " + userId)) out.put(k.substring(0, k.indexOf(' ')), v);
    });
    return out;
  }

  @Test
  void aNeverExposedUserCostsNoReadAndNoWriteAndHasNoState() {
    handle(List.of(journal.append("u1", created("a", 0, "app-1")), journal.append("u2", created("b", 1, "app-2"))));
    handle(List.of(journal.append("u1", status("c", 10, "app-1", "interview")), journal.append("u1", resume("d", 11))));
    handle(List.of(journal.append("u1", created("e", 20, "app-3")), journal.append("u1", status("f", 30, "app-3", "rejected"))));
    assertEquals(0, store.loads, "no read");
    assertEquals(0, store.writes, "no write");
    assertTrue(store.states.isEmpty() && store.rows.isEmpty());
    assertEquals(0, journal.reads);
    assertEquals(4, handler.skippedUsers(), "u1 three times, u2 once");
  }

  @Test
  void theFirstExposureRecordsThePreExposureRecordFromTheSkippedHistory() {
    // before the exposure (skipped): 4 applications; app-1 went interview -> rejected (still an interview),
    // app-2 phone_screen, app-3 only viewed, app-4 nothing
    handle(List.of(journal.append("u", created("a1", 0, "app-1")), journal.append("u", created("a2", 1, "app-2"))));
    handle(List.of(journal.append("u", status("s1", 10, "app-1", "interview")), journal.append("u", created("a3", 11, "app-3"))));
    handle(List.of(journal.append("u", status("s2", 20, "app-1", "rejected")), journal.append("u", status("s3", 21, "app-2", "phone_screen"))));
    handle(List.of(journal.append("u", status("s4", 22, "app-3", "viewed")), journal.append("u", created("a4", 23, "app-4"))));
    assertEquals(0, store.loads);
    // the exposure arrives with a new application in the same group
    handle(List.of(journal.append("u", exposed("exp", 60, "high")), journal.append("u", created("a5", 61, "app-5"))));
    assertEquals(1, journal.reads, "the skipped history is read once");
    var x = rowsOf("u").get("exp");
    assertNotNull(x);
    assertEquals("high", x.variantId());
    assertEquals(T.plusSeconds(60).toEpochMilli(), x.exposedAt());
    assertEquals(4, x.preApplications());
    assertEquals(2, x.preInterviews(), "app-1 (interview, later rejected) and app-2 (phone_screen)");
    assertEquals(List.of(T.plusSeconds(61).toEpochMilli()), x.applicationTimes());
    assertEquals(fullFold("u"), rowsOf("u"));
    assertEquals(List.of("exp"), notified);
    // the stored state is the full fold's, so a second experiment later gets the same pre counts as before
    handle(List.of(journal.append("u", status("s5", 70, "app-5", "interview")), journal.append("u", exposed("exp2", 80, "low"))));
    assertEquals(1, journal.reads, "no second catch-up");
    assertEquals(5, rowsOf("u").get("exp2").preApplications());
    assertEquals(3, rowsOf("u").get("exp2").preInterviews());
    assertEquals(fullFold("u"), rowsOf("u"));
  }

  @Test
  void outcomesAfterTheExposureAreCountedAsBefore() {
    handle(List.of(journal.append("u", created("a1", 0, "old-1")), journal.append("u", created("a2", 1, "old-2"))));
    // an application recorded before the exposure but dated after it (client clock 2 minutes ahead)
    handle(List.of(journal.append("u", created("a3", 120, "early-future"))));
    handle(List.of(journal.append("u", exposed("exp", 60, "low"))));
    var changesAfterExposure = List.of(
        List.of(journal.append("u", status("s1", 70, "old-1", "offer")),                 // old application: no outcome
            journal.append("u", created("a4", 80, "old-2", "APPLICATION_SUBMITTED"))), // submitted later: not a new one
        List.of(journal.append("u", created("a5", 100, "new-1")), journal.append("u", created("a6", 101, "new-2"))),
        List.of(journal.append("u", status("s2", 200, "new-1", "rejected"))),            // a response, no interview
        List.of(journal.append("u", status("s3", 250, "early-future", "viewed")),
            journal.append("u", status("s4", 300, "new-2", "phone_screen"))),
        List.of(journal.append("u", status("s5", 400, "new-2", "offer")), journal.append("u", resume("r", 401))));
    changesAfterExposure.forEach(this::handle);
    var x = rowsOf("u").get("exp");
    assertEquals(3, x.preApplications());
    assertEquals(0, x.preInterviews());
    assertEquals(List.of(T.plusSeconds(100).toEpochMilli(), T.plusSeconds(101).toEpochMilli()), x.applicationTimes());
    assertEquals(T.plusSeconds(200).toEpochMilli(), x.responseAt(), "the rejection of new-1");
    assertEquals(T.plusSeconds(300).toEpochMilli(), x.convertedAt());
    assertEquals(T.plusSeconds(400).toEpochMilli(), x.offerAt());
    assertEquals(fullFold("u"), rowsOf("u"));
    // a redelivered group (at-least-once) changes nothing
    int writes = store.writes;
    handle(changesAfterExposure.get(1));
    assertEquals(writes, store.writes);
    assertEquals(fullFold("u"), rowsOf("u"));
  }

  @Test
  void startKnowsTheUsersExposedBeforeAndOnlyThoseCost() {
    store.rows.put("exp u-old", new Exposure("low", 0, null));
    store.states.put("u-old", Json.write(new UserState(3, Map.of("exp", new Exposure("low", 0, null)), Map.of(), Set.of())));
    for (int i = 0; i < 3; i++) journal.append("u-old", resume("r" + i, i));
    handler.start().toCompletableFuture().join();
    handle(List.of(journal.append("u-old", created("a", 10, "app")), journal.append("u-new", created("b", 10, "app"))));
    assertEquals(1, store.loads, "only the exposed user is read");
    assertEquals(List.of(T.plusSeconds(10).toEpochMilli()), rowsOf("u-old").get("exp").applicationTimes());
    assertNull(store.states.get("u-new"));
  }

  @Test
  void randomJourneysGiveTheRowsOfTheFullFold() {
    var random = new Random(42);
    var statuses = new ArrayList<>(Domain.STATUSES);
    statuses.sort(null);
    var envelopes = new ArrayList<EventEnvelope<JourneyEvent>>();
    var apps = new HashMap<String, List<String>>();
    var exposedUsers = new HashSet<String>();
    int id = 0;
    for (int step = 0; step < 3000; step++) {
      String user = "u" + random.nextInt(60);
      var mine = apps.computeIfAbsent(user, u -> new ArrayList<>());
      long at = step * 10L + random.nextInt(400) - 200; // timestamps a little out of journal order
      int dice = random.nextInt(100);
      JourneyEvent e;
      if (dice < 2 && random.nextInt(3) == 0) {
        e = exposed("exp" + random.nextInt(3), at, random.nextBoolean() ? "low" : "high");
        exposedUsers.add(user);
      } else if (dice < 35 || mine.isEmpty()) {
        var app = user + "-app" + mine.size();
        mine.add(app);
        e = created("e" + id++, at, app);
      } else if (dice < 40) {
        e = created("e" + id++, at, mine.get(random.nextInt(mine.size())), "APPLICATION_SUBMITTED");
      } else if (dice < 90) {
        e = status("e" + id++, at, mine.get(random.nextInt(mine.size())), statuses.get(random.nextInt(statuses.size())));
      } else {
        e = resume("e" + id++, at);
      }
      envelopes.add(journal.append(user, e));
    }
    // groups of 1..80 envelopes, some delivered twice
    for (int i = 0; i < envelopes.size(); ) {
      int size = 1 + random.nextInt(80);
      var group = envelopes.subList(i, Math.min(envelopes.size(), i + size));
      handle(group);
      if (random.nextInt(10) == 0) handle(group);
      i += size;
    }
    assertTrue(exposedUsers.size() >= 5 && exposedUsers.size() < 60, "some users exposed, not all: " + exposedUsers.size());
    for (var user : journal.byUser.keySet()) {
      assertEquals(fullFold(user), rowsOf(user), user);
      assertEquals(exposedUsers.contains(user), store.states.containsKey(user), "state only for exposed users: " + user);
    }
    assertTrue(handler.skippedUsers() > 0);
    assertTrue(journal.reads <= exposedUsers.size(), "at most one catch-up per exposed user");
    assertFalse(store.rows.isEmpty());
  }
}
