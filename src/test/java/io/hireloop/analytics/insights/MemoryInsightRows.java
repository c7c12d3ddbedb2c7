package io.hireloop.analytics.insights;

import io.hireloop.platform.Json;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.pekko.Done;

/** {@link InsightRows} in memory, storing the same JSON as the Cassandra rows (so JSON round trips are tested too). */
final class MemoryInsightRows implements InsightRows {
  final Map<String, String> states = new ConcurrentSkipListMap<>();
  final Map<String, String> summaries = new ConcurrentSkipListMap<>();
  final Map<String, String> weeks = new ConcurrentSkipListMap<>();
  int saves;

  @Override
  public CompletionStage<InsightState> load(String userId) {
    var json = states.get(userId);
    return done(json == null ? InsightState.EMPTY : read(json, InsightState.class));
  }

  @Override
  public synchronized CompletionStage<Done> save(String userId, InsightState state, UserSummary summary, Map<LocalDate, String> weeklyDocs) {
    saves++;
    weeklyDocs.forEach((week, doc) -> weeks.put(userId + "/" + week, doc));
    states.put(userId, Json.write(state));
    summaries.put(userId, Json.write(summary));
    return done(Done.getInstance());
  }

  @Override
  public CompletionStage<Optional<String>> weekly(String userId, LocalDate week) {
    return done(Optional.ofNullable(weeks.get(userId + "/" + week)));
  }

  @Override
  public CompletionStage<Map<String, UserSummary>> summaries() {
    var m = new TreeMap<String, UserSummary>();
    summaries.forEach((u, json) -> m.put(u, read(json, UserSummary.class)));
    return done(m);
  }

  @Override
  public CompletionStage<Done> truncate() {
    states.clear();
    summaries.clear();
    weeks.clear();
    return done(Done.getInstance());
  }

  @Override
  public CompletionStage<SortedMap<String, String>> dump() {
    var m = new TreeMap<String, String>();
    states.forEach((u, s) -> m.put("user/" + u, s));
    weeks.forEach((k, d) -> m.put("weekly/" + k, d));
    return done(m);
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return Json.MAPPER.readValue(json, type);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
