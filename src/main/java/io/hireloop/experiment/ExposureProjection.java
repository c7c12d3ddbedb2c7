package io.hireloop.experiment;

import io.hireloop.journey.Domain;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyProjections;
import io.hireloop.platform.Json;
import io.hireloop.platform.ReadModelStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The "experiment-exposures" projection: folds each user's journey into one {@code experiment_exposures}
 * row per experiment the user was exposed to, with the time the success metric first converted. Only
 * {@code interview_rate} is folded so far: converted = an application created at or after the exposure
 * reached an interview state. Idempotent like the performance projection (per-user state with the last
 * sequence number folded in).
 */
public final class ExposureProjection {
  public static final String NAME = "experiment-exposures";

  /** One exposed user of an experiment, as read back for the analysis. */
  public record Row(String userId, String variantId, Instant exposedAt, Instant convertedAt) {}

  /** Per-user fold state (JSON in experiment_user_state); times in epoch milliseconds. */
  public record UserState(long asOfSeqNr, Map<String, Exposure> exposures, Map<String, Long> applicationsCreatedAt) {
    static final UserState EMPTY = new UserState(0, Map.of(), Map.of());
  }

  public record Exposure(String variantId, long exposedAt, Long convertedAt) {}

  private final ReadModelStore store;

  public ExposureProjection(ReadModelStore store) {
    this.store = store;
  }

  public static ExposureProjection init(ActorSystem<?> system, ReadModelStore store) {
    var projection = new ExposureProjection(store);
    JourneyProjections.get(system).init(NAME, projection::handler,
        () -> store.session().executeDDL("TRUNCATE " + store.table("experiment_exposures"))
            .thenCompose(d -> store.session().executeDDL("TRUNCATE " + store.table("experiment_user_state"))));
    return projection;
  }

  public CompletionStage<List<Row>> rows(String experimentId) {
    return store.session().selectAll("SELECT user_id, variant_id, exposed_at, converted_at FROM "
            + store.table("experiment_exposures") + " WHERE experiment_id = ?", experimentId)
        .thenApply(rows -> rows.stream().map(r -> new Row(r.getString("user_id"), r.getString("variant_id"),
            r.getInstant("exposed_at"), r.getInstant("converted_at"))).toList());
  }

  /** Folds one event; {@code changed} collects the experiments whose row must be written. */
  static UserState apply(UserState s, long seqNr, JourneyEvent e, Set<String> changed) {
    if (seqNr <= s.asOfSeqNr()) return s;
    var exposures = s.exposures();
    var apps = s.applicationsCreatedAt();
    if (e instanceof JourneyEvent.ExperimentExposed x && !exposures.containsKey(x.experimentId())) {
      exposures = new HashMap<>(exposures);
      exposures.put(x.experimentId(), new Exposure(x.variantId(), x.timestamp().toEpochMilli(), null));
      changed.add(x.experimentId());
    } else if (e instanceof JourneyEvent.ApplicationRecorded a && !apps.containsKey(a.applicationId())) {
      apps = new HashMap<>(apps);
      apps.put(a.applicationId(), a.timestamp().toEpochMilli());
    } else if (e instanceof JourneyEvent.StatusChanged st && Domain.INTERVIEW_STATUSES.contains(st.outcome().status())) {
      Long created = apps.get(st.applicationId());
      if (created != null) {
        var updated = new HashMap<>(exposures);
        for (var entry : exposures.entrySet()) {
          var x = entry.getValue();
          if (x.convertedAt() == null && created >= x.exposedAt()) {
            updated.put(entry.getKey(), new Exposure(x.variantId(), x.exposedAt(), st.timestamp().toEpochMilli()));
            changed.add(entry.getKey());
          }
        }
        exposures = updated;
      }
    }
    return new UserState(seqNr, exposures, apps);
  }

  Handler<List<EventEnvelope<JourneyEvent>>> handler() {
    return JourneyProjections.perUser(this::update);
  }

  private CompletionStage<Done> update(String userId, List<EventEnvelope<JourneyEvent>> envelopes) {
    return load(userId).thenCompose(before -> {
      var changed = new LinkedHashSet<String>();
      var state = before;
      for (var env : envelopes) state = apply(state, env.sequenceNr(), env.event(), changed);
      if (state.asOfSeqNr() == before.asOfSeqNr()) return CompletableFuture.completedFuture(Done.getInstance());
      var after = state;
      // rows first, state last: a crash in between replays the envelopes and rewrites the same rows
      CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
      for (var exp : changed) {
        var x = after.exposures().get(exp);
        chain = chain.thenCompose(d -> store.session().executeWrite("INSERT INTO " + store.table("experiment_exposures")
                + " (experiment_id, user_id, variant_id, exposed_at, converted_at) VALUES (?, ?, ?, ?, ?)",
            exp, userId, x.variantId(), Instant.ofEpochMilli(x.exposedAt()),
            x.convertedAt() == null ? null : Instant.ofEpochMilli(x.convertedAt())));
      }
      return chain.thenCompose(d -> store.session().executeWrite("INSERT INTO " + store.table("experiment_user_state")
          + " (user_id, as_of_seq_nr, state) VALUES (?, ?, ?)", userId, after.asOfSeqNr(), Json.write(after)));
    });
  }

  private CompletionStage<UserState> load(String userId) {
    return store.session()
        .selectOne("SELECT state FROM " + store.table("experiment_user_state") + " WHERE user_id = ?", userId)
        .thenApply(row -> row.map(r -> {
          try {
            return Json.MAPPER.readValue(r.getString("state"), UserState.class);
          } catch (Exception ex) {
            throw new IllegalStateException("unreadable experiment_user_state: " + ex.getMessage(), ex);
          }
        }).orElse(UserState.EMPTY));
  }
}
