package io.hireloop.privacy;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyService;
import io.hireloop.platform.ReadModelStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.Patterns;

/**
 * Erasure of one user by crypto-shredding (DELETE /api/v1/users/{id}), as a durable job: its public record is the row
 * of {@code erasure_log}, its progress the user's row of {@code erasure_pending} (at most one unfinished job per user),
 * and the {@link ErasureRunner} (a cluster singleton) runs it, resuming every unfinished job when it starts (after a
 * crash or a failover) and retrying failed ones. The steps ({@link Step}), each recorded when done:
 * <ol>
 *   <li>{@code facts_read}: which weeks and experiments the user has rows under (the read models are keyed by them),
 *       read from the journal and kept in the pending row: once the key is gone the journal cannot tell them again;
 *   <li>{@code entity_erased}: the user's entity records {@code USER_ERASED} (unsealed, nothing personal) and answers as
 *       erased from then on;
 *   <li>{@code key_destroyed}: the user's data key is destroyed: every earlier event and snapshot is unreadable for
 *       good, and reads as a tombstone; every node is told to forget the key at once ({@link UserKeys});
 *   <li>{@code first_sweep}: every read-model row of the user is deleted ({@link PersonalData#erase}), training examples
 *       included;
 *   <li>{@code second_sweep}: {@code erasure-settle} after the key was destroyed (the key-cache TTL, after which even a
 *       node that missed the notice can no longer open the user's events, plus the journal's consistency delay) the
 *       rows are deleted once more: a projection may still have derived a row from an event it opened before the key
 *       was gone. The job is then completed and its pending row deleted.
 * </ol>
 * Every step is idempotent, so a step redone after a crash (done but not yet recorded) or by two runners at a handover
 * changes nothing more.
 */
public final class Erasure {
  public enum Status { RUNNING, COMPLETED, FAILED }

  /** The job's steps in order; a job records the last one done and a resumed job goes on with the next. */
  public enum Step {
    REQUESTED, FACTS_READ, ENTITY_ERASED, KEY_DESTROYED, FIRST_SWEEP, SECOND_SWEEP;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One erasure job as recorded; {@code finishedAt} null while running, {@code rowsDeleted} the rows deleted so far,
   * {@code error} the reason of the last failed attempt (the runner retries it).
   */
  public record Job(String jobId, String userId, String requestedBy, Status status, Step step, Instant requestedAt,
      Instant finishedAt, Integer rowsDeleted, String error) {}

  /**
   * An unfinished job's progress, as kept in {@code erasure_pending}: {@code facts} once read, {@code erasedAt} once the
   * entity recorded the erasure, {@code keyDestroyedAt} once the key is gone (the second sweep is due
   * {@code erasure-settle} after it).
   */
  record Pending(String userId, String jobId, String requestedBy, Instant requestedAt, Step step, PersonalData.JournalFacts facts,
      Instant erasedAt, Instant keyDestroyedAt, int rowsDeleted) {
    Job job(Status status, Instant finishedAt, String error) {
      return new Job(jobId, userId, requestedBy, status, step, requestedAt, finishedAt, rowsDeleted, error);
    }
  }

  /** How a run of a job ended, when it did not fail. */
  enum Outcome { COMPLETED, STOPPED }

  /** erasure_pending is one partition: it only ever holds the jobs in progress. */
  private static final int SHARD = 0;

  private final ActorSystem<?> system;
  private final JourneyService journey;
  private final PersonalData personalData;
  private final ReadModelStore store;
  private final UserKeys keys;
  private final Duration askTimeout;
  private final Duration settle;
  /** Test seam: a job stops (as if its node had died) once this step is recorded; empty in production. */
  private final Optional<Step> haltAfter;
  private volatile ActorRef<ErasureRunner.Msg> runner;

  Erasure(ActorSystem<?> system, JourneyService journey, PersonalData personalData, ReadModelStore store, Duration askTimeout) {
    this.system = system;
    this.journey = journey;
    this.personalData = personalData;
    this.store = store;
    this.keys = UserKeys.get(system);
    this.askTimeout = askTimeout;
    var config = system.settings().config().getConfig(UserKeys.CONFIG);
    this.settle = config.getDuration("erasure-settle");
    var halt = config.getString("erasure-halt-after");
    this.haltAfter = halt.isEmpty() ? Optional.empty() : Optional.of(Step.valueOf(halt.toUpperCase(Locale.ROOT)));
  }

  /** The node's erasure service, and the cluster's erasure runner (started on the oldest node, proxied from here). */
  public static Erasure init(ActorSystem<?> system, JourneyService journey, PersonalData personalData, ReadModelStore store,
      Duration askTimeout) {
    var erasure = new Erasure(system, journey, personalData, store, askTimeout);
    erasure.runner = ErasureRunner.initSingleton(system, erasure,
        system.settings().config().getDuration(UserKeys.CONFIG + ".erasure-resume-every"));
    return erasure;
  }

