package io.hireloop.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class SliceHistoryTest {

  /** The table as a field; {@code legacy}: the offset store holds offsets of the per-read-model projections. */
  static final class Table implements SliceHistory.Store {
    SliceHistory.Stored row;
    boolean legacy;
    int writes;

    @Override
    public CompletionStage<SliceHistory.Stored> read() {
      return CompletableFuture.completedFuture(row);
    }

    @Override
    public CompletionStage<Boolean> hasLegacyOffsets() {
      return CompletableFuture.completedFuture(legacy);
    }

    @Override
    public CompletionStage<Void> write(SliceHistory.Stored stored) {
      row = stored;
      writes++;
      return CompletableFuture.completedFuture(null);
    }
  }

  private static JourneySlices resolve(Table table, int configured, boolean resize) {
    try {
      return SliceHistory.resolve(table, configured, resize).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  @Test
  void aFreshJournalRecordsTheConfiguredCountAndKeepsIt() {
    var table = new Table();
    assertEquals(new JourneySlices(32, List.of()), resolve(table, 32, false));
    assertEquals(new SliceHistory.Stored(32, List.of()), table.row);
    assertEquals(new JourneySlices(32, List.of()), resolve(table, 32, false));
  }

  @Test
  void anotherCountIsRefusedWithoutResizeAndNothingIsWritten() {
    var table = new Table();
    table.row = new SliceHistory.Stored(32, List.of(4));
    var e = assertThrows(SliceHistory.Mismatch.class, () -> resolve(table, 128, false));
    assertTrue(e.getMessage().contains("tagged with 32 journey slices") && e.getMessage().contains(SliceHistory.RESIZE_PATH),
        e.getMessage());
    assertEquals(0, table.writes);
    var notMultiple = assertThrows(SliceHistory.Mismatch.class, () -> resolve(table, 48, true));
    assertTrue(notMultiple.getMessage().contains("not a multiple"), notMultiple.getMessage());
    assertEquals(0, table.writes);
  }

  @Test
  void resizeRecordsTheOldCountAsEarlier() {
    var table = new Table();
    table.row = new SliceHistory.Stored(32, List.of(4));
    assertEquals(new JourneySlices(128, List.of(4, 32)), resolve(table, 128, true));
    assertEquals(new SliceHistory.Stored(128, List.of(4, 32)), table.row);
    // a node started later with the same count, resize still on or off, runs with the recorded history
    assertEquals(new JourneySlices(128, List.of(4, 32)), resolve(table, 128, false));
  }

  @Test
  void aJournalFromBeforeTheSettingWasWrittenWithFour() {
    var table = new Table();
    table.legacy = true;
    assertThrows(SliceHistory.Mismatch.class, () -> resolve(table, 32, false));
    assertNull(table.row);
    assertEquals(new JourneySlices(32, List.of(4)), resolve(table, 32, true));
    var kept = new Table();
    kept.legacy = true;
    assertEquals(new JourneySlices(4, List.of()), resolve(kept, 4, false));
    assertEquals(new SliceHistory.Stored(4, List.of()), kept.row);
  }
}
