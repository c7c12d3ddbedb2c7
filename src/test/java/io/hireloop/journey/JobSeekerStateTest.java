package io.hireloop.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.platform.PersistentMap;
import io.hireloop.platform.serialization.KryoSerializer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link JobSeeker.State#apply} adds to structurally shared maps: a long history costs no copy per event, the state
 * equals one built from plain maps, and survives a snapshot round trip with its idempotency keys.
 */
class JobSeekerStateTest {
  private static final Instant T = Instant.parse("2026-11-01T09:00:00Z");

  private static JourneyEvent created(int k) {
    return new JourneyEvent.ApplicationRecorded("e-" + k, "APPLICATION_CREATED", T.plusSeconds(k), "a-" + k, "j-" + k, "r-1",
        null);
  }

  private static JobSeeker.State history(int n) {
    var state = JobSeeker.State.EMPTY;
    for (int k = 1; k <= n; k++) state = state.apply(created(k));
    return state;
  }

  @Test
  void tenThousandEventsGiveTheStateThatPlainMapsWould() {
    var state = history(10_000);
    var seen = new HashMap<String, Long>();
    var apps = new HashMap<String, JobSeeker.Application>();
    for (int k = 1; k <= 10_000; k++) {
      seen.put("e-" + k, (long) k);
      apps.put("a-" + k, new JobSeeker.Application("a-" + k, "j-" + k, "r-1", null, T.plusSeconds(k), null));
    }
    var plain = new JobSeeker.State(Map.copyOf(apps), Map.copyOf(seen), List.of(), List.of(), 10_000, JobSeeker.Preferences.DEFAULT, null);
    assertEquals(plain, state);
    assertEquals(plain.hashCode(), state.hashCode());
    assertInstanceOf(PersistentMap.class, state.seen());
    assertInstanceOf(PersistentMap.class, state.applications());
    assertEquals(9_999L, state.seen().get("e-9999"));
    assertThrows(UnsupportedOperationException.class, () -> state.seen().put("x", 1L), "read-only");
  }

  @Test
  void anEventAddsToTheMapsInsteadOfCopyingThem() {
    var before = history(2_000);
    var after = before.apply(created(2_001));
    assertEquals(2_000, before.seen().size(), "the earlier state is unchanged");
    assertEquals(2_001, after.seen().size());
    // the new map is the old one plus an entry: PersistentMap.of returns a PersistentMap as it is, no copy
    assertSame(after.seen(), PersistentMap.of(after.seen()));
  }

  @Test
  void aStateFromAnOlderSnapshotWithPlainMapsIsConvertedAtItsFirstEvent() {
    var old = new JobSeeker.State(Map.of(), Map.of("e-0", 1L), List.of(), List.of(), 1, JobSeeker.Preferences.DEFAULT, null);
    var next = old.apply(created(1));
    assertInstanceOf(PersistentMap.class, next.seen());
    assertEquals(Map.of("e-0", 1L, "e-1", 2L), next.seen());
  }

  @Test
  void aSnapshotRoundTripKeepsTheIdempotencyKeys() {
    var kryo = KryoSerializer.withoutActorSystem();
    var state = history(500);
    var decoded = (JobSeeker.State) kryo.fromBinaryJava(kryo.toBinary(state), null);
    assertEquals(state, decoded);
    assertInstanceOf(PersistentMap.class, decoded.seen());
    var check = JobSeeker.Check.run(decoded, List.of(created(7), created(501)), T.plusSeconds(600));
    assertTrue(check.problems.isEmpty(), check.problems.toString());
    assertEquals(List.of(created(501)), check.fresh, "e-7 is a duplicate after the round trip, e-501 is new");
  }
}
