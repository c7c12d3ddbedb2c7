package io.hireloop.ranking;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.hireloop.platform.Json;
import io.hireloop.platform.Metrics;
import io.hireloop.platform.ReadModelStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;

/**
 * The {@code ranking_log} table: every re-ranking served, for off-policy evaluation. Writing never holds a reply:
 * {@link #offer} hands encoding and the insert to {@code executor}; a failed insert is counted, not retried (the
 * evaluation then lacks that ranking, as if it had not been served: the estimates stay unbiased as long as losses do
 * not depend on the outcome).
 */
public final class RankingLog {
  /** Partitions per UTC day: users spread over them by their id's hash. */
  static final int BUCKETS = 16;
  private static final TypeReference<List<LoggedJob>> JOBS = new TypeReference<>() {};

  /**
   * A job of a logged ranking, in the request's order.
   *
   * @param facets the {@link Diversity#FACETS} values the order was computed from
   * @param position 1-based place served
   * @param propensity the top-k inclusion probability of the logging policy for this request ({@link Exploration})
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record LoggedJob(String jobId, double probability, List<String> facets, int position, double propensity, boolean explored) {}

  /** One served re-ranking: enough to recompute any policy of the family on the same request. */
  public record LoggedRanking(String requestId, String userId, Instant loggedAt, int modelVersion, int topK, double diversityLambda,
      double explorationRate, long seed, List<LoggedJob> jobs) {

    /** The request's candidates as the policy sees them (request order). */
    public List<RankingPolicy.Candidate> candidates() {
      return jobs.stream().map(j -> new RankingPolicy.Candidate(j.jobId(), j.probability(), j.facets())).toList();
    }

    /** The slots the propensities refer to: min(top k, jobs). */
    public int slots() {
      return Math.min(topK, jobs.size());
    }
  }

  private final ReadModelStore store;
  private final Executor executor;

  public RankingLog(ReadModelStore store, Executor executor) {
    this.store = store;
    this.executor = executor;
  }

  /** Logs the ranking; returns at once. */
  public void offer(LoggedRanking ranking) {
    executor.execute(() -> write(ranking));
  }

  /** Writes the ranking now (the write's completion is counted in {@code hireloop_ranking_log_total}). */
  CompletionStage<Done> write(LoggedRanking r) {
    return store.session().executeWrite("INSERT INTO " + store.table("ranking_log")
                + " (day, bucket, logged_at, request_id, user_id, model_version, top_k, diversity_lambda, exploration_rate, seed, jobs)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            LocalDate.ofInstant(r.loggedAt(), ZoneOffset.UTC), bucket(r.userId()), r.loggedAt(), r.requestId(), r.userId(),
            r.modelVersion(), r.topK(), r.diversityLambda(), r.explorationRate(), r.seed(), Json.write(r.jobs()))
        .whenComplete((d, error) -> Metrics.RANKING_LOG.labels(error == null ? "written" : "failed").inc());
  }

  public static int bucket(String userId) {
    return Math.floorMod(userId.hashCode(), BUCKETS);
  }

  /**
   * The rankings logged at or after {@code since}, at most {@code limit}: the newest UTC day first, within a day one
   * bucket (a hash group of users) after the other, each newest first — so a capped read keeps whole groups of users
   * of the oldest day it reaches, and never holds more than {@code limit} rows. A user's request id logged twice (a
   * client's retry, which reproduces the same list from the same seed) is kept once.
   */
  public CompletionStage<List<LoggedRanking>> since(Instant since, int limit) {
    var out = new ArrayList<LoggedRanking>();
    var ids = new java.util.HashSet<String>();
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    var first = LocalDate.ofInstant(since, ZoneOffset.UTC);
    for (var day = LocalDate.now(ZoneOffset.UTC); !day.isBefore(first); day = day.minusDays(1)) {
      for (int b = 0; b < BUCKETS; b++) {
        var d = day;
        int bucket = b;
        chain = chain.thenCompose(v -> out.size() >= limit ? CompletableFuture.completedFuture(null)
            : read(d, bucket, since, limit - out.size()).thenAccept(rows -> {
              for (var r : rows) if (out.size() < limit && ids.add(r.userId() + "\u0000" + r.requestId())) out.add(r);
            }));
      }
    }
    return chain.thenApply(v -> List.copyOf(out));
  }

  private CompletionStage<List<LoggedRanking>> read(LocalDate day, int bucket, Instant since, int limit) {
    return store.session().selectAll("SELECT request_id, user_id, logged_at, model_version, top_k, diversity_lambda, exploration_rate,"
                + " seed, jobs FROM " + store.table("ranking_log") + " WHERE day = ? AND bucket = ? AND logged_at >= ? LIMIT ?",
            day, bucket, since, limit)
        .thenApply(rows -> rows.stream().map(r -> new LoggedRanking(r.getString("request_id"), r.getString("user_id"),
            r.getInstant("logged_at"), r.getInt("model_version"), r.getInt("top_k"), r.getDouble("diversity_lambda"),
            r.getDouble("exploration_rate"), r.getLong("seed"), Json.MAPPER.convertValue(Json.read(r.getString("jobs")), JOBS))).toList());
  }
}
