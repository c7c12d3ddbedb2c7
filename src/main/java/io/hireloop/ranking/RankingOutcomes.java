package io.hireloop.ranking;

import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.learning.TrainingSetProjection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The outcome of a shown job, joined at evaluation time: the user applied to it ({@code APPLICATION_CREATED} with its
 * {@code job_id}, timestamped within {@code window} after the ranking was served) and that application's interview
 * label from the training-set projection. Reward 1 = applied and reached an interview; 0 = applied and labelled
 * without one, or not applied when the window has closed; unknown (pending) otherwise. An application counts for
 * every ranking that showed its job in the window before it.
 */
public final class RankingOutcomes {
  /** An application as the user's journal recorded it at creation. */
  public record Application(String applicationId, String jobId, Instant createdAt) {}

  /** @param labels application id → reached an interview, for the applications whose outcome is known */
  public record UserOutcomes(List<Application> applications, Map<String, Boolean> labels) {
    public static final UserOutcomes NONE = new UserOutcomes(List.of(), Map.of());
  }

  private final ActorSystem<?> system;
  private final TrainingSetProjection trainingSet;

  public RankingOutcomes(ActorSystem<?> system, TrainingSetProjection trainingSet) {
    this.system = system;
    this.trainingSet = trainingSet;
  }

  /** The user's applications (read from the journal: the read models keep no job ids) and their known labels. */
  public CompletionStage<UserOutcomes> of(String userId) {
    var journal = PersistenceQuery.get(system).getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    var applications = journal.currentEventsByPersistenceId(PersistenceId.of(JobSeeker.ENTITY_KEY.name(), userId).id(), 0L, Long.MAX_VALUE)
        .map(env -> env.event())
        .filter(e -> e instanceof JourneyEvent.ApplicationRecorded a && a.eventType().equals("APPLICATION_CREATED") && a.jobId() != null)
        .map(e -> {
          var a = (JourneyEvent.ApplicationRecorded) e;
          return new Application(a.applicationId(), a.jobId(), a.timestamp());
        })
        .runWith(Sink.seq(), system);
    return applications.thenCombine(trainingSet.interviewLabels(userId), UserOutcomes::new);
  }

  /**
   * The rewards of a ranking's top slots, by request index (NaN for jobs not in the top slots); empty while any of
   * them is pending.
   */
  public static Optional<double[]> rewards(RankingLog.LoggedRanking ranking, UserOutcomes outcomes, Duration window, Instant now) {
    var out = new double[ranking.jobs().size()];
    java.util.Arrays.fill(out, Double.NaN);
    boolean closed = !now.isBefore(ranking.loggedAt().plus(window));
    int slots = ranking.slots();
    for (int i = 0; i < out.length; i++) {
      var job = ranking.jobs().get(i);
      if (job.position() > slots) continue;
      var applied = outcomes.applications().stream()
          .filter(a -> a.jobId().equals(job.jobId()) && !a.createdAt().isBefore(ranking.loggedAt())
              && !a.createdAt().isAfter(ranking.loggedAt().plus(window)))
          .toList();
      if (applied.isEmpty()) {
        if (!closed) return Optional.empty();
        out[i] = 0;
        continue;
      }
      // several applications to one job in the window: an interview on any of them counts; pending while one is open
      boolean interview = false, open = false;
      for (var a : applied) {
        var label = outcomes.labels().get(a.applicationId());
        if (label == null) open = true;
        else if (label) interview = true;
      }
      if (interview) out[i] = 1;
      else if (open) return Optional.empty();
      else out[i] = 0;
    }
    return Optional.of(out);
  }
}
