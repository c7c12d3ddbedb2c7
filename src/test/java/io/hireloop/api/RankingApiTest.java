package io.hireloop.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.Node;
import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import io.hireloop.learning.ModelCard;
import io.hireloop.learning.ModelRegistry;
import io.hireloop.learning.ModelStore;
import io.hireloop.learning.ensemble.EnsembleTrainer;
import io.hireloop.learning.ensemble.LabelledSnapshot;
import io.hireloop.learning.ensemble.LogisticMember;
import io.hireloop.learning.ensemble.MemberTrainers;
import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.platform.ReadModelStore;
import io.hireloop.testing.Events;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Re-ranking and its off-policy evaluation on a real node. The champion is a small logistic ensemble trained in the
 * test's process and registered directly (the learning loop itself is LearningLoopTest's); top k 3 and ε .5 over
 * six jobs make every propensity .5, so the estimates can be computed by hand from the reply.
 */
class RankingApiTest {
  static Node node;
  static Http http;
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final String USER = "u-rank";
  static final String USER_TOKEN = TestNodes.token(USER, "user");
  static final String[] INDUSTRIES = {"software", "finance", "health", "retail", "energy", "media"};

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("rank", Map.of("hireloop.ranking.top-k", 3, "hireloop.ranking.exploration-rate", 0.5,
        "hireloop.ranking.diversity-lambda", 0.3, "hireloop.ranking.outcome-window", "15s"));
    http = TestNodes.readyHttp(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  /** Six jobs, fit 90 down to 40, each of another industry and company. */
  static Map<String, Object> body(String requestId) {
    var jobs = new ArrayList<Map<String, Object>>();
    for (int i = 0; i < 6; i++) {
      var ctx = new LinkedHashMap<>(Events.context(90 - 10 * i, "target", i % 2 == 0));
      var job = new LinkedHashMap<String, Object>();
      job.put("title", "Engineer");
      job.put("company", "Company " + i);
      job.put("seniority", i < 3 ? "mid" : "senior");
      job.put("location", "Berlin");
      job.put("industry", INDUSTRIES[i]);
      ctx.put("job_characteristics", job);
      jobs.add(Map.of("job_id", "job-a" + i, "context", ctx));
    }
    return Map.of("request_id", requestId, "jobs", jobs);
  }

  @Test
  void rerankServesLogsAndIsEvaluatedOffPolicy() throws Exception {
    var path = "/api/v1/users/" + USER + "/rerank";
    // bad input: every problem listed, by field
    var bad = http.post(path, USER_TOKEN, Map.of("jobs", List.of(Map.of("context", Events.context(500, "target", true)),
        Map.of("job_id", "x", "context", Events.context(50, "target", true)), Map.of("job_id", "x", "context", Events.context(50, "target", true))),
        "seed", "abc"));
    assertEquals(400, bad.status(), bad.body());
    assertEquals("validation_failed", bad.errorCode());
    for (var field : List.of("jobs[0].job_id", "jobs[0].context.fit_score", "jobs[2].job_id", "seed")) {
      assertTrue(bad.body().contains("\"" + field + "\""), field + " in " + bad.body());
    }
    assertEquals(400, http.post(path, USER_TOKEN, Map.of("jobs", List.of())).status());
    // a user token for someone else; the evaluation is not for users
    assertEquals(403, http.post("/api/v1/users/someone-else/rerank", USER_TOKEN, body("r-x")).status());
    assertEquals(403, http.get("/api/v1/ranking/evaluation", USER_TOKEN).status());
    assertEquals(400, http.get("/api/v1/ranking/evaluation?diversity_lambda=2&days=0", ADMIN).status());
    // before a model exists: 503, as score-jobs
    var early = http.post(path, USER_TOKEN, body("r-early"));
    assertEquals(503, early.status(), early.body());

    registerChampion();
    var warm = new JsonNode[1];
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var r = http.post(path, SERVICE, body("r-warm"));
      if (r.status() == 200) warm[0] = r.json().path("jobs");
      return r.status() == 200;
    });

