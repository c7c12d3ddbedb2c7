package io.hireloop.learning;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyEvent.ApplicationRecorded;
import io.hireloop.journey.JourneyEvent.ResumeChanged;
import io.hireloop.journey.JourneyEvent.StatusChanged;
import io.hireloop.journey.JourneyProjections;
import io.hireloop.journey.UserStateCache;
import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.learning.features.ExampleRow;
import io.hireloop.learning.features.TrainingFold;
import io.hireloop.learning.features.UserHistory;
import io.hireloop.platform.Json;
import io.hireloop.platform.ReadModelStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The "training-set" projection: one {@code training_examples} row per application — its {@link ApplicationSnapshot}
 * (the context and the user's history when it was created) and its labels ({@link ExampleRow}) — and one history
 * row per user ({@link UserHistory}, application id {@value #HISTORY_ROW}), folded by {@link TrainingFold} in journal
 * order. A user's rows of one group are written in one single-partition batch (they share the bucket), so the
 * history and the applications never disagree after a crash. Rows are idempotent by sequence number. Each
 * application that becomes labelled is reported to the learning coordinator (a count: it retrains after enough of
 * them) and to the model monitor (the rows: it scores their snapshots with the champion).
 */
public final class TrainingSetProjection {
  public static final String NAME = "training-set";
  static final int BUCKETS = 16;
  /** The clustering key of a user's history row (no application id is empty: the parser refuses blank ids). */
  static final String HISTORY_ROW = "";

  private final ReadModelStore store;
  private final IntConsumer labelsArrived;
  private final Consumer<List<LabelledExample>> labelled;
  private final int cacheSize;

  public TrainingSetProjection(ReadModelStore store, IntConsumer labelsArrived) {
    this(store, labelsArrived, UserStateCache.DEFAULT_CAPACITY);
  }

  public TrainingSetProjection(ReadModelStore store, IntConsumer labelsArrived, int cacheSize) {
    this(store, labelsArrived, rows -> {}, cacheSize);
  }

  /**
   * @param cacheSize rows (applications and user histories) each handler instance remembers after writing them,
   *     skipping their read on the next events; {@code hireloop.projections.user-state-cache-size}; 0: read every time
   */
  public TrainingSetProjection(ReadModelStore store, IntConsumer labelsArrived, Consumer<List<LabelledExample>> labelled, int cacheSize) {
    this.store = store;
    this.labelsArrived = labelsArrived;
    this.labelled = labelled;
    this.cacheSize = cacheSize;
  }

  /**
   * @param labelsArrived how many applications of a group became labelled (after their rows were written)
   * @param labelled the same applications' rows, in the same call order
   */
  public static TrainingSetProjection init(ActorSystem<?> system, ReadModelStore store, IntConsumer labelsArrived,
      Consumer<List<LabelledExample>> labelled) {
    var projection = new TrainingSetProjection(store, labelsArrived, labelled, UserStateCache.capacity(system));
    JourneyProjections.get(system).init(NAME, projection::handler,
        () -> store.session().executeDDL("TRUNCATE " + store.table("training_examples")));
    return projection;
  }

  public static int bucket(String userId) {
    return Math.floorMod(userId.hashCode(), BUCKETS);
  }

  /** A labelled application as the trainers read it. */
  public record LabelledExample(String userId, String applicationId, ExampleRow row) {}

  /** Every application whose interview outcome is known (a full scan of 16 partitions). */
  public CompletionStage<List<LabelledExample>> labelledExamples() {
    return examples(ExampleRow::labelled);
  }

  /**
   * Every application some model learns from: its interview outcome is known ({@code labelled}; the offer model's
   * rows, interviewed with a known offer outcome, are among these), or its response time is ({@code response_days}
   * set, also before the interview outcome). A full scan of 16 partitions.
   */
  public CompletionStage<List<LabelledExample>> trainingExamples() {
    return examples(r -> r.labelled() || r.offerLabelled() || r.responseDays() != null);
  }

  /** Every application with its snapshot, labelled or not (a full scan of 16 partitions): what users applied to. */
  public CompletionStage<List<LabelledExample>> applications() {
    return examples(r -> true);
  }

  private CompletionStage<List<LabelledExample>> examples(java.util.function.Predicate<ExampleRow> keep) {
    var futures = new ArrayList<CompletableFuture<List<LabelledExample>>>();
    for (int b = 0; b < BUCKETS; b++) {
      futures.add(store.session()
          .selectAll("SELECT user_id, application_id, context, snapshot, label, labelled, offer, offer_labelled, response_days,"
              + " responded, as_of_seq_nr FROM " + store.table("training_examples") + " WHERE bucket = ?", b)
          .thenApply(rows -> rows.stream()
              .filter(r -> !r.getString("application_id").equals(HISTORY_ROW))
              .map(r -> new LabelledExample(r.getString("user_id"), r.getString("application_id"), exampleRow(r)))
              .filter(e -> e.row().snapshot() != null && keep.test(e.row()))
              .toList())
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(v -> futures.stream().flatMap(f -> f.join().stream()).toList());
  }

  /** The user's history now (what a prediction for the user's next application is built on); empty for an unknown user. */
  public CompletionStage<UserHistory> history(String userId) {
    return store.session()
        .selectOne("SELECT history FROM " + store.table("training_examples") + " WHERE bucket = ? AND user_id = ? AND application_id = ?",
            bucket(userId), userId, HISTORY_ROW)
        .thenApply(r -> r.map(row -> row.getString("history")).map(TrainingSetProjection::historyJson).orElse(UserHistory.EMPTY));
  }

  /** The user's applications whose interview outcome is known: application id → reached an interview (one partition read). */
  public CompletionStage<java.util.Map<String, Boolean>> interviewLabels(String userId) {
    return store.session()
        .selectAll("SELECT application_id, label, labelled FROM " + store.table("training_examples") + " WHERE bucket = ? AND user_id = ?",
            bucket(userId), userId)
        .thenApply(rows -> {
          var out = new java.util.HashMap<String, Boolean>();
          for (var r : rows) {
            if (!r.getString("application_id").equals(HISTORY_ROW) && r.getBoolean("labelled")) out.put(r.getString("application_id"), r.getBoolean("label"));
          }
          return out;
        });
  }

  Handler<List<EventEnvelope<JourneyEvent>>> handler() {
    // this instance is the only writer of its slice's users' rows (see UserStateCache), keyed by user and application
    var cache = new UserStateCache(cacheSize);
    return new Handler<>() {
      @Override
      public CompletionStage<Done> start() {
        cache.clear();
        return CompletableFuture.completedFuture(Done.getInstance());
      }

      @Override
      public CompletionStage<Done> process(List<EventEnvelope<JourneyEvent>> envelopes) {
        var byUser = new LinkedHashMap<String, List<EventEnvelope<JourneyEvent>>>();
        for (var env : envelopes) {
          var e = env.event();
          if (e instanceof ApplicationRecorded || e instanceof StatusChanged || e instanceof ResumeChanged
              || e instanceof JourneyEvent.SuggestionFeedback) {
            byUser.computeIfAbsent(JobSeeker.userIdOf(env.persistenceId()), k -> new ArrayList<>()).add(env);
          }
        }
        var updates = byUser.entrySet().stream().map(u -> update(cache, u.getKey(), u.getValue()).toCompletableFuture()).toList();
        return CompletableFuture.allOf(updates.toArray(CompletableFuture[]::new)).thenApply(v -> {
          var newlyLabelled = updates.stream().flatMap(f -> f.join().stream()).toList();
          if (!newlyLabelled.isEmpty()) {
            labelsArrived.accept(newlyLabelled.size());
            labelled.accept(newlyLabelled);
          }
          return Done.getInstance();
        });
      }
    };
  }

  /** Folds one user's envelopes into the history and application rows; answers the applications that became labelled. */
  private CompletionStage<List<LabelledExample>> update(UserStateCache cache, String userId, List<EventEnvelope<JourneyEvent>> envelopes) {
    var first = envelopes.get(0);
    var historyKey = userId + "\u0000";
    var historyLoad = cache.load(historyKey, first, first.sequenceNr() == 1, UserHistory.EMPTY, TrainingSetProjection::historyJson,
        () -> readHistory(userId));
    // each application's row is loaded once, before its first event of the group
    var appFirst = new LinkedHashMap<String, EventEnvelope<JourneyEvent>>();
    for (var env : envelopes) {
      var appId = applicationId(env.event());
      if (appId != null) appFirst.putIfAbsent(appId, env);
    }
    var rowLoads = new LinkedHashMap<String, CompletableFuture<ExampleRow>>();
    for (var e : appFirst.entrySet()) {
      var appId = e.getKey();
      rowLoads.put(appId, cache.load(userId + "\u0000" + appId, e.getValue(), createsApplication(e.getValue()), ExampleRow.NONE,
          TrainingSetProjection::exampleRow, () -> readRow(userId, appId)).toCompletableFuture());
    }
    var all = new ArrayList<CompletableFuture<?>>(rowLoads.values());
    all.add(historyLoad.toCompletableFuture());
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenCompose(v -> {
      var historyBefore = historyLoad.toCompletableFuture().join();
      var before = new LinkedHashMap<String, ExampleRow>();
      rowLoads.forEach((k, f) -> before.put(k, f.join()));
      var rows = new LinkedHashMap<>(before);
      var history = historyBefore;
      for (var env : envelopes) {
        long seq = env.sequenceNr();
        var event = env.event();
        if (event instanceof ResumeChanged r) {
          history = TrainingFold.resume(history, r.editTypes(), r.userAccepted(), seq);
          continue;
        }
        if (event instanceof JourneyEvent.SuggestionFeedback f) {
          history = TrainingFold.suggestion(history, f.suggestedContentJson() == null ? null : Json.read(f.suggestedContentJson()), seq);
          continue;
        }
        var appId = applicationId(event);
        var row = rows.get(appId);
        TrainingFold.Step step;
        if (event instanceof ApplicationRecorded a) {
          step = a.eventType().equals("APPLICATION_CREATED")
              ? TrainingFold.created(history, row, a.context(), a.timestamp(), seq)
              : TrainingFold.submitted(history, row, a.context(), a.timestamp(), seq);
        } else {
          var s = (StatusChanged) event;
          step = TrainingFold.status(history, row, s.outcome().status(), s.context(), s.timestamp(), s.outcome().daysToResponse(), seq);
        }
        history = step.history();
        rows.put(appId, step.row());
      }
      var batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
      int changed = 0;
      var newlyLabelled = new ArrayList<LabelledExample>();
      var written = new LinkedHashMap<String, String>();
      for (var e : rows.entrySet()) {
        var b = before.get(e.getKey());
        var a = e.getValue();
        if (a.equals(b) || a.snapshot() == null) continue;
        batch.addStatement(rowInsert(userId, e.getKey(), a));
        written.put(userId + "\u0000" + e.getKey(), Json.write(a));
        changed++;
        if (a.labelled() && !b.labelled()) newlyLabelled.add(new LabelledExample(userId, e.getKey(), a));
      }
      if (!history.equals(historyBefore)) {
        batch.addStatement(SimpleStatement.newInstance("INSERT INTO " + store.table("training_examples")
            + " (bucket, user_id, application_id, history, as_of_seq_nr, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            bucket(userId), userId, HISTORY_ROW, Json.write(history), history.asOfSeqNr(), Instant.now()));
        written.put(historyKey, Json.write(history));
        changed++;
      }
      if (changed == 0) return CompletableFuture.completedFuture(List.<LabelledExample>of());
      var labelled = List.copyOf(newlyLabelled);
      return store.session().executeWriteBatch(batch.build())
          .whenComplete((d, failure) -> written.forEach((key, json) -> {
            if (failure == null) cache.written(key, json, CompletableFuture.completedFuture(d));
            else cache.forget(key);
          }))
          .thenApply(d -> labelled);
    });
  }

  private SimpleStatement rowInsert(String userId, String appId, ExampleRow r) {
    return SimpleStatement.newInstance("INSERT INTO " + store.table("training_examples")
            + " (bucket, user_id, application_id, context, snapshot, label, labelled, offer, offer_labelled, response_days, responded,"
            + " as_of_seq_nr, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        bucket(userId), userId, appId, Json.write(r.snapshot().context()), Json.write(r.snapshot()), r.label(), r.labelled(),
        r.offer(), r.offerLabelled(), r.responseDays(), r.responded(), r.asOfSeqNr(), Instant.now());
  }

  private static String applicationId(JourneyEvent e) {
    return e instanceof ApplicationRecorded a ? a.applicationId() : e instanceof StatusChanged s ? s.applicationId() : null;
  }

  /** APPLICATION_CREATED is an application's first event (the entity refuses a second one). */
  private static boolean createsApplication(EventEnvelope<JourneyEvent> env) {
    return env.event() instanceof ApplicationRecorded a && a.eventType().equals("APPLICATION_CREATED");
  }

  private CompletionStage<UserHistory> readHistory(String userId) {
    return history(userId);
  }

  private CompletionStage<ExampleRow> readRow(String userId, String appId) {
    return store.session()
        .selectOne("SELECT context, snapshot, label, labelled, offer, offer_labelled, response_days, responded, as_of_seq_nr FROM "
            + store.table("training_examples") + " WHERE bucket = ? AND user_id = ? AND application_id = ?", bucket(userId), userId, appId)
        .thenApply(existing -> existing.map(TrainingSetProjection::exampleRow).orElse(ExampleRow.NONE));
  }

  /** A stored row; rows written before snapshots existed have only the context (no history: a rebuild adds it). */
  private static ExampleRow exampleRow(com.datastax.oss.driver.api.core.cql.Row r) {
    ApplicationSnapshot snapshot;
    var s = r.getString("snapshot");
    if (s != null) {
      snapshot = Json.read(s, ApplicationSnapshot.class);
    } else {
      var c = r.getString("context");
      snapshot = c == null ? null : ApplicationSnapshot.ofContext(Json.read(c, io.hireloop.journey.Domain.ApplicationContext.class), null);
    }
    Double days = r.isNull("response_days") ? null : r.getDouble("response_days");
    return new ExampleRow(snapshot, r.getBoolean("label"), r.getBoolean("labelled"), r.getBoolean("offer"), r.getBoolean("offer_labelled"),
        days, r.getBoolean("responded"), r.getLong("as_of_seq_nr"));
  }

  static ExampleRow exampleRow(String json) {
    return Json.read(json, ExampleRow.class);
  }

  static UserHistory historyJson(String json) {
    return Json.read(json, UserHistory.class);
  }
}
