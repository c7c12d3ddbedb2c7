package io.hireloop.platform.persistence;

import java.util.function.Function;
import org.apache.pekko.persistence.typed.SnapshotAdapter;

/** Snapshot adapters of the entities: write the current state, read older released shapes through an upcast. */
public final class Snapshots {
  private Snapshots() {}

  /** {@code upcast} turns whatever a snapshot holds (the current state or an older shape) into the current state. */
  public static <S> SnapshotAdapter<S> upcasting(Function<Object, S> upcast) {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(S state) {
        return state;
      }

      @Override
      public S fromJournal(Object from) {
        return upcast.apply(from);
      }
    };
  }
}
