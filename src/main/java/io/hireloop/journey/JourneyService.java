package io.hireloop.journey;

import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.journey.IngestParser.Item;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The journey's domain calls for the API: batch ingest across users and journal reads.
 *
 * <p>A batch is checked by every user's entity first ({@link JobSeeker.Validate}) and written only if no
 * event anywhere in it is invalid, so a bad event never leaves half a batch behind. The write
 * ({@link JobSeeker.Record}) validates again inside the entity; only a concurrent request for the same
 * user between the two steps can make it fail, and then the reply says which events were stored. A
 * batch of one user skips the first step: its Record is all-or-nothing by itself.
 */
public final class JourneyService {
  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration askTimeout;

  public JourneyService(ActorSystem<?> system, Duration askTimeout) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  /** Outcome of an ingest: results in request order, or problems (conflict = 409 rather than 400). */
  public record IngestOutcome(List<JobSeeker.Result> results, List<FieldProblem> problems, boolean conflict) {
    /** Every problem is an event for an erased user. */
    public boolean gone() {
      return !problems.isEmpty() && problems.stream().allMatch(p -> p.problem().equals(JobSeeker.Problem.ERASED));
    }
  }

  public CompletionStage<IngestOutcome> ingest(List<Item> items) {
    return ingest(items, askTimeout);
  }

  /** {@link #ingest(List)} with each entity asked for at most {@code timeout} (what is left of a request's time). */
  public CompletionStage<IngestOutcome> ingest(List<Item> items, Duration timeout) {
    var byUser = new LinkedHashMap<String, List<Item>>();
    for (var item : items) byUser.computeIfAbsent(item.userId(), u -> new ArrayList<>()).add(item);
    var now = Instant.now();
    // one user: the entity's Record validates and writes atomically, no separate check needed
    CompletionStage<List<JobSeeker.Verdict>> checked = byUser.size() == 1
        ? CompletableFuture.completedFuture(List.of(new JobSeeker.Verdict(List.of(), List.of())))
        : askAll(byUser, now, true, timeout);
    return checked.thenCompose(checks -> {
      var problems = problemsOf(byUser, checks);
      if (!problems.problems().isEmpty()) return CompletableFuture.completedFuture(problems);
      return askAll(byUser, now, false, timeout).thenApply(written -> {
        var late = problemsOf(byUser, written);
        if (!late.problems().isEmpty()) return late;
        var results = new JobSeeker.Result[items.size()];
        int u = 0;
        for (var entry : byUser.entrySet()) {
          var verdict = written.get(u++);
          for (int i = 0; i < entry.getValue().size(); i++) {
            results[entry.getValue().get(i).index()] = verdict.results().get(i);
          }
        }
        return new IngestOutcome(List.of(results), List.of(), false);
      });
    });
  }

  private CompletionStage<List<JobSeeker.Verdict>> askAll(Map<String, List<Item>> byUser, Instant now, boolean dryRun,
      Duration askTimeout) {
    var futures = new ArrayList<CompletableFuture<JobSeeker.Verdict>>();
    for (var entry : byUser.entrySet()) {
      var events = entry.getValue().stream().map(Item::event).toList();
      var ref = sharding.entityRefFor(JobSeeker.ENTITY_KEY, entry.getKey());
      CompletionStage<JobSeeker.Verdict> reply = dryRun
          ? ref.ask(r -> new JobSeeker.Validate(events, now, r), askTimeout)
          : ref.ask(r -> new JobSeeker.Record(events, now, r), askTimeout);
      futures.add(reply.toCompletableFuture());
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
  }

  private static IngestOutcome problemsOf(Map<String, List<Item>> byUser, List<JobSeeker.Verdict> verdicts) {
    var problems = new ArrayList<FieldProblem>();
    boolean conflict = true;
    int u = 0;
    for (var entry : byUser.entrySet()) {
      for (var p : verdicts.get(u++).problems()) {
        int index = entry.getValue().get(p.index()).index();
        problems.add(new FieldProblem("events[" + index + "]." + p.field(), p.problem()));
        conflict &= p.conflict();
      }
    }
    return new IngestOutcome(List.of(), problems, !problems.isEmpty() && conflict);
  }

  /** One page of a user's journal, oldest first. */
  public record Page(List<Map<String, Object>> events, long nextAfterSeq) {}

  /**
   * The user's current profile: the newest {@code PROFILE_UPDATED} of the journal ({@code Profile.EMPTY} when there is
   * none), with the time it was set (null when none). Reads the user's journal: a profile is read rarely (onboarding,
   * advice), and the journal is its one copy.
   */
  public CompletionStage<ProfileAt> profile(String userId) {
    var journal = PersistenceQuery.get(system).getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    var pid = PersistenceId.of(JobSeeker.ENTITY_KEY.name(), userId).id();
    return journal.currentEventsByPersistenceId(pid, 0L, Long.MAX_VALUE)
        .filter(env -> env.event() instanceof JourneyEvent.ProfileUpdated)
        .map(env -> (JourneyEvent.ProfileUpdated) env.event())
        .runWith(Sink.fold(new ProfileAt(Domain.Profile.EMPTY, null), (acc, p) -> new ProfileAt(p.profile(), p.timestamp())), system);
  }

  public record ProfileAt(Domain.Profile profile, java.time.Instant updatedAt) {}

  public CompletionStage<Page> events(String userId, long afterSeq, int limit) {
    var journal = PersistenceQuery.get(system).getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    var pid = PersistenceId.of(JobSeeker.ENTITY_KEY.name(), userId).id();
    return journal.currentEventsByPersistenceId(pid, afterSeq + 1, Long.MAX_VALUE)
        .take(limit)
        .map(env -> EventJson.render(env.sequenceNr(), userId, (JourneyEvent) env.event()))
        .runWith(Sink.seq(), system)
        .thenApply(list -> new Page(list, list.isEmpty() ? afterSeq : (long) list.get(list.size() - 1).get("seq_nr")));
  }
}