    var reply = http.post(path, USER_TOKEN, body("r-main"));
    assertEquals(200, reply.status(), reply.body());
    var doc = reply.json();
    assertEquals("r-main", doc.path("request_id").asText());
    assertEquals(1, doc.path("model_version").asInt());
    assertEquals(3, doc.path("policy").path("top_k").asInt());
    var jobs = doc.path("jobs");
    assertEquals(6, jobs.size(), doc.toString());
    double propensities = 0;
    var probability = new HashMap<String, Double>();
    for (int pos = 0; pos < 6; pos++) {
      var j = jobs.get(pos);
      assertEquals(pos + 1, j.path("position").asInt());
      assertEquals(pos < 3, j.path("in_top_k").asBoolean());
      // six jobs, three slots, ε .5: a top job stays with 1 − ε; a tail job enters with E[M]/3 = 3ε/3
      assertEquals(0.5, j.path("propensity").asDouble(), 1e-12, j.toString());
      propensities += j.path("propensity").asDouble();
      var reason = j.path("reason").asText();
      assertTrue(reason.equals("high predicted interview chance") || reason.startsWith("adds diversity") || reason.equals("exploration"), reason);
      assertEquals(j.path("explored").asBoolean(), reason.equals("exploration"));
      if (j.path("explored").asBoolean()) assertTrue(pos < 3, "exploration fills top slots");
      probability.put(j.path("job_id").asText(), j.path("probability").asDouble());
    }
    assertEquals(3, propensities, 1e-9);
    assertTrue(probability.get("job-a0") > probability.get("job-a5"), "fit 90 over fit 40: " + doc);
    // the same request id: the same list (the seed is its hash); logged again, counted once
    assertEquals(jobs, http.post(path, SERVICE, body("r-main")).json().path("jobs"));

    // the user applies to the first job shown and gets an interview
    var first = jobs.get(0).path("job_id").asText();
    var appId = first.substring("job-".length());
    var now = Instant.now();
    var ingest = http.post("/api/v1/events", SERVICE, Events.batch(Events.created("e-1", USER, appId, now),
        Events.status("e-2", USER, appId, now.plusSeconds(1), "interview")));
    assertEquals(200, ingest.status(), ingest.body());

    // once the window closed and the label arrived, both rankings (r-warm, r-main) are known
    var evaluation = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(
        () -> http.get("/api/v1/ranking/evaluation", SERVICE).json(), d -> d.path("rankings_pending").asInt() == 0
            && d.path("rankings_evaluated").asInt() == 2);
    assertEquals(2, evaluation.path("rankings_logged").asInt(), evaluation.toString());
    assertEquals(0.0, evaluation.path("candidate_policy").path("diversity_lambda").asDouble());

    // by hand from the replies: the candidate (model order, no exploration) holds the three most probable jobs, every
    // μ is .5, and a ranking's reward is 1 on `first` when it showed it in its top 3
    var modelTop = probability.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(3)
        .map(Map.Entry::getKey).toList();
    double observed = 0, ips = 0, weights = 0, predictedShown = 0, rewards = 0;
    for (var list : List.of(jobs, warm[0])) {
      for (var j : list) {
        if (!j.path("in_top_k").asBoolean()) continue;
        var id = j.path("job_id").asText();
        double r = id.equals(first) ? 1 : 0;
        double w = (modelTop.contains(id) ? 1 : 0) / 0.5;
        observed += r / 3 / 2;
        ips += w * r / 3 / 2;
        weights += w / 3 / 2;
        predictedShown += probability.get(id);
        rewards += r;
      }
    }
    double beta = rewards / predictedShown;
    double dr = 0;
    for (var list : List.of(jobs, warm[0])) {
      double d = 0;
      for (var j : list) {
        var id = j.path("job_id").asText();
        double pi = modelTop.contains(id) ? 1 : 0;
        double q = Math.min(1, beta * probability.get(id));
        d += pi * q;
        if (j.path("in_top_k").asBoolean()) d += pi / 0.5 * ((id.equals(first) ? 1 : 0) - q);
      }
      dr += d / 3 / 2;
    }
    var estimates = evaluation.path("estimates");
    assertEquals(observed, evaluation.path("logging_policy").path("observed_value").path("value").asDouble(), 1e-9, evaluation.toString());
    assertEquals(ips, estimates.path("ips").path("value").asDouble(), 1e-9, evaluation.toString());
    assertEquals(ips / weights, estimates.path("snips").path("value").asDouble(), 1e-9, evaluation.toString());
    assertEquals(dr, estimates.path("dr").path("value").asDouble(), 1e-9, evaluation.toString());
    assertEquals(beta, evaluation.path("diagnostics").path("reward_model_scale").asDouble(), 1e-9);
    assertTrue(estimates.path("ips").path("ci_low").isNumber(), evaluation.toString());
    assertEquals(0, evaluation.path("diagnostics").path("unsupported_share").asDouble(), 1e-12);
    assertTrue(http.get("/metrics", null).body().contains("hireloop_ranking_log_total{result=\"written\""), "ranking_log writes are counted");

