package io.hireloop.experiment;

import io.hireloop.experiment.ExposureProjection.Exposure;
import io.hireloop.experiment.ExposureProjection.UserState;
import io.hireloop.journey.JourneyProjections;
import io.hireloop.journey.JourneyEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The "experiment-exposures" handler. Only users who were ever exposed cost a read-model round trip: a
 * user's envelopes are skipped (no read, no write) unless the user is in {@code exposed} or the envelopes
 * hold an {@link JourneyEvent.ExperimentExposed}. The fold ({@link ExposureProjection#apply}) is unchanged and
 * still needs the user's whole journey (applications and which reached an interview, for the pre-exposure
 * record and to map later status changes to creation times), so when the stored state is behind the first
 * envelope (the skipped events of a user seen exposed for the first time) the missing events are read once
 * from the user's journal ({@link History}) and folded in first: the state, and so every row, is exactly
 * what folding every event would give.
 *
 * <p>{@code exposed} only grows: {@link #start()} adds every user with an {@code experiment_exposures} row
 * (rows are written before the state), and a user is added as soon as their state holds an exposure. A
 * stale user in it (after a rebuild emptied the tables, or an instance moved to another node) costs a read
 * and a write, never a wrong row; a user missing from it while exposed cannot happen, because the exposure
 * event itself passes through here before any later event of that user (one tag per user, in order).
 */
final class ExposureHandler extends Handler<List<EventEnvelope<JourneyEvent>>> {

  /** The read model (Cassandra in production, in memory in tests). */
  interface Store {
    /** Every user with at least one exposure row. */
    CompletionStage<Set<String>> exposedUsers();

    /** The user's fold state; {@link UserState#EMPTY} when none stored. */
    CompletionStage<UserState> load(String userId);

    CompletionStage<Done> writeRow(String experimentId, String userId, Exposure exposure);

    CompletionStage<Done> writeState(String userId, UserState state);
  }

  /** One journal entry of a user. */
  record Journaled(long seqNr, JourneyEvent event) {}

  /** A user's journal between two sequence numbers, both inclusive, in order. */
  @FunctionalInterface
  interface History {
    CompletionStage<List<Journaled>> events(String persistenceId, long fromSeqNr, long toSeqNr);
  }

  private final Store store;
  private final History history;
  private final Set<String> exposed;
  private final Supplier<Consumer<String>> onChange;
  private final AtomicLong skippedUsers = new AtomicLong();
  private final AtomicLong catchUps = new AtomicLong();
  private final Handler<List<EventEnvelope<JourneyEvent>>> perUser = JourneyProjections.perUser(this::updateIfConcerned);

  ExposureHandler(Store store, History history, Set<String> exposed, Supplier<Consumer<String>> onChange) {
    this.store = store;
    this.history = history;
    this.exposed = exposed;
    this.onChange = onChange;
  }

  @Override
  public CompletionStage<Done> start() {
    return store.exposedUsers().thenApply(users -> {
      exposed.addAll(users);
      return Done.getInstance();
    });
  }

  @Override
  public CompletionStage<Done> process(List<EventEnvelope<JourneyEvent>> envelopes) throws Exception {
    return perUser.process(envelopes);
  }

  private CompletionStage<Done> updateIfConcerned(String userId, List<EventEnvelope<JourneyEvent>> envelopes) {
    if (concerns(userId, envelopes)) return update(userId, envelopes);
    skippedUsers.incrementAndGet();
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  /** Whether the user's envelopes can change the read model: the user was exposed before or is now. */
  boolean concerns(String userId, List<EventEnvelope<JourneyEvent>> envs) {
    if (exposed.contains(userId)) return true;
    for (var env : envs) if (env.event() instanceof JourneyEvent.ExperimentExposed) return true;
    return false;
  }

  /** Users whose envelopes were skipped (one per user per group), since this handler was made. */
  long skippedUsers() {
    return skippedUsers.get();
  }

  /** How many times missing events were read from a journal. */
  long catchUps() {
    return catchUps.get();
  }

  private CompletionStage<Done> update(String userId, List<EventEnvelope<JourneyEvent>> envelopes) {
    var changed = new LinkedHashSet<String>();
    long first = envelopes.get(0).sequenceNr();
    return store.load(userId).thenCompose(stored -> (first <= stored.asOfSeqNr() + 1 ? CompletableFuture.completedFuture(stored)
        : catchUp(envelopes.get(0).persistenceId(), stored, first - 1, changed)).thenCompose(caughtUp -> {
          var state = caughtUp;
          for (var env : envelopes) state = ExposureProjection.apply(state, env.sequenceNr(), env.event(), changed);
          if (!state.exposures().isEmpty()) exposed.add(userId);
          if (state.asOfSeqNr() == stored.asOfSeqNr()) return CompletableFuture.completedFuture(Done.getInstance());
          var after = state;
          // rows first, state last: a crash in between replays the envelopes and rewrites the same rows
          CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
          for (var exp : changed) chain = chain.thenCompose(d -> store.writeRow(exp, userId, after.exposures().get(exp)));
          return chain.thenCompose(d -> store.writeState(userId, after)).thenApply(d -> {
            var listener = onChange.get();
            changed.forEach(listener);
            return d;
          });
        }));
  }

  /** Folds the journal entries after the stored state up to {@code toSeqNr} (events skipped before the exposure). */
  private CompletionStage<UserState> catchUp(String persistenceId, UserState stored, long toSeqNr, Set<String> changed) {
    catchUps.incrementAndGet();
    return history.events(persistenceId, stored.asOfSeqNr() + 1, toSeqNr).thenApply(entries -> {
      var state = stored;
      for (var entry : entries) state = ExposureProjection.apply(state, entry.seqNr(), entry.event(), changed);
      return state;
    });
  }
}
