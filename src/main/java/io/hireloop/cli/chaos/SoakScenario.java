package io.hireloop.cli.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Scenario "soak": steady ingest for a long time while users come and go (each gets {@code eventsPerUser} events,
 * then its client moves on to a new user). Every {@code sampleEvery}: the heap after GC of the JVM holding the node,
 * and the projection lag as a client sees it (a probe event's 200 until the user's performance read model shows it).
 * Flat means the last third of the run is not above the first third by more than a margin; the least-squares slope
 * per minute is reported next to it.
 */
public final class SoakScenario {
  /** {@code warmup}: load before the first sample (JIT, the read side's first polls), not part of {@code duration}. */
  public record Settings(Duration warmup, Duration duration, Duration sampleEvery, int clients, int usersPerClient, int batch,
      Duration pause, int eventsPerUser, String userPrefix) {}

  /**
   * {@code liveMib}: the node's live heap, measured by a full GC (a class histogram) at the sample — the leak signal;
   * {@code heapAfterGcMib}: in use after its latest own collection, which with G1 also counts old-generation garbage
   * not yet reached by a mixed collection, so it climbs until one runs whether or not anything leaks.
   */
  public record Sample(double minute, long eventsAcknowledged, double liveMib, double heapAfterGcMib, double lagMillis) {}

  /** {@code first}/{@code last}: means over the first and the last third of the samples. */
  public record Trend(double first, double last, double slopePerMinute) {
    /** The last third is at most {@code factor} x the first third plus {@code slack}. */
    public boolean flat(double factor, double slack) {
      return last <= first * factor + slack;
    }
  }

  /** {@code liveStartMib}/{@code liveEndMib}: live heap after a full GC when sampling began and when it ended. */
  public record Result(double minutes, long eventsAcknowledged, long retries, List<Sample> samples, Trend live, Trend heap, Trend lag,
      double lagMaxMillis, JournalCheck.Verdict verdict, double liveStartMib, double liveEndMib, List<String> grown) {
    public List<String> summary() {
      var lines = new ArrayList<String>();
      lines.add(String.format(Locale.ROOT, "load: %.1f min, %d events acknowledged (%.0f events/s), %d retries", minutes,
          eventsAcknowledged, eventsAcknowledged / (minutes * 60), retries));
      lines.add(String.format(Locale.ROOT, "live heap (full GC at each sample): first third %.0f MiB, last third %.0f MiB, slope %+.1f MiB/min",
          live.first(), live.last(), live.slopePerMinute()));
      lines.add(String.format(Locale.ROOT, "heap after the node's own GCs: first third %.0f MiB, last third %.0f MiB, slope %+.1f MiB/min",
          heap.first(), heap.last(), heap.slopePerMinute()));
      lines.add(String.format(Locale.ROOT, "projection lag (200 -> performance read model): first third %.0f ms, last third %.0f ms, "
          + "max %.0f ms, slope %+.0f ms/min", lag.first(), lag.last(), lagMaxMillis, lag.slopePerMinute()));
      lines.add(String.format(Locale.ROOT, "acknowledged %d events, found %d, missing %d, stored more than once %d",
          verdict.acknowledged(), verdict.found(), verdict.missing(), verdict.duplicated()));
      lines.add(String.format(Locale.ROOT, "live heap after a full GC: %.0f MiB at the start, %.0f MiB at the end; grown most:",
          liveStartMib, liveEndMib));
      grown.forEach(g -> lines.add("  " + g));
      return lines;
    }
  }

  private SoakScenario() {}

  /**
   * The soak against one app node in a child JVM of its own on the Cassandra at {@code cassandraContactPoint}, so that
   * the heap judged is the node's alone (the clients' record of every acknowledged event id grows with the run).
   */
  public static Result runOnChildNode(Settings s, String cassandraContactPoint, java.nio.file.Path dir, String nodeHeap,
      String serviceToken, String adminToken, Consumer<String> progress) {
    int[] remotePorts = {KillNodeScenario.freePort()};
    var config = KillNodeScenario.nodeConfig(cassandraContactPoint, "soak", dir, 0, KillNodeScenario.freePort(), remotePorts, Map.of());
    try (var node = NodeProcess.start(0, dir, config, nodeHeap)) {
      long t0 = System.nanoTime();
      node.awaitReady(Duration.ofSeconds(300));
      progress.accept(String.format(Locale.ROOT, "app node (pid %d, -Xmx%s) ready in %.1f s; its log: %s", node.pid(), nodeHeap,
          (System.nanoTime() - t0) / 1e9, node.log()));
      return run(s, node.url(), NodeHeap.child(node.url(), node.pid()), serviceToken, adminToken, progress);
    }
  }

