package io.hireloop.journey;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.NoOffset;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The events of one journey slice's users, in journal order: first what they wrote under each earlier slice
 * count ({@link JourneySlices#earlierTags}: finite queries, only this slice's users kept), then the slice's own
 * tag, live. All events of earlier counts were written before the switch to the current count (the cluster
 * restarts to change it), so they come before every event of the own tag and one offset serves both parts: the
 * live part starts from the later of the stored offset and the last event the earlier part gave.
 */
public final class SliceSource extends SourceProvider<Offset, EventEnvelope<JourneyEvent>> {
  private final JourneySlices slices;
  private final int slice;
  private final CassandraReadJournal journal;

  public SliceSource(ActorSystem<?> system, JourneySlices slices, int slice) {
    this.slices = slices;
    this.slice = slice;
    this.journal = PersistenceQuery.get(system).getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
  }

  public int slice() {
    return slice;
  }

  public String tag() {
    return JourneySlices.tag(slice);
  }

  @Override
  public CompletionStage<Source<EventEnvelope<JourneyEvent>, NotUsed>> source(Supplier<CompletionStage<Optional<Offset>>> offset) {
    return offset.get().thenApply(stored -> {
      var from = stored.orElse(NoOffset.getInstance());
      var last = new AtomicReference<Offset>(from);
      return earlier(from)
          .map(env -> {
            last.set(env.offset());
            return env;
          })
          .concatLazy(Source.lazySource(() -> mine(journal.eventsByTag(tag(), last.get()))))
          .mapMaterializedValue(m -> NotUsed.getInstance());
    });
  }

  /** What the slice holds now (written at least the consistency delay ago), after {@code from}: finite. */
  public Source<EventEnvelope<JourneyEvent>, NotUsed> current(Offset from) {
    return earlier(from).concat(mine(journal.currentEventsByTag(tag(), from)));
  }

  private Source<EventEnvelope<JourneyEvent>, NotUsed> earlier(Offset from) {
    Source<EventEnvelope<JourneyEvent>, NotUsed> all = Source.empty();
    for (var tag : slices.earlierTags(slice)) all = all.concat(mine(journal.currentEventsByTag(tag, from)));
    return all;
  }

  /**
   * Only this slice's users: a tag named like an earlier count's slice also holds other slices' old events. An erased
   * user's events (tombstones, and USER_ERASED itself) reach no read model: erasure deletes the user's rows, and a
   * rebuild derives none.
   */
  private Source<EventEnvelope<JourneyEvent>, NotUsed> mine(Source<org.apache.pekko.persistence.query.EventEnvelope, NotUsed> events) {
    var filter = !slices.earlier().isEmpty();
    return events
        .filter(e -> !filter || slices.sliceOf(JobSeeker.userIdOf(e.persistenceId())) == slice)
        .filter(e -> !(e.event() instanceof JourneyEvent.Shredded || e.event() instanceof JourneyEvent.UserErased))
        .map(e -> EventEnvelope.create(e.offset(), e.persistenceId(), e.sequenceNr(), (JourneyEvent) e.event(), e.timestamp()));
  }

  @Override
  public Offset extractOffset(EventEnvelope<JourneyEvent> envelope) {
    return envelope.offset();
  }

  @Override
  public long extractCreationTime(EventEnvelope<JourneyEvent> envelope) {
    return envelope.timestamp();
  }
}
