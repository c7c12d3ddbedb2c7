package io.hireloop.cli;

import io.hireloop.simulation.SimulationModel;
import io.hireloop.simulation.Simulator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bin/hireloop simulate --users N --weeks W --seed S --out DIR [--start 2026-01-05]
 * [--post URL --token T [--rate R] [--clients C]]}: writes the simulated population (see README "Simulator")
 * and optionally streams {@code events.jsonl} into a node through {@code POST /api/v1/events}.
 */
final class SimulateCommand {
  static final int BATCH = 100;
  static final int MAX_ATTEMPTS = 10;
  /** 429s with Retry-After (ingest paced while the node's read models catch up) a batch waits out before giving up. */
  static final int MAX_PACED = 120;

  private SimulateCommand() {}

  static int run(Cli.Options o, PrintStream out) throws IOException, InterruptedException {
    int users = o.integer("users", 1000);
    int weeks = o.integer("weeks", 26);
    long seed;
    try {
      seed = Long.parseLong(o.get("seed", "1"));
    } catch (NumberFormatException e) {
      throw new Cli.UsageException("--seed must be a whole number");
    }
    LocalDate start;
    try {
      start = LocalDate.parse(o.get("start", "2026-01-05"));
    } catch (java.time.format.DateTimeParseException e) {
      throw new Cli.UsageException("--start must be a date like 2026-01-05");
    }
    if (users < 1 || weeks < 1) throw new Cli.UsageException("--users and --weeks must be positive");
    String post = o.values().get("post");
    Path dir = o.values().containsKey("out") ? Path.of(o.required("out"))
        : post != null ? Files.createTempDirectory("hireloop-sim") : Path.of(o.required("out"));
    var sim = new Simulator(SimulationModel.defaults(), users, weeks, seed, start);
    if (post != null && sim.end().isAfter(Instant.now())) {
      throw new Cli.UsageException("the run ends " + sim.end() + ", in the future: the node would refuse those events;"
          + " choose an earlier --start or fewer --weeks");
    }
    long t0 = System.nanoTime();
    var s = sim.run(dir);
    double secs = (System.nanoTime() - t0) / 1e9;
    out.printf("simulated %d users x %d weeks (%s .. %s): %d events, %d applications, interview rate %.3f, oracle AUC %.4f (%s) in %.1f s%n",
        s.users(), s.weeks(), s.start(), s.end(), s.events(), s.applications(),
        s.applications() == 0 ? 0.0 : (double) s.interviews() / s.applications(), s.oracleAuc(), s.oracleAucMethod(), secs);
    out.printf("wrote %s, %s, %s%n", s.eventsFile(), s.groundTruthFile(), s.truthFile());
    if (post == null) return 0;
    String token = o.required("token");
    double rate = Double.parseDouble(o.get("rate", "0"));
    int clients = o.integer("clients", 4);
    return post(s.eventsFile(), s.events(), post, token, rate, clients, out);
  }

  /** What {@link #post} did: events acknowledged, how many of them were new (not duplicates), why it stopped early. */
  record PostResult(long sent, long fresh, String failure) {}

  /** Called every quarter second or so while posting, and once more with {@code last} at the end. */
  @FunctionalInterface
  interface Progress {
    void report(long sent, long total, double seconds, boolean last);
  }

  static int post(Path events, long total, String url, String token, double rate, int clients, PrintStream out)
      throws IOException, InterruptedException {
    var bar = ProgressBar.stdout(out);
    var r = post(events, total, url, token, rate, clients,
        (sent, all, secs, last) -> bar.update("  sent ", sent, all, "events", sent / Math.max(1e-3, secs), last));
    if (r.failure() != null) {
      System.err.println("hireloop: posting stopped: " + r.failure());
      return 1;
    }
    out.println("posted " + r.sent() + " events (" + r.fresh() + " new, " + (r.sent() - r.fresh()) + " duplicates) to "
        + url.replaceAll("/+$", "") + "/api/v1/events");
    return 0;
  }

