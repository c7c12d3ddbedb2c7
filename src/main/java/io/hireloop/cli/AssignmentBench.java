package io.hireloop.cli;

import io.hireloop.Node;
import io.hireloop.api.Auth;
import io.hireloop.platform.Json;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * {@code bin/hireloop bench-assign}: assignment throughput and latency over HTTP on a fresh embedded node,
 * next to the same node's {@code GET /health/live} in the same run (the cost of HTTP, auth and routing
 * alone). Closed loop: {@code --clients} threads, each one request at a time.
 *
 * <p>Keys of {@code assign.json}: {@code health_rps, health_p50_ms, health_p99_ms} (baseline);
 * {@code first_rps, first_p50_ms, first_p99_ms} (first assignment of each user: hash, then the exposure is
 * persisted in the user's journal before the answer); {@code repeat_rps, repeat_p50_ms, repeat_p99_ms} (the
 * same users again, no write: from the node's cache, or one JobSeeker ask when the node's entry is older than
 * {@code definition-cache-ttl}, so that an opt-out applies); {@code health_after_*} (the baseline again after
 * the assignment phases, to bracket them on a shared machine); {@code first_vs_health_rps_ratio},
 * {@code repeat_vs_health_rps_ratio}; {@code users, clients, warmup_seconds}.
 */
final class AssignmentBench {
  private AssignmentBench() {}

  static int run(Cli.Options options, PrintStream out) throws Exception {
    int users = options.integer("users", 5_000);
    int clients = options.integer("clients", 8);
    int warmup = options.integer("warmup-seconds", 30);
    Path outDir = Path.of(options.get("out", "target/bench"));
    Path dataDir = Files.createTempDirectory("hireloop-bench-assign-");
    var config = Benchmark.freshNodeConfig(options, dataDir);
    var r = new LinkedHashMap<String, Object>();
    r.put("date", Instant.now().toString());
    r.put("cores", Runtime.getRuntime().availableProcessors());
    r.put("users", users);
    r.put("clients", clients);
    r.put("warmup_seconds", warmup);
    try (var node = Node.start(config, line -> out.println("[bench-assign] " + line))) {
      var auth = new Auth(config.getString("hireloop.auth.jwt-secret"), config.getString("hireloop.auth.issuer"));
      var url = "http://localhost:" + node.httpPort();
      var admin = new ApiClient(url, auth.issue("bench", "admin", Duration.ofHours(1)));
      String token = auth.issue("bench-svc", "service", Duration.ofHours(1));
      String id = "bench-assign-" + System.currentTimeMillis();
      var created = admin.post("/api/v1/experiments", definition(id));
      if (created.status() != 201) throw new IllegalStateException("create answered " + created.status() + ": " + created.body());
      var started = admin.post("/api/v1/experiments/" + id + "/start", "{}");
      if (started.status() != 200) throw new IllegalStateException("start answered " + started.status() + ": " + started.body());

      var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
      IntFunction<String> health = i -> url + "/health/live";
      IntFunction<String> warm = i -> url + "/api/v1/experiments/" + id + "/assignment?user_id=warm-" + (i % 500);
      out.printf("[bench-assign] warm-up %d s%n", warmup);
      long until = System.nanoTime() + warmup * 1_000_000_000L;
      while (System.nanoTime() < until) {
        load(http, token, warm, 2_000, clients);
        load(http, token, health, 2_000, clients);
      }
      IntFunction<String> assign = i -> url + "/api/v1/experiments/" + id + "/assignment?user_id=user-" + i;
      record("health", load(http, token, health, users, clients), r, out);
      record("first", load(http, token, assign, users, clients), r, out);
      record("repeat", load(http, token, assign, users, clients), r, out);
      record("health_after", load(http, token, health, users, clients), r, out); // brackets the run: the machine may be shared
      r.put("first_vs_health_rps_ratio", (double) r.get("first_rps") / (double) r.get("health_rps"));
      r.put("repeat_vs_health_rps_ratio", (double) r.get("repeat_rps") / (double) r.get("health_rps"));
    }
    Files.createDirectories(outDir);
    Files.writeString(outDir.resolve("assign.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r));
    out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r));
    return 0;
  }

  record Run(long[] latenciesNanos, double seconds) {}

  /** {@code n} GETs of {@code urlOf(i)}, i = 0..n-1, by {@code clients} closed-loop threads; every answer must be 200. */
  static Run load(HttpClient http, String token, IntFunction<String> urlOf, int n, int clients) throws Exception {
    var latencies = new long[n];
    var next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long t0 = System.nanoTime();
    try {
      var futures = new java.util.ArrayList<Future<?>>();
      for (int c = 0; c < clients; c++) {
        futures.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            var req = HttpRequest.newBuilder(URI.create(urlOf.apply(i))).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build();
            long s = System.nanoTime();
            var resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            latencies[i] = System.nanoTime() - s;
            if (resp.statusCode() != 200) throw new IllegalStateException(req.uri() + " answered " + resp.statusCode() + ": " + resp.body());
          }
          return null;
        }));
      }
      for (var f : futures) f.get();
    } finally {
      pool.shutdownNow();
    }
    return new Run(latencies, (System.nanoTime() - t0) / 1e9);
  }

  private static void record(String name, Run run, Map<String, Object> r, PrintStream out) {
    int n = run.latenciesNanos().length;
    double rps = n / run.seconds();
    r.put(name + "_rps", rps);
    r.put(name + "_p50_ms", Benchmark.pct(run.latenciesNanos(), n, 0.50));
    r.put(name + "_p99_ms", Benchmark.pct(run.latenciesNanos(), n, 0.99));
    out.printf("[bench-assign] %-7s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms%n", name, rps, r.get(name + "_p50_ms"), r.get(name + "_p99_ms"));
  }

  private static Map<String, Object> definition(String id) {
    var def = new LinkedHashMap<String, Object>();
    def.put("experiment_id", id);
    def.put("name", "assignment benchmark");
    def.put("hypothesis", "none: load only");
    def.put("component", "job_discovery");
    def.put("parameter", "min_fit_score_to_apply");
    def.put("variants", List.of(Map.of("variant_id", "control", "value", 60, "allocation", 0.5),
        Map.of("variant_id", "low", "value", 55, "allocation", 0.5)));
    def.put("success_metric", "interview_rate");
    def.put("minimum_sample_size", 1000);
    def.put("maximum_duration_days", 30);
    def.put("attribution_window_days", 0);
    def.put("expected_improvement", 0.5);
    def.put("baseline_rate", 0.2);
    def.put("rollback_plan", "stop the benchmark");
    return def;
  }
}
