package io.hireloop.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.hireloop.Node;
import io.hireloop.api.Auth;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * bin/hireloop: {@code serve}, {@code demo}, {@code token}, {@code projections list|rebuild}, {@code simulate}, {@code evaluate}, …. Each command
 * parses its own {@code --options}; errors say what to type instead.
 */
public final class Cli {
  static final String USAGE = """
      usage: bin/hireloop <command> [options]

        demo                  one node with embedded Cassandra, a simulated population (README "Simulator") streamed
                              through the API with progress bars, the interview model trained (AUC vs the oracle's)
                              and the job_discovery config pushed; then serves until Ctrl-C
                              options: --users N (400) --weeks W (12) --seed S (1) --data-dir DIR (./data/demo)
                              --http-port N (8080) --exit (stop when done, for scripts and tests)
        serve                 a node; embedded Cassandra unless hireloop.cassandra.contact-points is set
                              options: --http-port N --data-dir DIR --config FILE
        token                 print a signed JWT for the configured secret
                              options: --sub ID --role user|service|admin [--ttl 1h] [--config FILE]
        projections list --url URL [--token JWT] [--config FILE]
                              every projection instance: name, key (tag), offset (journal time), lag, paused
        projections rebuild NAME --url URL [--token JWT] [--config FILE]
                              rebuild a read model from the journal (NAME: one listed by projections list)
        simulate --users N --weeks W --seed S --out DIR [--start 2026-01-05] [--post URL --token T [--rate R]]  (README "Simulator")
        evaluate --data DIR [--seed S]
                              learning-quality report on a simulated data set: the interview model's held-out
                              AUC and ECE next to the oracle's, naive vs true effect per edit type (JSON)
        attribution --data DIR [--no-refuters] [--no-cross-checks] [--max-primary-rows N] [--max-cross-check-rows N]
                              what causes interviews on a simulated data set (edits, timing, strategy): progress on
                              stderr, the report (JSON, as GET /api/v1/attribution/... serves it) on stdout
        attribution-study [--users N (2000)] [--weeks W (26)] [--seeds K (20)]
                              K simulations: how often the attribution's intervals cover the planted effects (JSON)
        cold-start-study [--users N (2000)] [--weeks W (16)] [--seeds K (5)] [--holdout-every H (4)]
                              K simulations: held-out users' log loss of the cold start (profile alone) vs the
                              global average (JSON; README "Cold start")
        rerank-study [--train-rows N (20000)] [--requests N (2000)] [--jobs N (100)] [--top-k K (10)] [--seed S (7)]
                              re-ranking on a planted population: the top k's interview rate by the incoming order,
                              the model's order, MMR, the serving policy (MMR + exploration) and the truth; the
                              diversity and exploration cost; off-policy estimates vs on-policy value (BENCHMARKS.md)
        analyze KIND [...]    statistics on CSV exports, one JSON object on stdout (see README)
        bench [--quick] [--only lag|models|rerank] [--nodes N] [--out DIR]  on a fresh embedded node: ingest, projection lag, recovery,
                              prediction over HTTP, ensemble training and scoring, WebSocket fan-out and heap per entity, each next to its baseline;
                              writes DIR/bench.json (target/bench) and a table; --quick: 800 users (~9 min on 2 cores)
                              tuning: --users N (3000; 800 quick) --clients N (4) --batch N (100) --raw-rows N
                              --warmup-users N (default --users: their events are sent first, not measured)
                              --only lag: just ingest and projection lag (max rate, then paced; --half-rate R
                              events/s, default half the max); --nodes N (1): a loopback cluster of N nodes in
                              this JVM, clients spread over them, ingest and lag per node
                              --only models: prediction over HTTP, ensemble training (--ensemble-rows N,
                              1,000,000; 100,000 quick) and scoring 100 jobs
                              --only rerank: no node; re-ranking 100 jobs in process (scoring + MMR, exploration,
                              propensities) on an ensemble trained on --ensemble-rows N (20,000) generated rows
        fuzz [--target ingest|spec|stream|all] [--seconds N (60)] [--seed S (the clock)]
                              seeded structure-aware fuzzing of the ingest parser, the experiment spec parser and
                              the WebSocket control messages: executions and findings per target (RELIABILITY.md)
        chaos kill-node [--nodes 3] [--kill 1] [--clients 6] [--users 5] [--batch 10] [--warmup 20] [--after 20] [--node-heap 768m]
                              app nodes in child JVMs on a fresh embedded Cassandra, retrying clients ingesting, kill -9 of
                              node --kill (0: the oldest): acknowledged vs stored, duplicates, time until every user is served
        chaos cassandra-node [--clients 4] [--users 5] [--batch 10] [--pause-ms 0] [--warmup 20] [--outage 30] [--after 20] [--cassandra-heap 1G]
                              a 3-node Cassandra ring on 127.0.0.1-3 (RF 3, QUORUM) under ingest, node 3 killed for --outage
                              seconds and restarted: ingest during the outage, hints delivered, node 3 alone holds every row
        chaos overload [--clients 16] [--batch 10] [--warmup 20] [--measure 20] [--seconds 60] [--factor 2]
                              a fresh node's capacity, then --factor x that offered open-loop: answers, Retry-After, heap after GC
        chaos soak [--minutes 30] [--warmup 660] [--sample 30] [--clients 2] [--users 20] [--batch 10] [--pause-ms 100] [--events-per-user 200]
                              steady ingest on a fresh node: live heap and projection lag over time, and their trend (the
                              warm-up outlasts the entities' 10-minute idle timeout, so the caches are full before it measures)
                              (every chaos scenario: --out DIR, default target/chaos/SCENARIO-TIME; exit 1 when it fails)
        bench-assign [--users N] [--clients N] [--warmup-seconds S] [--out DIR]
                              on a fresh embedded node: experiment assignment over HTTP (first = exposure
                              written, repeat = cached) next to GET /health/live; writes DIR/assign.json
      """;

