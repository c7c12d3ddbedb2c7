package io.hireloop.cli.chaos;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Scenario "kill-node": {@code nodes} app nodes in child JVMs, one cluster on one Cassandra; retrying clients ingest
 * into all of them; one node gets kill -9 while they do. Measured: how long until every user is served again (the
 * killed node's shards re-allocated and their entities recovered), and, from the journals read back afterwards,
 * whether every acknowledged event is stored exactly once.
 */
public final class KillNodeScenario {
  /**
   * @param cassandraContactPoint host:port of the Cassandra all nodes share
   * @param keyspacePrefix every keyspace of the run starts with it (a run never sees another's data)
   * @param killIndex which node is killed (0 is the seed and oldest member: it hosts the shard coordinator)
   * @param warmup load before the kill
   * @param afterRecovery load kept up after every user was served again
   * @param recoveryLimit how long to wait for recovery before giving up
   * @param nodeHeap -Xmx of each node
   * @param extraConfig more settings for every node (HOCON path → value)
   */
  public record Settings(int nodes, String cassandraContactPoint, String keyspacePrefix, Path dir, int clients, int usersPerClient,
      int batch, int killIndex, Duration warmup, Duration afterRecovery, Duration recoveryLimit, String nodeHeap,
      Map<String, Object> extraConfig) {
    public Settings {
      if (nodes < 2) throw new IllegalArgumentException("at least 2 nodes (one is killed)");
      if (killIndex < 0 || killIndex >= nodes) throw new IllegalArgumentException("kill index " + killIndex + " is not a node");
    }
  }

  /**
   * @param recovery kill → the last user served again; null when it did not happen within recoveryLimit
   * @param ingestSeconds how long the load ran
   */
  public record Result(int nodes, int killedNode, int users, int clients, int batch, double ingestSeconds, IngestLoad.Totals totals,
      Duration recovery, Duration shardsBack, List<Duration> userRecoveries, List<Duration> entityAnswers, RecoveryHistogram survivorsStarted,
      List<String> timeline, JournalCheck.Verdict verdict) {
    /** Every user's entity answered again within {@code limit}: the dead node's shards are back. */
    public boolean shardsBackWithin(Duration limit) {
      return shardsBack != null && shardsBack.compareTo(limit) <= 0;
    }

    public boolean recoveredWithin(Duration limit) {
      return recovery != null && recovery.compareTo(limit) <= 0;
    }

    public long missing() {
      return verdict.missing();
    }

    public long duplicated() {
      return verdict.duplicated();
    }

    public long acknowledged() {
      return verdict.acknowledged();
    }

    public List<String> summary() {
      var t = totals;
      var lines = new ArrayList<>(List.of(
          String.format(Locale.ROOT, "load: %d clients, %d users, batches of %d, %.0f s, %.0f events/s acknowledged",
              clients, users, batch, ingestSeconds, t.eventsAcknowledged() / Math.max(ingestSeconds, 1e-9)),
          String.format(Locale.ROOT, "fault: kill -9 of node %d of %d", killedNode, nodes),
          String.format(Locale.ROOT, "retries: %d (no answer %d, 429 %d, 503 %d, other %d); 429/503 without Retry-After: %d",
              t.retries(), t.noAnswer(), t.status429(), t.status503(), t.otherStatus(), t.retryAfterMissing()),
          String.format(Locale.ROOT, "acknowledged %d events, found %d, missing %d, stored more than once %d; stored but never acknowledged %d "
              + "(answers lost in the kill; their retries answered 'duplicate' %d times)", verdict.acknowledged(), verdict.found(),
              verdict.missing(), verdict.duplicated(), verdict.storedUnacknowledged(), t.reportedDuplicates()),
          recovery == null ? "recovery: some users were not served again in time"
              : String.format(Locale.ROOT, "recovery: every user served again %.1f s after the kill", recovery.toMillis() / 1000.0),
          shardsBack == null ? "shards: some user's entity did not answer again in time"
              : String.format(Locale.ROOT, "shards back: every user's entity answered again %.1f s after the kill (asked directly every 200 ms)",
                  shardsBack.toMillis() / 1000.0)));
      var slow = userRecoveries.stream().filter(d -> d.compareTo(Duration.ofSeconds(1)) > 0).sorted().toList();
      if (!slow.isEmpty()) {
        lines.add(String.format(Locale.ROOT, "users served again more than 1 s after the kill: %d; first after %.1f s, median %.1f s, last %.1f s",
            slow.size(), seconds(slow.get(0)), seconds(slow.get(slow.size() / 2)), seconds(slow.get(slow.size() - 1))));
      }
      var moved = entityAnswers.stream().filter(d -> d.compareTo(Duration.ofSeconds(1)) > 0).sorted().toList();
      if (!moved.isEmpty()) {
        lines.add(String.format(Locale.ROOT, "entities answering again more than 1 s after the kill (the dead node's): %d; first after %.1f s, "
            + "median %.1f s, last %.1f s", moved.size(), seconds(moved.get(0)), seconds(moved.get(moved.size() / 2)),
            seconds(moved.get(moved.size() - 1))));
      }
      lines.add(survivorsStarted.describe());
      if (!timeline.isEmpty()) {
        lines.add("fail-over in the survivors' logs:");
        timeline.forEach(m -> lines.add("  " + m));
      }
      return lines;
    }

    private static double seconds(Duration d) {
      return d.toMillis() / 1000.0;
    }
  }

  /**
   * A client gives up on an answer after this and retries on the next node. An ingest normally answers in
   * milliseconds; a request to an entity whose shard was on the killed node is lost until the shard moves, and a
   * long timeout would only add to the measured recovery.
   */
  static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);

  private KillNodeScenario() {}

  public static Result run(Settings s, String serviceToken, String adminToken, Map<String, Object> authConfig, Consumer<String> progress) {
    var httpPorts = new int[s.nodes()];
    var remotePorts = new int[s.nodes()];
    for (int i = 0; i < s.nodes(); i++) {
      httpPorts[i] = freePort();
      remotePorts[i] = freePort();
    }
    var nodes = new ArrayList<NodeProcess>();
    var live = new CopyOnWriteArrayList<String>();
    try {
      long t0 = System.nanoTime();
      for (int i = 0; i < s.nodes(); i++) {
        nodes.add(NodeProcess.start(i, s.dir(), nodeConfig(s, i, httpPorts[i], remotePorts, authConfig), s.nodeHeap()));
        if (i == 0) nodes.get(0).awaitReady(Duration.ofSeconds(180)); // the seed first: it becomes the oldest member
      }
      for (var n : nodes) {
        n.awaitReady(Duration.ofSeconds(180));
        live.add(n.url());
      }
      progress.accept(String.format(Locale.ROOT, "%d app nodes (pids %s) ready in %.1f s", s.nodes(),
          nodes.stream().map(n -> Long.toString(n.pid())).toList(), (System.nanoTime() - t0) / 1e9));

      var load = new IngestLoad(new IngestLoad.Settings(s.clients(), s.usersPerClient(), s.batch(), Duration.ZERO, s.keyspacePrefix()),
          () -> live, serviceToken, CLIENT_TIMEOUT);
      long loadStart = System.nanoTime();
      load.start();
      // warm-up: at least the given time, and until every user's entity exists (so every node hosts some)
      waitUntil(() -> load.acknowledged().size() == load.slots() && System.nanoTime() - loadStart >= s.warmup().toNanos(),
          s.warmup().plus(Duration.ofSeconds(120)), "every user acknowledged once before the kill", progress, load);
      progress.accept(String.format(Locale.ROOT, "before the kill: %d events acknowledged", load.totals().eventsAcknowledged()));

      var victim = nodes.get(s.killIndex());
      var survivors = nodes.stream().filter(n -> n != victim).toList();
      var startedBefore = entityStarts(survivors);
      live.remove(victim.url());
      load.markFault();
      var killedAtClock = java.time.LocalTime.now();
      victim.kill();
      progress.accept("kill -9 of node " + s.killIndex() + " (pid " + victim.pid() + ")");
      long killedAt = System.nanoTime();
      var probe = new EntityProbe(load.users(), () -> live, adminToken, killedAt);
      boolean recovered = waitUntil(() -> load.slowestRecovery().isPresent() && probe.slowest().isPresent(), s.recoveryLimit(),
          "every user served again", progress, load);
      probe.close();
      var shardsBack = probe.slowest().orElse(null);
      var recovery = load.slowestRecovery().orElse(null);
      progress.accept(recovered ? String.format(Locale.ROOT, "every user served again %.1f s after the kill (every entity answering after %.1f s)",
          recovery.toMillis() / 1000.0, shardsBack.toMillis() / 1000.0)
          : "not every user was served again within " + s.recoveryLimit().toSeconds() + " s (" + load.usersServedSinceFault() + " of "
              + load.slots() + " served, " + probe.answeredCount() + " entities answering)");
      long keepUntil = System.nanoTime() + s.afterRecovery().toNanos();
      waitUntil(() -> System.nanoTime() >= keepUntil, s.afterRecovery().plusSeconds(5), "load after recovery", progress, load);
      load.close();
      double seconds = (System.nanoTime() - loadStart) / 1e9;
      progress.accept(String.format(Locale.ROOT, "load stopped after %.0f s (%.0f s after the kill); reading every journal back",
          seconds, (System.nanoTime() - killedAt) / 1e9));
      var verdict = JournalCheck.run(load.acknowledged(), load.users(), live.get(0), adminToken);
      var startedAfterKill = entityStarts(survivors).minus(startedBefore);
      var timeline = FailoverTimeline.read(killedAtClock, survivors.stream().map(NodeProcess::log).toList(),
          survivors.stream().map(NodeProcess::index).toList()).stream().map(FailoverTimeline.Mark::describe).toList();
      return new Result(s.nodes(), s.killIndex(), load.slots(), s.clients(), s.batch(), seconds, load.totals(), recovery,
          shardsBack, load.recoveries(), probe.answers(), startedAfterKill, timeline, verdict);
    } finally {
      for (var n : nodes) n.close();
    }
  }

  /** The survivors' user-entity starts so far (hireloop_user_recovery_seconds, summed over nodes). */
  private static RecoveryHistogram entityStarts(List<NodeProcess> nodes) {
    var http = new ChaosHttp(Duration.ofSeconds(10));
    var sum = RecoveryHistogram.EMPTY;
    for (var n : nodes) {
      var reply = http.get(n.url() + "/metrics", null);
      if (reply.ok()) sum = sum.plus(RecoveryHistogram.parse(reply.body()));
    }
    return sum;
  }

  private static Map<String, Object> nodeConfig(Settings s, int index, int httpPort, int[] remotePorts, Map<String, Object> authConfig) {
    var m = nodeConfig(s.cassandraContactPoint(), s.keyspacePrefix(), s.dir(), index, httpPort, remotePorts, authConfig);
    m.putAll(s.extraConfig());
    return m;
  }

  /**
   * The settings of app node {@code index} of a chaos cluster: keyspaces named after {@code prefix}, node 0 the seed,
   * no per-subject rate limit (the clients are many subjects' worth of traffic under one token), no reminders (they
   * would add platform events to the journals compared with what was acknowledged).
   */
  static Map<String, Object> nodeConfig(String cassandraContactPoint, String prefix, Path dir, int index, int httpPort,
      int[] remotePorts, Map<String, Object> authConfig) {
    var m = new HashMap<String, Object>();
    m.put("hireloop.cassandra.contact-points", List.of(cassandraContactPoint));
    m.put("hireloop.cassandra.keyspace", prefix + "_rm");
    m.put("pekko.persistence.cassandra.journal.keyspace", prefix + "_journal");
    m.put("pekko.persistence.cassandra.snapshot.keyspace", prefix + "_snapshot");
    m.put("pekko.projection.cassandra.offset-store.keyspace", prefix + "_offsets");
    m.put("hireloop.http.interface", "127.0.0.1");
    m.put("hireloop.http.port", httpPort);
    m.put("pekko.remote.artery.canonical.hostname", "127.0.0.1");
    m.put("pekko.remote.artery.canonical.port", remotePorts[index]);
    m.put("pekko.cluster.seed-nodes", List.of("pekko://hireloop@127.0.0.1:" + remotePorts[0]));
    m.put("hireloop.http.rate-limit-per-second", 0);
    m.put("hireloop.reminders.enabled", false);
    // a fresh scratch schema: the driver's refresh of its schema metadata after each CREATE costs ~1 s on a loaded machine
    m.put("datastax-java-driver.advanced.metadata.schema.enabled", false);
    m.put("hireloop.data-dir", dir.resolve("node-" + index + "-data").toString());
    m.putAll(authConfig);
    return m;
  }

  /** Polls {@code done} every 250 ms, printing a progress line every 5 s; false when {@code limit} passed. */
  static boolean waitUntil(java.util.function.BooleanSupplier done, Duration limit, String what, Consumer<String> progress, IngestLoad load) {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    long nextLine = start + Duration.ofSeconds(5).toNanos();
    while (!done.getAsBoolean()) {
      long now = System.nanoTime();
      if (now >= deadline) return false;
      if (now >= nextLine && load != null) {
        var t = load.totals();
        progress.accept(String.format(Locale.ROOT, "  waiting for %s: %d events acknowledged, %d retries%s", what, t.eventsAcknowledged(),
            t.retries(), load.lastFailure() == null ? "" : "; last failure " + load.lastFailure()));
        nextLine = now + Duration.ofSeconds(5).toNanos();
      }
      try {
        Thread.sleep(250); // poll interval of a condition wait
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port: " + e.getMessage(), e);
    }
  }
}
