package io.hireloop.reminders;

import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JobSeeker.ReminderOutcome;
import io.hireloop.journey.ReminderPolicy;
import io.hireloop.platform.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster singleton that fires due reminders: every {@code poll-interval} it reads the due rows of
 * {@code reminders_due}, asks each user's JobSeeker entity to {@link JobSeeker.FireReminder} (the entity
 * decides, persists and publishes), and deletes the rows the entity settled. A row whose ask failed stays
 * for the next poll, so a reminder survives restarts and rebalancing; the entity's event id makes a second
 * firing a duplicate. One poll at a time; its messages never leave the node (not serialized).
 */
public final class ReminderScheduler {
  private static final Logger log = LoggerFactory.getLogger(ReminderScheduler.class);
  /** Buckets whose end is older than this and that hold no row are dropped from the index (projection writes land later). */
  static final Duration BUCKET_GRACE = Duration.ofMinutes(2);
  static final int ROWS_PER_BUCKET = 1000;

  sealed interface Msg {}

  private enum Tick implements Msg { INSTANCE }

  private record Polled(int fired, Throwable error) implements Msg {}

  private final ReminderTable table;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final int parallelism;
  private final Supplier<Instant> clock;
  private final Supplier<ReminderPolicy> policy;

  ReminderScheduler(ReminderTable table, ClusterSharding sharding, Duration askTimeout, int parallelism, Supplier<Instant> clock,
      Supplier<ReminderPolicy> policy) {
    this.table = table;
    this.sharding = sharding;
    this.askTimeout = askTimeout;
    this.parallelism = parallelism;
    this.clock = clock;
    this.policy = policy;
  }

  static ActorRef<Msg> initSingleton(ActorSystem<?> system, ReminderScheduler scheduler, Duration interval) {
    return ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(scheduler.behavior(interval)).onFailure(SupervisorStrategy.restart()), "reminder-scheduler"));
  }

  Behavior<Msg> behavior(Duration interval) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, interval);
      return idle(ctx);
    }));
  }

  private Behavior<Msg> idle(ActorContext<Msg> ctx) {
    return Behaviors.receive(Msg.class)
        .onMessageEquals(Tick.INSTANCE, () -> {
          ctx.pipeToSelf(pollOnce(), (n, e) -> new Polled(n == null ? 0 : n, e));
          return polling(ctx);
        })
        .onMessage(Polled.class, p -> Behaviors.same())
        .build();
  }

  private Behavior<Msg> polling(ActorContext<Msg> ctx) {
    return Behaviors.receive(Msg.class)
        .onMessageEquals(Tick.INSTANCE, Behaviors::same) // the previous poll is still running
        .onMessage(Polled.class, p -> {
          if (p.error() != null) log.warn("reminder poll failed; retrying at the next tick", p.error());
          return idle(ctx);
        })
        .build();
  }

  /** Fires every due row once; answers how many reminders were sent. */
  CompletionStage<Integer> pollOnce() {
    var now = clock.get();
    return table.bucketsUpTo(now).thenCompose(buckets -> {
      CompletionStage<Integer> chain = CompletableFuture.completedFuture(0);
      for (var bucket : buckets) chain = chain.thenCompose(sent -> drain(bucket, now).thenApply(n -> sent + n));
      return chain;
    });
  }

  private CompletionStage<Integer> drain(Instant bucket, Instant now) {
    return table.dueIn(bucket, now, ROWS_PER_BUCKET).thenCompose(rows -> {
      if (rows.isEmpty()) return forgetIfDrained(bucket, now).thenApply(d -> 0);
      CompletionStage<Integer> chain = CompletableFuture.completedFuture(0);
      for (int from = 0; from < rows.size(); from += parallelism) {
        var slice = rows.subList(from, Math.min(rows.size(), from + parallelism));
        chain = chain.thenCompose(sent -> fireAll(slice, now).thenApply(n -> sent + n));
      }
      return chain;
    });
  }

  private CompletionStage<Done> forgetIfDrained(Instant bucket, Instant now) {
    if (table.bucketEnd(bucket).isAfter(now.minus(BUCKET_GRACE))) return CompletableFuture.completedFuture(Done.getInstance());
    return table.bucketEmpty(bucket).thenCompose(empty -> empty ? table.deleteBucket(bucket) : CompletableFuture.completedFuture(Done.getInstance()));
  }

  private CompletionStage<Integer> fireAll(List<ReminderTable.Row> rows, Instant now) {
    var futures = new ArrayList<CompletableFuture<Integer>>();
    for (var row : rows) futures.add(fire(row, now).toCompletableFuture());
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(v -> futures.stream().mapToInt(CompletableFuture::join).sum());
  }

  /**
   * A reminder the entity found not due yet: the live schedule moved it later. A row that knows its application's time
   * moves to the new due time; an older row stays and is asked again at the next poll.
   */
  private CompletionStage<Done> movedToDue(ReminderTable.Row row, Instant now) {
    if (row.appliedAt() == null || !policy.get().validStep(row.step())) return CompletableFuture.completedFuture(Done.getInstance());
    var due = policy.get().due(row.appliedAt(), row.step());
    if (!due.isAfter(now)) return CompletableFuture.completedFuture(Done.getInstance());
    return table.insert(row.userId(), row.applicationId(), row.step(), due, due, row.appliedAt()).thenCompose(d -> table.delete(row));
  }

  /** 1 when sent. A failed ask leaves the row for the next poll. */
  private CompletionStage<Integer> fire(ReminderTable.Row row, Instant now) {
    return sharding.entityRefFor(JobSeeker.ENTITY_KEY, row.userId())
        .<ReminderOutcome>ask(r -> new JobSeeker.FireReminder(row.applicationId(), row.step(), now, r), askTimeout)
        .thenCompose(outcome -> {
          Metrics.REMINDERS.labels(outcome.status()).inc();
          if (!outcome.settled()) return movedToDue(row, now).thenApply(d -> 0);
          return table.delete(row).thenApply(d -> outcome.status().equals(ReminderOutcome.SENT) ? 1 : 0);
        })
        .exceptionally(e -> {
          log.debug("reminder {} of {} not fired yet: {}", row.step(), row.applicationId(), e.toString());
          return 0;
        });
  }
}
