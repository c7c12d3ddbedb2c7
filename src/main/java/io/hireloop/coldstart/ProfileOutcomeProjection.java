package io.hireloop.coldstart;

import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyProjections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The "user-profiles" read model: per user, the newest profile and the applications that reached an interview request
 * ({@link ProfileOutcomes}), the population of the cold start and the onboarding questions. Idempotent (the row's
 * sequence number); one read and at most one write per user per group (profiles change rarely: no cache).
 */
public final class ProfileOutcomeProjection {
  public static final String NAME = "user-profiles";

  private final ProfileOutcomeRows rows;

  public ProfileOutcomeProjection(ProfileOutcomeRows rows) {
    this.rows = rows;
  }

  /** Registers the read model with the journey's read-side pass. */
  public static ProfileOutcomeProjection init(ActorSystem<?> system, ProfileOutcomeRows rows) {
    var projection = new ProfileOutcomeProjection(rows);
    JourneyProjections.get(system).init(NAME, projection::handler, rows::truncate);
    return projection;
  }

  public Handler<List<EventEnvelope<JourneyEvent>>> handler() {
    return JourneyProjections.perUser(this::update);
  }

  private CompletionStage<Done> update(String userId, List<EventEnvelope<JourneyEvent>> envelopes) {
    return rows.load(userId).thenCompose(loaded -> {
      var before = loaded.orElse(ProfileOutcomes.EMPTY);
      var state = before;
      for (var env : envelopes) state = state.apply(env.sequenceNr(), env.event());
      if (state.equals(before)) return CompletableFuture.completedFuture(Done.getInstance());
      return rows.save(userId, state);
    });
  }
}
