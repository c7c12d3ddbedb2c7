package io.hireloop.analytics.insights;

import io.hireloop.platform.Json;
import io.hireloop.platform.ReadModelStore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/** {@link InsightRows} in the tables of projections/user_insights.cql. */
public final class CassandraInsightRows implements InsightRows {
  private final ReadModelStore store;

  public CassandraInsightRows(ReadModelStore store) {
    this.store = store;
  }

  @Override
  public CompletionStage<InsightState> load(String userId) {
    return store.session().selectOne("SELECT state FROM " + store.table("user_insights") + " WHERE user_id = ?", userId)
        .thenApply(row -> row.map(r -> read(r.getString("state"), InsightState.class)).orElse(InsightState.EMPTY));
  }

  @Override
  public CompletionStage<Done> save(String userId, InsightState state, UserSummary summary, Map<LocalDate, String> weeklyDocs) {
    // the weekly documents together, the state row last: a crash in between replays the envelopes and rewrites them
    var weekly = weeklyDocs.entrySet().stream()
        .map(e -> store.session().executeWrite("INSERT INTO " + store.table("weekly_insights")
            + " (user_id, week_start, doc) VALUES (?, ?, ?)", userId, e.getKey(), e.getValue()).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(weekly).thenCompose(d -> store.session().executeWrite("INSERT INTO " + store.table("user_insights")
        + " (user_id, as_of_seq_nr, state, summary, updated_at) VALUES (?, ?, ?, ?, ?)",
        userId, state.asOfSeqNr(), Json.write(state), Json.write(summary), Instant.now()));
  }

  @Override
  public CompletionStage<Optional<String>> weekly(String userId, LocalDate week) {
    return store.session().selectOne("SELECT doc FROM " + store.table("weekly_insights") + " WHERE user_id = ? AND week_start = ?",
        userId, week).thenApply(row -> row.map(r -> r.getString("doc")));
  }

  @Override
  public CompletionStage<Map<String, UserSummary>> summaries() {
    return store.session().selectAll("SELECT user_id, summary FROM " + store.table("user_insights")).thenApply(rows -> {
      var m = new TreeMap<String, UserSummary>();
      rows.forEach(r -> m.put(r.getString("user_id"), read(r.getString("summary"), UserSummary.class)));
      return m;
    });
  }

  @Override
  public CompletionStage<Done> truncate() {
    return store.session().executeDDL("TRUNCATE " + store.table("user_insights"))
        .thenCompose(d -> store.session().executeDDL("TRUNCATE " + store.table("weekly_insights")));
  }

  @Override
  public CompletionStage<SortedMap<String, String>> dump() {
    var out = new TreeMap<String, String>();
    return store.session().selectAll("SELECT user_id, state FROM " + store.table("user_insights"))
        .thenCompose(users -> {
          users.forEach(r -> out.put("user/" + r.getString("user_id"), r.getString("state")));
          return store.session().selectAll("SELECT user_id, week_start, doc FROM " + store.table("weekly_insights"));
        })
        .thenApply(weeks -> {
          weeks.forEach(r -> out.put("weekly/" + r.getString("user_id") + "/" + r.getLocalDate("week_start"), r.getString("doc")));
          return out;
        });
  }

  /** The state JSON of a {@code user_insights} row, decoded as {@link #load} does. */
  static InsightState state(String json) {
    return read(json, InsightState.class);
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return Json.MAPPER.readValue(json, type);
    } catch (Exception e) {
      throw new IllegalStateException("unreadable user_insights row: " + e.getMessage(), e);
    }
  }
}