    // feedback-loop stability: this week's shown jobs are the two lists' top 3; the application is what was applied to
    assertEquals(403, http.get("/api/v1/ranking/diversity", USER_TOKEN).status());
    var diversity = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(
        () -> http.get("/api/v1/ranking/diversity", ADMIN).json(), d -> d.path("periods").size() == 8
            && d.path("periods").get(7).path("applied").path("items").asInt() == 1);
    var week = diversity.path("periods").get(7);
    assertEquals("week", diversity.path("period").asText());
    assertEquals(6, week.path("shown").path("items").asInt(), diversity.toString());
    assertTrue(week.path("shown").path("entropy_bits").asDouble() > 0, "six industries among the shown: " + diversity);
    assertEquals(false, week.path("shown").path("usable").asBoolean(), "below min-items: " + diversity);
    assertEquals(0, diversity.path("alerts").size(), diversity.toString());
    assertTrue(diversity.path("shown").path("baseline_bits").isNull(), diversity.toString());
  }

  /** Trains a logistic-only ensemble on 3,000 generated applications and makes it the interview champion (v1). */
  static void registerChampion() throws Exception {
    registerChampion(node);
  }

  /** A small logistic interview ensemble as version 1, the champion, on the given node. */
  static void registerChampion(Node node) throws Exception {
    var rnd = new Random(3);
    var rows = new ArrayList<LabelledSnapshot>();
    var t0 = Instant.now().minus(Duration.ofDays(150));
    String[] categories = {"reach", "target", "safety"};
    for (int u = 0; u < 300; u++) {
      int prior = 0, interviews = 0;
      for (int a = 0; a < 10; a++) {
        double fit = 20 + 75 * rnd.nextDouble();
        var category = categories[rnd.nextInt(3)];
        boolean tailored = rnd.nextBoolean();
        double z = -1.5 + 2.5 * (fit - 55) / 40 + (category.equals("safety") ? 0.6 : category.equals("reach") ? -0.6 : 0) + (tailored ? 0.4 : 0);
        boolean label = rnd.nextDouble() < 1 / (1 + Math.exp(-z));
        var ctx = new ApplicationContext("balanced", fit, category, new JobCharacteristics("Engineer", "Acme", "mid", "Berlin", "software"),
            70, tailored);
        var at = t0.plus(Duration.ofHours(rnd.nextInt(24 * 140)));
        rows.add(new LabelledSnapshot("g" + u, new ApplicationSnapshot(ctx, at, prior, prior, interviews, List.of(), 1.0), label));
        prior++;
        if (label) interviews++;
      }
    }
    var trained = new EnsembleTrainer(MemberTrainers.of(List.of(LogisticMember.FAMILY), 3))
        .train(rows, EnsembleTrainer.Settings.defaults(), EnsembleTrainer.Progress.NONE);
    new ModelStore(new ReadModelStore(node.system())).save("interview", 1, trained.ensemble().toBytes()).toCompletableFuture().get();
    var card = new ModelCard("interview", 1, Instant.now(), "job-test", "cpu", 1.0, "v2", null,
        new ModelCard.Metrics(0.75, 0.5, 0.2, 0.03, 300, 0.3), null, null, "platt", null, null, null);
    var registered = ClusterSharding.get(node.system()).entityRefFor(ModelRegistry.ENTITY_KEY, "interview")
        .<ModelRegistry.Registered>ask(r -> new ModelRegistry.Register(card.toJson(), new ModelRegistry.Gate(0.005, 0.005), r),
            Duration.ofSeconds(20))
        .toCompletableFuture().get();
    assertTrue(registered.ok(), registered.toString());
  }
}
