package io.hireloop.reminders;

import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyProjections;
import io.hireloop.journey.ReminderPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The "reminders" projection: every recorded application schedules its follow-up reminders in
 * {@code reminders_due}, at most the steps still inside their window ({@link ReminderPolicy}). It does not
 * cancel: the JobSeeker entity, asked when a row is due, knows whether the application was answered, and
 * the scheduler then drops the row. Idempotent: rows are keyed by their due time (or, when already due,
 * by when the envelope was handled; a redelivery then adds a row that the entity answers "duplicate").
 */
public final class ReminderProjection {
  public static final String NAME = "reminders";

  private final ReminderTable table;
  /** The schedule in force when an application is handled. */
  private final Supplier<ReminderPolicy> policy;
  private final Supplier<Instant> clock;

  ReminderProjection(ReminderTable table, Supplier<ReminderPolicy> policy, Supplier<Instant> clock) {
    this.table = table;
    this.policy = policy;
    this.clock = clock;
  }

  Handler<List<EventEnvelope<JourneyEvent>>> handler() {
    return new Handler<>() {
      @Override
      public CompletionStage<Done> process(List<EventEnvelope<JourneyEvent>> envelopes) {
        var now = clock.get();
        var policy = ReminderProjection.this.policy.get();
        var writes = new ArrayList<CompletableFuture<Done>>();
        for (var env : envelopes) {
          if (!(env.event() instanceof JourneyEvent.ApplicationRecorded a)) continue;
          var userId = JobSeeker.userIdOf(env.persistenceId());
          for (int step : policy.stepsToSchedule(a.timestamp(), now)) {
            var due = policy.due(a.timestamp(), step);
            var fireAt = due.isAfter(now) ? due : now;
            writes.add(table.insert(userId, a.applicationId(), step, due, fireAt, a.timestamp()).toCompletableFuture());
          }
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(v -> Done.getInstance());
      }
    };
  }
}
