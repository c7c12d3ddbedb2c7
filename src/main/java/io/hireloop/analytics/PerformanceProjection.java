package io.hireloop.analytics;

import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyProjections;
import io.hireloop.journey.UserStateCache;
import io.hireloop.platform.Json;
import io.hireloop.platform.ReadModelStore;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The "user-performance" projection: folds each user's journey into a {@link PerformanceState} row of
 * {@code user_performance}. Idempotent: a row remembers the last sequence number it folded in, so
 * at-least-once redelivery changes nothing. One write per user per group of envelopes; the read only when
 * the handler's {@link UserStateCache} does not hold the row it last wrote and the group does not start at the
 * user's first event.
 */
public final class PerformanceProjection {
  public static final String NAME = "user-performance";

  private final ReadModelStore store;
  private final Topics topics;
  private final int cacheSize;

  public PerformanceProjection(ActorSystem<?> system, ReadModelStore store) {
    this.store = store;
    this.topics = Topics.get(system);
    this.cacheSize = UserStateCache.capacity(system);
  }

  public static PerformanceProjection init(ActorSystem<?> system, ReadModelStore store) {
    var projection = new PerformanceProjection(system, store);
    JourneyProjections.get(system).init(NAME, projection::handler,
        () -> store.session().executeDDL("TRUNCATE " + store.table("user_performance")));
    return projection;
  }

  /** The user's performance document, or empty when no event of theirs has been projected yet. */
  public CompletionStage<Optional<Map<String, Object>>> get(String userId) {
    return load(userId).thenApply(state -> state.asOfSeqNr() == 0 ? Optional.empty() : Optional.of(state.toUserPerformance(userId)));
  }

  /** Every row as user id → state JSON (for rebuild checks and exports). */
  public CompletionStage<Map<String, String>> dump() {
    return store.session().selectAll("SELECT user_id, state FROM " + store.table("user_performance"))
        .thenApply(rows -> {
          var m = new java.util.TreeMap<String, String>();
          rows.forEach(r -> m.put(r.getString("user_id"), r.getString("state")));
          return m;
        });
  }

  Handler<List<EventEnvelope<JourneyEvent>>> handler() {
    return JourneyProjections.perUserCached(cacheSize, this::update);
  }

  private CompletionStage<Done> update(UserStateCache cache, String userId, List<EventEnvelope<JourneyEvent>> envelopes) {
    return cache.loadUser(userId, envelopes, PerformanceState.EMPTY, PerformanceProjection::read, () -> load(userId)).thenCompose(before -> {
      var state = before;
      for (var env : envelopes) state = state.apply(env.sequenceNr(), env.event());
      if (state == before) return CompletableFuture.completedFuture(Done.getInstance());
      var after = state;
      var json = Json.write(after);
      return cache.written(userId, json, store.session()
          .executeWrite("INSERT INTO " + store.table("user_performance") + " (user_id, as_of_seq_nr, state, updated_at) VALUES (?, ?, ?, ?)",
              userId, after.asOfSeqNr(), json, Instant.now()))
          .thenApply(done -> {
            var data = new LinkedHashMap<String, Object>();
            data.put("user_id", userId);
            data.put("as_of_seq_nr", after.asOfSeqNr());
            data.put("interview_rate", after.toUserPerformance(userId).get("interview_rate"));
            topics.publish(StreamMessage.of("user:" + userId, "performance_updated", data));
            return done;
          });
    });
  }

  private CompletionStage<PerformanceState> load(String userId) {
    return store.session()
        .selectOne("SELECT state FROM " + store.table("user_performance") + " WHERE user_id = ?", userId)
        .thenApply(row -> row.map(r -> read(r.getString("state"))).orElse(PerformanceState.EMPTY));
  }

  private static PerformanceState read(String json) {
    try {
      return Json.MAPPER.readValue(json, PerformanceState.class);
    } catch (Exception e) {
      throw new IllegalStateException("unreadable user_performance state: " + e.getMessage(), e);
    }
  }
}
