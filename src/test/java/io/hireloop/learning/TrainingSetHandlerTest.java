package io.hireloop.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import io.hireloop.journey.Domain.Outcome;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyEvent.ApplicationRecorded;
import io.hireloop.journey.JourneyEvent.StatusChanged;
import io.hireloop.learning.features.ExampleRow;
import io.hireloop.learning.features.UserHistory;
import io.hireloop.platform.Json;
import io.hireloop.testing.ReadModelTestKit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.testkit.javadsl.TestProjection;
import org.apache.pekko.projection.testkit.javadsl.TestSourceProvider;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The "training-set" handler run by ProjectionTestKit over two users' journals, split into groups and
 * redelivered; rows in the real (shared) Cassandra ({@link ReadModelTestKit}). Every row must equal a
 * recomputation from API.md's rule (label: reached phone_screen, interview or an offer state; labelled: that,
 * or rejected / ghosted / withdrawn; features: the latest context sent), and each application is reported
 * to the learning coordinator once, when it becomes labelled, however often its events arrive.
 */
class TrainingSetHandlerTest {
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  static final Set<String> INTERVIEW = Set.of("phone_screen", "interview", "offer", "offer_accepted", "offer_declined");
  static final Set<String> NEGATIVE = Set.of("rejected", "ghosted", "withdrawn");
  static ReadModelTestKit kit;

  @BeforeAll
  static void start() {
    kit = ReadModelTestKit.start("trainhandler");
  }

  @AfterAll
  static void stop() {
    if (kit != null) kit.close();
  }

  static ApplicationContext ctx(String mode, double fit, String industry) {
    return new ApplicationContext(mode, fit, "target", new JobCharacteristics("Engineer", "Acme", "mid", "Berlin", industry), 70, true);
  }

  static int n;

  static JourneyEvent created(String app, String type, ApplicationContext ctx) {
    return new ApplicationRecorded("e" + ++n, type, T0.plusSeconds(n), app, "job-" + app, "r-1", ctx);
  }

  static JourneyEvent status(String app, String status, ApplicationContext ctx) {
    return new StatusChanged("e" + ++n, T0.plusSeconds(n), app, null, null, ctx, new Outcome(status, 2, null));
  }

  /** A realistic journal: answered, rejected, rejected then interviewed, unanswered, context updates. */
  static List<JourneyEvent> journal() {
    return List.of(
        created("t1", "APPLICATION_CREATED", ctx("balanced", 80, "fintech")),
        created("t2", "APPLICATION_CREATED", ctx("aggressive", 55, null)),
        status("t1", "viewed", null),
        created("t3", "APPLICATION_CREATED", ctx("balanced", 70, "health")),
        status("t1", "phone_screen", null),
        status("t2", "rejected", null),
        created("t4", "APPLICATION_CREATED", ctx("balanced", 90, "retail")),
        status("t3", "rejected", null),
        created("t5", "APPLICATION_CREATED", ctx("balanced", 60, "media")),
        status("t5", "viewed", ctx("balanced", 65, "media")), // a status may carry an updated context
        status("t3", "interview", null), // interviewed after all: the label turns positive
        created("t6", "APPLICATION_CREATED", ctx("aggressive", 40, "software")),
        created("t6", "APPLICATION_SUBMITTED", ctx("aggressive", 45, "software")),
        status("t5", "ghosted", null),
        status("t6", "offer", null),
        status("t1", "rejected", null)); // after an interview: stays positive
  }

  record Expected(ApplicationContext context, boolean label, boolean labelled, long asOfSeqNr) {}

  static Map<String, Expected> recompute(List<EventEnvelope<JourneyEvent>> envelopes) {
    var contexts = new TreeMap<String, ApplicationContext>();
    var statuses = new TreeMap<String, List<String>>();
    var last = new TreeMap<String, Long>();
    for (var env : envelopes) {
      var user = JobSeeker.userIdOf(env.persistenceId());
      String key;
      if (env.event() instanceof ApplicationRecorded a) {
        key = user + "/" + a.applicationId();
        contexts.put(key, a.context());
      } else {
        var s = (StatusChanged) env.event();
        key = user + "/" + s.applicationId();
        if (s.context() != null) contexts.put(key, s.context());
        statuses.computeIfAbsent(key, k -> new ArrayList<>()).add(s.outcome().status());
      }
      last.merge(key, env.sequenceNr(), Math::max);
    }
    var out = new TreeMap<String, Expected>();
    for (var key : last.keySet()) {
      var seen = statuses.getOrDefault(key, List.of());
      boolean label = seen.stream().anyMatch(INTERVIEW::contains);
      boolean labelled = label || seen.stream().anyMatch(NEGATIVE::contains);
      out.put(key, new Expected(contexts.get(key), label, labelled, last.get(key)));
    }
    return out;
  }

