package io.hireloop.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.hireloop.Node;
import io.hireloop.api.Auth;
import io.hireloop.cli.chaos.CassandraNodeScenario;
import io.hireloop.cli.chaos.KillNodeScenario;
import io.hireloop.cli.chaos.OverloadScenario;
import io.hireloop.cli.chaos.SoakScenario;
import io.hireloop.platform.cassandra.EmbeddedCassandra;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * {@code bin/hireloop chaos kill-node|cassandra-node|overload|soak [options]}: the fault scenarios of RELIABILITY.md at a size of
 * the user's choosing, each on fresh data under {@code --out} (default target/chaos/SCENARIO-TIME). Prints progress
 * and a measured summary; exit 1 when the scenario's promise was broken (an acknowledged event lost or duplicated, a
 * refusal without Retry-After, recovery too slow, heap or lag trending up).
 */
final class ChaosCommand {
  private ChaosCommand() {}

  static int run(Cli.Options options, String scenario, PrintStream out) throws IOException {
    var dir = Path.of(options.get("out", "target/chaos/" + scenario + "-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    Files.createDirectories(dir);
    // Every scenario's Cassandra is a scratch node under `dir`, thrown away after the run: its schema changes need no
    // fsync (a single node's ~70 CREATEs took over 2 minutes without this on a loaded machine, longer than a node waits).
    System.setProperty("hireloop.cassandra.unsafe-system", "true");
    return switch (scenario) {
      case "kill-node" -> killNode(options, dir, out);
      case "overload" -> overload(options, dir, out);
      case "soak" -> soak(options, dir, out);
      case "cassandra-node" -> cassandraNode(options, dir, out);
      default -> throw new Cli.UsageException("unknown chaos scenario '" + scenario + "' (kill-node, cassandra-node, overload or soak)");
    };
  }

  private static int killNode(Cli.Options options, Path dir, PrintStream out) {
    var config = options.config();
    var auth = Auth.fromConfig(config);
    int nodes = options.integer("nodes", 3);
    try (var cassandra = EmbeddedCassandra.start(EmbeddedCassandra.Settings.defaults(dir).withMaxHeap("1G"), line -> out.println("[chaos] " + line))) {
      var settings = new KillNodeScenario.Settings(nodes, cassandra.host() + ":" + cassandra.cqlPort(), "chaos", dir,
          options.integer("clients", 6), options.integer("users", 5), options.integer("batch", 10), options.integer("kill", 1),
          Duration.ofSeconds(options.integer("warmup", 20)), Duration.ofSeconds(options.integer("after", 20)),
          Duration.ofSeconds(120), options.get("node-heap", "768m"), Map.of());
      var r = KillNodeScenario.run(settings, auth.issue("chaos", "service", Duration.ofHours(3)),
          auth.issue("chaos-admin", "admin", Duration.ofHours(3)), Map.of(), line -> out.println("[chaos] " + line));
      out.println("[chaos] ---- kill-node: summary");
      r.summary().forEach(line -> out.println("[chaos] " + line));
      boolean ok = r.missing() == 0 && r.duplicated() == 0 && r.shardsBackWithin(Duration.ofSeconds(15));
      out.println("[chaos] " + (ok ? "PASS" : "FAIL") + ": 0 lost, 0 duplicated, the dead node's shards back (every user's entity "
          + "answering) within 15 s");
      return ok ? 0 : 1;
    }
  }

  /**
   * PASS needs every request answered within {@code --answer-limit} seconds (default 12: the ingest timeout of 8 s and
   * a margin for the wait before the route, well under a client's 30 s).
   */
  private static int overload(Cli.Options options, Path dir, PrintStream out) {
    var config = freshNode(options, dir);
    var auth = Auth.fromConfig(config);
    // the node in a JVM of its own: the open-loop client's threads and garbage are not the node's
    var settings = new OverloadScenario.Settings(options.integer("clients", 16), options.integer("batch", 10),
        Duration.ofSeconds(options.integer("warmup", 20)), Duration.ofSeconds(options.integer("measure", 20)),
        Duration.ofSeconds(options.integer("seconds", 60)), Double.parseDouble(options.get("factor", "2")), 2_000, "overload");
    var r = OverloadScenario.runOnChildNode(settings, config, dir, options.get("node-heap", "1g"),
        auth.issue("chaos", "service", Duration.ofHours(3)), auth.issue("chaos-admin", "admin", Duration.ofHours(3)),
        line -> out.println("[chaos] " + line));
    out.println("[chaos] ---- overload: summary");
    r.summary().forEach(line -> out.println("[chaos] " + line));
    var answerLimit = Duration.ofSeconds(options.integer("answer-limit", 12));
    boolean ok = r.onlyOkOrRefusedWithRetryAfter() && r.everyRequestAnsweredWithin(answerLimit) && r.readyAfter()
        && r.verdict().exactlyOnce() && r.heapAfterGcMaxMib() < 0.75 * r.heapMaxMib();
    out.println("[chaos] " + (ok ? "PASS" : "FAIL") + ": every request answered within " + answerLimit.toSeconds()
        + " s with a 200 or a 429/503 with Retry-After and the error body, the node's heap after GC below 75 % of its maximum, "
        + "node ready afterwards, every acknowledged event stored once");
    return ok ? 0 : 1;
  }


  private static int soak(Cli.Options options, Path dir, PrintStream out) {
    var auth = Auth.fromConfig(options.config());
    try (var cassandra = EmbeddedCassandra.start(EmbeddedCassandra.Settings.defaults(dir).withMaxHeap("1G"), line -> out.println("[chaos] " + line))) {
      var settings = new SoakScenario.Settings(Duration.ofSeconds(options.integer("warmup", 660)), Duration.ofMinutes(options.integer("minutes", 30)),
          Duration.ofSeconds(options.integer("sample", 30)), options.integer("clients", 2), options.integer("users", 20),
          options.integer("batch", 10), Duration.ofMillis(options.integer("pause-ms", 100)), options.integer("events-per-user", 200), "soak");
      var r = SoakScenario.runOnChildNode(settings, cassandra.host() + ":" + cassandra.cqlPort(), dir, options.get("node-heap", "2g"),
          auth.issue("chaos", "service", Duration.ofHours(24)), auth.issue("chaos-admin", "admin", Duration.ofHours(24)),
          line -> out.println("[chaos] " + line));
      out.println("[chaos] ---- soak: summary");
      r.summary().forEach(line -> out.println("[chaos] " + line));
      boolean ok = r.verdict().exactlyOnce() && r.live().flat(1.25, 64) && r.lag().flat(1.5, 500);
      out.println("[chaos] " + (ok ? "PASS" : "FAIL") + ": live heap and lag of the last third within 1.25 x + 64 MiB and "
          + "1.5 x + 500 ms of the first third, every acknowledged event stored once");
      return ok ? 0 : 1;
    }
  }

  private static int cassandraNode(Cli.Options options, Path dir, PrintStream out) {
    var config = freshNode(options, dir);
    var auth = Auth.fromConfig(config);
    var settings = new CassandraNodeScenario.Settings(dir, options.integer("clients", 4), options.integer("users", 5),
        options.integer("batch", 10), Duration.ofMillis(options.integer("pause-ms", 0)), Duration.ofSeconds(options.integer("warmup", 20)),
        Duration.ofSeconds(options.integer("outage", 30)),
        Duration.ofSeconds(options.integer("after", 20)), options.get("cassandra-heap", "1G"), List.of());
    var r = CassandraNodeScenario.run(settings, config, auth.issue("chaos", "service", Duration.ofHours(3)),
        auth.issue("chaos-admin", "admin", Duration.ofHours(3)), line -> out.println("[chaos] " + line));
    out.println("[chaos] ---- cassandra-node: summary");
    r.summary().forEach(line -> out.println("[chaos] " + line));
    boolean ok = r.ackDuring() > 0 && r.consistent();
    out.println("[chaos] " + (ok ? "PASS" : "FAIL") + ": ingest went on during the outage, every acknowledged event stored once, "
        + "and the restarted node alone holds every journal row");
    return ok ? 0 : 1;
  }

  /** The user's configuration with a fresh data directory (embedded Cassandra) and any free HTTP port. */
  private static Config freshNode(Cli.Options options, Path dir) {
    return options.config()
        .withValue("hireloop.data-dir", ConfigValueFactory.fromAnyRef(dir.resolve("data").toString()))
        .withValue("hireloop.http.port", ConfigValueFactory.fromAnyRef(0))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(0))
        // reminders would add platform events to the journals compared with what was acknowledged
        .withValue("hireloop.reminders.enabled", ConfigValueFactory.fromAnyRef(false));
  }
}
