package io.hireloop.cli.chaos;

import io.hireloop.platform.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Sustained ingest by retrying clients, as the platform's services behave: each client owns some users and sends
 * them batches of new applications one after the other; a batch that gets no 200 (no answer, 429, 503, ...) is sent
 * again with the same event ids, to the next node, after the Retry-After it was given (else a short pause), until it
 * is acknowledged. What a 200 acknowledged is kept, so that the journal can be checked against it afterwards.
 *
 * <p>One user per batch: the user's entity persists a batch atomically, so a batch is either wholly in the journal or
 * not at all, and an unanswered one is "in doubt" until its retry says accepted or duplicate.
 */
final class IngestLoad implements AutoCloseable {
  /**
   * @param clients concurrent clients (threads)
   * @param usersPerClient users each client cycles through
   * @param batch events per batch
   * @param pause pause of each client after an acknowledged batch (zero: as fast as the node answers)
   * @param userPrefix user ids are {@code prefix-c<client>-u<n>} (then {@code -g<k>} for the k-th user of that slot)
   * @param eventsPerUser after this many events a slot moves on to a new user, as users come and go on the platform
   *     (their entities go idle and are passivated); 0: the same users throughout
   */
  record Settings(int clients, int usersPerClient, int batch, Duration pause, String userPrefix, int eventsPerUser) {
    Settings {
      if (clients < 1 || usersPerClient < 1 || batch < 1) throw new IllegalArgumentException("clients, users and batch must be >= 1");
      if (eventsPerUser < 0) throw new IllegalArgumentException("eventsPerUser must be >= 0");
    }

    Settings(int clients, int usersPerClient, int batch, Duration pause, String userPrefix) {
      this(clients, usersPerClient, batch, pause, userPrefix, 0);
    }
  }

  /** Counters of the run so far. */
  record Totals(long batchesAcknowledged, long eventsAcknowledged, long reportedDuplicates, long retries, long noAnswer,
      long status429, long status503, long otherStatus, long retryAfterMissing) {
    long refusedOrFailed() {
      return noAnswer + status429 + status503 + otherStatus;
    }
  }

  private final Settings settings;
  private final Supplier<List<String>> nodeUrls;
  private final String token;
  private final ChaosHttp http;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final Instant base = Instant.now().minus(Duration.ofDays(2));
  /** user → event ids a 200 acknowledged (accepted or duplicate). */
  private final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
  /** user → System.nanoTime() of its last acknowledged batch. */
  private final Map<String, Long> lastAck = new ConcurrentHashMap<>();
  /** user → System.nanoTime() of the first acknowledgement after {@link #markFault()}; recovery is measured from it. */
  private final Map<String, Long> firstAckAfterFault = new ConcurrentHashMap<>();
  private final AtomicLong faultAt = new AtomicLong(Long.MAX_VALUE);
  private final LongAdder batches = new LongAdder();
  private final LongAdder events = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder noAnswer = new LongAdder();
  private final LongAdder s429 = new LongAdder();
  private final LongAdder s503 = new LongAdder();
  private final LongAdder other = new LongAdder();
  private final LongAdder retryAfterMissing = new LongAdder();
  private final Map<Integer, String> lastFailure = new ConcurrentHashMap<>();
  private final Set<String> everyUser = ConcurrentHashMap.newKeySet();

  /** {@code nodeUrls}: the nodes to send to now (asked before every attempt, so a killed node can be left out). */
  IngestLoad(Settings settings, Supplier<List<String>> nodeUrls, String token, Duration requestTimeout) {
    this.settings = settings;
    this.nodeUrls = nodeUrls;
    this.token = token;
    this.http = new ChaosHttp(requestTimeout);
  }

