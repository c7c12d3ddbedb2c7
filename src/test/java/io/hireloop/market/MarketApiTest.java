package io.hireloop.market;

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
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * GET /api/v1/market on a real node and Cassandra: a generated population is posted over HTTP, and the
 * endpoint's numbers are compared with a direct recomputation from the events sent; k-anonymity, the market
 * stream, rebuild and the admin analytics endpoints on the same data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MarketApiTest {
  static final int K = 10;
  static final LocalDate FROM = LocalDate.parse("2026-01-05"); // a Monday
  static final int WEEKS = 8;
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final String USER = TestNodes.token("mk-u0", "user");
  static final String[] INDUSTRIES = {"fintech", "health", "retail"};
  static final String[] LOCATIONS = {"Berlin", "Paris", "London"};
  static final String[] SENIORITIES = {"junior", "mid", "senior"};
  static final String[] SKILLS = {"sql", "kubernetes", "python"};
  static final String[] STATUSES = {"phone_screen", "interview", "rejected", "ghosted", "viewed", null};

  /** One application as sent: its single status (or none) and days to that status. */
  record App(String user, String id, Instant created, String industry, String location, String seniority, int score, String status, int days) {
    boolean interviewed() {
      return "phone_screen".equals(status) || "interview".equals(status);
    }

    boolean responded() {
      return interviewed() || "rejected".equals(status);
    }

    LocalDate week() {
      return LocalDate.ofInstant(created, ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }
  }

  record Rewrite(String user, Instant at, List<String> skills) {}

  static Node node;
  static Http http;
  static StreamClient stream;
  static final List<App> apps = new ArrayList<>();
  static final List<Rewrite> rewrites = new ArrayList<>();
  /** Users whose market-insights opt-out is on: the recomputation leaves them out. */
  static final Set<String> optedOut = new HashSet<>();

  static List<App> included() {
    return apps.stream().filter(a -> !optedOut.contains(a.user())).toList();
  }

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("market", Map.of("hireloop.market.update-interval", "1s"));
    http = new Http(node.httpPort());
    await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready", null).status() == 200);
    stream = new StreamClient(node.httpPort(), USER);
    stream.subscribe("market");
    await().atMost(Duration.ofSeconds(30)).until(() -> stream.received.stream().anyMatch(m -> m.path("type").asText().equals("subscribed")));
    generate();
    post();
  }

  @AfterAll
  static void stop() {
    if (stream != null) stream.close();
    if (node != null) node.close();
  }

  static void generate() {
    var rnd = new SplittableRandom(42);
    for (int u = 0; u < 45; u++) {
      var user = "mk-u" + u;
      int n = 2 + rnd.nextInt(5);
      for (int a = 0; a < n; a++) {
        var created = FROM.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(rnd.nextLong(WEEKS * 7L * 86_400));
        apps.add(new App(user, "a" + a, created, INDUSTRIES[rnd.nextInt(3)], LOCATIONS[rnd.nextInt(3)], SENIORITIES[rnd.nextInt(3)],
            30 + rnd.nextInt(66), STATUSES[rnd.nextInt(STATUSES.length)], 1 + rnd.nextInt(20)));
      }
      if (rnd.nextBoolean()) {
        var skills = List.of(SKILLS[rnd.nextInt(3)], SKILLS[rnd.nextInt(3)]);
        rewrites.add(new Rewrite(user, FROM.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(rnd.nextLong(WEEKS * 7L * 86_400)), skills));
      }
    }
    // a location with k-1 users and one with k users; a skill with k-1 users
    var monday = FROM.plusWeeks(2).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(10 * 3600);
    for (int u = 0; u < K - 1; u++) apps.add(new App("mk-tal" + u, "t", monday, "health", "Tallinn", "mid", 60, "interview", 3));
    for (int u = 0; u < K; u++) apps.add(new App("mk-osl" + u, "o", monday, "health", "Oslo", "mid", 60, "rejected", 5));
    for (int u = 0; u < K - 1; u++) rewrites.add(new Rewrite("mk-tal" + u, monday, List.of("cobol")));
  }

  static void post() {
    var events = new ArrayList<Map<String, Object>>();
    for (var a : apps) {
      var e = Events.created(a.user() + "-" + a.id() + "-c", a.user(), a.id(), a.created());
      @SuppressWarnings("unchecked")
      var context = (Map<String, Object>) e.get("context");
      context.put("resume_score", a.score());
      context.put("job_characteristics", Map.of("title", "Engineer " + a.id(), "company", "Co " + a.user(), "seniority", a.seniority(),
          "location", a.location(), "industry", a.industry()));
      events.add(e);
    }
    for (var r : rewrites) {
      var e = Events.base(r.user() + "-rw", "RESUME_REWRITTEN", r.user(), r.at());
      e.put("resume_version_id", "r-2");
      e.put("before_score", 50);
      e.put("after_score", 60);
      e.put("score_delta", 10);
      e.put("gaps_addressed", r.skills());
      e.put("user_accepted", true);
      events.add(e);
    }
    for (var a : apps) {
      if (a.status() == null) continue;
      var e = Events.status(a.user() + "-" + a.id() + "-s", a.user(), a.id(), a.created().plusSeconds(a.days() * 86_400L), a.status());
      @SuppressWarnings("unchecked")
      var outcome = (Map<String, Object>) e.get("outcome");
      outcome.put("days_to_response", a.days());
      events.add(e);
    }
    for (int i = 0; i < events.size(); i += 400) {
      var r = http.post("/api/v1/events", SERVICE, Events.batch(events.subList(i, Math.min(events.size(), i + 400))));
      assertEquals(200, r.status(), r.body());
    }
  }

  // ------------------------------------------------------------------ the direct recomputation

  /** cell key → [users, applications, interviews], only cells with at least K users; suppressed[dimension] counts the rest. */
  static Map<String, List<Long>> cells(java.util.function.Function<App, String> key, Map<String, Integer> suppressed, String name) {
    var users = new TreeMap<String, Set<String>>();
    var counts = new TreeMap<String, long[]>();
    for (var a : included()) {
      var k = key.apply(a);
      users.computeIfAbsent(k, x -> new HashSet<>()).add(a.user());
      var c = counts.computeIfAbsent(k, x -> new long[2]);
      c[0]++;
      if (a.interviewed()) c[1]++;
    }
    var out = new TreeMap<String, List<Long>>();
    users.forEach((k, us) -> {
      if (us.size() >= K) out.put(k, List.of((long) us.size(), counts.get(k)[0], counts.get(k)[1]));
    });
    suppressed.put(name, users.size() - out.size());
    return out;
  }

  static Map<String, List<Long>> actual(JsonNode list, String key) {
    var out = new TreeMap<String, List<Long>>();
    for (var row : list) {
      out.put(row.path(key).asText(), List.of(row.path("users").asLong(), row.path("applications").asLong(), row.path("interviews").asLong()));
      assertEquals((double) row.path("interviews").asLong() / row.path("applications").asLong(), row.path("interview_rate").asDouble(), 1e-12);
    }
    return out;
  }

  static JsonNode market() {
    var r = http.get("/api/v1/market?from=" + FROM + "&to=" + FROM.plusWeeks(WEEKS).minusDays(1), USER);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  static void assertMatchesRecomputation(JsonNode m) {
    var suppressed = new LinkedHashMap<String, Integer>();
    assertEquals(cells(App::industry, suppressed, "industries"), actual(m.path("active_industries"), "industry"));
    assertEquals(cells(App::location, suppressed, "locations"), actual(m.path("hottest_locations"), "location"));
    assertEquals(cells(App::seniority, suppressed, "seniorities"), actual(m.path("demand_by_seniority"), "seniority"));
    assertEquals(cells(a -> String.valueOf(a.week().plusDays(3).getMonthValue()), suppressed, "months"),
        actual(m.path("seasonality").path("months"), "month"));
    // skills: users and mentions
    var skillUsers = new TreeMap<String, Set<String>>();
    var mentions = new TreeMap<String, Long>();
    for (var r : rewrites) {
      if (optedOut.contains(r.user())) continue;
      for (var s : r.skills()) {
        skillUsers.computeIfAbsent(s, x -> new HashSet<>()).add(r.user());
        mentions.merge(s, 1L, Long::sum);
      }
    }
    var expectedSkills = new TreeMap<String, List<Long>>();
    skillUsers.forEach((s, us) -> {
      if (us.size() >= K) expectedSkills.put(s, List.of((long) us.size(), mentions.get(s)));
    });
    var actualSkills = new TreeMap<String, List<Long>>();
    m.path("hottest_skills").forEach(r -> actualSkills.put(r.path("skill").asText(), List.of(r.path("users").asLong(), r.path("mentions").asLong())));
    assertEquals(expectedSkills, actualSkills);
    assertEquals(skillUsers.size() - expectedSkills.size(), m.path("suppressed").path("skills").asInt());
    suppressed.forEach((dim, n) -> assertEquals((int) n, m.path("suppressed").path(dim).asInt(), dim));
    // overall figures
    var included = included();
    long ghosted = included.stream().filter(a -> "ghosted".equals(a.status())).count();
    assertEquals(included.size(), m.path("ghosting").path("applications").asLong());
    assertEquals(ghosted, m.path("ghosting").path("ghosted").asLong());
    assertEquals((double) ghosted / included.size(), m.path("ghosting").path("rate").asDouble(), 1e-12);
    var days = included.stream().filter(App::responded).mapToDouble(App::days).sorted().toArray();
    assertEquals(days.length, m.path("days_to_first_response").path("responses").asInt());
    assertEquals(java.util.Arrays.stream(days).average().orElseThrow(), m.path("days_to_first_response").path("mean").asDouble(), 1e-9);
    double median = days.length % 2 == 1 ? days[days.length / 2] : (days[days.length / 2 - 1] + days[days.length / 2]) / 2;
    assertEquals(median, m.path("days_to_first_response").path("median").asDouble(), 1e-9);
    assertFalse(m.toString().contains("Engineer") || m.toString().contains("Co mk-"), "no titles or company names");
  }

  @Test
  @Order(1)
  void theEndpointEqualsADirectRecomputationFromTheEventsSent() {
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertMatchesRecomputation(market()));
    var m = market();
    assertEquals(FROM.toString(), m.path("from_week").asText());
    assertEquals(WEEKS, m.path("weeks").asInt());
    assertEquals(K, m.path("k_anonymity").asInt());
    assertTrue(m.path("seasonality").path("best_month").isTextual(), m.toString());
  }

  @Test
  @Order(2)
  void aCellOfKMinusOneUsersIsAbsentAndOfKUsersPresent() {
    var m = market();
    var locations = actual(m.path("hottest_locations"), "location");
    assertFalse(locations.containsKey("Tallinn"), m.toString());
    assertEquals(List.of((long) K, (long) K, 0L), locations.get("Oslo"));
    assertTrue(m.path("suppressed").path("locations").asInt() >= 1);
    m.path("hottest_skills").forEach(s -> assertFalse(s.path("skill").asText().equals("cobol")));
  }

  @Test
  @Order(3)
  void marketSubscribersReceiveWeeklyUpdates() {
    await().atMost(Duration.ofSeconds(60)).until(() -> stream.has("market", "market"));
    var msg = stream.first("market");
    var data = msg.path("data");
    assertTrue(LocalDate.parse(data.path("week_start").asText()).getDayOfWeek() == DayOfWeek.MONDAY, msg.toString());
    assertEquals("closed", data.path("status").asText());
    assertEquals(K, data.path("insights").path("k_anonymity").asInt());
    // the Oslo/Tallinn week: Oslo shown with its 10 users, Tallinn never
    var week = FROM.plusWeeks(2).toString();
    await().atMost(Duration.ofSeconds(60)).until(() -> stream.received.stream()
        .anyMatch(x -> x.path("type").asText().equals("market") && x.path("data").path("week_start").asText().equals(week)
            && x.path("data").path("insights").path("hottest_locations").toString().contains("Oslo")));
    assertTrue(stream.received.stream().noneMatch(x -> x.toString().contains("Tallinn")));
  }

  @Test
  @Order(4)
  void badRangesAreRefusedAndAnalyticsAreForAdmins() {
    var bad = http.get("/api/v1/market?from=2026-13-01", USER);
    assertEquals(400, bad.status(), bad.body());
    assertEquals("from", bad.json().path("error").path("details").get(0).path("field").asText());
    assertEquals(400, http.get("/api/v1/market?from=2026-03-01&to=2026-01-01", USER).status());
    assertEquals(400, http.get("/api/v1/market?from=2000-01-01&to=2026-01-01", USER).status());
    assertEquals(401, http.get("/api/v1/market", null).status());
    assertEquals(403, http.get("/api/v1/analytics/calibration", SERVICE).status());
    assertEquals(403, http.get("/api/v1/analytics/timing", USER).status());
  }

  @Test
  @Order(5)
  void calibrationAndTimingCoverEveryApplicationSent() {
    var timing = http.get("/api/v1/analytics/timing", ADMIN);
    assertEquals(200, timing.status(), timing.body());
    assertEquals(apps.size(), timing.json().path("applications").asInt());
    assertEquals(apps.stream().filter(App::responded).count(), timing.json().path("responses").asLong());
    int perWeekday = 0;
    for (var d : timing.json().path("by_weekday")) perWeekday += d.path("applications").asInt();
    assertEquals(apps.size(), perWeekday);
    var calibration = http.get("/api/v1/analytics/calibration", ADMIN);
    assertEquals(200, calibration.status(), calibration.body());
    long known = apps.stream().filter(a -> a.responded() || "ghosted".equals(a.status())).count();
    assertEquals(known, calibration.json().path("applications").asLong());
    assertTrue(calibration.json().path("recommendation").isTextual());
  }

  @Test
  @Order(7)
  void aRebuildFromTheJournalGivesTheSameRows() throws Exception {
    var store = new io.hireloop.platform.ReadModelStore(node.system());
    var projection = new MarketProjection(store, w -> { });
    var before = projection.dump().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertTrue(before.size() > apps.size(), "rows for weeks and applications");
    assertTrue(before.contains("opt-out mk-osl3"), "the opt-out of the previous test is a row too");
    var r = http.post("/api/v1/admin/projections/" + MarketProjection.NAME + "/rebuild", ADMIN, "{}");
    assertEquals(202, r.status(), r.body());
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
        .until(() -> projection.dump().toCompletableFuture().get(30, TimeUnit.SECONDS).equals(before));
    assertMatchesRecomputation(market());
  }

  @Test
  @Order(6)
  void anOptedOutUsersContributionDisappears() {
    var user = "mk-osl3";
    var own = TestNodes.token(user, "user");
    var r = http.post("/api/v1/users/" + user + "/preferences", own, Map.of("market_insights_opt_out", true));
    assertEquals(200, r.status(), r.body());
    optedOut.add(user);
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      var m = market();
      assertFalse(actual(m.path("hottest_locations"), "location").containsKey("Oslo"), "9 users left in Oslo: suppressed");
      assertMatchesRecomputation(m);
    });
    // the week's subscribers hear about it too, without Oslo
    var week = FROM.plusWeeks(2).toString();
    await().atMost(Duration.ofSeconds(60)).until(() -> stream.received.stream()
        .filter(x -> x.path("type").asText().equals("market") && x.path("data").path("week_start").asText().equals(week))
        .reduce((a, b) -> b).map(x -> !x.path("data").path("insights").path("hottest_locations").toString().contains("Oslo")).orElse(false));
  }

  @Test
  @Order(8)
  void optingBackInRestoresThePastContribution() {
    var user = "mk-osl3";
    var own = TestNodes.token(user, "user");
    assertEquals(200, http.post("/api/v1/users/" + user + "/preferences", own, Map.of("market_insights_opt_out", false)).status());
    optedOut.remove(user);
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertMatchesRecomputation(market()));
    assertEquals(List.of((long) K, (long) K, 0L), actual(market().path("hottest_locations"), "location").get("Oslo"));
  }
}
