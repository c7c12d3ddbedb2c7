package io.hireloop.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.Node;
import io.hireloop.testing.Events;
import io.hireloop.testing.Http;
import io.hireloop.testing.StreamClient;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The personal config and strategy on a real node: access, the fallback to the global values, the push on
 * {@code config:user:<id>} after an ingest, the re-ranker using the user's λ and ε, and the strategy's front. Minimum
 * samples are lowered (hireloop.personal) so that eight applications personalise.
 */
class PersonalApiTest {
  static Node node;
  static Http http;
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String USER = "u-pers";
  static final String USER_TOKEN = TestNodes.token(USER, "user");
  static final String OTHER_TOKEN = TestNodes.token("u-other", "user");
  static final String TOPIC = "config:user:" + USER;

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("pers", Map.of("hireloop.personal.min-applications", 4, "hireloop.personal.min-interviews", 2,
        "hireloop.personal.min-responses", 2, "hireloop.personal.min-weeks", 1, "hireloop.personal.prior-strength", 4,
        "hireloop.ranking.exploration-rate", 0.2, "hireloop.ranking.diversity-lambda", 0.3));
    http = TestNodes.readyHttp(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  /** Eight applications over four weeks, categories in turn, finance (interviews) and health (rejections) alternating. */
  static Map<String, Object> journal() {
    var events = new ArrayList<Map<String, Object>>();
    var t0 = Instant.now().minus(Duration.ofDays(28));
    String[] categories = {"reach", "target", "safety"};
    for (int i = 0; i < 8; i++) {
      var at = t0.plus(Duration.ofDays(3L * i));
      var created = new LinkedHashMap<>(Events.created("pc-" + i, USER, "pa-" + i, at));
      var ctx = new LinkedHashMap<>(Events.context(55 + 5 * i, categories[i % 3], true));
      @SuppressWarnings("unchecked")
      var job = new LinkedHashMap<>((Map<String, Object>) ctx.get("job_characteristics"));
      job.put("industry", i % 2 == 0 ? "finance" : "health");
      ctx.put("job_characteristics", job);
      created.put("context", ctx);
      events.add(created);
      events.add(Events.status("ps-" + i, USER, "pa-" + i, at.plus(Duration.ofHours(2)), i % 2 == 0 ? "interview" : "rejected"));
    }
    return Events.batch(events);
  }

  @Test
  void personalConfigStrategyPushAndRerank() throws Exception {
    // a user token reads only its own; services any user's
    for (var path : List.of("/api/v1/users/" + USER + "/config", "/api/v1/users/" + USER + "/strategy")) {
      var refused = http.get(path, OTHER_TOKEN);
      assertEquals(403, refused.status(), refused.body());
      assertEquals("forbidden", refused.errorCode());
    }

    // no data yet: every setting is the global value
    var empty = http.get("/api/v1/users/" + USER + "/config", USER_TOKEN);
    assertEquals(200, empty.status(), empty.body());
    assertEquals(0, empty.json().path("personalized").size(), empty.body());
    for (var s : empty.json().path("settings")) {
      assertEquals("global", s.path("source").asText(), s.toString());
      assertEquals(s.path("global_value"), s.path("value"));
    }
    var settings = byName(empty.json());
    assertEquals(0.3, settings.get("diversity_lambda").path("value").asDouble(), 1e-12, "the re-ranker's global λ");
    assertEquals(7.0, settings.get("follow_up_after_days").path("value").asDouble(), 1e-12, "orchestrator.follow_up_after_days");

    try (var mine = new StreamClient(node.httpPort(), USER_TOKEN); var other = new StreamClient(node.httpPort(), OTHER_TOKEN);
        var service = new StreamClient(node.httpPort(), SERVICE)) {
      // only the user itself (or a service or admin) may subscribe to the user's config topic
      mine.subscribe(TOPIC, "config:user:u-other");
      other.subscribe(TOPIC);
      service.subscribe(TOPIC);
      var ack = await().atMost(Duration.ofSeconds(20)).until(() -> mine.first("subscribed"), a -> a != null);
      assertEquals(List.of(TOPIC), texts(ack.path("topics")));
      assertEquals("config:user:u-other", ack.path("refused").get(0).path("topic").asText(), ack.toString());
      var otherAck = await().atMost(Duration.ofSeconds(20)).until(() -> other.first("subscribed"), a -> a != null);
      assertEquals(0, otherAck.path("topics").size(), otherAck.toString());
      await().atMost(Duration.ofSeconds(20)).until(() -> service.first("subscribed") != null);

      var ingest = http.post("/api/v1/events", SERVICE, journal());
      assertEquals(200, ingest.status(), ingest.body());

      // the ingest's node recomputes the user's config and pushes it
      await().atMost(Duration.ofSeconds(30)).until(() -> mine.has("config_updated", TOPIC) && service.has("config_updated", TOPIC));
      var pushed = mine.first("config_updated").path("data");
      assertEquals(USER, pushed.path("user_id").asText());
      assertTrue(texts(pushed.path("personalized")).contains("follow_up_after_days"), pushed.toString());
      assertFalse(other.has("config_updated", TOPIC), "refused subscriptions get nothing");
    }

    var config = http.get("/api/v1/users/" + USER + "/config", USER_TOKEN).json();
    var s = byName(config);
    assertEquals(16, config.path("as_of_seq_nr").asLong(), config.toString());
    for (var name : List.of("min_fit_score", "category_mix", "applications_per_week", "follow_up_after_days", "exploration_rate", "diversity_lambda")) {
      assertEquals("personal", s.get(name).path("source").asText(), s.get(name).toString());
    }
    // responses in 3 days: follow up sooner than the global 7; interviews came at fit 55-85
    assertTrue(s.get("follow_up_after_days").path("value").asDouble() < 7, s.get("follow_up_after_days").toString());
    assertEquals(8, s.get("follow_up_after_days").path("sample_size").asInt());
    assertEquals(4, s.get("min_fit_score").path("sample_size").asInt());
    assertEquals(3.0, s.get("follow_up_after_days").path("evidence").path("estimate").asDouble(), 1e-12);
    // interviews in finance only: less diversity than the global λ
    double lambda = s.get("diversity_lambda").path("value").asDouble();
    double epsilon = s.get("exploration_rate").path("value").asDouble();
    assertTrue(lambda < 0.3, s.get("diversity_lambda").toString());
    assertEquals(2, s.get("diversity_lambda").path("evidence").path("posterior").size());

    // the strategy: a front, a recommendation on it, the user's current point; the same answer twice
    var strategy = http.get("/api/v1/users/" + USER + "/strategy", USER_TOKEN);
    assertEquals(200, strategy.status(), strategy.body());
    var doc = strategy.json();
    var front = doc.path("pareto_front");
    assertTrue(front.size() >= 5, doc.toString());
    var points = new HashSet<String>();
    for (var p : front) points.add(point(p));
    assertTrue(points.contains(point(doc.path("recommended"))), "recommended on the front");
    assertTrue(doc.path("recommended").path("effort_hours_per_week").asDouble() <= 10);
    assertTrue(doc.path("current").path("applications_per_week").asDouble() > 0, doc.path("current").toString());
    assertTrue(doc.path("model").path("interview_probability").asText().startsWith("the user's outcomes"), "no champion yet");
    assertEquals(front, http.get("/api/v1/users/" + USER + "/strategy", SERVICE).json().path("pareto_front"), "seeded");

    // with a champion, the user's list is ranked by their own λ and ε, and the strategy reads the model
    RankingApiTest.registerChampion(node);
    var ranked = await().atMost(Duration.ofSeconds(30)).until(() -> http.post("/api/v1/users/" + USER + "/rerank", USER_TOKEN,
        RankingApiTest.body("r-pers")), r -> r.status() == 200).json();
    assertEquals(lambda, ranked.path("policy").path("diversity_lambda").asDouble(), 1e-12, ranked.path("policy").toString());
    assertEquals(epsilon, ranked.path("policy").path("exploration_rate").asDouble(), 1e-12);
    assertTrue(epsilon < 0.2, "ε decays as the user's outcomes accumulate: " + epsilon);
    var modelled = http.get("/api/v1/users/" + USER + "/strategy", USER_TOKEN).json();
    assertTrue(modelled.path("model").path("interview_probability").asText().startsWith("interview model v1"), modelled.path("model").toString());
  }

  private static Map<String, JsonNode> byName(JsonNode config) {
    var m = new LinkedHashMap<String, JsonNode>();
    for (var s : config.path("settings")) m.put(s.path("name").asText(), s);
    return m;
  }

  private static List<String> texts(JsonNode array) {
    var out = new ArrayList<String>();
    for (var t : array) out.add(t.asText());
    return out;
  }

  private static String point(JsonNode p) {
    return p.path("applications_per_week").asText() + "/" + p.path("min_fit_score").asText() + "/" + p.path("category_mix").toString();
  }
}
