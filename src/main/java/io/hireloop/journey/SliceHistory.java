package io.hireloop.journey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The slice counts a journal was written with, kept in Cassandra ({@code journey_slices}, one row) and checked
 * at every node start, so that the tags of the journal, not each node's configuration, say where a user's
 * events are. A node whose {@code hireloop.journey.slices} differs from the journal's refuses to start, unless
 * {@code hireloop.journey.resize} is on and the new count is a multiple of the journal's: then the journal's
 * count becomes an earlier one and the new count is recorded. A journal written before the count was a setting
 * (found by the offsets of the projections that ran one per read model) was written with 4.
 */
public final class SliceHistory {
  public static final String RESIZE_PATH = "hireloop.journey.resize";
  /** Projections that ran before the read-side pass, one per read model and tag {@code journey-0..3}. */
  static final List<String> LEGACY_PROJECTIONS = List.of("user-performance", "training-set", "experiment-exposures",
      "market-insights", "reminders", "data-quality", "user-insights");
  static final int LEGACY_COUNT = 4;

  /** A node configured with a slice count this journal cannot be read with. */
  public static final class Mismatch extends IllegalStateException {
    Mismatch(String message) {
      super(message);
    }
  }

  /** What is stored: the current count and the earlier ones, oldest first; null when nothing is. */
  record Stored(int count, List<Integer> earlier) {}

  /** The table seam: the row and the legacy check (Cassandra here, a map in unit tests). */
  interface Store {
    CompletionStage<Stored> read();

    CompletionStage<Boolean> hasLegacyOffsets();

    CompletionStage<Void> write(Stored stored);
  }

  private SliceHistory() {}

  /**
   * The slices to run with: the configured count, with the earlier counts the journal records. Fails with
   * {@link Mismatch} (nothing written) when the configured count is not the journal's and {@code resize} is off,
   * or is not a multiple of it.
   */
  public static CompletionStage<JourneySlices> resolve(Store store, int configured, boolean resize) {
    return store.read().thenCompose(stored -> stored != null
        ? CompletableFuture.completedFuture(stored)
        : store.hasLegacyOffsets().thenApply(legacy -> legacy ? new Stored(LEGACY_COUNT, List.of()) : null))
        .thenCompose(stored -> {
          if (stored == null) {
            var fresh = new Stored(configured, List.of());
            return store.write(fresh).thenApply(v -> new JourneySlices(configured, List.of()));
          }
          if (stored.count() == configured) {
            return store.write(stored).thenApply(v -> new JourneySlices(configured, stored.earlier()));
          }
          if (!resize) {
            throw new Mismatch("this journal's events are tagged with " + stored.count() + " journey slices, but "
                + JourneySlices.COUNT_PATH + " = " + configured + ". Set it to " + stored.count() + ", or move the journal to "
                + configured + " slices: stop every node, then start them with " + RESIZE_PATH + " = on (README, Scaling out)");
          }
          if (configured % stored.count() != 0) {
            throw new Mismatch(JourneySlices.COUNT_PATH + " = " + configured + " is not a multiple of the journal's "
                + stored.count() + " slices: choose a multiple (e.g. " + stored.count() * 4 + ")");
          }
          var earlier = new ArrayList<>(stored.earlier());
          earlier.add(stored.count());
          var moved = new Stored(configured, List.copyOf(earlier));
          return store.write(moved).thenApply(v -> new JourneySlices(configured, moved.earlier()));
        });
  }

  /** The store on the read-model keyspace, with the offset store's keyspace for the legacy check. */
  public static Store cassandra(CassandraSession session, String table, String offsetKeyspace) {
    return new Store() {
      @Override
      public CompletionStage<Stored> read() {
        return session.selectOne("SELECT count, earlier FROM " + table + " WHERE id = 'current'")
            .thenApply(row -> row.map(r -> new Stored(r.getInt("count"), r.getList("earlier", Integer.class))).orElse(null));
      }

      @Override
      public CompletionStage<Boolean> hasLegacyOffsets() {
        return session.selectAll("SELECT DISTINCT projection_name, partition FROM " + offsetKeyspace + ".offset_store")
            .thenApply(rows -> rows.stream().anyMatch(r -> LEGACY_PROJECTIONS.contains(r.getString("projection_name"))));
      }

      @Override
      public CompletionStage<Void> write(Stored stored) {
        return session.executeWrite("INSERT INTO " + table + " (id, count, earlier, updated_at) VALUES ('current', ?, ?, ?)",
            stored.count(), stored.earlier(), Instant.now()).thenApply(d -> null);
      }
    };
  }
}