  private Cli() {}

  public static int run(String[] args) {
    // --help anywhere prints the usage and runs nothing (an option a command does not know is otherwise ignored)
    if (args.length == 0 || args[0].equals("help") || java.util.Arrays.asList(args).contains("--help")
        || java.util.Arrays.asList(args).contains("-h")) {
      System.out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    try {
      return switch (args[0]) {
        case "serve" -> serve(Options.parse(args, 1));
        case "demo" -> Demo.run(Options.parse(args, 1), System.out);
        case "token" -> token(Options.parse(args, 1), System.out);
        case "projections" -> ProjectionsCommand.run(args, System.out);
        case "bench" -> Benchmark.run(Options.parse(args, 1), System.out);
        case "bench-assign" -> AssignmentBench.run(Options.parse(args, 1), System.out);
        case "fuzz" -> FuzzCommand.run(Options.parse(args, 1), System.out);
        case "chaos" -> args.length < 2 ? usageError("chaos needs a scenario: kill-node, cassandra-node, overload or soak")
            : ChaosCommand.run(Options.parse(args, 2), args[1], System.out);
        case "simulate" -> SimulateCommand.run(Options.parse(args, 1), System.out);
        case "evaluate" -> EvaluateCommand.run(Options.parse(args, 1), System.out);
        case "attribution" -> AttributionCommand.run(Options.parse(args, 1), System.out);
        case "attribution-study" -> AttributionCommand.study(Options.parse(args, 1), System.out);
        case "cold-start-study" -> ColdStartStudyCommand.run(Options.parse(args, 1), System.out);
        case "rerank-study" -> RerankStudy.run(Options.parse(args, 1), System.out);
        case "analyze" -> io.hireloop.cli.analyze.Analyze.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err);
        default -> usageError("unknown command '" + args[0] + "'");
      };
    } catch (UsageException e) {
      return usageError(e.getMessage());
    } catch (Exception e) {
      System.err.println("hireloop: " + e.getMessage());
      return 1;
    }
  }

  static int usageError(String message) {
    System.err.println("hireloop: " + message);
    System.err.print(USAGE);
    return 2;
  }

  /** A mistake in the command line. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  /** {@code --name value} pairs and {@code --flag}s after the command. */
  record Options(Map<String, String> values) {
    static Options parse(String[] args, int from) {
      var m = new LinkedHashMap<String, String>();
      for (int i = from; i < args.length; i++) {
        if (!args[i].startsWith("--")) throw new UsageException("unexpected argument '" + args[i] + "'");
        var name = args[i].substring(2);
        if (i + 1 < args.length && !args[i + 1].startsWith("--")) m.put(name, args[++i]);
        else m.put(name, "true");
      }
      return new Options(m);
    }

    String get(String name, String fallback) {
      return values.getOrDefault(name, fallback);
    }

    String required(String name) {
      var v = values.get(name);
      if (v == null) throw new UsageException("--" + name + " is required");
      return v;
    }

    int integer(String name, int fallback) {
      var v = values.get(name);
      if (v == null) return fallback;
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new UsageException("--" + name + " must be a number, got '" + v + "'");
      }
    }

    boolean flag(String name) {
      return values.containsKey(name);
    }

    /** application.conf + --config FILE + --http-port / --data-dir. */
    Config config() {
      var overrides = new HashMap<String, Object>();
      if (values.containsKey("http-port")) overrides.put("hireloop.http.port", integer("http-port", 8080));
      if (values.containsKey("data-dir")) overrides.put("hireloop.data-dir", values.get("data-dir"));
      Path overlay = null;
      if (values.containsKey("config")) {
        overlay = Path.of(values.get("config"));
        if (!Files.isRegularFile(overlay)) throw new UsageException("--config " + overlay + ": no such file");
      }
      return Node.loadConfig(overlay, ConfigFactory.parseMap(overrides));
    }
  }

  static int serve(Options options) {
    long started = System.nanoTime();
    var node = Node.start(options.config(), line -> System.out.println("[hireloop] " + line));
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("[hireloop] shutting down");
      node.close();
      stopped.countDown();
    }, "hireloop-shutdown"));
    System.out.printf("[hireloop] ready in %.1f s: http://localhost:%d (health: /health/ready, API: /api/v1)%n",
        (System.nanoTime() - started) / 1e9, node.httpPort());
    node.system().getWhenTerminated().toCompletableFuture().join();
    return 0;
  }

  static int token(Options options, PrintStream out) {
    var config = options.config();
    var auth = Auth.fromConfig(config);
    var role = options.required("role");
    if (!Auth.ROLES.contains(role)) throw new UsageException("--role must be user, service or admin");
    out.println(auth.issue(options.required("sub"), role, ttl(options.get("ttl", "1h"))));
    return 0;
  }

  static Duration ttl(String text) {
    try {
      return ConfigFactory.parseString("t = " + text).getDuration("t");
    } catch (RuntimeException e) {
      throw new UsageException("--ttl must be a duration like 30m, 1h or 7d, got '" + text + "'");
    }
  }
}
