package io.hireloop.learning;

import io.hireloop.journey.Domain;
import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyEvent.ApplicationRecorded;
import io.hireloop.journey.JourneyEvent.StatusChanged;
import io.hireloop.journey.JourneyProjections;
import io.hireloop.journey.UserStateCache;
import io.hireloop.platform.Json;
import io.hireloop.platform.ReadModelStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.IntConsumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The "training-set" projection: one {@code training_examples} row per application, its features'
 * source (the application context) and its label (reached an interview state). Rows are idempotent by
 * sequence number. Each application that becomes labelled is reported to the learning coordinator,
 * which retrains after enough of them.
 */
public final class TrainingSetProjection {
  public static final String NAME = "training-set";
  static final int BUCKETS = 16;
  /** Outcomes that settle a label as negative unless an interview was already reached. */
  static final Set<String> NEGATIVE_OUTCOMES = Set.of("rejected", "ghosted", "withdrawn");

  private final ReadModelStore store;
  private final IntConsumer labelsArrived;
  private final int cacheSize;

  public TrainingSetProjection(ReadModelStore store, IntConsumer labelsArrived) {
    this(store, labelsArrived, UserStateCache.DEFAULT_CAPACITY);
  }

  /**
   * @param cacheSize applications whose row each handler instance remembers after writing it (skipping the
   *     read of that row for their next events), {@code hireloop.projections.user-state-cache-size}; 0: read every time
   */
  public TrainingSetProjection(ReadModelStore store, IntConsumer labelsArrived, int cacheSize) {
    this.store = store;
    this.labelsArrived = labelsArrived;
    this.cacheSize = cacheSize;
  }

  public static TrainingSetProjection init(ActorSystem<?> system, ReadModelStore store, IntConsumer labelsArrived) {
    var projection = new TrainingSetProjection(store, labelsArrived, UserStateCache.capacity(system));
    JourneyProjections.get(system).init(NAME, projection::handler,
        () -> store.session().executeDDL("TRUNCATE " + store.table("training_examples")));
    return projection;
  }

  static int bucket(String userId) {
    return Math.floorMod(userId.hashCode(), BUCKETS);
  }