  static Map<String, Expected> rows(List<String> users) {
    var out = new TreeMap<String, Expected>();
    for (var user : users) {
      var rows = kit.store().session().selectAll("SELECT application_id, context, label, labelled, as_of_seq_nr FROM "
          + kit.store().table("training_examples") + " WHERE bucket = ? AND user_id = ?", TrainingSetProjection.bucket(user), user)
          .toCompletableFuture().join();
      for (var r : rows) {
        if (r.getString("application_id").isEmpty()) continue; // the user's history row
        ApplicationContext ctx;
        try {
          ctx = Json.MAPPER.readValue(r.getString("context"), ApplicationContext.class);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        out.put(user + "/" + r.getString("application_id"), new Expected(ctx, r.getBoolean("label"), r.getBoolean("labelled"), r.getLong("as_of_seq_nr")));
      }
    }
    return out;
  }

  static List<EventEnvelope<JourneyEvent>> envelopes(String userId, List<JourneyEvent> events, long firstOffset) {
    var out = new ArrayList<EventEnvelope<JourneyEvent>>();
    for (int i = 0; i < events.size(); i++) {
      out.add(EventEnvelope.create(Offset.sequence(firstOffset + i), JobSeeker.ENTITY_KEY.name() + "|" + userId, i + 1, events.get(i),
          T0.toEpochMilli()));
    }
    return out;
  }

  @org.junit.jupiter.api.Test
  void aCachedRowDecodesToTheRowItWasWrittenFrom() {
    // the cache falls back to reading Cassandra when its JSON does not decode: this keeps the fast path real
    var history = UserHistory.EMPTY.withApplication(ctx("balanced", 80, "fintech"), 3).withEdits(List.of("added_keywords"), true, 4);
    var row = ExampleRow.created(history, ctx("balanced", 80, "fintech"), T0, 5).status("phone_screen", null, T0.plusSeconds(86400), null, 6);
    assertEquals(row, TrainingSetProjection.exampleRow(Json.write(row)));
    assertEquals(history, TrainingSetProjection.historyJson(Json.write(history)));
    assertEquals(ExampleRow.NONE, TrainingSetProjection.exampleRow(Json.write(ExampleRow.NONE)));
  }

  /** No leakage: an application's snapshot counts only what happened before it in the journal. */
  @org.junit.jupiter.api.Test
  void aSnapshotHoldsOnlyTheHistoryBeforeItsApplication() throws Exception {
    var u = ReadModelTestKit.unique("u-train-leak");
    var events = List.<JourneyEvent>of(
        created("l1", "APPLICATION_CREATED", ctx("balanced", 80, "fintech")),
        status("l1", "phone_screen", null),
        created("l2", "APPLICATION_CREATED", ctx("balanced", 70, "fintech")),
        new JourneyEvent.ResumeChanged("e" + ++n, "RESUME_REWRITTEN", T0.plusSeconds(n), "r-2", "bullet", 60, 70, 10, null,
            List.of("added_metrics_to_bullets"), true, true),
        created("l3", "APPLICATION_CREATED", ctx("balanced", 60, "fintech")),
        status("l2", "rejected", null), // after l3 was created: l3 must not count it
        status("l3", "interview", null));
    var projection = new TrainingSetProjection(kit.store(), x -> {}, 0);
    var source = TestSourceProvider.<Offset, List<EventEnvelope<JourneyEvent>>>create(
        Source.single(envelopes(u, events, 1)), g -> g.get(g.size() - 1).offset());
    var test = TestProjection.create(ProjectionId.of("training-set-leak-test", "t"), source, projection::handler);
    kit.projections().run(test, ReadModelTestKit.RUN_TIMEOUT, () -> {
      var examples = projection.labelledExamples().toCompletableFuture().get(30, TimeUnit.SECONDS).stream()
          .filter(e -> e.userId().equals(u)).collect(java.util.stream.Collectors.toMap(TrainingSetProjection.LabelledExample::applicationId, e -> e.row()));
      assertEquals(3, examples.size(), "l1, l2 and l3 are labelled");
      var l1 = examples.get("l1").snapshot();
      assertEquals(0, l1.priorApplications());
      assertEquals(List.of(), l1.editTypes());
      var l3 = examples.get("l3").snapshot();
      assertEquals(2, l3.priorApplications());
      assertEquals(1, l3.priorLabelled(), "l2's rejection came after l3 was created");
      assertEquals(1, l3.priorInterviews());
      assertEquals(List.of("added_metrics_to_bullets"), l3.editTypes());
      assertEquals(List.of(), examples.get("l2").snapshot().editTypes(), "the edit came after l2");
      assertTrue(examples.get("l1").responded());
      var history = projection.history(u).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(3, history.applications());
      assertEquals(3, history.labelled());
      assertEquals(2, history.interviews());
    });
  }

  /** With the handler's row cache off (every group reads the rows) and on (rows it wrote are not read again). */
  @ParameterizedTest(name = "row cache {0}")
  @ValueSource(ints = {0, 10_000})
  void rowsFollowTheLabelRuleAndEachApplicationIsReportedOnceWhenLabelled(int cacheSize) throws Exception {
    var a = ReadModelTestKit.unique("u-train-a");
    var b = ReadModelTestKit.unique("u-train-b");
    var ea = envelopes(a, journal(), 1);
    var eb = envelopes(b, journal().subList(0, 8), 100); // the same application ids, another user: other rows
    var all = new ArrayList<EventEnvelope<JourneyEvent>>();
    for (int i = 0; i < ea.size(); i++) {
      all.add(ea.get(i));
      if (i < eb.size()) all.add(eb.get(i));
    }
    var want = recompute(all);
    assertEquals(6 + 4, want.size(), "sanity: t1..t6 of u-a, t1..t4 of u-b");
    long labelled = want.values().stream().filter(Expected::labelled).count();
    assertTrue(labelled > 0 && labelled < want.size(), "sanity: some labelled, some not");

    // groups of 5, each delivered twice, and then the second half of the journal again
    var groups = new ArrayList<List<EventEnvelope<JourneyEvent>>>();
    for (int i = 0; i < all.size(); i += 5) {
      var g = all.subList(i, Math.min(all.size(), i + 5));
      groups.add(g);
      groups.add(g);
    }
    groups.add(all.subList(all.size() / 2, all.size()));
    var reported = new AtomicInteger();
    var projection = new TrainingSetProjection(kit.store(), reported::addAndGet, cacheSize);
    var source = TestSourceProvider.<Offset, List<EventEnvelope<JourneyEvent>>>create(Source.from(groups), g -> g.get(g.size() - 1).offset());
    var test = TestProjection.create(ProjectionId.of("training-set-handler-test", "t" + cacheSize), source, projection::handler);
    kit.projections().run(test, ReadModelTestKit.RUN_TIMEOUT, () -> {
      assertEquals(want, rows(List.of(a, b)));
      assertEquals(labelled, reported.get(), "each application once, when it became labelled");
    });

    // what the trainer reads: the labelled rows of these users, with their latest context and label
    var examples = projection.labelledExamples().toCompletableFuture().get(30, TimeUnit.SECONDS);
    for (var key : want.keySet()) {
      var app = key.substring(key.indexOf('/') + 1);
      var e = want.get(key);
      if (!e.labelled()) continue;
      // application ids repeat across users: match on id and context
      assertTrue(examples.stream().anyMatch(x -> x.applicationId().equals(app) && x.row().snapshot().context().equals(e.context())
          && x.row().label() == e.label()),
          key + " in " + examples);
    }
    assertTrue(examples.stream().noneMatch(x -> x.applicationId().equals("t4")), "an unanswered application is no example");
  }
}
