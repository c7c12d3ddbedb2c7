package io.hireloop.learning.monitoring;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hireloop.learning.ensemble.Ensemble;
import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.platform.Json;
import io.hireloop.platform.Metrics;
import io.hireloop.platform.ReadModelStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code prediction_log} table: a sample of served predictions with the values drift is measured on. Writing
 * never holds a reply: {@link #offer} draws the sample on the caller's thread (a random number per prediction) and
 * hands encoding and the insert to {@code executor}; a failed insert is counted, not retried (a sample may lose rows).
 */
public final class PredictionLog implements ModelMonitor.ServingLog {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final ReadModelStore store;
  private final double sampleRate;
  private final int maxPerSecond;
  private final Executor executor;
  /** Rows logged in the current second: second (upper 32 bits) and count (lower 32). */
  private final AtomicLong secondAndCount = new AtomicLong();

  /**
   * @param sampleRate share of predictions logged ({@code hireloop.learning.monitoring.log-sample-rate})
   * @param maxPerSecond at most this many rows per second from this node ({@code log-max-per-second})
   */
  public PredictionLog(ReadModelStore store, double sampleRate, int maxPerSecond, Executor executor) {
    if (!(sampleRate >= 0 && sampleRate <= 1)) throw new IllegalArgumentException("log-sample-rate must be in [0, 1]");
    this.store = store;
    this.sampleRate = sampleRate;
    this.maxPerSecond = maxPerSecond;
    this.executor = executor;
  }

  /** Logs a sample of one request's predictions (same order as {@code snapshots}); returns at once. */
  public void offer(String model, int version, String userId, Ensemble ensemble, List<ApplicationSnapshot> snapshots, double[] probabilities) {
    var picked = sample(snapshots.size());
    if (picked.isEmpty()) return;
    var at = Instant.now();
    executor.execute(() -> {
      var columns = ensemble.pipeline().columnNames();
      for (int i : picked) {
        var features = DriftReference.values(columns, ensemble.pipeline().encode(snapshots.get(i)));
        var id = UUID.randomUUID();
        store.session().executeWrite("INSERT INTO " + store.table("prediction_log")
                + " (model, version, day, logged_at, id, user_id, probability, features) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                model, version, LocalDate.ofInstant(at, ZoneOffset.UTC), at, id, userId, probabilities[i], Json.write(features))
            .whenComplete((d, error) -> Metrics.PREDICTION_LOG.labels(error == null ? "written" : "failed").inc());
        // the same prediction by user, for the user's export (prediction_log is partitioned by model and day)
        if (userId != null) {
          store.session().executeWrite("INSERT INTO " + store.table("predictions_by_user")
              + " (user_id, logged_at, id, model, version, probability) VALUES (?, ?, ?, ?, ?, ?)",
              userId, at, id, model, version, probabilities[i]);
        }
      }
    });
  }

  /** Which of {@code n} predictions to log: each with probability {@code sampleRate}, within the per-second cap. */
  List<Integer> sample(int n) {
    if (sampleRate == 0) return List.of();
    var random = ThreadLocalRandom.current();
    var picked = new ArrayList<Integer>();
    for (int i = 0; i < n; i++) {
      if (random.nextDouble() < sampleRate) {
        if (!permit()) {
          Metrics.PREDICTION_LOG.labels("rate_limited").inc();
          continue;
        }
        picked.add(i);
      }
    }
    return picked;
  }

  private boolean permit() {
    long second = System.currentTimeMillis() / 1000;
    while (true) {
      long current = secondAndCount.get();
      long s = current >>> 32;
      long n = s == (second & 0xFFFFFFFFL) ? current & 0xFFFFFFFFL : 0;
      if (n >= maxPerSecond) return false;
      if (secondAndCount.compareAndSet(current, ((second & 0xFFFFFFFFL) << 32) | (n + 1))) return true;
    }
  }

  /** The newest {@code limit} logged rows' features of a version, reading back day by day over {@code days} days. */
  @Override
  public CompletionStage<List<Map<String, Object>>> recent(String model, int version, int limit, int days) {
    var out = new ArrayList<Map<String, Object>>();
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    var today = LocalDate.now(ZoneOffset.UTC);
    for (int d = 0; d < days; d++) {
      var day = today.minusDays(d);
      chain = chain.thenCompose(v -> out.size() >= limit ? CompletableFuture.completedFuture(null)
          : store.session().selectAll("SELECT features FROM " + store.table("prediction_log")
                  + " WHERE model = ? AND version = ? AND day = ? LIMIT ?", model, version, day, limit - out.size())
              .thenAccept(rows -> rows.forEach(r -> out.add(Json.MAPPER.convertValue(Json.read(r.getString("features")), MAP)))));
    }
    return chain.thenApply(v -> List.copyOf(out));
  }
}