  /** Every labelled example (a full scan of 16 partitions). */
  public CompletionStage<List<TrainingExample>> labelledExamples() {
    var futures = new ArrayList<CompletableFuture<List<TrainingExample>>>();
    for (int b = 0; b < BUCKETS; b++) {
      futures.add(store.session()
          .selectAll("SELECT application_id, context, label, labelled FROM " + store.table("training_examples") + " WHERE bucket = ?", b)
          .thenApply(rows -> rows.stream()
              .filter(r -> r.getBoolean("labelled") && r.getString("context") != null)
              .map(r -> new TrainingExample(r.getString("application_id"), context(r.getString("context")), r.getBoolean("label")))
              .toList())
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(v -> futures.stream().flatMap(f -> f.join().stream()).toList());
  }

  Handler<List<EventEnvelope<JourneyEvent>>> handler() {
    // this instance is the only writer of its tag slice's rows (see UserStateCache), keyed by user and application
    var cache = new UserStateCache(cacheSize);
    return new Handler<>() {
      @Override
      public CompletionStage<Done> start() {
        cache.clear();
        return CompletableFuture.completedFuture(Done.getInstance());
      }

      @Override
      public CompletionStage<Done> process(List<EventEnvelope<JourneyEvent>> envelopes) {
        // one application's events in order; applications in parallel
        var byApplication = new LinkedHashMap<String, List<EventEnvelope<JourneyEvent>>>();
        for (var env : envelopes) {
          String appId = env.event() instanceof ApplicationRecorded a ? a.applicationId()
              : env.event() instanceof StatusChanged s ? s.applicationId() : null;
          if (appId != null) {
            byApplication.computeIfAbsent(JobSeeker.userIdOf(env.persistenceId()) + "\u0000" + appId, k -> new ArrayList<>()).add(env);
          }
        }
        var updates = byApplication.values().stream().map(list -> update(cache, list).toCompletableFuture()).toList();
        return CompletableFuture.allOf(updates.toArray(CompletableFuture[]::new)).thenApply(v -> {
          int newlyLabelled = updates.stream().mapToInt(CompletableFuture::join).sum();
          if (newlyLabelled > 0) labelsArrived.accept(newlyLabelled);
          return Done.getInstance();
        });
      }
    };
  }

  /** One application's row as the handler folds it (and remembers it, as JSON, in its cache). */
  record Row(String context, boolean label, boolean labelled, long asOfSeqNr) {
    static final Row NONE = new Row(null, false, false, 0);
  }

  /** Folds one application's envelopes into its row; answers 1 when the row became labelled. */
  private CompletionStage<Integer> update(UserStateCache cache, List<EventEnvelope<JourneyEvent>> envelopes) {
    var first = envelopes.get(0);
    var userId = JobSeeker.userIdOf(first.persistenceId());
    var appId = first.event() instanceof ApplicationRecorded a ? a.applicationId() : ((StatusChanged) first.event()).applicationId();
    var key = userId + "\u0000" + appId;
    var table = store.table("training_examples");
    return cache.load(key, first, createsApplication(first), Row.NONE, TrainingSetProjection::row, () -> read(userId, appId)).thenCompose(before -> {
      var row = before;
      for (var env : envelopes) row = apply(row, env);
      if (row.equals(before)) return CompletableFuture.completedFuture(0);
      var after = row;
      return cache.written(key, Json.write(after), store.session()
          .executeWrite("INSERT INTO " + table + " (bucket, user_id, application_id, context, label, labelled, as_of_seq_nr, updated_at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              bucket(userId), userId, appId, after.context(), after.label(), after.labelled(), after.asOfSeqNr(), Instant.now()))
          .thenApply(d -> after.labelled() && !before.labelled() ? 1 : 0);
    });
  }

  /** APPLICATION_CREATED is an application's first event (the entity refuses a second one). */
  private static boolean createsApplication(EventEnvelope<JourneyEvent> env) {
    return env.event() instanceof ApplicationRecorded a && a.eventType().equals("APPLICATION_CREATED");
  }

  private CompletionStage<Row> read(String userId, String appId) {
    return store.session()
        .selectOne("SELECT context, label, labelled, as_of_seq_nr FROM " + store.table("training_examples")
            + " WHERE bucket = ? AND user_id = ? AND application_id = ?", bucket(userId), userId, appId)
        .thenApply(existing -> existing
            .map(r -> new Row(r.getString("context"), r.getBoolean("label"), r.getBoolean("labelled"), r.getLong("as_of_seq_nr")))
            .orElse(Row.NONE));
  }

  private static Row apply(Row row, EventEnvelope<JourneyEvent> env) {
    if (env.sequenceNr() <= row.asOfSeqNr()) return row;
    if (env.event() instanceof ApplicationRecorded a) {
      return new Row(Json.write(a.context()), row.label(), row.labelled(), env.sequenceNr());
    }
    var s = (StatusChanged) env.event();
    var status = s.outcome().status();
    var context = s.context() != null ? Json.write(s.context()) : row.context();
    if (Domain.INTERVIEW_STATUSES.contains(status)) return new Row(context, true, true, env.sequenceNr());
    if (NEGATIVE_OUTCOMES.contains(status) && !row.labelled()) return new Row(context, false, true, env.sequenceNr());
    return new Row(context, row.label(), row.labelled(), env.sequenceNr());
  }

  static Row row(String json) {
    try {
      return Json.MAPPER.readValue(json, Row.class);
    } catch (Exception e) {
      throw new IllegalStateException("unreadable cached training row: " + e.getMessage(), e);
    }
  }

  private static ApplicationContext context(String json) {
    try {
      return Json.MAPPER.readValue(json, ApplicationContext.class);
    } catch (Exception e) {
      throw new IllegalStateException("unreadable training context: " + e.getMessage(), e);
    }
  }
}
