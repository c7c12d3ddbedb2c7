package io.hireloop.privacy;

import io.hireloop.journey.JourneyEvent;
import io.hireloop.platform.serialization.HireloopSerializable;
import io.hireloop.platform.serialization.KryoSerializer;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A user's journal events and snapshots as stored: the Kryo bytes of the event (or state) sealed with the user's data
 * key ({@link UserKeys}, AES-GCM, bound to the user id). Only the user id stays readable, the key the rows are found by
 * anyway (it is the persistence id). Once the key is destroyed, a sealed event opens as {@link JourneyEvent.Shredded}
 * and a sealed snapshot as nothing, so recovery and every replay see a tombstone instead of failing.
 */
public final class Sealing {
  /** RELEASED (Kryo 1003): one journal event of {@code userId}, sealed. */
  public record SealedEvent(String userId, byte[] sealed) implements HireloopSerializable {
    @Override
    public boolean equals(Object o) {
      return o instanceof SealedEvent e && userId.equals(e.userId) && java.util.Arrays.equals(sealed, e.sealed);
    }

    @Override
    public int hashCode() {
      return 31 * userId.hashCode() + java.util.Arrays.hashCode(sealed);
    }
  }

  /** RELEASED (Kryo 1004): a snapshot of {@code userId}, sealed; {@code lastSeqNr} is the state's event count, kept clear. */
  public record SealedSnapshot(String userId, long lastSeqNr, byte[] sealed) implements HireloopSerializable {
    @Override
    public boolean equals(Object o) {
      return o instanceof SealedSnapshot s && userId.equals(s.userId) && lastSeqNr == s.lastSeqNr
          && java.util.Arrays.equals(sealed, s.sealed);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * userId.hashCode() + Long.hashCode(lastSeqNr)) + java.util.Arrays.hashCode(sealed);
    }
  }

  private final UserKeys keys;
  /** The bytes inside the seal: the same Kryo encoding as everything else the journal holds. */
  private final KryoSerializer kryo;

  Sealing(KryoSerializer kryo, UserKeys keys) {
    this.keys = keys;
    this.kryo = kryo;
  }

  /** With the node's own serializer (its Kryo pool is warm already). */
  public static Sealing get(ActorSystem<?> system) {
    try {
      var serializer = org.apache.pekko.serialization.SerializationExtension.get(system.classicSystem())
          .serializerFor(HireloopSerializable.class);
      return new Sealing((KryoSerializer) serializer, UserKeys.get(system));
    } catch (java.io.NotSerializableException e) {
      throw new IllegalStateException("HireloopSerializable is not bound to the Kryo serializer (serialization.conf)", e);
    }
  }

  /** The keys this seals with. */
  public UserKeys keys() {
    return keys;
  }

  /** The same sealing over other keys (tests with a key store of their own). */
  Sealing withKeys(UserKeys other) {
    return new Sealing(kryo, other);
  }

  public SealedEvent seal(String userId, JourneyEvent event) {
    return new SealedEvent(userId, Aead.seal(keys.keyForWrite(userId), kryo.toBinary(event), eventAad(userId)));
  }

  /** The event, or {@link JourneyEvent.Shredded} when the user's key is gone (erased) or does not open the bytes. */
  public JourneyEvent open(SealedEvent sealed) {
    return openBytes(sealed.userId(), sealed.sealed(), eventAad(sealed.userId()))
        .map(o -> (JourneyEvent) o)
        .orElseGet(JourneyEvent.Shredded::new);
  }

  public SealedSnapshot sealSnapshot(String userId, long lastSeqNr, Object state) {
    return new SealedSnapshot(userId, lastSeqNr, Aead.seal(keys.keyForWrite(userId), kryo.toBinary(state), snapshotAad(userId)));
  }

  /** The state the snapshot held; empty when the user's key is gone. */
  public Optional<Object> open(SealedSnapshot sealed) {
    return openBytes(sealed.userId(), sealed.sealed(), snapshotAad(sealed.userId()));
  }

  private Optional<Object> openBytes(String userId, byte[] bytes, String aad) {
    if (!(keys.lookup(userId) instanceof UserKeys.Present present)) return Optional.empty();
    try {
      return Optional.of(kryo.fromBinaryJava(Aead.open(present.key(), bytes, aad), null));
    } catch (Aead.Unreadable e) {
      return Optional.empty();
    }
  }

  private static String eventAad(String userId) {
    return "hireloop/journey-event/" + userId;
  }

  private static String snapshotAad(String userId) {
    return "hireloop/journey-snapshot/" + userId;
  }
}