  void start() {
    for (int c = 0; c < settings.clients(); c++) {
      int client = c;
      var t = new Thread(() -> runClient(client), "chaos-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Every user the run sent anything for (whether or not it was acknowledged). */
  List<String> users() {
    return new ArrayList<>(everyUser);
  }

  /** Users served at the same time: clients x users per client. */
  int slots() {
    return settings.clients() * settings.usersPerClient();
  }

  Map<String, Set<String>> acknowledged() {
    return acknowledged;
  }

  Totals totals() {
    return new Totals(batches.sum(), events.sum(), duplicates.sum(), retries.sum(), noAnswer.sum(), s429.sum(), s503.sum(),
        other.sum(), retryAfterMissing.sum());
  }

  /** The last failure of some client, for progress lines (null when none yet). */
  String lastFailure() {
    return lastFailure.values().stream().findAny().orElse(null);
  }

  /** From now on, remember each user's first acknowledgement (see {@link #slowestRecovery()}). */
  void markFault() {
    firstAckAfterFault.clear();
    faultAt.set(System.nanoTime());
  }

  /**
   * Time from {@link #markFault()} until the last user got an acknowledged batch again: every user's entity (so every
   * shard holding one) was reachable again by then. Empty while some user has not been served since.
   */
  java.util.Optional<Duration> slowestRecovery() {
    if (firstAckAfterFault.size() < slots()) return java.util.Optional.empty();
    long latest = firstAckAfterFault.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    return java.util.Optional.of(Duration.ofNanos(latest - faultAt.get()));
  }

  /** Each user's time from {@link #markFault()} to its first acknowledged batch after it (users served so far). */
  List<Duration> recoveries() {
    long fault = faultAt.get();
    return firstAckAfterFault.values().stream().map(t -> Duration.ofNanos(t - fault)).toList();
  }

  /** Users served again since {@link #markFault()}. */
  int usersServedSinceFault() {
    return firstAckAfterFault.size();
  }

  /** Stops sending new batches; a batch in flight gets its answer (or its timeout) first. */
  @Override
  public void close() {
    running.set(false);
    for (var t : threads) {
      try {
        t.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private String userId(int client, int user, int generation) {
    return settings.userPrefix() + "-c" + client + "-u" + user + (generation == 0 ? "" : "-g" + generation);
  }

  private void runClient(int client) {
    int[] nextEvent = new int[settings.usersPerClient()];
    int[] generation = new int[settings.usersPerClient()];
    int target = client;
    int u = 0;
    while (running.get()) {
      if (settings.eventsPerUser() > 0 && nextEvent[u] >= settings.eventsPerUser()) {
        generation[u]++;
        nextEvent[u] = 0;
      }
      var user = userId(client, u, generation[u]);
      everyUser.add(user);
      var body = batch(user, nextEvent[u]);
      nextEvent[u] += settings.batch();
      boolean first = true;
      while (true) { // the same batch until acknowledged; after close() it is left in doubt
        if (!first) retries.increment();
        first = false;
        var urls = nodeUrls.get();
        if (urls.isEmpty()) {
          pause(200);
          if (!running.get()) break;
          continue;
        }
        var url = urls.get(Math.floorMod(target, urls.size()));
        var reply = http.post(url + "/api/v1/events", token, body);
        if (reply.ok()) {
          acknowledge(user, reply);
          break;
        }
        countFailure(client, url, reply);
        target++; // the next node gets the retry
        if (!running.get()) break;
        pause(reply.hasRetryAfter() ? reply.retryAfterSeconds() * 1000 : 200);
      }
      u = (u + 1) % settings.usersPerClient();
      if (!settings.pause().isZero()) pause(settings.pause().toMillis());
    }
  }

  private void acknowledge(String user, ChaosHttp.Reply reply) {
    long now = System.nanoTime();
    var ids = acknowledged.computeIfAbsent(user, k -> ConcurrentHashMap.newKeySet());
    int n = 0;
    for (var r : reply.json().path("results")) {
      ids.add(r.path("event_id").asText());
      if ("duplicate".equals(r.path("status").asText())) duplicates.increment();
      n++;
    }
    events.add(n);
    batches.increment();
    lastAck.put(user, now);
    if (now >= faultAt.get()) firstAckAfterFault.putIfAbsent(user, now);
  }

  private void countFailure(int client, String url, ChaosHttp.Reply reply) {
    switch (reply.status()) {
      case 0 -> noAnswer.increment();
      case 429 -> s429.increment();
      case 503 -> s503.increment();
      default -> other.increment();
    }
    if ((reply.status() == 429 || reply.status() == 503) && !reply.hasRetryAfter()) retryAfterMissing.increment();
    lastFailure.put(client, url + ": " + (reply.status() == 0 ? reply.failure() : reply.status() + " " + abbreviate(reply.body())));
  }

  private String batch(String user, int from) {
    var list = new ArrayList<Map<String, Object>>();
    for (int i = from; i < from + settings.batch(); i++) list.add(application(user, i, base));
    return Json.write(Map.of("events", list));
  }

  /**
   * APPLICATION_CREATED number {@code i} of {@code user}, {@code i} seconds after {@code base}: its event id and
   * application id are derived from both, so a retry sends the same ids.
   */
  static Map<String, Object> application(String user, long i, Instant base) {
    var job = new LinkedHashMap<String, Object>();
    job.put("title", "Backend Engineer");
    job.put("company", "Company " + (i % 17));
    job.put("seniority", "mid");
    job.put("location", "Berlin");
    var context = new LinkedHashMap<String, Object>();
    context.put("strategy_mode", "balanced");
    context.put("fit_score", 50 + i % 50);
    context.put("category", List.of("reach", "target", "safety").get((int) (i % 3)));
    context.put("job_characteristics", job);
    context.put("resume_score", 70);
    context.put("tailoring_applied", i % 2 == 0);
    var e = new LinkedHashMap<String, Object>();
    e.put("event_id", user + "-e" + i);
    e.put("event_type", "APPLICATION_CREATED");
    e.put("user_id", user);
    e.put("timestamp", base.plusSeconds(i).toString());
    e.put("application_id", user + "-a" + i);
    e.put("job_id", "job-" + (i % 97));
    e.put("resume_version_id", "r-1");
    e.put("context", context);
    return e;
  }

  private static String abbreviate(String body) {
    return body.length() <= 160 ? body : body.substring(0, 160) + "…";
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // a client's back-off between attempts, not a test waiting for a condition
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
