package io.hireloop.reminders;

import static io.hireloop.testing.Events.batch;
import static io.hireloop.testing.Events.created;
import static io.hireloop.testing.Events.status;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.Node;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.ReminderPolicy;
import io.hireloop.platform.ReadModelStore;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.testkit.javadsl.ProjectionTestKit;
import org.apache.pekko.projection.testkit.javadsl.TestProjection;
import org.apache.pekko.projection.testkit.javadsl.TestSourceProvider;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The "reminders" handler run by ProjectionTestKit over the real journal of one user (ingested over HTTP,
 * read back with the Cassandra read journal), writing to the real (shared) Cassandra. The rows are compared
 * with a recomputation from the configured delays alone; then the scheduler, with a clock moved forward,
 * fires them against the real entity, and a response cancels the application's pending reminders.
 * The node's own reminders projection and scheduler are off (TestNodes' default): only this test writes rows.
 */
class ReminderHandlerTest {
  static final String SERVICE = TestNodes.token("svc", "service");
  static Node node;
  static Http http;
  static ReadModelStore store;

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("remhandler", Map.of());
    http = TestNodes.readyHttp(node);
    store = new ReadModelStore(node.system());
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  /** A row of {@code reminders_due} (the table's own columns). */
  record Due(Instant bucket, Instant fireAt, String applicationId, int step, Instant dueAt) implements Comparable<Due> {
    /** Consistent with equals (TreeSet compares with it): by application and step, then every other column. */
    static final java.util.Comparator<Due> ORDER = java.util.Comparator.comparing(Due::applicationId).thenComparingInt(Due::step)
        .thenComparing(Due::fireAt).thenComparing(Due::dueAt).thenComparing(Due::bucket);

    @Override
    public int compareTo(Due o) {
      return ORDER.compare(this, o);
    }
  }

