package io.hireloop.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.ConfigValueFactory;
import io.hireloop.Node;
import io.hireloop.api.Auth;
import io.hireloop.platform.ReadModelStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bin/hireloop bench}: measures, in one run on one machine, the raw insert rate of the node's
 * Cassandra, the ingest rate and latency of POST /api/v1/events, projection lag, and a training. Prints
 * the figures; nothing is hard-coded. Options: --users N (3000) --clients N (4) --batch N (100)
 * --raw-rows N (100000) --order time|user (time: batches mix many users, as a forwarding service sends
 * them; user: batches group a few users' events).
 */
final class Benchmark {
  private Benchmark() {}

  static int run(Cli.Options options, PrintStream out) throws Exception {
    int users = options.integer("users", 3000);
    int clients = options.integer("clients", 4);
    int batchSize = options.integer("batch", 100);
    int rawRows = options.integer("raw-rows", 100_000);
    var order = options.get("order", "time");
    if (!order.equals("time") && !order.equals("user")) throw new Cli.UsageException("--order must be time or user");
    Path dataDir = Files.createTempDirectory("hireloop-bench-");
    var config = options.config()
        .withValue("hireloop.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()))
        .withValue("hireloop.http.rate-limit-per-second", ConfigValueFactory.fromAnyRef(0))
        .withValue("hireloop.learning.retrain-after-labels", ConfigValueFactory.fromAnyRef(Integer.MAX_VALUE));
    out.println("[bench] data dir " + dataDir + "; " + Runtime.getRuntime().availableProcessors() + " cores");
    long t0 = System.nanoTime();
    try (var node = Node.start(config, line -> out.println("[bench] " + line))) {
      out.printf("[bench] serve -> ready: %.1f s (embedded Cassandra start included)%n", (System.nanoTime() - t0) / 1e9);
      var auth = new Auth(config.getString("hireloop.auth.jwt-secret"), config.getString("hireloop.auth.issuer"));
      var url = "http://localhost:" + node.httpPort();

      var events = DemoPopulation.generate(users, 3, Instant.now());
      // each client owns a slice of users, so a user's events stay in order
      var slices = new ArrayList<List<Map<String, Object>>>();
      for (int c = 0; c < clients; c++) slices.add(new ArrayList<>());
      for (var e : events) slices.get(Math.floorMod(e.get("user_id").hashCode(), clients)).add(e);
      if (order.equals("user")) {
        // a batch then holds the events of a few users: the entity persists each user's part in one write
        for (var slice : slices) slice.sort(java.util.Comparator.comparing((Map<String, Object> e) -> (String) e.get("user_id")));
      }

      // warm-up: a first slice of traffic on other users, so that JIT and connections settle
      var warm = DemoPopulation.generate(Math.max(50, users / 10), 99, Instant.now()).stream()
          .map(e -> { var m = new java.util.LinkedHashMap<>(e); m.put("user_id", "warm-" + e.get("user_id"));
            m.put("event_id", "warm-" + e.get("event_id")); return (Map<String, Object>) m; }).toList();
      out.printf("[bench] warm-up: %d events%n", warm.size());
      ingest(List.of(warm), url, auth, batchSize, new long[1], out, false);

      out.printf("[bench] ingest: %d events of %d users, %d clients, batches of %d, ordered by %s%n", events.size(), users, clients,
          batchSize, order.equals("time") ? "time (a batch spans ~" + batchSize + " users)" : "user (a batch spans a few users)");
      long[] latencies = new long[(events.size() / batchSize) + clients * 2];
      var cassandraProcess = node.embeddedCassandraProcess();
      long appCpu0 = cpuNanos(java.util.Optional.of(ProcessHandle.current()));
      long dbCpu0 = cpuNanos(cassandraProcess);
      long start = System.nanoTime();
      int requests = ingest(slices, url, auth, batchSize, latencies, out, true);
      double seconds = (System.nanoTime() - start) / 1e9;
      double appCpu = (cpuNanos(java.util.Optional.of(ProcessHandle.current())) - appCpu0) / 1e9;
      double dbCpu = (cpuNanos(cassandraProcess) - dbCpu0) / 1e9;
      var lat = Arrays.copyOf(latencies, requests);
      Arrays.sort(lat);
      out.printf("[bench] ingest: %.0f events/s (%d events in %.1f s); request latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          events.size() / seconds, events.size(), seconds, pct(lat, 0.50), pct(lat, 0.99), lat[lat.length - 1] / 1e6);
      out.printf("[bench] CPU during ingest: app JVM %.1f s (%.2f cores; includes the load-generating clients and the projections),"
          + " Cassandra JVM %.1f s (%.2f cores)%n", appCpu, appCpu / seconds, dbCpu, dbCpu / seconds);

      var store = new ReadModelStore(node.system());
      var lastUser = events.get(events.size() - 1).get("user_id");
      long waitStart = System.nanoTime();
      var admin = new ApiClient(url, auth.issue("bench", "admin", Duration.ofHours(1)));
      while (System.nanoTime() - waitStart < 300e9) {
        var status = admin.get("/api/v1/admin/projections").body().path("projections");
        boolean caughtUp = true;
        for (var p : status) caughtUp &= p.path("lag_seconds").isNumber() && p.path("lag_seconds").asDouble() < 10;
        if (caughtUp && admin.get("/api/v1/users/" + lastUser + "/performance").body().path("as_of_seq_nr").asLong() > 0) break;
        Thread.sleep(500);
      }
      out.printf("[bench] projections caught up %.1f s after the last ingest; lag p99 %s%n",
          (System.nanoTime() - waitStart) / 1e9, lagP99());

      var raw = rawInsertRate(store, rawRows, out);
      out.printf("[bench] raw Cassandra inserts (300-byte rows, async, 256 in flight): %.0f rows/s%n", raw);
      out.printf("[bench] ingest / raw = %.3f%n", events.size() / seconds / raw);

      long trainStart = System.nanoTime();
      var job = admin.post("/api/v1/models/interview/train", "{}").body().path("job_id").asText();
      while (true) {
        var model = admin.get("/api/v1/models/interview").body();
        if (model.path("status").asText().equals("ready") && model.path("version").asInt() >= 1) {
          out.printf("[bench] training (%s): %.1f s end to end, %.1f s in the trainer, %d examples, held-out AUC %.3f, log loss %.3f, Brier %.3f, ECE %.3f%n",
              job, (System.nanoTime() - trainStart) / 1e9, model.path("training_seconds").asDouble(), model.path("training_examples").asInt(),
              model.path("metrics").path("auc").asDouble(), model.path("metrics").path("log_loss").asDouble(),
              model.path("metrics").path("brier").asDouble(), model.path("metrics").path("ece").asDouble());
          break;
        }
        if (model.has("last_error")) throw new IllegalStateException("training failed: " + model.path("last_error").asText());
        if (System.nanoTime() - trainStart > 600e9) throw new IllegalStateException("training did not finish in 10 minutes");
        Thread.sleep(500);
      }
    }
    return 0;
  }

  private static int ingest(List<List<Map<String, Object>>> slices, String url, Auth auth, int batchSize, long[] latencies,
      PrintStream out, boolean record) throws Exception {
    var pool = Executors.newFixedThreadPool(slices.size());
    var count = new AtomicLong();
    var sent = new AtomicLong();
    var futures = new ArrayList<Future<?>>();
    long start = System.nanoTime();
    for (var slice : slices) {
      futures.add(pool.submit(() -> {
        var api = new ApiClient(url, auth.issue("bench-feeder", "service", Duration.ofHours(2)));
        for (int i = 0; i < slice.size(); i += batchSize) {
          var batch = slice.subList(i, Math.min(slice.size(), i + batchSize));
          long t = System.nanoTime();
          var r = api.post("/api/v1/events", Map.of("events", batch));
          long took = System.nanoTime() - t;
          if (r.status() != 200) throw new IllegalStateException("ingest answered " + r.status() + ": " + r.body());
          if (record) latencies[(int) count.getAndIncrement()] = took;
          long total = sent.addAndGet(batch.size());
          if (record && total / 10_000 != (total - batch.size()) / 10_000) {
            out.printf("[bench]   %d events (%.0f/s)%n", total, total / ((System.nanoTime() - start) / 1e9));
          }
        }
        return null;
      }));
    }
    for (var f : futures) f.get();
    pool.shutdown();
    return (int) count.get();
  }

  /** Raw driver inserts into a scratch table of the same Cassandra: the physical limit ingest is compared with. */
  private static double rawInsertRate(ReadModelStore store, int rows, PrintStream out) throws Exception {
    CqlSession session = store.session().underlying().toCompletableFuture().get();
    var table = store.keyspace() + ".bench_raw";
    session.execute("CREATE TABLE IF NOT EXISTS " + table + " (id uuid PRIMARY KEY, payload text)");
    var insert = session.prepare("INSERT INTO " + table + " (id, payload) VALUES (?, ?)");
    var payload = "x".repeat(300);
    var inFlight = new Semaphore(256);
    long start = System.nanoTime();
    for (int i = 0; i < rows; i++) {
      inFlight.acquire();
      session.executeAsync(insert.bind(UUID.randomUUID(), payload)).whenComplete((r, e) -> inFlight.release());
    }
    inFlight.acquire(256);
    double rate = rows / ((System.nanoTime() - start) / 1e9);
    session.execute("DROP TABLE " + table);
    return rate;
  }

  private static long cpuNanos(java.util.Optional<ProcessHandle> process) {
    return process.flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  /** p99 of the projection-lag histogram, as the upper bound of its bucket. */
  private static String lagP99() {
    var samples = io.prometheus.client.CollectorRegistry.defaultRegistry.metricFamilySamples();
    double total = 0;
    var buckets = new java.util.TreeMap<Double, Double>();
    while (samples.hasMoreElements()) {
      var family = samples.nextElement();
      if (!family.name.equals("hireloop_projection_lag_seconds")) continue;
      for (var s : family.samples) {
        if (!s.name.endsWith("_bucket")) continue;
        var text = s.labelValues.get(s.labelNames.indexOf("le"));
        double le = text.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(text);
        buckets.merge(le, s.value, Double::sum);
      }
    }
    total = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
    for (var b : buckets.entrySet()) {
      if (b.getValue() >= 0.99 * total) return "<= " + (Double.isInfinite(b.getKey()) ? "inf" : b.getKey() + " s") + " (" + (long) total + " events)";
    }
    return "n/a";
  }

}
