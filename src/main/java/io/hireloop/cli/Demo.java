package io.hireloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigValueFactory;
import io.hireloop.Node;
import io.hireloop.api.Auth;
import io.hireloop.simulation.SimulationModel;
import io.hireloop.simulation.Simulator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/hireloop demo}: starts one node on the embedded Cassandra, simulates a job-search population with
 * the realistic simulator (README "Simulator"; ending yesterday, so the node accepts every timestamp), streams
 * it through the public API with {@link SimulateCommand#post}, and follows the learning loop on the stream
 * until a model is trained and the job_discovery config it derived is pushed. Prints progress, the model's
 * AUC next to the oracle's, a user's performance and how to look around; then serves until Ctrl-C, or stops
 * with {@code --exit}.
 */
final class Demo {
  private Demo() {}

  static int run(Cli.Options options, PrintStream out) throws Exception {
    quietNodeLog();
    int users = options.integer("users", 400);
    int weeks = options.integer("weeks", 12);
    int seed = options.integer("seed", 1);
    if (users < 1 || weeks < 1) throw new Cli.UsageException("--users and --weeks must be positive");
    boolean exit = options.flag("exit");
    var config = options.config();
    if (!options.values().containsKey("data-dir")) config = config.withValue("hireloop.data-dir", ConfigValueFactory.fromAnyRef("./data/demo"));
    var dataDir = Path.of(config.getString("hireloop.data-dir"));
    var simDir = dataDir.resolve("simulation");
    var bar = ProgressBar.stdout(out);

    // the run ends at the start of today (UTC): in the past, as the node requires
    var start = LocalDate.now(ZoneOffset.UTC).minusWeeks(weeks);
    out.printf("[demo] simulating %d job seekers x %d weeks (%s .. today, seed %d) into %s ...%n", users, weeks, start, seed, simDir);
    long ts = System.nanoTime();
    var sim = new Simulator(SimulationModel.defaults(), users, weeks, seed, start).run(simDir);
    out.printf(Locale.ROOT, "[demo]   %,d events, %,d applications, interview rate %.3f, oracle AUC %.3f (the best any model can do) in %.1f s%n",
        sim.events(), sim.applications(), sim.applications() == 0 ? 0.0 : (double) sim.interviews() / sim.applications(),
        sim.oracleAuc(), (System.nanoTime() - ts) / 1e9);

    out.println("[demo] starting a node (embedded Cassandra under " + dataDir + ") ...");
    long t0 = System.nanoTime();
    var node = Node.start(config, line -> bar.line("[demo] " + line));
    var closed = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable close = () -> {
      if (closed.compareAndSet(false, true)) node.close();
    };
    var hook = new Thread(() -> {
      out.println("[demo] stopping the node");
      close.run();
    }, "hireloop-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      out.printf("[demo] node ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      var auth = new Auth(config.getString("hireloop.auth.jwt-secret"), config.getString("hireloop.auth.issuer"));
      var url = "http://localhost:" + node.httpPort();
      var serviceToken = auth.issue("demo-feeder", "service", Duration.ofHours(2));
      var adminToken = auth.issue("demo-admin", "admin", Duration.ofHours(12));
      var admin = new ApiClient(url, adminToken);
      out.println("[demo] console (watch the run live): open " + url + "/ and log in with this admin token (12 h):");
      out.println(adminToken);

      var trained = new CountDownLatch(1);
      var configPushed = new CountDownLatch(1);
      var ws = admin.stream(List.of("models", "config:job_discovery"), m -> onStream(m, bar, trained, configPushed));

      out.printf(Locale.ROOT, "[demo] streaming %,d events through POST /api/v1/events (batches of %d, 4 clients)%n",
          sim.events(), SimulateCommand.BATCH);
      var posted = SimulateCommand.post(sim.eventsFile(), sim.events(), url, serviceToken, 0, 4,
          (sent, total, secs, last) -> bar.update("[demo]   ", sent, total, "events", sent / Math.max(1e-3, secs), last));
      if (posted.failure() != null) throw new IllegalStateException("ingest stopped: " + posted.failure());
      out.printf(Locale.ROOT, "[demo]   %,d events stored (%,d new, %,d duplicates)%n", posted.sent(), posted.fresh(),
          posted.sent() - posted.fresh());
      if (posted.fresh() == 0) {
        out.println("[demo] " + dataDir + " already holds this population (every event was a duplicate):"
            + " asking for a training explicitly");
        admin.post("/api/v1/models/interview/train", "{}");
      }
      out.println("[demo] waiting for the learning loop: projection -> training set -> ensemble (logistic, trees, DL4J network) -> registry -> config");
      if (!await(trained, 180)) {
        out.println("[demo] no model trained yet; asking for a training explicitly (POST /api/v1/models/interview/train)");
        admin.post("/api/v1/models/interview/train", "{}");
        if (!await(trained, 300)) throw new IllegalStateException("no model was trained within 8 minutes; see the node log");
      }
      await(configPushed, 60);
      // the last labels may have started a retraining on more data: report on that model
      for (int i = 0; i < 180 && admin.get("/api/v1/models/interview").body().path("status").asText().equals("training"); i++) {
        if (i == 0) out.println("[demo] a retraining on the newest labels is running; waiting for it");
        ProjectionsCommand.sleep(1000);
      }
      ws.abort();

      var model = admin.get("/api/v1/models/interview").body();
      var cfg = admin.get("/api/v1/configs/job_discovery").body();
      var metrics = model.path("metrics");
      out.println();
      out.printf(Locale.ROOT, "[demo] interview model v%s (%s): %s examples, held-out AUC %.3f vs ORACLE AUC %.3f (true probabilities),"
              + " ECE %.3f%n", model.path("version").asText(), model.path("backend").asText(), model.path("training_examples").asText(),
          metrics.path("auc").asDouble(Double.NaN), sim.oracleAuc(), metrics.path("ece").asDouble(Double.NaN));
      out.println("[demo] job_discovery config v" + cfg.path("version") + " pushed (" + cfg.path("optimized_by").asText() + ", confidence "
          + String.format(Locale.ROOT, "%.2f", cfg.path("confidence").asDouble()) + "): " + cfg.path("values"));
      var sample = sampleUser(admin, sim.users(), seed);
      if (sample != null) {
        var perf = sample.perf();
        out.printf(Locale.ROOT, "[demo] %s performance: %d applications, interview rate %.2f, offers %s (as of seq %s)%n", sample.id(),
            perf.path("total_applications").asInt(), perf.path("interview_rate").asDouble(), perf.path("offers").asText("-"),
            perf.path("as_of_seq_nr").asText());
      }
      out.println("[demo] learning-quality report on the same data: bin/hireloop evaluate --data " + simDir);
      out.println();
      out.println("[demo] API: " + url + "/api/v1   admin token (12 h):");
      out.println(adminToken);
      out.println("[demo] console: open " + url + "/ and paste the admin token above to log in");
      out.println("[demo] try: TOKEN=<the token above>; curl -H \"Authorization: Bearer $TOKEN\" " + url + "/api/v1/models/interview");
      if (sample != null) {
        out.println("[demo]      curl -H \"Authorization: Bearer $TOKEN\" " + url + "/api/v1/users/" + sample.id() + "/performance");
      }
      if (!exit) {
        out.println("[demo] the node keeps serving; Ctrl-C to stop (--exit stops here)");
        node.system().getWhenTerminated().toCompletableFuture().join();
        return 0;
      }
      out.println("[demo] complete (--exit); stopping the node");
    } finally {
      close.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is already running
      }
    }
    return 0;
  }

  private record Sample(String id, JsonNode perf) {}

  /** The first of the first 20 simulated users with some applications on record. */
  private static Sample sampleUser(ApiClient admin, int users, long seed) {
    for (int i = 0; i < Math.min(users, 20); i++) {
      var id = "sim" + Long.toString(seed, 36) + "-u" + i;
      var r = admin.get("/api/v1/users/" + id + "/performance");
      if (r.status() == 200 && r.body() != null && r.body().path("total_applications").asInt() > 0) return new Sample(id, r.body());
    }
    return null;
  }

  private static void onStream(JsonNode m, ProgressBar bar, CountDownLatch trained, CountDownLatch configPushed) {
    var type = m.path("type").asText();
    var data = m.path("data");
    switch (type) {
      case "training_progress" -> {
        var phase = data.path("phase").asText();
        int epoch = data.path("epoch").asInt(0);
        if (!phase.equals("training") || epoch == 0 || epoch == data.path("epochs").asInt()) {
          bar.line("[demo]   training " + data.path("job_id").asText() + ": " + phase
              + (epoch > 0 ? " epoch " + epoch + "/" + data.path("epochs").asInt() + " loss " + String.format(Locale.ROOT, "%.4f", data.path("loss").asDouble()) : "")
              + (data.has("examples") ? " on " + data.path("examples") + " examples" : "")
              + (data.has("error") ? ": " + data.path("error").asText() : ""));
        }
      }
      case "model_trained" -> {
        // the offer and response_time models are trained in the same job and announced the same way; only the
        // interview model derives a job_discovery config (as a recommendation the rules apply or send for review)
        var name = data.path("name").asText("interview");
        boolean interview = name.equals("interview");
        var recommendation = data.path("recommendation_status").asText("");
        bar.line("[demo]   model_trained: " + name + " v" + data.path("version") + " holdout AUC "
            + String.format(Locale.ROOT, "%.3f", data.path("metrics").path("auc").asDouble())
            + (!interview ? "" : data.path("config_applied").asBoolean() ? ", job_discovery config applied"
                : recommendation.isEmpty() ? ", no config derived (challenger)" : ", job_discovery config: recommendation " + recommendation));
        if (interview) {
          trained.countDown();
          if (!data.path("config_applied").asBoolean()) configPushed.countDown();
        }
      }
      case "config_updated" -> {
        bar.line("[demo]   config_updated: job_discovery v" + data.path("version") + " " + data.path("values"));
        configPushed.countDown();
      }
      default -> { }
    }
  }

  private static boolean await(CountDownLatch latch, int seconds) {
    try {
      return latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The demo's own lines tell the story; the node's INFO log would bury them (HIRELOOP_LOG_LEVEL overrides). */
  private static void quietNodeLog() {
    if (System.getenv("HIRELOOP_LOG_LEVEL") != null) return;
    var root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger logback) logback.setLevel(ch.qos.logback.classic.Level.WARN);
  }
}