  static Set<Due> rows(String userId) throws Exception {
    return store.session().selectAll("SELECT bucket, fire_at, user_id, application_id, step, due_at FROM " + store.table("reminders_due"))
        .thenApply(rs -> {
          var s = new TreeSet<Due>();
          for (var r : rs) {
            if (r.getString("user_id").equals(userId)) {
              s.add(new Due(r.getInstant("bucket"), r.getInstant("fire_at"), r.getString("application_id"), r.getInt("step"), r.getInstant("due_at")));
            }
          }
          return (Set<Due>) s;
        }).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static Set<Instant> indexedBuckets() throws Exception {
    return store.session().selectAll("SELECT bucket FROM " + store.table("reminder_buckets"))
        .thenApply(rs -> {
          var s = new HashSet<Instant>();
          rs.forEach(r -> s.add(r.getInstant("bucket")));
          return (Set<Instant>) s;
        }).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /**
   * The rows the projection should write at {@code now}, from the configured delays d1 < d2 < … < dn only:
   * step i is sent from applied + di until applied + d(i+1) (the last step: for dn − d(n−1) more), so it is
   * scheduled when now is before that end; it fires at its due time, or at once (now) when already due.
   */
  static Set<Due> expected(List<EventEnvelope<JourneyEvent>> envelopes, List<Duration> after, Duration bucket, Instant now) {
    var s = new TreeSet<Due>();
    for (var env : envelopes) {
      if (!(env.event() instanceof JourneyEvent.ApplicationRecorded a)) continue;
      for (int i = 0; i < after.size(); i++) {
        var due = a.timestamp().plus(after.get(i));
        var end = i + 1 < after.size() ? a.timestamp().plus(after.get(i + 1))
            : due.plus(after.size() == 1 ? after.get(0) : after.get(i).minus(after.get(i - 1)));
        if (!now.isBefore(end)) continue;
        var fireAt = due.isAfter(now) ? due : now;
        var b = Instant.ofEpochMilli(fireAt.toEpochMilli() / bucket.toMillis() * bucket.toMillis());
        s.add(new Due(b, fireAt, a.applicationId(), i + 1, due));
      }
    }
    return s;
  }

  static List<EventEnvelope<JourneyEvent>> journal(String userId) throws Exception {
    var journal = PersistenceQuery.get(node.system()).getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    return journal.currentEventsByPersistenceId(JobSeeker.ENTITY_KEY.name() + "|" + userId, 0, Long.MAX_VALUE)
        .map(e -> EventEnvelope.create(e.offset(), e.persistenceId(), e.sequenceNr(), (JourneyEvent) e.event(), e.timestamp()))
        .runWith(Sink.seq(), node.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Runs the groups through a fresh handler with ProjectionTestKit until {@code check} holds. */
  static void project(ReminderProjection projection, List<List<EventEnvelope<JourneyEvent>>> groups, Runnable check) {
    var source = TestSourceProvider.<Offset, List<EventEnvelope<JourneyEvent>>>create(Source.from(groups),
        g -> g.get(g.size() - 1).offset());
    var test = TestProjection.create(ProjectionId.of("reminders-handler-test", "t"), source, projection::handler);
    ProjectionTestKit.create(node.system()).run(test, Duration.ofSeconds(60), check::run);
  }

  static List<String> sentReminders(List<EventEnvelope<JourneyEvent>> envelopes) {
    var out = new ArrayList<String>();
    for (var env : envelopes) {
      if (env.event() instanceof JourneyEvent.ReminderSent r) out.add(r.applicationId() + "/" + r.step());
    }
    return out;
  }

  @Test
  void rowsFollowTheDelaysReplaysChangeNothingAndAResponseCancelsThePendingReminders() throws Exception {
    var config = node.system().settings().config();
    var after = config.getDurationList("hireloop.reminders.after");
    var bucket = config.getDuration("hireloop.reminders.bucket");
    assertTrue(after.size() >= 3, "the test assumes three or more steps: " + after);
    var now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    var user = "u-remh-" + Long.toString(System.nanoTime(), 36);
    // a-1, a-2: step 1 just due; a-3: imported late, step 1 already replaced by step 2; a-4: every window over
    var step1Due = now.minus(after.get(0)).minusSeconds(3600);
    var late = now.minus(after.get(1)).minusSeconds(3600);
    var ancient = now.minus(after.get(after.size() - 1).multipliedBy(3));
    var ingest = http.post("/api/v1/events", SERVICE, batch(
        created("rh-1", user, "a-1", step1Due),
        created("rh-2", user, "a-2", step1Due.plusSeconds(60)),
        created("rh-3", user, "a-3", late),
        created("rh-4", user, "a-4", ancient)));
    assertEquals(200, ingest.status(), ingest.body());
    var envelopes = journal(user);
    assertEquals(4, envelopes.size());

    var clock = new AtomicReference<>(now);
    var policy = ReminderPolicy.of(config);
    var projection = new ReminderProjection(new ReminderTable(store, bucket), () -> policy, clock::get);
    var want = expected(envelopes, after, bucket, now);
    assertFalse(want.stream().anyMatch(d -> d.applicationId().equals("a-4")), "sanity: nothing for a-4");
    assertTrue(want.stream().anyMatch(d -> d.fireAt().equals(now)) && want.stream().anyMatch(d -> d.fireAt().isAfter(now)),
        "sanity: some rows due at once, some later " + want);

    // two groups, then the same offsets again (at-least-once redelivery)
    var groups = List.of(envelopes.subList(0, 2), envelopes.subList(2, 4), envelopes.subList(0, 2), envelopes.subList(2, 4));
    project(projection, groups, () -> {
      try {
        assertEquals(want, rows(user));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    var buckets = new HashSet<Instant>();
    want.forEach(d -> buckets.add(d.bucket()));
    assertTrue(indexedBuckets().containsAll(buckets), "every row's bucket is in the index");
    // a replay by a fresh handler instance (e.g. after a restart, offsets not yet stored) writes the same rows
    project(new ReminderProjection(new ReminderTable(store, bucket), () -> policy, clock::get), List.of(envelopes), () -> {
      try {
        assertEquals(want, rows(user));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });

    // the scheduler at `now` fires what is due: nothing is answered yet, so every due row is sent and deleted
    var table = new ReminderTable(store, bucket);
    var sharding = org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(node.system());
    var scheduler = new ReminderScheduler(table, sharding, Duration.ofSeconds(20), 4, clock::get, () -> policy);
    var dueNow = want.stream().filter(d -> !d.fireAt().isAfter(now)).map(d -> d.applicationId() + "/" + d.step()).toList();
    assertEquals(dueNow.size(), scheduler.pollOnce().toCompletableFuture().get(60, TimeUnit.SECONDS));
    var pending = new TreeSet<>(want);
    pending.removeIf(d -> !d.fireAt().isAfter(now));
    assertEquals(pending, rows(user));

    // a redelivery a minute later (the class comment's known case): already-due steps get a new row at the new
    // time, later steps the same rows; the entity answers those new rows "duplicate", so nothing is sent twice
    var redeliveredAt = now.plusSeconds(60);
    project(new ReminderProjection(new ReminderTable(store, bucket), () -> policy, () -> redeliveredAt), List.of(envelopes), () -> {
      try {
        var again = new TreeSet<>(pending);
        again.addAll(expected(envelopes, after, bucket, redeliveredAt));
        assertEquals(again, rows(user));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    clock.set(redeliveredAt);
    assertEquals(0, scheduler.pollOnce().toCompletableFuture().get(60, TimeUnit.SECONDS), "duplicates are not sent");
    assertEquals(pending, rows(user), "and their rows are deleted");

    // the response to a-2: its pending reminders are no longer sent (the entity answers "answered")
    var answer = http.post("/api/v1/events", SERVICE, batch(status("rh-5", user, "a-2", Instant.now(), "viewed")));
    assertEquals(200, answer.status(), answer.body());
    var all = journal(user);
    var newer = all.subList(4, all.size());
    assertEquals(dueNow.size() + 1, newer.size(), "the sent reminders and the status change");
    // the projection never writes for REMINDER_SENT or STATUS_CHANGED: the rows stay as they are
    project(projection, List.of(newer), () -> {
      try {
        assertEquals(pending, rows(user));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });

    // move the clock to each remaining due time in turn (each inside its window): a-2's rows are settled as
    // answered and deleted, the others sent
    var expectSent = new ArrayList<String>();
    for (var d : pending.stream().sorted(java.util.Comparator.comparing(Due::fireAt)).toList()) {
      var t = d.fireAt().plusSeconds(1);
      assertTrue(policy.current(envelopeTime(envelopes, d.applicationId()), d.step(), t), "sanity: " + d);
      clock.set(t);
      boolean answered = d.applicationId().equals("a-2");
      if (!answered) expectSent.add(d.applicationId() + "/" + d.step());
      assertEquals(answered ? 0 : 1, scheduler.pollOnce().toCompletableFuture().get(60, TimeUnit.SECONDS), "at " + t + " for " + d);
      assertFalse(rows(user).contains(d), "settled rows are deleted: " + d);
    }
    assertEquals(Set.of(), rows(user), "answered rows are deleted, not left behind");

    var sent = new ArrayList<>(dueNow);
    sent.addAll(expectSent);
    await().atMost(Duration.ofSeconds(30)).until(() -> sentReminders(journal(user)).size() >= sent.size());
    assertEquals(new TreeSet<>(sent), new TreeSet<>(sentReminders(journal(user))));
    assertEquals(sent.size(), sentReminders(journal(user)).size(), "each reminder sent once");
    assertTrue(sent.contains("a-2/1") && sent.stream().filter(s -> s.startsWith("a-2/")).count() == 1,
        "a-2 got its first reminder before the response and none after: " + sent);
  }

  static Instant envelopeTime(List<EventEnvelope<JourneyEvent>> envelopes, String applicationId) {
    for (var env : envelopes) {
      if (env.event() instanceof JourneyEvent.ApplicationRecorded a && a.applicationId().equals(applicationId)) return a.timestamp();
    }
    throw new IllegalArgumentException(applicationId);
  }
}