  /** The soak against the node at {@code nodeUrl}, whose JVM's heap {@code heap} reads (closed at the end). */
  public static Result run(Settings s, String nodeUrl, NodeHeap nodeHeap, String serviceToken, String adminToken,
      Consumer<String> progress) {
    try (var heap = nodeHeap) {
      var load = new IngestLoad(new IngestLoad.Settings(s.clients(), s.usersPerClient(), s.batch(), s.pause(), s.userPrefix(),
          s.eventsPerUser()), () -> List.of(nodeUrl), serviceToken, Duration.ofSeconds(30));
      var probe = new LagProbe(nodeUrl, serviceToken, s.userPrefix() + "-probe");
      var samples = new ArrayList<Sample>();
      load.start();
      long warm = System.nanoTime() + s.warmup().toNanos();
      KillNodeScenario.waitUntil(() -> System.nanoTime() >= warm, s.warmup().plusSeconds(60), "warm-up", progress, load);
      probe.measure(); // the first probe also starts the probe user's entity and read-model rows: not a sample
      var before = heap.histogram();
      long start = System.nanoTime();
      for (int i = 1; ; i++) {
        long due = start + i * s.sampleEvery().toNanos();
        if (due > start + s.duration().toNanos()) break;
        KillNodeScenario.waitUntil(() -> System.nanoTime() >= due, s.sampleEvery().plusSeconds(60), "the next sample", m -> { }, null);
        double lag = probe.measure();
        double afterGc = heap.afterGcMib(); // before the full GC of the histogram replaces the node's own latest collection
        double live = heap.histogram().totalBytes() / 1048576.0;
        var sample = new Sample((System.nanoTime() - start) / 60e9, load.totals().eventsAcknowledged(), live, afterGc, lag);
        samples.add(sample);
        progress.accept(String.format(Locale.ROOT, "  %5.1f min: %d events acknowledged, live heap %.0f MiB (after GC %.0f MiB), lag %.0f ms",
            sample.minute(), sample.eventsAcknowledged(), sample.liveMib(), sample.heapAfterGcMib(), sample.lagMillis()));
      }
      double minutes = (System.nanoTime() - start) / 60e9;
      var after = heap.histogram(); // while the load is still running: the same kind of moment as `before`
      load.close();
      var verdict = JournalCheck.run(load.acknowledged(), load.users(), nodeUrl, adminToken);
      return new Result(minutes, load.totals().eventsAcknowledged(), load.totals().retries(), samples,
          trend(samples, Sample::liveMib), trend(samples, Sample::heapAfterGcMib), trend(samples, Sample::lagMillis),
          samples.stream().mapToDouble(Sample::lagMillis).max().orElse(0), verdict, before.totalBytes() / 1048576.0,
          after.totalBytes() / 1048576.0, after.grownSince(before, 12).stream().map(ClassHistogram::describe).toList());
    }
  }

  static Trend trend(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> value) {
    int n = samples.size();
    if (n == 0) return new Trend(0, 0, 0);
    int third = Math.max(1, n / 3);
    double first = samples.subList(0, third).stream().mapToDouble(value).average().orElse(0);
    double last = samples.subList(n - third, n).stream().mapToDouble(value).average().orElse(0);
    double mx = samples.stream().mapToDouble(Sample::minute).average().orElse(0);
    double my = samples.stream().mapToDouble(value).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    for (var x : samples) {
      sxy += (x.minute() - mx) * (value.applyAsDouble(x) - my);
      sxx += (x.minute() - mx) * (x.minute() - mx);
    }
    return new Trend(first, last, sxx == 0 ? 0 : sxy / sxx);
  }

  /**
   * Projection lag as a client sees it: one new application of the probe user, then the time from its 200 until
   * {@code GET /users/{id}/performance} reports its sequence number.
   */
  private static final class LagProbe {
    private final ChaosHttp http = new ChaosHttp(Duration.ofSeconds(30));
    private final String url;
    private final String token;
    private final String user;
    private final Instant base = Instant.now().minus(Duration.ofDays(1));
    private int next;

    LagProbe(String url, String token, String user) {
      this.url = url;
      this.token = token;
      this.user = user;
    }

    /** Milliseconds; NaN when the event was not acknowledged or not visible within 60 s. */
    double measure() {
      int i = next++;
      var event = Map.of("event_id", user + "-e" + i, "event_type", "APPLICATION_CREATED", "user_id", user,
          "timestamp", base.plusSeconds(i).toString(), "application_id", user + "-a" + i, "job_id", "job-1",
          "resume_version_id", "r-1", "context", Map.of("strategy_mode", "balanced", "fit_score", 60, "category", "target",
              "resume_score", 70, "tailoring_applied", true, "job_characteristics",
              Map.of("title", "Engineer", "company", "Acme", "seniority", "mid", "location", "Berlin")));
      var reply = http.post(url + "/api/v1/events", token, io.hireloop.platform.Json.write(Map.of("events", List.of(event))));
      if (!reply.ok()) return Double.NaN;
      long seqNr = reply.json().path("results").get(0).path("seq_nr").asLong();
      long acked = System.nanoTime();
      long deadline = acked + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        var perf = http.get(url + "/api/v1/users/" + user + "/performance", token);
        if (perf.ok() && perf.json().path("as_of_seq_nr").asLong() >= seqNr) return (System.nanoTime() - acked) / 1e6;
        try {
          Thread.sleep(20); // poll interval of the read model
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Double.NaN;
        }
      }
      return Double.NaN;
    }
  }
}
