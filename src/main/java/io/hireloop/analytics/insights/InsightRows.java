package io.hireloop.analytics.insights;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/** Where the "user-insights" projection keeps its rows (Cassandra in a node, a map in handler tests). */
public interface InsightRows {
  /** The user's state, {@link InsightState#EMPTY} when none. */
  CompletionStage<InsightState> load(String userId);

  /** Writes the weekly documents first, then the state row (whose as_of_seq_nr makes redelivery a no-op). */
  CompletionStage<Done> save(String userId, InsightState state, UserSummary summary, Map<LocalDate, String> weeklyDocs);

  /** The stored WeeklyInsights JSON of a closed week. */
  CompletionStage<Optional<String>> weekly(String userId, LocalDate week);

  /** user id → summary, for every user with a row. */
  CompletionStage<Map<String, UserSummary>> summaries();

  CompletionStage<Done> truncate();

  /** Every row as key → JSON ("user/ID" → state, "weekly/ID/WEEK" → document), to compare a rebuild with the live rows. */
  CompletionStage<SortedMap<String, String>> dump();
}
