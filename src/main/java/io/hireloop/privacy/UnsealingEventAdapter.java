package io.hireloop.privacy;

import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.journal.EventAdapter;
import org.apache.pekko.persistence.journal.EventSeq;

/**
 * The journal plugin's read-side adapter (persistence.conf, bound to {@link Sealing.SealedEvent}): every reader of the
 * journal — entity recovery, the read-side pass, rebuilds, GET /events, the export — gets the opened event, or a
 * {@code Shredded} tombstone once the user's key is destroyed. Writes pass through: the JobSeeker entity seals its events
 * itself, because only it knows whose they are.
 */
public final class UnsealingEventAdapter implements EventAdapter {
  private final ExtendedActorSystem system;
  private volatile Sealing sealing;

  public UnsealingEventAdapter(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public String manifest(Object event) {
    return "";
  }

  @Override
  public Object toJournal(Object event) {
    return event;
  }

  @Override
  public EventSeq fromJournal(Object event, String manifest) {
    if (!(event instanceof Sealing.SealedEvent sealed)) return EventSeq.single(event);
    var s = sealing;
    if (s == null) sealing = s = Sealing.get(Adapter.toTyped(system));
    return EventSeq.single(s.open(sealed));
  }
}
