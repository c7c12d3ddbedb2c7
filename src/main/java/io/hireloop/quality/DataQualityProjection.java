package io.hireloop.quality;

import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyProjections;
import io.hireloop.journey.UserStateCache;
import io.hireloop.platform.Json;
import io.hireloop.platform.ReadModelStore;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The "data-quality" projection: one {@link DataQualityState} row per user in {@code data_quality_users}
 * (completeness of optional fields and outcome reporting delays), summed cluster-wide by
 * {@link DataQualityReport}. Also feeds this node's Prometheus metrics for the events it folds.
 */
public final class DataQualityProjection {
  public static final String NAME = "data-quality";

  static final Counter FIELDS = Counter.build("hireloop_optional_fields_total",
          "Optional fields of accepted events, by event type, field and whether present (completeness = present / all).")
      .labelNames("event_type", "field", "present").register();
  static final Histogram DELAY = Histogram.build("hireloop_outcome_reporting_delay_seconds",
          "STATUS_CHANGED: journal write time minus the event's timestamp.")
      .buckets(60, 600, 3600, 6 * 3600, 86400, 3 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 90 * 86400).register();

  private final ReadModelStore store;
  private final int cacheSize;

  DataQualityProjection(ReadModelStore store) {
    this(store, UserStateCache.DEFAULT_CAPACITY);
  }

  DataQualityProjection(ReadModelStore store, int cacheSize) {
    this.store = store;
    this.cacheSize = cacheSize;
  }

  public static DataQualityProjection init(ActorSystem<?> system, ReadModelStore store) {
    var projection = new DataQualityProjection(store, UserStateCache.capacity(system));
    JourneyProjections.get(system).init(NAME, projection::handler,
        () -> store.session().executeDDL("TRUNCATE " + store.table("data_quality_users")));
    return projection;
  }

  /** The grouped handler that {@link JourneyProjections} runs (and tests run with ProjectionTestKit). */
  Handler<List<EventEnvelope<JourneyEvent>>> handler() {
    return JourneyProjections.perUserCached(cacheSize, this::update);
  }

  private CompletionStage<Done> update(UserStateCache cache, String userId, List<EventEnvelope<JourneyEvent>> envelopes) {
    return cache.loadUser(userId, envelopes, DataQualityState.EMPTY, DataQualityProjection::read,
            () -> load(userId))
        .thenCompose(before -> {
          var changes = new ArrayList<DataQualityState.Change>();
          var state = before;
          for (var env : envelopes) state = state.apply(env.sequenceNr(), env.event(), env.timestamp(), changes);
          if (state == before) return CompletableFuture.completedFuture(Done.getInstance());
          var json = Json.write(state);
          return cache.written(userId, json, store.session().executeWrite("INSERT INTO " + store.table("data_quality_users")
                  + " (user_id, as_of_seq_nr, state, updated_at) VALUES (?, ?, ?, ?)", userId, state.asOfSeqNr(), json, Instant.now()))
              .thenApply(done -> {
                changes.forEach(DataQualityProjection::observe);
                return done;
              });
        });
  }

  private CompletionStage<DataQualityState> load(String userId) {
    return store.session().selectOne("SELECT state FROM " + store.table("data_quality_users") + " WHERE user_id = ?", userId)
        .thenApply(row -> row.map(r -> read(r.getString("state"))).orElse(DataQualityState.EMPTY));
  }

  private static void observe(DataQualityState.Change c) {
    c.fields().forEach((field, present) -> FIELDS.labels(c.eventType(), field, String.valueOf(present)).inc());
    if (c.delayMillis() != null) DELAY.observe(c.delayMillis() / 1000.0);
  }

  static DataQualityState read(String json) {
    try {
      return Json.MAPPER.readValue(json, DataQualityState.class);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable data-quality row", e);
    }
  }

  /** Every user's row (for the report). */
  CompletionStage<List<DataQualityState>> all() {
    return store.session().selectAll("SELECT state FROM " + store.table("data_quality_users"))
        .thenApply(rows -> rows.stream().map(r -> read(r.getString("state"))).toList());
  }
}