  /**
   * Streams the file in batches of up to {@link #BATCH}. Lines go to one of {@code clients} lanes by user, and
   * each lane sends its batches one after the other, so a user's events arrive in file (time) order. 429, 503
   * and connection errors are retried with exponential backoff; a retried batch is idempotent (stable event ids).
   */
  static PostResult post(Path events, long total, String url, String token, double rate, int clients, Progress progress)
      throws IOException, InterruptedException {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    var endpoint = URI.create(url.replaceAll("/+$", "") + "/api/v1/events");
    var sent = new AtomicLong();
    var fresh = new AtomicLong();
    var failure = new AtomicReference<String>();
    var limiter = new Pacer(rate);
    List<BlockingQueue<List<String>>> lanes = new ArrayList<>();
    var threads = new ArrayList<Thread>();
    var poison = List.<String>of();
    for (int i = 0; i < clients; i++) {
      var q = new ArrayBlockingQueue<List<String>>(8);
      lanes.add(q);
      var th = new Thread(() -> {
        try {
          while (true) {
            var batch = q.take();
            if (batch == poison) return;
            if (failure.get() != null) continue;
            limiter.acquire(batch.size());
            var r = send(http, endpoint, token, batch);
            if (r.error() != null) {
              failure.compareAndSet(null, r.error());
            } else {
              sent.addAndGet(batch.size());
              fresh.addAndGet(r.fresh());
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "simulate-post-" + i);
      th.start();
      threads.add(th);
    }
    long t0 = System.nanoTime();
    long lastReport = t0;
    List<List<String>> pending = new ArrayList<>();
    for (int i = 0; i < clients; i++) pending.add(new ArrayList<>(BATCH));
    try (var reader = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null && failure.get() == null) {
        int lane = Math.floorMod(userOf(line).hashCode(), clients);
        var b = pending.get(lane);
        b.add(line);
        if (b.size() == BATCH) {
          lanes.get(lane).put(b);
          pending.set(lane, new ArrayList<>(BATCH));
        }
        long now = System.nanoTime();
        if (now - lastReport > 250_000_000L) {
          lastReport = now;
          progress.report(sent.get(), total, (now - t0) / 1e9, false);
        }
      }
    }
    for (int i = 0; i < clients; i++) {
      if (!pending.get(i).isEmpty()) lanes.get(i).put(pending.get(i));
      lanes.get(i).put(poison);
    }
    for (var th : threads) {
      while (th.isAlive()) {
        th.join(250);
        progress.report(sent.get(), total, (System.nanoTime() - t0) / 1e9, false);
      }
    }
    progress.report(sent.get(), total, (System.nanoTime() - t0) / 1e9, true);
    return new PostResult(sent.get(), fresh.get(), failure.get());
  }

  static String userOf(String line) {
    int i = line.indexOf("\"user_id\":\"");
    if (i < 0) return "";
    int from = i + 11;
    return line.substring(from, line.indexOf('"', from));
  }

  /** One batch's fate: {@code error} null when it was stored; {@code fresh}: events that were not duplicates. */
  record Sent(String error, int fresh) {}

  /** Sends one batch, retrying 429, 503 and connection errors. */
  static Sent send(HttpClient http, URI endpoint, String token, List<String> batch) throws InterruptedException {
    var body = "{\"events\":[" + String.join(",", batch) + "]}";
    long backoff = 200;
    int paced = 0;
    String last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        var req = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        var r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return new Sent(null, accepted(r.body()));
        last = "HTTP " + r.statusCode() + ": " + abbreviate(r.body());
        if (r.statusCode() != 429 && r.statusCode() != 503) return new Sent(last, 0);
        // paced (the node's read models are behind): the node says when to come back
        long retryAfter = ApiClient.retryAfterSeconds(r);
        if (retryAfter > 0 && paced++ < MAX_PACED) {
          Thread.sleep(retryAfter * 1000);
          attempt--; // being paced is not a failed attempt
          continue;
        }
      } catch (IOException e) {
        last = "cannot reach " + endpoint + ": " + e;
      }
      Thread.sleep(backoff + (long) (Math.random() * backoff / 2));
      backoff = Math.min(10_000, backoff * 2);
    }
    return new Sent(last + " (after " + MAX_ATTEMPTS + " attempts)", 0);
  }

  /** Results with status "accepted" (the others are duplicates) in an ingest answer. */
  static int accepted(String body) {
    int n = 0;
    for (var result : io.hireloop.platform.Json.read(body).path("results")) {
      if (result.path("status").asText().equals("accepted")) n++;
    }
    return n;
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 400 ? s.substring(0, 400) + "..." : s;
  }

  /** At most {@code rate} events per second overall (0: unlimited). */
  static final class Pacer {
    private final double rate;
    private double nextFreeNanos = System.nanoTime();

    Pacer(double rate) {
      this.rate = rate;
    }

    void acquire(int events) throws InterruptedException {
      if (rate <= 0) return;
      long wait;
      synchronized (this) {
        long now = System.nanoTime();
        nextFreeNanos = Math.max(nextFreeNanos, now) + events * 1e9 / rate;
        wait = (long) (nextFreeNanos - now - events * 1e9 / rate);
      }
      if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }
}
