package io.hireloop.cli.chaos;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.hireloop.platform.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Scenario "overload": first the node's capacity is measured (closed-loop clients at full speed, events/s
 * acknowledged), then batches are offered open-loop at {@code factor} times that rate — senders that do not slow
 * down when the node does, as a fleet of services would. Every request must be answered, well within the client's
 * 30 s, with a 200 or a 429/503 carrying Retry-After and the API's error body; the heap after GC of the node's JVM
 * is read from its /metrics every second; afterwards the node must still be ready and every acknowledged event in the
 * journal exactly once.
 */
public final class OverloadScenario {
  /**
   * @param clients closed-loop clients of the capacity phase
   * @param batch events per batch (both phases)
   * @param capacityTime length of the capacity phase (after {@code warmup})
   * @param overloadTime length of the overload phase
   * @param factor offered rate / capacity
   * @param maxInFlight requests the open-loop sender keeps in flight at most (a send beyond it is counted as
   *     skipped: the client, not the node, would be the limit)
   */
  public record Settings(int clients, int batch, Duration warmup, Duration capacityTime, Duration overloadTime, double factor,
      int maxInFlight, String userPrefix) {}

  /** One second of the overload phase. */
  public record Second(int second, long acknowledged, long refused, double heapAfterGcMib, long inFlight) {}

  /**
   * @param withoutRetryAfter 429/503 answers without Retry-After or without the API's JSON error body
   * @param noAnswerReasons the client's exception (class name) for each request it got no answer to, counted
   * @param p50Millis latency of the 200s; {@code answerP99Millis} and {@code answerMaxMillis} of every answer
   * @param heapSamplesMissed seconds whose /metrics scrape the node did not answer within 2 s (last value kept)
   * @param refusalCodes the 429/503 answers by status and error code ("503 overloaded", ...)
   * @param nodeView the ingest route's own timing from the node's /metrics (from the route's first sight of a request
   *     until the route's work ended; a request Pekko answered at its timeout ends later), as a line
   */
  public record Result(double capacityEventsPerSecond, double offeredEventsPerSecond, double acknowledgedEventsPerSecond,
      long batchesSent, long ok, long refused429, long refused503, long withoutRetryAfter, long otherStatus, long noAnswer,
      Map<String, Long> noAnswerReasons, long skippedSends, double p50Millis, double p99Millis, double answerP99Millis,
      double answerMaxMillis, double heapMaxMib, double heapAfterGcFirstMib, double heapAfterGcMaxMib, double heapAfterGcLastMib,
      long heapSamplesMissed, Map<String, Long> refusalCodes, String nodeView, boolean readyAfter, List<Second> seconds,
      JournalCheck.Verdict verdict) {
    /** Every answer a 200 or a 429/503 with Retry-After and error body (whether or not every request got one). */
    public boolean onlyOkOrRefusedWithRetryAfter() {
      return otherStatus == 0 && withoutRetryAfter == 0;
    }

    /** Every request answered (no client timeout, no refused or reset connection), the slowest within {@code limit}. */
    public boolean everyRequestAnsweredWithin(Duration limit) {
      return noAnswer == 0 && skippedSends == 0 && answerMaxMillis <= limit.toMillis();
    }

    public List<String> summary() {
      return List.of(
          String.format(Locale.ROOT, "capacity: %.0f events/s acknowledged by closed-loop clients", capacityEventsPerSecond),
          String.format(Locale.ROOT, "offered: %.0f events/s open-loop (%d batches); acknowledged %.0f events/s",
              offeredEventsPerSecond, batchesSent, acknowledgedEventsPerSecond),
          String.format(Locale.ROOT, "answers: 200 %d, 429 %d, 503 %d (without Retry-After or error body: %d), other %d, no answer %d%s; "
              + "sends skipped at the client's in-flight cap: %d", ok, refused429, refused503, withoutRetryAfter, otherStatus, noAnswer,
              noAnswerReasons.isEmpty() ? "" : " " + noAnswerReasons, skippedSends),
          "refusals by code: " + refusalCodes,
          String.format(Locale.ROOT, "latency of the 200s: p50 %.0f ms, p99 %.0f ms; of every answer: p99 %.0f ms, max %.0f ms",
              p50Millis, p99Millis, answerP99Millis, answerMaxMillis),
          "node's view: " + nodeView,
          String.format(Locale.ROOT, "node's heap after GC (of %.0f MiB): first %.0f, max %.0f, last %.0f MiB (%d scrapes missed); "
              + "node ready afterwards: %s", heapMaxMib, heapAfterGcFirstMib, heapAfterGcMaxMib, heapAfterGcLastMib, heapSamplesMissed, readyAfter),
          String.format(Locale.ROOT, "acknowledged %d events, found %d, missing %d, stored more than once %d",
              verdict.acknowledged(), verdict.found(), verdict.missing(), verdict.duplicated()));
    }
  }