  /**
   * Records a job and hands it to the runner; answers once it is recorded (the work goes on in the background). While
   * the user has an unfinished job, that job is answered instead (and a failed one is retried at once): a user has at
   * most one job in progress.
   */
  public CompletionStage<Job> start(String userId, String requestedBy) {
    var fresh = new Pending(userId, UUID.randomUUID().toString(), requestedBy, Instant.now(), Step.REQUESTED, null, null, null, 0);
    return claim(fresh).thenCompose(claimed -> {
      var job = claimed.job(Status.RUNNING, null, null);
      return write(job).thenApply(d -> {
        runner.tell(new ErasureRunner.Run(userId));
        return job;
      });
    });
  }

  /** The user's newest job, if any. */
  public CompletionStage<Optional<Job>> latest(String userId) {
    return store.session().selectAll("SELECT job_id, user_id, requested_by, status, step, requested_at, finished_at, rows_deleted, error FROM "
            + store.table("erasure_log") + " WHERE user_id = ?", userId)
        .thenApply(rows -> rows.stream().map(Erasure::job).max(Comparator.comparing(Job::requestedAt)));
  }

  private static Job job(Row r) {
    var status = Status.valueOf(r.getString("status"));
    var step = r.getString("step");
    return new Job(r.getString("job_id"), r.getString("user_id"), r.getString("requested_by"), status,
        // rows written before steps were recorded: a completed one did them all
        step != null ? Step.valueOf(step) : status == Status.COMPLETED ? Step.SECOND_SWEEP : Step.REQUESTED,
        r.getInstant("requested_at"), r.getInstant("finished_at"), r.isNull("rows_deleted") ? null : r.getInt("rows_deleted"),
        r.getString("error"));
  }

  /** Every unfinished job. */
  CompletionStage<List<Pending>> pending() {
    return store.session().selectAll(PENDING_COLUMNS + store.table("erasure_pending") + " WHERE shard = ?", SHARD)
        .thenApply(rows -> rows.stream().map(Erasure::pending).toList());
  }

  /** The user's unfinished job, if any. */
  CompletionStage<Optional<Pending>> pending(String userId) {
    return store.session().selectOne(PENDING_COLUMNS + store.table("erasure_pending") + " WHERE shard = ? AND user_id = ?", SHARD, userId)
        .thenApply(row -> row.map(Erasure::pending));
  }

  private static final String PENDING_COLUMNS = "SELECT user_id, job_id, requested_by, requested_at, step, experiment_ids, weeks, "
      + "erased_at, key_destroyed_at, rows_deleted FROM ";

  private static Pending pending(Row r) {
    var step = Step.valueOf(r.getString("step"));
    var facts = step.compareTo(Step.FACTS_READ) < 0 ? null
        : new PersonalData.JournalFacts(Set.copyOf(r.getSet("experiment_ids", String.class)), Set.copyOf(r.getSet("weeks", LocalDate.class)));
    return new Pending(r.getString("user_id"), r.getString("job_id"), r.getString("requested_by"), r.getInstant("requested_at"), step,
        facts, r.getInstant("erased_at"), r.getInstant("key_destroyed_at"), r.isNull("rows_deleted") ? 0 : r.getInt("rows_deleted"));
  }

  /**
   * Runs the job from its last recorded step to the end; {@code stopped} is asked before each step (a runner that is no
   * longer the singleton stops, its successor resumes). A failure is recorded on the job ({@code failed}, with the
   * reason) and fails the stage; the pending row stays for the next attempt.
   */
  CompletionStage<Outcome> resume(Pending job, BooleanSupplier stopped) {
    return write(job.job(Status.RUNNING, null, null)).thenCompose(d -> advance(job, stopped)).<CompletionStage<Outcome>>handle((outcome, failure) -> {
      if (failure == null) return CompletableFuture.completedFuture(outcome);
      var cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      system.log().warn("erasure job {} of {} failed: {}", job.jobId(), job.userId(), cause.toString());
      return pending(job.userId())
          .thenCompose(now -> write(now.orElse(job).job(Status.FAILED, Instant.now(), cause.toString())))
          .<Outcome>thenApply(w -> {
            throw new CompletionException(cause);
          });
    }).thenCompose(s -> s);
  }

  private CompletionStage<Outcome> advance(Pending job, BooleanSupplier stopped) {
    if (job.step() == Step.SECOND_SWEEP) return CompletableFuture.completedFuture(Outcome.COMPLETED);
    if (stopped.getAsBoolean() || haltAfter.equals(Optional.of(job.step()))) {
      return CompletableFuture.completedFuture(Outcome.STOPPED);
    }
    return next(job).thenCompose(done -> record(done).thenCompose(d -> advance(done, stopped)));
  }

