package io.hireloop.privacy;

import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyService;
import io.hireloop.platform.ReadModelStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Erasure of one user by crypto-shredding (DELETE /api/v1/users/{id}), as a job recorded in {@code erasure_log}:
 * <ol>
 *   <li>read from the journal which weeks and experiments the user has rows under (the read models are keyed by them);
 *   <li>the user's entity records {@code USER_ERASED} (unsealed, nothing personal) and answers as erased from then on;
 *   <li>the user's data key is destroyed: every earlier event and snapshot is unreadable for good, and reads as a tombstone;
 *   <li>every read-model row of the user is deleted ({@link PersonalData#erase}), training examples included;
 *   <li>after {@code erasure-settle} (the key-cache TTL, after which no node can open the user's events, plus the
 *       journal's consistency delay) the rows are deleted once more: a projection may still have derived a row from an
 *       event it opened before the key was gone.
 * </ol>
 * Every step is idempotent, so a failed job (status {@code failed}, with the reason) is finished by asking again.
 */
public final class Erasure {
  public enum Status { RUNNING, COMPLETED, FAILED }

  /** One erasure job as recorded; {@code finishedAt}, {@code rowsDeleted} and {@code error} null while running. */
  public record Job(String jobId, String userId, String requestedBy, Status status, Instant requestedAt, Instant finishedAt,
      Integer rowsDeleted, String error) {}

  private final ActorSystem<?> system;
  private final JourneyService journey;
  private final PersonalData personalData;
  private final ReadModelStore store;
  private final UserKeys keys;
  private final Duration askTimeout;
  private final Duration settle;

  public Erasure(ActorSystem<?> system, JourneyService journey, PersonalData personalData, ReadModelStore store,
      Duration askTimeout) {
    this.system = system;
    this.journey = journey;
    this.personalData = personalData;
    this.store = store;
    this.keys = UserKeys.get(system);
    this.askTimeout = askTimeout;
    this.settle = system.settings().config().getDuration(UserKeys.CONFIG + ".erasure-settle");
  }

  /** Records the job and starts it; answers once the job is recorded (the work goes on in the background). */
  public CompletionStage<Job> start(String userId, String requestedBy) {
    var job = new Job(UUID.randomUUID().toString(), userId, requestedBy, Status.RUNNING, Instant.now(), null, null, null);
    return write(job).thenApply(d -> {
      run(job).whenComplete((done, failure) -> {
        if (failure != null) {
          var cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
          system.log().warn("erasure job {} failed: {}", job.jobId(), cause.toString());
          write(finished(job, Status.FAILED, null, cause.toString()));
        }
      });
      return job;
    });
  }

  /** The user's newest job, if any. */
  public CompletionStage<Optional<Job>> latest(String userId) {
    return store.session().selectAll("SELECT job_id, user_id, requested_by, status, requested_at, finished_at, rows_deleted, error FROM "
            + store.table("erasure_log") + " WHERE user_id = ?", userId)
        .thenApply(rows -> rows.stream().map(r -> new Job(r.getString("job_id"), r.getString("user_id"), r.getString("requested_by"),
                Status.valueOf(r.getString("status")), r.getInstant("requested_at"), r.getInstant("finished_at"),
                r.isNull("rows_deleted") ? null : r.getInt("rows_deleted"), r.getString("error")))
            .max(Comparator.comparing(Job::requestedAt)));
  }

  private CompletionStage<Job> run(Job job) {
    var userId = job.userId();
    return facts(userId).thenCompose(facts -> ClusterSharding.get(system).entityRefFor(JobSeeker.ENTITY_KEY, userId)
        .<JobSeeker.Erased>ask(r -> new JobSeeker.Erase(job.jobId(), Instant.now(), r), askTimeout)
        .thenCompose(erased -> keys.destroy(userId, erased.erasedAt()))
        .thenCompose(d -> personalData.erase(userId, facts))
        .thenCompose(first -> org.apache.pekko.pattern.Patterns.after(settle, system.classicSystem().scheduler(),
                system.executionContext(), () -> personalData.erase(userId, facts))
            .thenApply(second -> first + second)))
        .thenCompose(rows -> {
          var done = finished(job, Status.COMPLETED, rows, null);
          return write(done).thenApply(d -> done);
        });
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

  private static Job finished(Job job, Status status, Integer rows, String error) {
    return new Job(job.jobId(), job.userId(), job.requestedBy(), status, job.requestedAt(), Instant.now(), rows, error);
  }

  private CompletionStage<Void> write(Job job) {
    return store.session().executeWrite("INSERT INTO " + store.table("erasure_log")
            + " (user_id, job_id, requested_by, status, requested_at, finished_at, rows_deleted, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        job.userId(), job.jobId(), job.requestedBy(), job.status().name(), job.requestedAt(), job.finishedAt(), job.rowsDeleted(),
        job.error()).thenApply(d -> null);
  }
}