  private OverloadScenario() {}

  /**
   * {@link #run} against a node of its own in a child JVM ({@link NodeProcess}, -Xmx {@code nodeHeap}), so that the
   * open-loop client is not in the node's process: the node gets {@code config}'s {@code hireloop} and
   * {@code pekko.http} settings (a {@code hireloop.data-dir} of its own: embedded Cassandra) and free ports.
   */
  public static Result runOnChildNode(Settings s, Config config, Path dir, String nodeHeap, String serviceToken, String adminToken,
      Consumer<String> progress) {
    var ports = ConfigFactory.parseMap(Map.of(
        "hireloop.http.interface", "127.0.0.1",
        "hireloop.http.port", KillNodeScenario.freePort(),
        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
        "pekko.remote.artery.canonical.port", KillNodeScenario.freePort()));
    var nodeConfig = ports.withFallback(config.getConfig("hireloop").atKey("hireloop"))
        .withFallback(config.getConfig("pekko.http").atPath("pekko.http"));
    long t0 = System.nanoTime();
    try (var node = NodeProcess.start(0, dir, nodeConfig, nodeHeap)) {
      node.awaitReady(Duration.ofMinutes(5));
      progress.accept(String.format(Locale.ROOT, "node ready in its own JVM (pid %d, -Xmx%s, log %s) in %.1f s", node.pid(), nodeHeap,
          dir.resolve("node-0.log"), (System.nanoTime() - t0) / 1e9));
      return run(s, node.url(), serviceToken, adminToken, progress);
    }
  }