  /** Does the step after {@code job.step()}; answers the progress with it done (not yet recorded). */
  private CompletionStage<Pending> next(Pending job) {
    var userId = job.userId();
    return switch (job.step()) {
      case REQUESTED -> facts(userId).thenApply(facts -> new Pending(userId, job.jobId(), job.requestedBy(), job.requestedAt(),
          Step.FACTS_READ, facts, null, null, job.rowsDeleted()));
      case FACTS_READ -> ClusterSharding.get(system).entityRefFor(JobSeeker.ENTITY_KEY, userId)
          .<JobSeeker.Erased>ask(r -> new JobSeeker.Erase(job.jobId(), Instant.now(), r), askTimeout)
          .thenApply(erased -> new Pending(userId, job.jobId(), job.requestedBy(), job.requestedAt(), Step.ENTITY_ERASED,
              job.facts(), erased.erasedAt(), null, job.rowsDeleted()));
      case ENTITY_ERASED -> keys.destroy(userId, job.erasedAt()).thenApply(d -> new Pending(userId, job.jobId(), job.requestedBy(),
          job.requestedAt(), Step.KEY_DESTROYED, job.facts(), job.erasedAt(), Instant.now(), job.rowsDeleted()));
      case KEY_DESTROYED -> sweep(job, Step.FIRST_SWEEP);
      case FIRST_SWEEP -> {
        var wait = Duration.between(Instant.now(), job.keyDestroyedAt().plus(settle));
        yield Patterns.after(wait.isNegative() ? Duration.ZERO : wait, system.classicSystem().scheduler(), system.executionContext(),
            () -> sweep(job, Step.SECOND_SWEEP));
      }
      case SECOND_SWEEP -> CompletableFuture.completedFuture(job);
    };
  }

  private CompletionStage<Pending> sweep(Pending job, Step done) {
    return personalData.erase(job.userId(), job.facts()).thenApply(rows -> new Pending(job.userId(), job.jobId(), job.requestedBy(),
        job.requestedAt(), done, job.facts(), job.erasedAt(), job.keyDestroyedAt(), job.rowsDeleted() + rows));
  }

  /** The weeks and experiments the user's read-model rows are keyed by, from the journal (before the key is gone). */
  private CompletionStage<PersonalData.JournalFacts> facts(String userId) {
    var experiments = ConcurrentHashMap.<String>newKeySet();
    var weeks = ConcurrentHashMap.<LocalDate>newKeySet();
    return page(userId, 0, experiments, weeks).thenApply(d -> new PersonalData.JournalFacts(Set.copyOf(experiments), Set.copyOf(weeks)));
  }

  private CompletionStage<Void> page(String userId, long after, Set<String> experiments, Set<LocalDate> weeks) {
    return journey.events(userId, after, UserExport.PAGE).thenCompose(page -> {
      if (page.events().isEmpty()) return CompletableFuture.completedFuture(null);
      for (Map<String, Object> event : page.events()) UserExport.facts(event, experiments, weeks);
      return page(userId, page.nextAfterSeq(), experiments, weeks);
    });
  }

  /**
   * The user's pending row for {@code fresh}, unless they have one already (a lightweight transaction: two requests at
   * once never make two jobs); answers the job that holds the row.
   */
  private CompletionStage<Pending> claim(Pending fresh) {
    var insert = SimpleStatement.newInstance("INSERT INTO " + store.table("erasure_pending")
            + " (shard, user_id, job_id, requested_by, requested_at, step, rows_deleted) VALUES (?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS",
        SHARD, fresh.userId(), fresh.jobId(), fresh.requestedBy(), fresh.requestedAt(), fresh.step().name(), 0);
    return store.session().underlying().thenCompose(s -> s.executeAsync(insert)).thenCompose(rs -> {
      if (rs.wasApplied()) return CompletableFuture.completedFuture(fresh);
      // the LWT's answer holds the existing row; read it whole, through the same path as the runner
      return pending(fresh.userId()).thenApply(existing -> existing.orElse(fresh));
    });
  }

  /** Records a step done: the progress first, then the public record (a resumed job rewrites a lagging one). */
  private CompletionStage<Void> record(Pending done) {
    if (done.step() == Step.SECOND_SWEEP) {
      return write(done.job(Status.COMPLETED, Instant.now(), null)).thenCompose(d -> store.session().executeWrite(
          "DELETE FROM " + store.table("erasure_pending") + " WHERE shard = ? AND user_id = ?", SHARD, done.userId())).thenApply(d -> null);
    }
    var facts = done.facts();
    return store.session().executeWrite("UPDATE " + store.table("erasure_pending")
                + " SET step = ?, experiment_ids = ?, weeks = ?, erased_at = ?, key_destroyed_at = ?, rows_deleted = ? WHERE shard = ? AND user_id = ?",
            done.step().name(), facts == null ? Set.of() : facts.experimentIds(), facts == null ? Set.of() : facts.weeks(), done.erasedAt(),
            done.keyDestroyedAt(), done.rowsDeleted(), SHARD, done.userId())
        .thenCompose(d -> write(done.job(Status.RUNNING, null, null)));
  }

  private CompletionStage<Void> write(Job job) {
    return store.session().executeWrite("INSERT INTO " + store.table("erasure_log")
            + " (user_id, job_id, requested_by, status, step, requested_at, finished_at, rows_deleted, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        job.userId(), job.jobId(), job.requestedBy(), job.status().name(), job.step().name(), job.requestedAt(), job.finishedAt(),
        job.rowsDeleted(), job.error()).thenApply(d -> null);
  }
}
