package io.hireloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigValueFactory;
import io.hireloop.Node;
import io.hireloop.api.Auth;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/hireloop demo}: starts one node on the embedded Cassandra, sends a generated population
 * through the public API, and follows the learning loop on the stream until a model is trained and the
 * job_discovery config it derived is pushed. Prints progress, the figures, and how to look around.
 */
final class Demo {
  private Demo() {}

  static int run(Cli.Options options, PrintStream out) {
    int users = options.integer("users", 300);
    var config = options.config();
    if (!options.values().containsKey("data-dir")) config = config.withValue("hireloop.data-dir", ConfigValueFactory.fromAnyRef("./data/demo"));
    out.println("[demo] starting a node (embedded Cassandra under " + config.getString("hireloop.data-dir") + ") ...");
    long t0 = System.nanoTime();
    try (var node = Node.start(config, line -> out.println("[demo] " + line))) {
      out.printf("[demo] node ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      var auth = new Auth(config.getString("hireloop.auth.jwt-secret"), config.getString("hireloop.auth.issuer"));
      var url = "http://localhost:" + node.httpPort();
      var service = new ApiClient(url, auth.issue("demo-feeder", "service", Duration.ofHours(2)));
      var adminToken = auth.issue("demo-admin", "admin", Duration.ofHours(2));
      var admin = new ApiClient(url, adminToken);

      var trained = new CountDownLatch(1);
      var configPushed = new CountDownLatch(1);
      var ws = admin.stream(List.of("models", "config:job_discovery"), m -> onStream(m, out, trained, configPushed));

      var events = DemoPopulation.generate(users, 7, Instant.now());
      out.printf("[demo] sending %d events of %d users through POST /api/v1/events (batches of 100)%n", events.size(), users);
      long sendStart = System.nanoTime();
      int accepted = 0;
      int fresh = 0;
      for (int i = 0; i < events.size(); i += 100) {
        var batch = events.subList(i, Math.min(events.size(), i + 100));
        var r = service.post("/api/v1/events", Map.of("events", batch));
        if (r.status() != 200) throw new IllegalStateException("ingest answered " + r.status() + ": " + r.body());
        accepted += r.body().path("results").size();
        for (var result : r.body().path("results")) if (result.path("status").asText().equals("accepted")) fresh++;
        if ((i / 100) % 10 == 0 || i + 100 >= events.size()) {
          out.printf("[demo]   %d/%d events stored (%.0f events/s)%n", accepted, events.size(),
              accepted / ((System.nanoTime() - sendStart) / 1e9));
        }
      }
      if (fresh == 0) {
        out.println("[demo] " + config.getString("hireloop.data-dir") + " already holds this population (every event was a duplicate):"
            + " asking for a training explicitly");
        admin.post("/api/v1/models/interview/train", "{}");
      }
      out.println("[demo] waiting for the learning loop: projection -> training set -> DL4J -> registry -> config");
      if (!await(trained, 180)) {
        out.println("[demo] no model trained yet; asking for a training explicitly (POST /api/v1/models/interview/train)");
        admin.post("/api/v1/models/interview/train", "{}");
        if (!await(trained, 300)) throw new IllegalStateException("no model was trained within 10 minutes; see the node log");
      }
      await(configPushed, 60);
      // the last labels may have started a retraining on more data: report on that model
      for (int i = 0; i < 180 && admin.get("/api/v1/models/interview").body().path("status").asText().equals("training"); i++) {
        if (i == 0) out.println("[demo] a retraining on the newest labels is running; waiting for it");
        ProjectionsCommand.sleep(1000);
      }

      var model = admin.get("/api/v1/models/interview").body();
      var cfg = admin.get("/api/v1/configs/job_discovery").body();
      var perf = admin.get("/api/v1/users/demo-u-0/performance").body();
      var prediction = admin.post("/api/v1/predictions/interview", Map.of("context",
          DemoPopulation.context("balanced", 85, "target", 70, true, new java.util.Random(1)))).body();
      var fidelity = fidelity(admin, 200);
      out.println();
      out.println("[demo] interview model v" + model.path("version") + " on " + model.path("backend").asText() + ": "
          + model.path("training_examples") + " examples, held-out " + model.path("metrics"));
      out.println("[demo] job_discovery config v" + cfg.path("version") + " (" + cfg.path("optimized_by").asText() + ", confidence "
          + String.format("%.2f", cfg.path("confidence").asDouble()) + "): " + cfg.path("values"));
      out.println("[demo] demo-u-0 performance: " + perf.path("total_applications") + " applications, interview rate "
          + String.format("%.2f", perf.path("interview_rate").asDouble()) + " (as of seq " + perf.path("as_of_seq_nr") + ")");
      out.println("[demo] P(interview | fit 85, tailored, target) = " + String.format("%.2f", prediction.path("probability").asDouble())
          + " (truth " + String.format("%.2f", DemoPopulation.interviewProbability(85, true, "target", 70)) + ")");
      out.printf("[demo] against the planted truth on 200 new applications: correlation %.2f, mean |error| %.3f%n",
          fidelity[0], fidelity[1]);
      out.println();
      out.println("[demo] API: " + url + "/api/v1   admin token (2 h):");
      out.println(adminToken);
      out.println("[demo] try: curl -H \"Authorization: Bearer $TOKEN\" " + url + "/api/v1/models/interview");
      ws.abort();
      if (options.flag("keep-running")) {
        out.println("[demo] still serving (--keep-running); Ctrl-C to stop");
        node.system().getWhenTerminated().toCompletableFuture().join();
      }
      out.println("[demo] complete; stopping the node");
    }
    return 0;
  }

  /** Correlation and mean absolute error of served predictions against the generator's true probabilities. */
  private static double[] fidelity(ApiClient api, int n) {
    var rnd = new java.util.Random(42);
    var predicted = new double[n];
    var truth = new double[n];
    for (int i = 0; i < n; i++) {
      double fit = 20 + rnd.nextDouble() * 80;
      double resume = 45 + rnd.nextDouble() * 35;
      boolean tailored = rnd.nextBoolean();
      var category = DemoPopulation.CATEGORIES[rnd.nextInt(3)];
      predicted[i] = api.post("/api/v1/predictions/interview",
          Map.of("context", DemoPopulation.context("balanced", fit, category, resume, tailored, rnd))).body().path("probability").asDouble();
      truth[i] = DemoPopulation.interviewProbability(fit, tailored, category, resume);
    }
    double mp = java.util.Arrays.stream(predicted).average().orElse(0);
    double mt = java.util.Arrays.stream(truth).average().orElse(0);
    double cov = 0, vp = 0, vt = 0, mae = 0;
    for (int i = 0; i < n; i++) {
      cov += (predicted[i] - mp) * (truth[i] - mt);
      vp += (predicted[i] - mp) * (predicted[i] - mp);
      vt += (truth[i] - mt) * (truth[i] - mt);
      mae += Math.abs(predicted[i] - truth[i]);
    }
    return new double[] {cov / Math.sqrt(vp * vt), mae / n};
  }

  private static void onStream(JsonNode m, PrintStream out, CountDownLatch trained, CountDownLatch configPushed) {
    var type = m.path("type").asText();
    var data = m.path("data");
    switch (type) {
      case "training_progress" -> {
        var phase = data.path("phase").asText();
        int epoch = data.path("epoch").asInt(0);
        if (!phase.equals("training") || epoch == 0 || epoch % 10 == 0) {
          out.println("[demo]   training " + data.path("job_id").asText() + ": " + phase
              + (epoch > 0 ? " epoch " + epoch + "/" + data.path("epochs").asInt() + " loss " + String.format("%.4f", data.path("loss").asDouble()) : "")
              + (data.has("examples") ? " on " + data.path("examples") + " examples" : "")
              + (data.has("error") ? ": " + data.path("error").asText() : ""));
        }
      }
      case "model_trained" -> {
        out.println("[demo]   model_trained: v" + data.path("version") + " AUC " + String.format("%.3f", data.path("metrics").path("auc").asDouble())
            + (data.path("config_applied").asBoolean() ? ", config applied" : ", config waiting for approval"));
        trained.countDown();
        if (!data.path("config_applied").asBoolean()) configPushed.countDown();
      }
      case "config_updated" -> {
        out.println("[demo]   config_updated: job_discovery v" + data.path("version") + " " + data.path("values"));
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
}