  public static Result run(Settings s, String nodeUrl, String serviceToken, String adminToken, Consumer<String> progress) {
    var heap = new ScrapedHeap(nodeUrl);
    // a fresh JVM's first scrapes may be slow on a loaded machine
    if (!KillNodeScenario.waitUntil(heap::sample, Duration.ofSeconds(60), "the node's /metrics", progress, null)) {
      throw new IllegalStateException(nodeUrl + "/metrics did not answer within 60 s before the load");
    }
    long missedBefore = heap.missed();
    // capacity: closed-loop clients as fast as the node answers
    var closed = new IngestLoad(new IngestLoad.Settings(s.clients(), 5, s.batch(), Duration.ZERO, s.userPrefix() + "-cap"),
        () -> List.of(nodeUrl), serviceToken, Duration.ofSeconds(30));
    closed.start();
    KillNodeScenario.waitUntil(() -> false, s.warmup(), "warm-up", progress, closed);
    long before = closed.totals().eventsAcknowledged();
    long t0 = System.nanoTime();
    KillNodeScenario.waitUntil(() -> false, s.capacityTime(), "capacity", progress, closed);
    double capacity = (closed.totals().eventsAcknowledged() - before) / ((System.nanoTime() - t0) / 1e9);
    closed.close();
    double offered = capacity * s.factor();
    progress.accept(String.format(Locale.ROOT, "capacity %.0f events/s; offering %.0f events/s for %d s", capacity, offered,
        s.overloadTime().toSeconds()));

    var open = new OpenLoop(s, nodeUrl, serviceToken);
    var seconds = new ArrayList<Second>();
    var ticker = Executors.newSingleThreadScheduledExecutor();
    long start = System.nanoTime();
    double batchesPerTick = offered / s.batch() / 10.0;
    double[] owed = {0};
    ticker.scheduleAtFixedRate(() -> {
      owed[0] += batchesPerTick;
      while (owed[0] >= 1) {
        owed[0] -= 1;
        open.send();
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
    double firstHeap = -1;
    for (int sec = 1; sec <= s.overloadTime().toSeconds(); sec++) {
      long due = start + sec * 1_000_000_000L;
      sleepUntil(due);
      heap.sample();
      double h = heap.afterGcMib();
      if (firstHeap < 0) firstHeap = h;
      seconds.add(new Second(sec, open.ok.sum() * s.batch(), open.s429.sum() + open.s503.sum(), h, open.inFlight.get()));
      if (sec % 5 == 0) {
        progress.accept(String.format(Locale.ROOT, "  %3d s: %d events acknowledged, %d batches refused, %d in flight, heap after GC %.0f MiB",
            sec, open.ok.sum() * s.batch(), open.s429.sum() + open.s503.sum(), open.inFlight.get(), h));
      }
    }
    ticker.shutdownNow();
    double elapsed = (System.nanoTime() - start) / 1e9;
    long acknowledgedInTime = open.ok.sum() * s.batch();
    open.awaitIdle(Duration.ofSeconds(60));
    // the node still works off what it admitted: ready once it answers again, within a minute
    var probe = new ChaosHttp(Duration.ofSeconds(10));
    var ready = KillNodeScenario.waitUntil(() -> probe.get(nodeUrl + "/health/ready", null).ok(), Duration.ofSeconds(60),
        "the node ready again", progress, null);
    var latencies = open.latencies(open.okNanos);
    var answers = open.latencies(open.answerNanos);
    var nodeView = nodeView(nodeUrl);
    var verdict = JournalCheck.run(open.acknowledged, new ArrayList<>(open.users()), nodeUrl, adminToken);
    double maxAfterGc = seconds.stream().mapToDouble(Second::heapAfterGcMib).max().orElse(0);
    return new Result(capacity, offered, acknowledgedInTime / elapsed, open.sent.sum(), open.ok.sum(), open.s429.sum(),
        open.s503.sum(), open.noRetryAfter.sum(), open.other.sum(), open.noAnswer.sum(), open.noAnswerReasons(), open.skipped.sum(),
        percentile(latencies, 0.5), percentile(latencies, 0.99), percentile(answers, 0.99), percentile(answers, 1.0), heap.maxMib(),
        firstHeap, maxAfterGc, seconds.isEmpty() ? 0 : seconds.get(seconds.size() - 1).heapAfterGcMib(), heap.missed() - missedBefore,
        open.refusalCodes(), nodeView, ready,
        seconds, verdict);
  }

  /** Batches sent without waiting for the answers of earlier ones; a refused batch is not sent again. */
  private static final class OpenLoop {
    private final Settings s;
    private final String url;
    private final String token;
    // HTTP/1.1, which the node speaks: the default (HTTP/2) would try an h2c upgrade on every new connection
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3))
        .build();
    private final Instant base = Instant.now().minus(Duration.ofDays(2));
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final LongAdder sent = new LongAdder();
    private final LongAdder ok = new LongAdder();
    private final LongAdder s429 = new LongAdder();
    private final LongAdder s503 = new LongAdder();
    private final LongAdder noRetryAfter = new LongAdder();
    private final LongAdder other = new LongAdder();
    private final LongAdder noAnswer = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final List<Long> okNanos = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> answerNanos = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, LongAdder> noAnswerBy = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refusedBy = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
    private final Set<String> users = ConcurrentHashMap.newKeySet();

    OpenLoop(Settings s, String url, String token) {
      this.s = s;
      this.url = url;
      this.token = token;
    }

    Set<String> users() {
      return users;
    }

    void send() {
      if (inFlight.get() >= s.maxInFlight()) {
        skipped.increment();
        return;
      }
      long n = next.getAndIncrement();
      // 500 users, a batch each in turn: every batch is new applications of one user
      var user = s.userPrefix() + "-o" + (n % 500);
      users.add(user);
      var events = new ArrayList<Map<String, Object>>();
      for (int i = 0; i < s.batch(); i++) {
        long k = n / 500 * s.batch() + i;
        events.add(IngestLoad.application(user, k, base));
      }
      var request = HttpRequest.newBuilder(URI.create(url + "/api/v1/events")).timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("events", events)))).build();
      inFlight.incrementAndGet();
      sent.increment();
      long began = System.nanoTime();
      http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
        inFlight.decrementAndGet();
        if (e != null) {
          noAnswer.increment();
          var cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
          noAnswerBy.computeIfAbsent(cause.getClass().getSimpleName(), k -> new LongAdder()).increment();
          return;
        }
        long took = System.nanoTime() - began;
        answerNanos.add(took);
        switch (r.statusCode()) {
          case 200 -> {
            ok.increment();
            okNanos.add(took);
            var ids = acknowledged.computeIfAbsent(user, k -> ConcurrentHashMap.newKeySet());
            for (var result : Json.read(r.body()).path("results")) ids.add(result.path("event_id").asText());
          }
          case 429, 503 -> {
            (r.statusCode() == 429 ? s429 : s503).increment();
            if (r.headers().firstValue("Retry-After").isEmpty() || !hasErrorBody(r.body())) noRetryAfter.increment();
            refusedBy.computeIfAbsent(r.statusCode() + " " + errorCode(r.body()), k -> new LongAdder()).increment();
          }
          default -> other.increment();
        }
      });
    }

    void awaitIdle(Duration limit) {
      long deadline = System.nanoTime() + limit.toNanos();
      while (inFlight.get() > 0 && System.nanoTime() < deadline) sleepUntil(System.nanoTime() + 100_000_000L);
    }

    List<Long> latencies(List<Long> nanos) {
      synchronized (nanos) {
        var copy = new ArrayList<>(nanos);
        Collections.sort(copy);
        return copy;
      }
    }

    Map<String, Long> noAnswerReasons() {
      return sums(noAnswerBy);
    }

    Map<String, Long> refusalCodes() {
      return sums(refusedBy);
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counters) {
      var m = new java.util.TreeMap<String, Long>();
      counters.forEach((k, v) -> m.put(k, v.sum()));
      return m;
    }

    /** API.md's error body: {"error": {"code": ..., "message": ...}}. */
    private static boolean hasErrorBody(String body) {
      return !errorCode(body).isEmpty();
    }

    private static String errorCode(String body) {
      try {
        return Json.read(body).path("error").path("code").asText("");
      } catch (RuntimeException e) {
        return "";
      }
    }
  }

  /**
   * The ingest route's histogram on the node: requests it finished, and how many took over 5 s and over 10 s from the
   * route's first sight of the request. A request Pekko answered at its timeout is counted when the route's work for
   * it ended, after the answer (its late response is dropped).
   */
  private static String nodeView(String nodeUrl) {
    var reply = new ChaosHttp(Duration.ofSeconds(10)).get(nodeUrl + "/metrics", null);
    if (!reply.ok()) return "(the node's /metrics did not answer)";
    var route = "{route=\"/api/v1/events\",";
    var text = reply.body();
    double count = ScrapedHeap.value(text, "hireloop_http_request_seconds_count" + route).orElse(0);
    double under5 = ScrapedHeap.value(text, "hireloop_http_request_seconds_bucket" + route + "le=\"5.0\"").orElse(0);
    double under10 = ScrapedHeap.value(text, "hireloop_http_request_seconds_bucket" + route + "le=\"10.0\"").orElse(0);
    return String.format(Locale.ROOT, "the ingest route finished %.0f requests (capacity phase included), %.0f of them over 5 s "
        + "and %.0f over 10 s after it first saw them (those Pekko answered at the timeout end later)", count, count - under5,
        count - under10);
  }

  private static double percentile(List<Long> sortedNanos, double q) {
    if (sortedNanos.isEmpty()) return Double.NaN;
    int i = (int) Math.min(sortedNanos.size() - 1, Math.floor(q * sortedNanos.size()));
    return sortedNanos.get(i) / 1e6;
  }

  private static void sleepUntil(long nanoTime) {
    long wait = nanoTime - System.nanoTime();
    if (wait <= 0) return;
    try {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // the sampler's clock, not a wait for a condition
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
