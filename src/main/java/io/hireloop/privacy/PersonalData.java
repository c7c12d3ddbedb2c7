package io.hireloop.privacy;

import io.hireloop.learning.TrainingSetProjection;
import io.hireloop.market.MarketProjection;
import io.hireloop.platform.Json;
import io.hireloop.platform.ReadModelStore;
import io.hireloop.ranking.RankingLog;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where Hireloop keeps data about one user, outside the user's journal (which holds every event about them): each
 * read-model table with the query that finds exactly that user's rows. The user's export reads them all; erasure
 * ({@link #erase}) deletes them, and the user's rows of prediction_log with them. A table that holds user rows must be listed here (ARCHITECTURE.md, "Personal data").
 *
 * <p>Not listed, because they hold no user's data: model blobs and revisions, attribution reports (aggregates over at
 * least the configured minimum support), data-quality rejection counters, experiment definitions, offsets,
 * journey_slices. prediction_log holds user ids but is partitioned by model and day: the same predictions are listed by
 * user in predictions_by_user. Pending reminders (reminders_due) are keyed by due time; the reminders themselves are
 * events of the user's journal (REMINDER_SENT) and the applications they follow.
 */
public final class PersonalData {
  /** What the journal tells the queries: the experiments the user was exposed to and the weeks they were active in. */
  public record JournalFacts(Set<String> experimentIds, Set<LocalDate> weeks) {
    public static LocalDate weekOf(Instant at) {
      return LocalDate.ofInstant(at, ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }
  }

  /** One table's rows of the user, each as the JSON object of its columns ({@code SELECT JSON}). */
  public record TableRows(String table, List<String> rowsJson) {}

  /** Tables whose partition key is the user id: read by the export and deleted by erasure, the same list for both. */
  static final List<String> BY_USER_ID = List.of("user_performance", "user_insights", "weekly_insights", "data_quality_users",
      "experiment_user_state", "market_opt_outs", "market_user_state", "predictions_by_user", "user_profiles");

  /** ranking_log's time to live (projections/ranking_log.cql: 90 days). */
  static final int RANKING_LOG_DAYS = 90;

  private final ReadModelStore store;

  public PersonalData(ReadModelStore store) {
    this.store = store;
  }

  /** Every table's rows of {@code userId}, in a fixed order. */
  public CompletionStage<List<TableRows>> rowsOf(String userId, JournalFacts facts) {
    var queries = new ArrayList<CompletionStage<TableRows>>();
    for (var table : BY_USER_ID) {
      queries.add(select(table, " WHERE user_id = ?", userId));
    }
    queries.add(select("training_examples", " WHERE bucket = ? AND user_id = ?", TrainingSetProjection.bucket(userId), userId));
    queries.add(select("application_outcomes", " WHERE bucket = ? AND user_id = ?", MarketProjection.bucket(userId), userId));
    var weeks = new ArrayList<CompletionStage<TableRows>>();
    for (var week : facts.weeks()) weeks.add(select("market_user_weeks", " WHERE week = ? AND user_id = ?", week, userId));
    queries.add(merge("market_user_weeks", weeks));
    var exposures = new ArrayList<CompletionStage<TableRows>>();
    for (var id : facts.experimentIds()) {
      exposures.add(select("experiment_exposures", " WHERE experiment_id = ? AND user_id = ?", id, userId));
    }
    queries.add(merge("experiment_exposures", exposures));
    // ranking_log is partitioned by day and a hash group of users: the user's group of each day it keeps (90), filtered
    var lists = new ArrayList<CompletionStage<TableRows>>();
    var today = LocalDate.now(ZoneOffset.UTC);
    for (int d = 0; d <= RANKING_LOG_DAYS; d++) {
      lists.add(select("ranking_log", " WHERE day = ? AND bucket = ?", today.minusDays(d), RankingLog.bucket(userId))
          .thenApply(t -> new TableRows(t.table(), t.rowsJson().stream()
              .filter(row -> userId.equals(Json.read(row).path("user_id").asText(null))).toList())));
    }
    queries.add(merge("ranking_log", lists));
    return CompletableFuture.allOf(queries.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new))
        .thenApply(v -> queries.stream().map(q -> q.toCompletableFuture().join()).toList());
  }

  /**
   * Deletes every row {@link #rowsOf} finds for the user, and their served predictions from prediction_log (found by
   * predictions_by_user's keys, which are the same). Answers how many rows were found and deleted; idempotent.
   */
  public CompletionStage<Integer> erase(String userId, JournalFacts facts) {
    var session = store.session();
    var predictionLog = session.selectAll("SELECT logged_at, id, model, version FROM " + store.table("predictions_by_user")
            + " WHERE user_id = ?", userId)
        .thenCompose(rows -> all(rows.stream().map(r -> session.executeWrite("DELETE FROM " + store.table("prediction_log")
            + " WHERE model = ? AND version = ? AND day = ? AND logged_at = ? AND id = ?", r.getString("model"), r.getInt("version"),
            LocalDate.ofInstant(r.getInstant("logged_at"), ZoneOffset.UTC), r.getInstant("logged_at"), r.getUuid("id"))).toList())
            .thenApply(v -> rows.size()));
    return predictionLog.thenCompose(logged -> rowsOf(userId, facts).thenCompose(tables -> {
      var deletes = new ArrayList<CompletionStage<?>>();
      for (var table : BY_USER_ID) {
        deletes.add(delete(table, " WHERE user_id = ?", userId));
      }
      deletes.add(delete("training_examples", " WHERE bucket = ? AND user_id = ?", TrainingSetProjection.bucket(userId), userId));
      deletes.add(delete("application_outcomes", " WHERE bucket = ? AND user_id = ?", MarketProjection.bucket(userId), userId));
      for (var week : facts.weeks()) deletes.add(delete("market_user_weeks", " WHERE week = ? AND user_id = ?", week, userId));
      for (var id : facts.experimentIds()) {
        deletes.add(delete("experiment_exposures", " WHERE experiment_id = ? AND user_id = ?", id, userId));
      }
      for (var table : tables) {
        if (!table.table().equals("ranking_log")) continue;
        for (var row : table.rowsJson()) {
          var r = Json.read(row);
          deletes.add(delete("ranking_log", " WHERE day = ? AND bucket = ? AND logged_at = ? AND request_id = ?",
              LocalDate.parse(r.path("day").asText()), r.path("bucket").asInt(), rankingInstant(r.path("logged_at").asText()),
              r.path("request_id").asText()));
        }
      }
      int found = logged + tables.stream().mapToInt(t -> t.rowsJson().size()).sum();
      return all(deletes).thenApply(v -> found);
    }));
  }

  /** {@code SELECT JSON} renders a timestamp as {@code "2026-11-02 09:00:00.000Z"}. */
  private static Instant rankingInstant(String json) {
    return Instant.parse(json.replace(' ', 'T'));
  }

  private CompletionStage<?> delete(String table, String where, Object... values) {
    return store.session().executeWrite("DELETE FROM " + store.table(table) + where, values);
  }

  private static CompletionStage<Void> all(List<? extends CompletionStage<?>> stages) {
    return CompletableFuture.allOf(stages.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new));
  }

  private CompletionStage<TableRows> select(String table, String where, Object... values) {
    return store.session().selectAll("SELECT JSON * FROM " + store.table(table) + where, values)
        .thenApply(rows -> new TableRows(table, rows.stream().map(r -> r.getString(0)).toList()));
  }

  private static CompletionStage<TableRows> merge(String table, List<CompletionStage<TableRows>> parts) {
    return CompletableFuture.allOf(parts.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new))
        .thenApply(v -> new TableRows(table, parts.stream().flatMap(p -> p.toCompletableFuture().join().rowsJson().stream()).toList()));
  }
}
