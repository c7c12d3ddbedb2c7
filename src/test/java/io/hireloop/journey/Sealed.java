package io.hireloop.journey;

import io.hireloop.privacy.Sealing;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * What the entity stored, opened: the testkits show the journal's and snapshot store's representation, which for a
 * JobSeeker is sealed with the user's key (io.hireloop.privacy.Sealing).
 */
final class Sealed {
  private Sealed() {}

  static Object open(ActorSystem<?> system, Object stored) {
    return stored instanceof Sealing.SealedEvent sealed ? Sealing.get(system).open(sealed) : stored;
  }

  static List<Object> open(ActorSystem<?> system, List<?> stored) {
    return stored.stream().map(o -> open(system, o)).toList();
  }

  static JobSeeker.State state(ActorSystem<?> system, Object stored) {
    return (JobSeeker.State) (stored instanceof Sealing.SealedSnapshot sealed ? Sealing.get(system).open(sealed).orElseThrow() : stored);
  }
}
