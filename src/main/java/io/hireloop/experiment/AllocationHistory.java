package io.hireloop.experiment;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * An experiment's weight changes with their exact times and weights, read from its journal (the entity's
 * state keeps only the current weights; its history lines keep rounded percentages). Used by the
 * sample-ratio check of {@code thompson} experiments ({@link ExpectedShares#timeline}).
 */
final class AllocationHistory {
  private AllocationHistory() {}

  static CompletionStage<List<ExpectedShares.Change>> changes(ActorSystem<?> system, Experiment.Spec spec) {
    if (!"thompson".equals(spec.allocationMode())) return CompletableFuture.completedFuture(List.of());
    var journal = PersistenceQuery.get(system).getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    String pid = PersistenceId.of(Experiment.ENTITY_KEY.name(), spec.experimentId()).id();
    return journal.currentEventsByPersistenceId(pid, 0L, Long.MAX_VALUE)
        .map(EventEnvelope::event)
        .filter(e -> e instanceof Experiment.AllocationChanged)
        .map(e -> {
          var c = (Experiment.AllocationChanged) e;
          return new ExpectedShares.Change(c.at(), c.weights());
        })
        .runWith(Sink.seq(), system);
  }
}
