package io.hireloop.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.ConfigValueFactory;
import io.hireloop.Node;
import io.hireloop.api.Auth;
import io.hireloop.journey.JobSeeker;
import io.hireloop.platform.Json;
import io.hireloop.platform.Metrics;
import io.hireloop.platform.ReadModelStore;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * {@code bin/hireloop bench [--quick] [--only lag|models|rerank] [--nodes N] [--half-rate R] [--warmup-users N] [--out DIR]}: starts a node on a fresh temporary data dir (embedded
 * Cassandra), runs every scenario (with {@code --nodes N > 1}: N nodes of one loopback cluster in this JVM on the first
 * one's Cassandra, clients spread over their HTTP ports, the ingest and lag part only; {@code --only models}: the
 * prediction and ensemble scenarios alone, after ingesting a demo population to train the champion on; {@code --only
 * rerank}: the re-ranking scenario alone, in process, no node), and writes {@code DIR/bench.json} (default {@code target/bench}) plus a
 * table on stdout. Each scenario measures our figure and, in the same run, the limit it is compared with.
 *
 * <p>bench.json is one flat JSON object; these keys are stable (times in ms unless the name says
 * otherwise; a key is absent only where noted):
 * <pre>
 * run_mode                          "full" | "quick" | "smoke"
 * date, cores, max_heap_mb          when and where
 * ingest_events                     events sent in the max-rate run (4 clients, batches of 100, time order)
 * ingest_events_per_s               events/s durably acknowledged by POST /api/v1/events (200 = journaled)
 * ingest_p50_ms, ingest_p99_ms      request latency at that rate
 * ingest_half_rate_events_per_s     achieved rate of a second run paced at 50 % of ingest_events_per_s (or
 *                                   --half-rate R), started once the projections caught up with the first
 * ingest_half_rate_p50_ms, ingest_half_rate_p99_ms
 * raw_cassandra_inserts_per_s       async driver inserts (256 in flight) of rows as large as an event's JSON
 * ingest_ratio                      ingest_events_per_s / raw_cassandra_inserts_per_s
 * projection_lag_{p50,p99,max}_ms, projection_lag_samples
 *                                   exact samples (JourneyProjections.recordEnvelopes), journal write timestamp
 *                                   to handler completion, every registered projection, both ingest runs
 * projection_lag_max_rate_*, projection_lag_half_rate_*
 *                                   the same for the max-rate run and for the paced run only; each group also
 *                                   has _delivery_{p50,p99}_ms (write to the group reaching the handler: the
 *                                   consistency delay, polling, grouping and queueing), _write_to_ack_{p50,p99}_ms
 *                                   (write to the HTTP acknowledgement of its batch: the write path under load)
 *                                   and _after_ack_{p50,p99}_ms (acknowledgement to handler done: what a client
 *                                   that got its 200 waits)
 * projection_lag_warmup_*           the same for the unmeasured warm-up (--warmup-users, default users): a cold
 *                                   node, JIT compilers of both JVMs still busy; not in projection_lag_*
 * projection_caught_up_ms, projection_half_rate_caught_up_ms
 *                                   end of a run until every projection handled every journaled event of its users
 * projection_missed_events          journaled events (per user, up to the journal's highest sequence number) that
 *                                   some projection never handled within 180 s; must be 0
 * sustained_events_per_s, projection_lag_sustained_p99_ms
 *                                   the higher of the two runs' rates whose lag p99 stayed < 2 s with 0 missed, and
 *                                   that lag (0 and null when neither did): a lower bound, not a search
 * cassandra_ops_per_event           driver requests of both sessions (journal, read side) from the start of the
 *                                   max-rate run until every projection caught up, per event of that run
 * node_cpu_ms_per_event             CPU time of the bench's JVM over the same span, per event (the node and the
 *                                   bench's HTTP clients: an upper bound for the node)
 * cassandra_cpu_ms_per_event        CPU time of the embedded Cassandra's process over the same span, per event
 * paced_refusals_at_half_rate       batches answered 429 in the half-rate run (ingest_half_rate_batches_refused)
 * long_history_events_per_s, long_history_new_user_events_per_s, long_history_ingest_ratio
 *                                   per client one user given --history-events events (10,000; 500 smoke) first, then
 *                                   20 (smoke: 2) alternated batches of 100 for that user and for a new user: events/s of each over
 *                                   the time spent on it, and their ratio (goal >= 0.9)
 * nodes                             cluster size (--nodes)
 * node_N_slices_handled             (--nodes > 1) journey slices whose events node N's read side handled in both runs
 * node_N_ingest_events_per_s        (--nodes > 1) events acknowledged through node N's HTTP port in the max-rate run /
 *                                   the run's time; the notes give each node's envelopes and lag p50 / p99 per run
 * recovery_events                   events in the recovered JobSeeker's journal (1,000)
 * recovery_with_snapshot_ms         median time from spawning the entity to the reply to its first command
 * recovery_without_snapshot_ms      same after deleting its snapshots from the snapshot table (full replay)
 * recovery_raw_read_ms              median driver SELECT of the same journal rows (all columns, all rows read)
 * prediction_http_p50_ms, prediction_http_p99_ms
 *                                   sequential POST /api/v1/predictions/interview (one context, every feature's
 *                                   contribution) against the champion trained through POST /api/v1/models/interview/train
 * prediction_http_health_p50_ms, prediction_http_health_p99_ms
 *                                   GET /health/live on the same node, alternated with the predictions (the baseline:
 *                                   HTTP, JSON and the client alone)
 * prediction_http_overhead_ratio    prediction_http_p99_ms / prediction_http_health_p99_ms
 * ensemble_training_examples        generated labelled snapshots (ModelScenarios.generate: users with histories over 120
 *                                   days, a planted interview probability; 1,000,000, or 100,000 with --quick,
 *                                   --ensemble-rows N)
 * ensemble_training_seconds         EnsembleTrainer.train on them: split, encoding, the three members, blend,
 *                                   calibration, holdout figures, feature importance (goal for 1,000,000: < 120 s)
 * ensemble_training_member_seconds_{logistic,boosted_trees,network}
 *                                   each member's fit (the trainer's own timing), early stopping included
 * ensemble_training_members_share   sum of the members' seconds / ensemble_training_seconds
 * ensemble_training_phase_seconds_{split,encoding,blend,calibration_and_report}
 *                                   the rest of the training by phase (from the trainer's progress calls)
 * ensemble_training_rounds_{logistic,boosted_trees,network}  Newton iterations, boosting rounds, epochs run
 * ensemble_training_train_rows, ensemble_training_holdout_rows
 * ensemble_training_holdout_auc     the trained ensemble's AUC on its holdout
 * ensemble_training_oracle_auc      the planted probability's AUC on the same holdout rows and labels (the ceiling)
 * score_jobs_100_p50_ms, score_jobs_100_p99_ms
 *                                   Ensemble.predict of 100 snapshots with every feature's contribution, in process
 *                                   (what POST /api/v1/predictions/score-jobs computes for 100 jobs), on the ensemble
 *                                   trained above
 * score_jobs_100_bare_members_p50_ms, score_jobs_100_bare_members_p99_ms
 *                                   the members' logits alone for the same 100 encoded rows (the baseline)
 * score_jobs_overhead_ratio         score_jobs_100_p99_ms / score_jobs_100_bare_members_p99_ms (goal <= 3)
 * score_jobs_100_attribute_p50_ms_{logistic,boosted_trees,network}
 *                                   each member's attributions of the 100 rows (Member.attribute(float[][]))
 * rerank_100_p50_ms, rerank_100_p99_ms
 *                                   POST /users/{id}/rerank's work for 100 jobs in process, on the ensemble trained
 *                                   above: scoring without explanations (Ensemble.rank, explain 0) and the policy
 *                                   (Reranker.result: MMR λ .3, ε .1 over the top 10, propensities, reasons); goal p99 < 10
 * rerank_100_policy_p50_ms, rerank_100_policy_p99_ms
 *                                   the policy alone on the same 100 scored jobs
 * fanout_subscribers                WebSocket subscribers opened (10,000, or 1,000 with --quick, fewer if
 *                                   the file-descriptor limit does not allow it: see fanout_note in the output)
 * fanout_deliveries_per_s           messages delivered per second over all subscribers, burst of 50 messages
 * fanout_p50_ms, fanout_p99_ms      publish to client receipt, within that burst
 * fanout_delivered_fraction         delivered / (messages x subscribers)
 * memory_entities                   JobSeeker entities activated (100,000, or 10,000 with --quick)
 * memory_bytes_per_entity           heap after GC, after minus before, / memory_entities; measured first,
 *                                   on a fresh node, with entities of empty journals (state EMPTY plus the
 *                                   actor, its persistence machinery and sharding bookkeeping); they stay
 *                                   active (idle) during the later scenarios
 * </pre>
 */
final class Benchmark {
  private Benchmark() {}

  /** Sizes of one run: full, --quick, or the hidden --smoke for the unit test. */
  private record Sizes(String mode, int users, int rawRows, int recoveryRepeats, int httpPredictions, int batchPredictions,
      int ensembleRows, int modelUsers, int subscribers, int entities) {}

  static int run(Cli.Options options, PrintStream out) throws Exception {
    var sizes = options.flag("smoke")
        ? new Sizes("smoke", 120, 5_000, 2, 50, 100, 5_000, 120, 50, 5_000)
        : options.flag("quick")
            ? new Sizes("quick", 800, 50_000, 5, 300, 1_000, 100_000, 300, 1_000, 10_000)
            : new Sizes("full", 3000, 100_000, 7, 2_000, 3_000, 1_000_000, 300, 10_000, 100_000);
    int users = options.integer("users", sizes.users());
    int clients = options.integer("clients", 4);
    int batchSize = options.integer("batch", 100);
    var only = options.get("only", "all");
    if (!List.of("all", "lag", "models", "rerank").contains(only)) {
      throw new Cli.UsageException("--only must be lag, models or rerank, got '" + only + "'");
    }
    if (only.equals("rerank")) return rerankOnly(options, sizes, out);
    int nodeCount = options.integer("nodes", 1);
    if (nodeCount < 1 || nodeCount > 5) throw new Cli.UsageException("--nodes must be 1 to 5, got " + nodeCount);
    // a loopback cluster shares this JVM: its figures are the ingest and lag part, per node
    boolean onlyLag = only.equals("lag") || nodeCount > 1;
    boolean onlyModels = only.equals("models") && nodeCount == 1;
    Path outDir = Path.of(options.get("out", "target/bench"));
    Path dataDir = Files.createTempDirectory("hireloop-bench-");
    var config = freshNodeConfig(options, dataDir);
    var r = new LinkedHashMap<String, Object>();
    r.put("run_mode", sizes.mode());
    r.put("date", Instant.now().toString());
    r.put("cores", Runtime.getRuntime().availableProcessors());
    r.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    var notes = new ArrayList<String>();
    out.println("[bench] " + sizes.mode() + " run; data dir " + dataDir + "; " + r.get("cores") + " cores");
    long t0 = System.nanoTime();
    var others = new ArrayList<Node>();
    try (var node = Node.start(config, line -> out.println("[bench] " + line))) {
      out.printf("[bench] node ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      others.addAll(joinOthers(node, nodeCount - 1, options, dataDir, out));
      var nodes = new ArrayList<Node>(List.of(node));
      nodes.addAll(others);
      r.put("nodes", nodeCount);
      var auth = new Auth(config.getString("hireloop.auth.jwt-secret"), config.getString("hireloop.auth.issuer"));
      var url = "http://localhost:" + node.httpPort();
      var urls = nodes.stream().map(n -> "http://localhost:" + n.httpPort()).toList();
      var admin = new ApiClient(url, auth.issue("bench", "admin", Duration.ofHours(3)));
      var store = new ReadModelStore(node.system());
      CqlSession session = store.session().underlying().toCompletableFuture().get();

      // memory first, while the heap holds nothing but the started node (later scenarios leave garbage
      // and large locals whose collection between the two heap readings would make the difference noise)
      if (onlyModels) {
        // a labelled population for the champion (the full suite trains on the lag part's events)
        var probe = new ProjectionLagProbe(List.of(node.system()), List.of("m-"));
        var events = renamed(DemoPopulation.generate(sizes.modelUsers(), 5, Instant.now()), "m-");
        out.printf("[bench] models: ingesting %d events to train the champion on%n", events.size());
        ingest(events, clients, urls, auth, batchSize, 0, new long[events.size()], probe, new ConcurrentHashMap<>());
        var messages = config.getString("pekko.persistence.cassandra.journal.keyspace") + ".messages";
        long missed = awaitProjected(probe, session, messages, events, new LinkedHashMap<>(), "models", notes, out);
        probe.close();
        if (missed > 0) throw new IllegalStateException(missed + " events were not projected; the champion would miss them");
        models(admin, sizes, options, r, out);
        write(r, notes, outDir, out);
        return 0;
      }

      if (!onlyLag) memory(node, sizes.entities(), r, out);

      // ---------------------------------------------------------------- ingest + projection lag
      // The warm-up runs every code path of the measured runs, probes included, and is projected completely before
      // the max-rate run starts. The JIT of both JVMs (node, Cassandra child) still compiled at 40-80 % of a core
      // each well into the max-rate run after a warm-up of users/10 that was not: a stall a running node has not.
      // After users/4, C2 still took 39 % of a core in the first 30 s of the max-rate run (down to 4 % after 90 s):
      // users/2. That still left C2 recompiling in the max-rate run (26-37 % of a core in its first 30 s) and the
      // entity-start paths of its 800 new users compiled at its start (a 1-2 s stall): now as many users as the
      // measured run. Its lag is reported (projection_lag_warmup_*), as what a cold node shows.
      var probe = new ProjectionLagProbe(nodes.stream().map(Node::system).toList(), List.of("w-", "a-", "b-"));
      DriverLatencyProbe.recording(true);
      var messages = config.getString("pekko.persistence.cassandra.journal.keyspace") + ".messages";
      var warm = renamed(DemoPopulation.generate(options.integer("warmup-users", users), 99, Instant.now()), "w-");
      out.printf("[bench] ingest warm-up: %d events%n", warm.size());
      ingest(warm, clients, urls, auth, batchSize, 0, new long[warm.size()], probe, new ConcurrentHashMap<>());
      long warmMissed = awaitProjected(probe, session, messages, warm, new LinkedHashMap<>(), "warm-up", notes, out);
      var paceTrace = new PaceTrace();
      var full = renamed(DemoPopulation.generate(users, 3, Instant.now()), "a-");
      long[] lat = new long[full.size()];
      var pacing = new PacingCount();
      long maxFrom = System.currentTimeMillis();
      var cpu = new CpuClock(node);
      long s0 = System.nanoTime();
      var maxSent = new ConcurrentHashMap<String, AtomicLong>();
      int n = ingest(full, clients, urls, auth, batchSize, 0, lat, probe, maxSent);
      pacing.put(r, "ingest");
      double maxSeconds = (System.nanoTime() - s0) / 1e9;
      double maxRate = full.size() / maxSeconds;
      r.put("ingest_events", full.size());
      r.put("ingest_events_per_s", maxRate);
      r.put("ingest_p50_ms", pct(lat, n, 0.50));
      r.put("ingest_p99_ms", pct(lat, n, 0.99));
      out.printf("[bench] ingest: %.0f events/s (%d events)%n", maxRate, full.size());
      long missed = warmMissed + awaitProjected(probe, session, messages, full, r, "projection_caught_up_ms", notes, out);
      long maxTo = System.currentTimeMillis();
      // per event of the max-rate run, until every read model caught up: the whole cost of taking and projecting it
      cpu.put(r, full.size());
      r.put("cassandra_ops_per_event", (double) DriverLatencyProbe.count(maxFrom, maxTo) / full.size());
      double halfTarget = options.values().containsKey("half-rate") ? Double.parseDouble(options.get("half-rate", "0")) : maxRate / 2;
      var half = renamed(DemoPopulation.generate(Math.max(30, users / 2), 4, Instant.now()), "b-");
      lat = new long[half.size()];
      s0 = System.nanoTime();
      pacing = new PacingCount();
      n = ingest(half, clients, urls, auth, batchSize, halfTarget, lat, probe, new ConcurrentHashMap<>());
      pacing.put(r, "ingest_half_rate");
      r.put("ingest_half_rate_events_per_s", half.size() / ((System.nanoTime() - s0) / 1e9));
      r.put("ingest_half_rate_p50_ms", pct(lat, n, 0.50));
      r.put("ingest_half_rate_p99_ms", pct(lat, n, 0.99));
      missed += awaitProjected(probe, session, messages, half, r, "projection_half_rate_caught_up_ms", notes, out);
      long halfTo = System.currentTimeMillis();
      r.put("paced_refusals_at_half_rate", r.get("ingest_half_rate_batches_refused"));
      DriverLatencyProbe.recording(false);
      paceTrace.close();
      probe.close();
      putLag(r, "projection_lag", probe.lag("a-", "b-"));
      putLag(r, "projection_lag_max_rate", probe.lag("a-"));
      putLag(r, "projection_lag_half_rate", probe.lag("b-"));
      putLag(r, "projection_lag_warmup", probe.lag("w-"));
      r.put("projection_missed_events", missed);
      sustained(r, missed);
      for (var line : probe.perProjection("a-")) notes.add("lag at max rate, " + line);
      for (var line : probe.perProjection("b-")) notes.add("lag at half rate, " + line);
      notes.add("max rate: second of the phase -> envelopes whose handler took > 400 ms: " + probe.slowSeconds(400, "a-"));
      notes.add("half rate: second of the phase -> envelopes whose handler took > 400 ms: " + probe.slowSeconds(400, "b-"));
      notes.add("max rate: second of the phase -> envelopes handled > 2 s after their journal write: " + probe.lateSeconds(2000, "a-"));
      notes.add("max rate (to caught up): ingest pacing " + paceTrace.summary(maxFrom, maxTo));
      notes.add("half rate: ingest pacing " + paceTrace.summary(maxTo, halfTo));
      for (var line : DriverLatencyProbe.summary(maxFrom, maxTo)) notes.add("Cassandra requests at max rate, " + line);
      for (var line : DriverLatencyProbe.summary(maxTo, halfTo)) notes.add("Cassandra requests at half rate, " + line);
      notes.add("max rate: second of the phase -> Cassandra requests > 100 ms: " + DriverLatencyProbe.slowSeconds(100, maxFrom, maxTo)
          + " (second 0 = " + Instant.ofEpochMilli(maxFrom) + ")");
      if (nodeCount > 1) {
        for (int i = 0; i < nodeCount; i++) {
          r.put("node_" + (i + 1) + "_slices_handled", probe.slicesHandled(i, "a-", "b-"));
          r.put("node_" + (i + 1) + "_ingest_events_per_s", maxSent.getOrDefault(urls.get(i), new AtomicLong()).get() / maxSeconds);
        }
        for (var line : probe.perNode("a-")) notes.add("max rate, " + line);
        for (var line : probe.perNode("b-")) notes.add("half rate, " + line);
      }
      out.printf("[bench] projection lag p99: %.0f ms at max rate, %.0f ms at half rate; %d events missed%n",
          r.get("projection_lag_max_rate_p99_ms"), r.get("projection_lag_half_rate_p99_ms"), missed);
      boolean smoke = sizes.mode().equals("smoke");
      longHistory(urls, auth, clients, options.integer("history-events", smoke ? 500 : 10_000), smoke ? 2 : 20, r, out);
      if (onlyLag) {
        write(r, notes, outDir, out);
        return missed == 0 ? 0 : 1;
      }

      int avgBytes = (int) full.stream().limit(2000).mapToInt(e -> Json.write(e).length()).average().orElse(300);
      double raw = rawInsertRate(session, store.keyspace(), options.integer("raw-rows", sizes.rawRows()), avgBytes);
      r.put("raw_cassandra_inserts_per_s", raw);
      r.put("ingest_ratio", maxRate / raw);
      out.printf("[bench] raw inserts (%d-byte rows): %.0f rows/s%n", avgBytes, raw);

      // ---------------------------------------------------------------- recovery
      recovery(node, session, admin, sizes.recoveryRepeats(), r, out);

      // ---------------------------------------------------------------- models: prediction over HTTP, training, scoring
      models(admin, sizes, options, r, out);

      // ---------------------------------------------------------------- fan-out
      fanOut(node, url, auth, sizes.subscribers(), r, notes, out);
    } finally {
      for (var other : others) other.close(); // before the first node, whose Cassandra they use
      removeDataDir(dataDir, out); // after the node (and its Cassandra) stopped
    }
    write(r, notes, outDir, out);
    return 0;
  }

  /** Deletes the run's temporary data dir (Cassandra's files); a failure is reported, not fatal. */
  private static void removeDataDir(Path dataDir, PrintStream out) {
    try (var paths = Files.walk(dataDir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException e) {
      out.println("[bench] could not remove " + dataDir + ": " + e.getMessage());
    }
    if (Files.exists(dataDir)) out.println("[bench] could not remove all of " + dataDir + "; delete it by hand");
  }

  /** {@code --only rerank}: an ensemble trained in process on generated rows (--ensemble-rows, 20,000), then the rerank scenario. */
  private static int rerankOnly(Cli.Options options, Sizes sizes, PrintStream out) throws Exception {
    var r = new LinkedHashMap<String, Object>();
    r.put("run_mode", sizes.mode());
    r.put("date", Instant.now().toString());
    r.put("cores", Runtime.getRuntime().availableProcessors());
    r.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    var ensemble = ModelScenarios.training(options.integer("ensemble-rows", 20_000), 11, r, out);
    ModelScenarios.rerank(ensemble, sizes.batchPredictions(), 17, r, out);
    write(r, List.of(), Path.of(options.get("out", "target/bench")), out);
    return 0;
  }

  private static void write(Map<String, Object> r, List<String> notes, Path outDir, PrintStream out) throws Exception {
    Files.createDirectories(outDir);
    var file = outDir.resolve("bench.json");
    Files.writeString(file, Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r) + "\n");
    out.println();
    out.printf("%-36s %16s%n", "figure", "value");
    out.println("-".repeat(53));
    for (var e : r.entrySet()) {
      out.printf("%-36s %16s%n", e.getKey(), e.getValue() instanceof Double d ? String.format(d < 10 ? "%.3f" : "%.0f", d) : e.getValue());
    }
    for (var note : notes) out.println("note: " + note);
    out.println("[bench] wrote " + file.toAbsolutePath());
  }

  /**
   * The highest of the run's two ingest rates (max, half) at which every read model's lag p99 stayed under 2 s with
   * no event missed; 0 when neither did. Two points, not a search: the figure is a lower bound of what holds.
   */
  private static void sustained(Map<String, Object> r, long missed) {
    double best = 0;
    long p99 = 0;
    if (missed == 0) {
      for (var phase : List.of(new String[] {"ingest_events_per_s", "projection_lag_max_rate_p99_ms"},
          new String[] {"ingest_half_rate_events_per_s", "projection_lag_half_rate_p99_ms"})) {
        double rate = ((Number) r.get(phase[0])).doubleValue();
        double lag = ((Number) r.get(phase[1])).doubleValue();
        if (lag < 2000 && rate > best) {
          best = rate;
          p99 = (long) lag;
        }
      }
    }
    r.put("sustained_events_per_s", best);
    r.put("projection_lag_sustained_p99_ms", best == 0 ? null : p99);
  }

  /**
   * CPU time of this JVM (the node, and the bench's own HTTP clients beside it) and of the embedded Cassandra's
   * process, from when it was made to {@link #put}.
   */
  private static final class CpuClock {
    private final Node node;
    private final long jvm0;
    private final long cassandra0;

    CpuClock(Node node) {
      this.node = node;
      this.jvm0 = jvmCpuNanos();
      this.cassandra0 = cassandraCpuNanos(node);
    }

    void put(Map<String, Object> r, int events) {
      r.put("node_cpu_ms_per_event", (jvmCpuNanos() - jvm0) / 1e6 / events);
      long c = cassandraCpuNanos(node);
      r.put("cassandra_cpu_ms_per_event", c < 0 || cassandra0 < 0 ? null : (c - cassandra0) / 1e6 / events);
    }

    private static long jvmCpuNanos() {
      var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    private static long cassandraCpuNanos(Node node) {
      return node.embeddedCassandraProcess().flatMap(p -> p.info().totalCpuDuration()).map(java.time.Duration::toNanos).orElse(-1L);
    }
  }

  /** Batches the node's ingest pacer delayed or refused (429) since this was made (hireloop.ingest.pacing). */
  private static final class PacingCount {
    private final double delayed = Metrics.INGEST_PACED.labels("delayed").get();
    private final double refused = Metrics.INGEST_PACED.labels("refused").get();

    void put(Map<String, Object> r, String key) {
      r.put(key + "_batches_paced", (long) (Metrics.INGEST_PACED.labels("delayed").get() - delayed));
      r.put(key + "_batches_refused", (long) (Metrics.INGEST_PACED.labels("refused").get() - refused));
    }
  }

  private static void putLag(Map<String, Object> r, String key, ProjectionLagProbe.Lag lag) {
    r.put(key + "_p50_ms", lag.p50Ms());
    r.put(key + "_p99_ms", lag.p99Ms());
    r.put(key + "_max_ms", lag.maxMs());
    r.put(key + "_delivery_p50_ms", lag.deliveryP50Ms());
    r.put(key + "_delivery_p99_ms", lag.deliveryP99Ms());
    r.put(key + "_after_ack_p50_ms", lag.afterAckP50Ms());
    r.put(key + "_after_ack_p99_ms", lag.afterAckP99Ms());
    r.put(key + "_write_to_ack_p50_ms", lag.writeToAckP50Ms());
    r.put(key + "_write_to_ack_p99_ms", lag.writeToAckP99Ms());
    r.put(key + "_samples", lag.samples());
  }

  /**
   * Waits until every projection handled every journaled event of the run's users, at most 180 s; puts the time
   * that took under {@code key} and returns the events still missing. The acknowledged events are waited for first, without touching Cassandra; only
   * then is the journal asked for each user's highest sequence number (events written but not acknowledged, e.g.
   * after a client timeout, count too) — its burst of queries would otherwise load the node while the last
   * events of the measured run are still being projected.
   */
  private static long awaitProjected(ProjectionLagProbe probe, CqlSession session, String messages, List<Map<String, Object>> events,
      Map<String, Object> r, String key, List<String> notes, PrintStream out) throws InterruptedException {
    var users = events.stream().map(e -> (String) e.get("user_id")).distinct().toList();
    long start = System.nanoTime();
    long deadline = start + 180_000_000_000L;
    while (probe.names().stream().mapToLong(name -> probe.unhandledAcknowledged(name, users)).sum() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    long acknowledgedDone = System.nanoTime();
    var highest = ProjectionLagProbe.journalHighest(session, messages, users);
    long missing = probe.names().stream().mapToLong(name -> probe.missing(name, highest)).sum();
    long done = acknowledgedDone; // nothing beyond the acknowledged events: caught up when those were handled
    while (missing > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      missing = probe.names().stream().mapToLong(name -> probe.missing(name, highest)).sum();
      done = System.nanoTime();
    }
    r.put(key, (done - start) / 1e6);
    if (missing > 0) {
      notes.add(key + ": " + missing + " events not handled by every projection 180 s after ingest");
      out.println("[bench] MISSED: " + missing + " events; per projection: " + probe.names().stream()
          .map(name -> name + "=" + probe.missing(name, highest)).toList());
    }
    return missing;
  }

  private static List<Map<String, Object>> renamed(List<Map<String, Object>> events, String prefix) {
    return events.stream().map(e -> {
      var m = new LinkedHashMap<>(e);
      m.put("user_id", prefix + e.get("user_id"));
      m.put("event_id", prefix + e.get("event_id"));
      return (Map<String, Object>) m;
    }).toList();
  }

  /**
   * Sends {@code events} from {@code clients} threads (each owns a slice of users, so a user's events stay
   * in order), paced to {@code rate} events/s when positive. Fills {@code latencies}; returns how many.
   */
  private static int ingest(List<Map<String, Object>> events, int clients, List<String> urls, Auth auth, int batchSize, double rate,
      long[] latencies, ProjectionLagProbe probe, Map<String, AtomicLong> sentByUrl) throws Exception {
    var slices = new ArrayList<List<Map<String, Object>>>();
    for (int c = 0; c < clients; c++) slices.add(new ArrayList<>());
    for (var e : events) slices.get(Math.floorMod(e.get("user_id").hashCode(), clients)).add(e);
    var pool = Executors.newFixedThreadPool(clients);
    var count = new AtomicInteger();
    var scheduled = new AtomicLong();
    long start = System.nanoTime();
    var futures = new ArrayList<Future<?>>();
    for (int c = 0; c < clients; c++) {
      var slice = slices.get(c);
      var url = urls.get(c % urls.size()); // client c talks to node c mod nodes
      futures.add(pool.submit(() -> {
        var api = new ApiClient(url, auth.issue("bench-feeder", "service", Duration.ofHours(3)));
        for (int i = 0; i < slice.size(); i += batchSize) {
          var batch = slice.subList(i, Math.min(slice.size(), i + batchSize));
          if (rate > 0) {
            long due = start + (long) (scheduled.getAndAdd(batch.size()) * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
          }
          long t = System.nanoTime();
          var resp = api.post("/api/v1/events", Map.of("events", batch));
          while (resp.status() == 429 && resp.retryAfterSeconds() > 0) { // paced: the node's read side is behind
            TimeUnit.SECONDS.sleep(resp.retryAfterSeconds());
            resp = api.post("/api/v1/events", Map.of("events", batch));
          }
          if (resp.status() != 200) throw new IllegalStateException("ingest answered " + resp.status() + ": " + resp.body());
          latencies[count.getAndIncrement()] = System.nanoTime() - t;
          sentByUrl.computeIfAbsent(url, u -> new AtomicLong()).addAndGet(batch.size());
          if (probe != null) probe.acknowledged(batch, System.currentTimeMillis());
        }
        return null;
      }));
    }
    try {
      for (var f : futures) f.get();
    } finally {
      pool.shutdown();
    }
    return count.get();
  }

  /**
   * {@code count} more nodes in this JVM, joined to {@code first}'s cluster and using its Cassandra, each Up with
   * all of them before the run starts.
   */
  private static List<Node> joinOthers(Node first, int count, Cli.Options options, Path dataDir, PrintStream out) throws Exception {
    var nodes = new ArrayList<Node>();
    if (count == 0) return nodes;
    var seed = org.apache.pekko.cluster.typed.Cluster.get(first.system()).selfMember().address().toString();
    for (int i = 0; i < count; i++) {
      var config = freshNodeConfig(options, dataDir.resolve("node-" + (i + 2)))
          .withValue("hireloop.cassandra.contact-points", ConfigValueFactory.fromIterable(first.cassandraContactPoints()))
          .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(List.of(seed)));
      int number = i + 2;
      nodes.add(Node.start(config, line -> out.println("[bench] node " + number + ": " + line)));
    }
    long deadline = System.nanoTime() + 120_000_000_000L;
    for (var node : nodes) {
      while (!upAll(node, count + 1)) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("the cluster of " + (count + 1) + " nodes did not form in 120 s");
        Thread.sleep(200);
      }
    }
    out.println("[bench] cluster of " + (count + 1) + " nodes up");
    awaitSlicesSpread(first, count + 1, out);
    return nodes;
  }

  /**
   * Waits (at most 180 s) until the read-side pass's slices are spread evenly over the {@code nodes} (at most one
   * apart): a node that joins gets its share by the sharding's rebalancing, a few slices every 10 s.
   */
  private static void awaitSlicesSpread(Node first, int nodes, PrintStream out) throws Exception {
    var system = first.system();
    var key = (org.apache.pekko.cluster.sharding.typed.scaladsl.EntityTypeKey<?>) org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey
        .create(org.apache.pekko.projection.ProjectionBehavior.Command.class, "sharded-daemon-process-" + io.hireloop.journey.JourneyProjections.PASS);
    int slices = io.hireloop.journey.JourneyProjections.get(system).slices().count();
    long deadline = System.nanoTime() + 180_000_000_000L;
    List<Integer> counts = List.of();
    while (System.nanoTime() < deadline) {
      var stats = org.apache.pekko.actor.typed.javadsl.AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
              org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats>ask(
          org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(system).shardState(),
          replyTo -> new org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats(key,
              scala.concurrent.duration.FiniteDuration.create(5, TimeUnit.SECONDS), replyTo),
          Duration.ofSeconds(10), system.scheduler()).toCompletableFuture().get(15, TimeUnit.SECONDS);
      counts = stats.getRegions().values().stream().map(r -> r.getStats().size()).sorted().toList();
      if (counts.size() == nodes && counts.stream().mapToInt(Integer::intValue).sum() == slices
          && counts.get(counts.size() - 1) - counts.get(0) <= 1) {
        out.println("[bench] read-side slices per node: " + counts);
        return;
      }
      Thread.sleep(2000);
    }
    out.println("[bench] read-side slices not spread evenly after 180 s: " + counts + " (measuring anyway)");
  }

  private static boolean upAll(Node node, int n) {
    int up = 0;
    for (var m : org.apache.pekko.cluster.typed.Cluster.get(node.system()).state().getMembers()) {
      if (m.status() == org.apache.pekko.cluster.MemberStatus.up()) up++;
    }
    return up == n;
  }

  /** APPLICATION_CREATED events {@code from..to-1} of {@code userId}, a minute apart from {@code start}. */
  private static List<Map<String, Object>> applications(String userId, int from, int to, Instant start, Random rnd) {
    var events = new ArrayList<Map<String, Object>>();
    for (int k = from; k < to; k++) {
      var e = new LinkedHashMap<String, Object>();
      e.put("event_id", userId + "-e" + k);
      e.put("event_type", "APPLICATION_CREATED");
      e.put("user_id", userId);
      e.put("timestamp", start.plusSeconds(60L * k).toString());
      e.put("application_id", userId + "-a" + k);
      e.put("job_id", "job-" + k);
      e.put("resume_version_id", userId + "-r");
      e.put("context", DemoPopulation.context("balanced", 20 + rnd.nextDouble() * 80, "target", 60, rnd.nextBoolean(), rnd));
      events.add(e);
    }
    return events;
  }

  /**
   * long_history_ingest_ratio: each client first gives one user {@code history} events (batches of 100), then
   * alternates a batch of 100 for that user with a batch of 100 for a user with no history, 20 rounds; the events/s
   * of each kind are summed over the clients' time spent on that kind. Same node, same run, same batch shape.
   */
  private static void longHistory(List<String> urls, Auth auth, int clients, int history, int rounds, Map<String, Object> r,
      PrintStream out) throws Exception {
    out.printf("[bench] long history: %d users x %,d events, then %d rounds of 100 events for them and for new users%n",
        clients, history, rounds);
    var pool = Executors.newFixedThreadPool(clients);
    var longNanos = new AtomicLong();
    var newNanos = new AtomicLong();
    var futures = new ArrayList<Future<?>>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      futures.add(pool.submit(() -> {
        var api = new ApiClient(urls.get(client % urls.size()), auth.issue("bench-history", "service", Duration.ofHours(3)));
        var rnd = new Random(40 + client);
        var start = Instant.now().minus(Duration.ofDays(60));
        var user = "h-long-" + client;
        for (int k = 0; k < history; k += 100) post(api, applications(user, k, k + 100, start, rnd));
        for (int round = 0; round < rounds; round++) {
          long t = System.nanoTime();
          post(api, applications(user, history + round * 100, history + round * 100 + 100, start, rnd));
          longNanos.addAndGet(System.nanoTime() - t);
          t = System.nanoTime();
          post(api, applications("h-new-" + client + "-" + round, 0, 100, start, rnd));
          newNanos.addAndGet(System.nanoTime() - t);
        }
        return null;
      }));
    }
    try {
      for (var f : futures) f.get();
    } finally {
      pool.shutdown();
    }
    double events = (double) clients * rounds * 100;
    double longRate = events / (longNanos.get() / 1e9 / clients);
    double newRate = events / (newNanos.get() / 1e9 / clients);
    r.put("long_history_events", history);
    r.put("long_history_events_per_s", longRate);
    r.put("long_history_new_user_events_per_s", newRate);
    r.put("long_history_ingest_ratio", longRate / newRate);
    out.printf("[bench] long history: %.0f events/s for users with %,d events, %.0f for new users (ratio %.2f)%n", longRate, history,
        newRate, longRate / newRate);
  }

  private static void post(ApiClient api, List<Map<String, Object>> batch) throws InterruptedException {
    var resp = api.post("/api/v1/events", Map.of("events", batch));
    while (resp.status() == 429 && resp.retryAfterSeconds() > 0) {
      TimeUnit.SECONDS.sleep(resp.retryAfterSeconds());
      resp = api.post("/api/v1/events", Map.of("events", batch));
    }
    if (resp.status() != 200) throw new IllegalStateException("ingest answered " + resp.status() + ": " + resp.body());
  }

  /** Raw driver inserts into a scratch table of the same Cassandra: the physical limit ingest is compared with. */
  private static double rawInsertRate(CqlSession session, String keyspace, int rows, int bytes) throws Exception {
    var table = keyspace + ".bench_raw";
    session.execute(ddl("CREATE TABLE IF NOT EXISTS " + table + " (id uuid PRIMARY KEY, payload text)"));
    var insert = session.prepare("INSERT INTO " + table + " (id, payload) VALUES (?, ?)");
    var payload = "x".repeat(bytes);
    var inFlight = new Semaphore(256);
    long start = System.nanoTime();
    for (int i = 0; i < rows; i++) {
      inFlight.acquire();
      session.executeAsync(insert.bind(UUID.randomUUID(), payload)).whenComplete((x, e) -> inFlight.release());
    }
    inFlight.acquire(256);
    double rate = rows / ((System.nanoTime() - start) / 1e9);
    session.execute(ddl("DROP TABLE " + table));
    return rate;
  }

  /** A schema change: on a loaded machine it can take longer than the driver's 10 s request timeout. */
  private static com.datastax.oss.driver.api.core.cql.SimpleStatement ddl(String cql) {
    return com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(cql).setTimeout(java.time.Duration.ofSeconds(120));
  }

  /**
   * A JobSeeker with 1,000 events (10 single-user batches of 100 applications; snapshots every 100 are
   * configured). Recovery is timed by spawning a second, unsharded instance of the same behavior and
   * asking it for its summary (commands wait until recovery is done); it only reads, so it cannot conflict
   * with the sharded instance. "Without snapshot" deletes the entity's rows from the snapshot table first.
   */
  private static void recovery(Node node, CqlSession session, ApiClient admin, int repeats, Map<String, Object> r, PrintStream out)
      throws Exception {
    var userId = "bench-recovery";
    var rnd = new Random(5);
    var start = Instant.now().minus(Duration.ofDays(30));
    for (int b = 0; b < 10; b++) {
      var batch = applications(userId, b * 100, b * 100 + 100, start, rnd);
      var resp = admin.post("/api/v1/events", Map.of("events", batch));
      if (resp.status() != 200) throw new IllegalStateException("recovery ingest answered " + resp.status() + ": " + resp.body());
    }
    var system = node.system();
    var config = system.settings().config();
    var pid = PersistenceId.of(JobSeeker.ENTITY_KEY.name(), userId).id();
    var snapshots = config.getString("pekko.persistence.cassandra.snapshot.keyspace") + ".snapshots";
    var messages = config.getString("pekko.persistence.cassandra.journal.keyspace") + ".messages";
    Thread.sleep(2000); // the snapshot write follows the journal write asynchronously
    long snapshotRows = session.execute("SELECT count(*) FROM " + snapshots + " WHERE persistence_id = ?", pid).one().getLong(0);
    if (snapshotRows == 0) throw new IllegalStateException("no snapshot was written for " + pid);
    double with = recoverMedian(system, userId, repeats);
    var select = session.prepare("SELECT * FROM " + messages + " WHERE persistence_id = ? AND partition_nr = 0");
    long[] reads = new long[repeats + 1];
    long rows = 0;
    for (int i = 0; i < reads.length; i++) {
      long t = System.nanoTime();
      rows = 0;
      for (var row : session.execute(select.bind(pid))) {
        rows += row.getByteBuffer("event").remaining() > 0 ? 1 : 0;
      }
      reads[i] = System.nanoTime() - t;
    }
    // at least the 1000 posted: follow-up reminders the node sends meanwhile are journal events of the user too
    if (rows < 1000) throw new IllegalStateException("expected at least 1000 journal rows for " + pid + ", read " + rows);
    session.execute("DELETE FROM " + snapshots + " WHERE persistence_id = ?", pid);
    double without = recoverMedian(system, userId, repeats);
    r.put("recovery_events", rows);
    r.put("recovery_with_snapshot_ms", with);
    r.put("recovery_without_snapshot_ms", without);
    r.put("recovery_raw_read_ms", pct(Arrays.copyOfRange(reads, 1, reads.length), repeats, 0.5));
    out.printf("[bench] recovery of %d events: %.1f ms with snapshot, %.1f ms without%n", rows, with, without);
  }

  private static double recoverMedian(org.apache.pekko.actor.typed.ActorSystem<?> system, String userId, int repeats)
      throws Exception {
    long[] times = new long[repeats + 1]; // the first one warms up and is dropped
    for (int i = 0; i < times.length; i++) {
      long t = System.nanoTime();
      var ref = system.systemActorOf(JobSeeker.create(userId, system), "bench-recovery-" + UUID.randomUUID(), Props.empty());
      var summary = AskPattern.<JobSeeker.Command, JobSeeker.Summary>ask(ref, JobSeeker.GetSummary::new, Duration.ofSeconds(60),
          system.scheduler()).toCompletableFuture().get(60, TimeUnit.SECONDS);
      times[i] = System.nanoTime() - t;
      if (summary.applications() != 1000) throw new IllegalStateException("recovered " + summary.applications() + " applications");
    }
    return pct(Arrays.copyOfRange(times, 1, times.length), repeats, 0.5);
  }

  private static void trainThroughApi(ApiClient admin) throws Exception {
    admin.post("/api/v1/models/interview/train", "{}");
    long start = System.nanoTime();
    while (true) {
      var model = admin.get("/api/v1/models/interview").body();
      if (model.path("status").asText().equals("ready") && model.path("version").asInt() >= 1) return;
      if (model.has("last_error")) throw new IllegalStateException("training failed: " + model.path("last_error").asText());
      if (System.nanoTime() - start > 600e9) throw new IllegalStateException("training did not finish in 10 minutes");
      Thread.sleep(300);
    }
  }

  /**
   * The champion trained through the API, then prediction over HTTP next to /health/live on the same node; then the
   * ensemble trained in process on generated rows, and scoring 100 jobs with that ensemble.
   */
  private static void models(ApiClient admin, Sizes sizes, Cli.Options options, Map<String, Object> r, PrintStream out)
      throws Exception {
    trainThroughApi(admin);
    predictionHttp(admin, sizes.httpPredictions(), r, out);
    var ensemble = ModelScenarios.training(options.integer("ensemble-rows", sizes.ensembleRows()), 11, r, out);
    ModelScenarios.scoring(ensemble, sizes.batchPredictions(), 13, r, out);
    ModelScenarios.rerank(ensemble, sizes.batchPredictions(), 17, r, out);
  }

  /** Sequential POST /api/v1/predictions/interview, each followed by GET /health/live; the first 50 of each warm up. */
  private static void predictionHttp(ApiClient admin, int n, Map<String, Object> r, PrintStream out) {
    var rnd = new Random(7);
    long[] predictions = new long[n];
    long[] health = new long[n];
    for (int i = -50; i < n; i++) {
      var body = Map.of("context", DemoPopulation.context("balanced", 20 + rnd.nextDouble() * 80, "target", 60, rnd.nextBoolean(), rnd));
      long t = System.nanoTime();
      var resp = admin.post("/api/v1/predictions/interview", body);
      long p = System.nanoTime() - t;
      if (resp.status() != 200) throw new IllegalStateException("prediction answered " + resp.status() + ": " + resp.body());
      t = System.nanoTime();
      var live = admin.get("/health/live");
      long h = System.nanoTime() - t;
      if (live.status() != 200) throw new IllegalStateException("/health/live answered " + live.status());
      if (i >= 0) {
        predictions[i] = p;
        health[i] = h;
      }
    }
    r.put("prediction_http_p50_ms", pct(predictions, n, 0.50));
    r.put("prediction_http_p99_ms", pct(predictions, n, 0.99));
    r.put("prediction_http_health_p50_ms", pct(health, n, 0.50));
    r.put("prediction_http_health_p99_ms", pct(health, n, 0.99));
    r.put("prediction_http_overhead_ratio", pct(predictions, n, 0.99) / pct(health, n, 0.99));
    out.printf("[bench] prediction over HTTP: p50 %.2f ms, p99 %.2f ms; /health/live p99 %.2f ms%n", r.get("prediction_http_p50_ms"),
        r.get("prediction_http_p99_ms"), r.get("prediction_http_health_p99_ms"));
  }

  /**
   * Opens {@code wanted} WebSocket subscribers (JDK HttpClient) on one user topic, publishes a warm-up of 5
   * messages and then a burst of 50 through {@link Topics}, and times publish → receipt on the client.
   * Each connection costs two file descriptors in this process (client and server side).
   */
  private static void fanOut(Node node, String url, Auth auth, int wanted, Map<String, Object> r, List<String> notes,
      PrintStream out) throws Exception {
    int subscribers = wanted;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
      long room = (os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - 1000) / 2;
      if (room < wanted) {
        subscribers = (int) Math.max(10, room);
        notes.add("fan-out: the file-descriptor limit (" + os.getMaxFileDescriptorCount() + ", see ulimit -n) allows "
            + subscribers + " of " + wanted + " subscribers (2 descriptors each, client and server in one process)");
      }
    }
    var topic = "user:bench-fanout";
    int warmup = 5;
    int burst = 50;
    var latencies = new long[subscribers * burst];
    var delivered = new AtomicInteger();
    var lastReceipt = new AtomicLong();
    var subscribed = new CountDownLatch(subscribers);
    var done = new CountDownLatch(subscribers * (warmup + burst));
    var token = auth.issue("bench-fanout", "admin", Duration.ofHours(1));
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    var sockets = new ArrayList<WebSocket>();
    var wsUri = URI.create(url.replaceFirst("^http", "ws") + "/api/v1/stream");
    for (int from = 0; from < subscribers; from += 200) {
      var opening = new ArrayList<CompletableFuture<WebSocket>>();
      for (int i = from; i < Math.min(subscribers, from + 200); i++) {
        opening.add(http.newWebSocketBuilder().header("Authorization", "Bearer " + token).buildAsync(wsUri, new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              long now = System.nanoTime();
              var s = text.toString();
              text.setLength(0);
              int at = s.indexOf("\"sent_ns\":");
              if (at < 0) {
                if (s.contains("subscribed")) subscribed.countDown();
              } else {
                int end = at + 10;
                while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '-')) end++;
                long sent = Long.parseLong(s.substring(at + 10, end));
                if (!s.contains("\"warmup\":true")) {
                  latencies[delivered.getAndIncrement()] = now - sent;
                  lastReceipt.accumulateAndGet(now, Math::max);
                }
                done.countDown();
              }
            }
            ws.request(1);
            return null;
          }
        }).thenCompose(ws -> ws.sendText(Json.write(Map.of("subscribe", List.of(topic))), true)).toCompletableFuture());
      }
      for (var f : opening) sockets.add(f.get(60, TimeUnit.SECONDS));
    }
    if (!subscribed.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("not every WebSocket subscription was confirmed");
    out.printf("[bench] fan-out: %d subscribers connected%n", subscribers);
    var topics = Topics.get(node.system());
    for (int i = 0; i < warmup; i++) {
      topics.publish(StreamMessage.of(topic, "bench", Map.of("warmup", true, "sent_ns", System.nanoTime())));
      Thread.sleep(100);
    }
    Thread.sleep(500);
    long start = System.nanoTime();
    for (int i = 0; i < burst; i++) topics.publish(StreamMessage.of(topic, "bench", Map.of("seq", i, "sent_ns", System.nanoTime())));
    done.await(120, TimeUnit.SECONDS);
    int got = delivered.get();
    r.put("fanout_subscribers", subscribers);
    r.put("fanout_deliveries_per_s", got / ((lastReceipt.get() - start) / 1e9));
    r.put("fanout_p50_ms", pct(latencies, got, 0.50));
    r.put("fanout_p99_ms", pct(latencies, got, 0.99));
    r.put("fanout_delivered_fraction", (double) got / latencies.length);
    for (var ws : sockets) ws.abort();
  }

  /** Heap after GC before and after activating {@code n} JobSeeker entities with no history (one GetSummary each). */
  private static void memory(Node node, int n, Map<String, Object> r, PrintStream out) throws Exception {
    activate(node, "bench-mem-warm-", Math.max(1000, n / 10)); // one-time costs (shards, plugin, classes) and startup settling
    long before = usedHeapAfterGc();
    activate(node, "bench-mem-", n);
    long after = usedHeapAfterGc();
    r.put("memory_entities", n);
    r.put("memory_bytes_per_entity", (double) (after - before) / n);
    out.printf("[bench] memory: %d entities, %.0f bytes each%n", n, (double) (after - before) / n);
  }

  /** Activates {@code n} JobSeeker entities (one GetSummary each, 256 in flight). */
  private static void activate(Node node, String prefix, int n) throws Exception {
    var sharding = ClusterSharding.get(node.system());
    var inFlight = new Semaphore(256);
    var failed = new AtomicInteger();
    for (int i = 0; i < n; i++) {
      inFlight.acquire();
      sharding.entityRefFor(JobSeeker.ENTITY_KEY, prefix + i)
          .<JobSeeker.Summary>ask(JobSeeker.GetSummary::new, Duration.ofSeconds(60))
          .whenComplete((s, e) -> {
            if (e != null) failed.incrementAndGet();
            inFlight.release();
          });
    }
    inFlight.acquire(256);
    if (failed.get() > 0) throw new IllegalStateException(failed.get() + " entities did not answer");
  }

  /** The lowest of three heap readings, each after a full GC (background work allocates between readings). */
  private static long usedHeapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long min = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
      min = Math.min(min, memory.getHeapMemoryUsage().getUsed());
    }
    return min;
  }

  /** A node on its own embedded Cassandra in {@code dataDir}, any free ports, no rate limit, no automatic training. */
  static com.typesafe.config.Config freshNodeConfig(Cli.Options options, Path dataDir) {
    return options.config()
        .withValue("hireloop.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()))
        .withValue("hireloop.http.port", ConfigValueFactory.fromAnyRef(0))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(0))
        .withValue("hireloop.cassandra.embedded-port", ConfigValueFactory.fromAnyRef(0))
        .withValue("hireloop.http.rate-limit-per-second", ConfigValueFactory.fromAnyRef(0))
        .withValue("hireloop.learning.retrain-after-labels", ConfigValueFactory.fromAnyRef(Integer.MAX_VALUE))
        .withValue("datastax-java-driver.advanced.request-tracker.classes",
            ConfigValueFactory.fromIterable(List.of(DriverLatencyProbe.CLASS_NAME)));
  }

  static double pct(long[] values, int n, double p) {
    var sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted);
    return sorted[Math.max(0, Math.min(n - 1, (int) Math.ceil(p * n) - 1))] / 1e6;
  }
}
