package io.hireloop.analytics.insights;

import static io.hireloop.testing.Events.batch;
import static io.hireloop.testing.Events.created;
import static io.hireloop.testing.Events.status;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.Node;
import io.hireloop.platform.Json;
import io.hireloop.platform.ReadModelStore;
import io.hireloop.simulation.SimulationModel;
import io.hireloop.simulation.Simulator;
import io.hireloop.testing.Http;
import io.hireloop.testing.StreamClient;
import io.hireloop.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Simulated users posted through the HTTP API into a real node on Cassandra; the insight endpoints' numbers
 * are checked against a recomputation, written here independently, from the events as read back from
 * GET /users/{id}/events. Then a rebuild of the read model gives the same rows.
 */
class InsightsApiTest {
  static final Set<String> INTERVIEW = Set.of("phone_screen", "interview", "offer", "offer_accepted", "offer_declined");
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final int MIN_USERS = 3;
  static Node node;
  static Http http;
  /** user id → the user's journal as read back through the API. */
  static final Map<String, List<JsonNode>> journals = new TreeMap<>();

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.startShared("insights", Map.of("pekko.http.server.websocket.periodic-keep-alive-max-idle", "1s",
        "hireloop.analytics.segment-min-users", MIN_USERS, "hireloop.analytics.segment-cache-ttl", "0s"));
    http = new Http(node.httpPort());
    await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready", null).status() == 200);

    var dir = Files.createTempDirectory("insights-sim");
    var monday = LocalDate.now(ZoneOffset.UTC).minusWeeks(7).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    var summary = new Simulator(SimulationModel.defaults(), 24, 5, 17, monday).run(dir);
    var lines = Files.readAllLines(summary.eventsFile());
    long t0 = System.nanoTime();
    for (int from = 0; from < lines.size(); from += 500) {
      var body = "{\"events\":[" + String.join(",", lines.subList(from, Math.min(lines.size(), from + 500))) + "]}";
      var r = http.post("/api/v1/events", SERVICE, body);
      assertEquals(200, r.status(), r.body());
    }
    var users = new TreeSet<String>();
    lines.forEach(l -> users.add(Json.read(l).path("user_id").asText()));
    for (var user : users) journals.put(user, readBack(user));
    assertEquals(lines.size(), journals.values().stream().mapToInt(List::size).sum(), "every posted event is in a journal");
    for (var e : journals.entrySet()) {
      long last = e.getValue().size();
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
          http.get("/api/v1/users/" + e.getKey() + "/patterns", SERVICE).json().path("as_of_seq_nr").asLong() == last);
    }
    System.out.printf("[insights] %d events of %d users posted and projected in %.1f s%n", lines.size(), users.size(),
        (System.nanoTime() - t0) / 1e9);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static List<JsonNode> readBack(String user) {
    var out = new ArrayList<JsonNode>();
    long after = 0;
    while (true) {
      var page = http.get("/api/v1/users/" + user + "/events?after_seq=" + after + "&limit=1000", SERVICE).json();
      page.path("events").forEach(out::add);
      if (page.path("events").isEmpty()) return out;
      after = page.path("next_after_seq").asLong();
    }
  }

  // ------------------------------------------------------------------ the independent recomputation

  /** What the test knows of one application, from the raw events. */
  static final class App {
    String title, industry, seniority, location, mode;
    Instant created;
    boolean interviewed;
  }

  static Map<String, App> apps(List<JsonNode> journal) {
    var apps = new HashMap<String, App>();
    for (var e : journal) {
      var type = e.path("event_type").asText();
      if (type.equals("APPLICATION_CREATED") || type.equals("APPLICATION_SUBMITTED")) {
        var a = apps.computeIfAbsent(e.path("application_id").asText(), k -> new App());
        var ctx = e.path("context");
        var job = ctx.path("job_characteristics");
        a.title = job.path("title").asText();
        a.industry = job.path("industry").asText("unknown");
        a.seniority = job.path("seniority").asText();
        a.location = job.path("location").asText();
        a.mode = ctx.path("strategy_mode").asText();
        if (a.created == null) a.created = Instant.parse(e.path("timestamp").asText());
      } else if (type.equals("STATUS_CHANGED") && INTERVIEW.contains(e.path("outcome").path("status").asText())) {
        apps.get(e.path("application_id").asText()).interviewed = true;
      }
    }
    return apps;
  }

  static String modal(Iterable<App> apps, java.util.function.Function<App, String> key) {
    var counts = new TreeMap<String, Integer>();
    for (var a : apps) counts.merge(key.apply(a).toLowerCase(Locale.ROOT), 1, Integer::sum);
    String best = null;
    for (var e : counts.entrySet()) if (best == null || e.getValue() > counts.get(best)) best = e.getKey();
    return best;
  }

  static double rate(Map<String, App> apps) {
    return apps.values().stream().filter(a -> a.interviewed).count() / (double) apps.size();
  }

  static LocalDate week(JsonNode e) {
    return LocalDate.ofInstant(Instant.parse(e.path("timestamp").asText()), ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }

  // ------------------------------------------------------------------ checks

  @Test
  void patternsAndPerModeRatesEqualTheRecomputation() {
    int checkedRoles = 0;
    for (var e : journals.entrySet()) {
      var apps = apps(e.getValue());
      var patterns = http.get("/api/v1/users/" + e.getKey() + "/patterns", SERVICE).json();
      assertEquals(apps.size(), patterns.path("applications").asInt());
      var byTitle = new TreeMap<String, int[]>();
      apps.values().forEach(a -> {
        var c = byTitle.computeIfAbsent(a.title, k -> new int[2]);
        c[0]++;
        if (a.interviewed) c[1]++;
      });
      for (var v : patterns.path("roles").path("values")) {
        var c = byTitle.remove(v.path("value").asText());
        assertEquals(c[0], v.path("sample_size").asInt(), e.getKey());
        assertEquals(c[1], v.path("successes").asInt(), e.getKey());
        assertEquals(c[0] < 5, v.path("rate").isMissingNode(), "a rate is stated exactly from 5 applications on: " + v);
        checkedRoles++;
      }
      assertTrue(byTitle.isEmpty(), "every role listed");

      var perf = http.get("/api/v1/users/" + e.getKey() + "/performance", SERVICE).json();
      var byMode = new TreeMap<String, int[]>();
      apps.values().forEach(a -> {
        var c = byMode.computeIfAbsent(a.mode, k -> new int[2]);
        c[0]++;
        if (a.interviewed) c[1]++;
      });
      assertEquals(byMode.keySet(), fieldNames(perf.path("rates_by_mode")));
      byMode.forEach((mode, c) -> {
        var m = perf.path("rates_by_mode").path(mode);
        assertEquals(c[0], m.path("applications").asInt());
        assertEquals(c[1], m.path("interview_requests").asInt());
        assertEquals((double) c[1] / c[0], m.path("interview_rate").asDouble(), 1e-12);
        // Intervals.wilson gives a low of ~3e-17 rather than 0 when there is no success: compare with a tolerance
        assertTrue(m.path("interview_rate_interval").path("low").asDouble() <= m.path("interview_rate").asDouble() + 1e-12, m.toString());
      });
    }
    assertTrue(checkedRoles >= journals.size(), "roles were compared");
  }

  @Test
  void weeklyInsightsExistForEveryClosedWeekAndCountThatWeeksApplications() {
    int weeks = 0;
    for (var e : journals.entrySet()) {
      var journal = e.getValue();
      var eventWeeks = new TreeSet<LocalDate>();
      journal.forEach(ev -> eventWeeks.add(week(ev)));
      var open = eventWeeks.last();
      for (var w : eventWeeks) {
        var r = http.get("/api/v1/users/" + e.getKey() + "/insights/weekly?week_start=" + w, SERVICE);
        if (w.equals(open)) {
          assertEquals(404, r.status(), "the last week is still open: " + r.body());
          continue;
        }
        assertEquals(200, r.status(), r.body());
        long created = journal.stream().filter(ev -> ev.path("event_type").asText().equals("APPLICATION_CREATED") && week(ev).equals(w)).count();
        assertEquals(created, r.json().path("activity").path("applications").asLong(), e.getKey() + " " + w);
        assertTrue(r.json().has("vs_similar_users"));
        weeks++;
      }
      var empty = open.plusWeeks(3);
      assertEquals(404, http.get("/api/v1/users/" + e.getKey() + "/insights/weekly?week_start=" + empty, SERVICE).status());
    }
    assertTrue(weeks > journals.size(), "several closed weeks checked: " + weeks);
    var user = journals.keySet().iterator().next();
    var tuesday = http.get("/api/v1/users/" + user + "/insights/weekly?week_start=2026-03-03", SERVICE);
    assertEquals(400, tuesday.status());
    assertEquals("week_start", tuesday.json().path("error").path("details").get(0).path("field").asText());
    assertEquals(400, http.get("/api/v1/users/" + user + "/insights/weekly?week_start=next-week", SERVICE).status());
    assertEquals(400, http.get("/api/v1/users/" + user + "/insights/weekly", SERVICE).status());
  }

  @Test
  void segmentsAndBenchmarksEqualTheRecomputation() {
    var bySeniority = new TreeMap<String, List<Double>>();
    var rates = new HashMap<String, Double>();
    var cohortOf = new HashMap<String, String>();
    var cohortSizes = new HashMap<String, Integer>();
    for (var e : journals.entrySet()) {
      var apps = apps(e.getValue());
      if (apps.isEmpty()) continue;
      var s = modal(apps.values(), a -> a.seniority);
      bySeniority.computeIfAbsent(s, k -> new ArrayList<>()).add(rate(apps));
      rates.put(e.getKey(), rate(apps));
      var cohort = "cohort-" + Segments.slug(s) + "-" + Segments.slug(modal(apps.values(), a -> a.industry)) + "-"
          + Segments.slug(modal(apps.values(), a -> a.location));
      cohortOf.put(e.getKey(), cohort);
      cohortSizes.merge(cohort, 1, Integer::sum);
    }
    var list = http.get("/api/v1/segments", TestNodes.token(journals.keySet().iterator().next(), "user"));
    assertEquals(200, list.status(), list.body());
    var listed = new TreeMap<String, JsonNode>();
    list.json().path("segments").forEach(s -> listed.put(s.path("segment_id").asText(), s));
    int compared = 0;
    for (var entry : bySeniority.entrySet()) {
      var id = "seniority-" + entry.getKey();
      var r = http.get("/api/v1/segments/" + id, SERVICE);
      if (entry.getValue().size() < MIN_USERS) {
        assertEquals(404, r.status(), "suppressed: " + id);
        assertFalse(listed.containsKey(id));
        continue;
      }
      assertEquals(200, r.status(), r.body());
      assertEquals(entry.getValue().size(), r.json().path("users").asInt());
      assertEquals(entry.getValue().stream().mapToDouble(d -> d).average().orElseThrow(), r.json().path("avg_interview_rate").asDouble(), 1e-12);
      assertEquals(r.json(), listed.get(id));
      compared++;
    }
    assertTrue(compared >= 2, "at least two seniority segments compared");
    for (var s : listed.values()) assertTrue(s.path("users").asInt() >= MIN_USERS, s.toString());
    assertEquals(404, http.get("/api/v1/segments/no-such-segment", SERVICE).status());

    for (var user : rates.keySet()) {
      var b = http.get("/api/v1/users/" + user + "/benchmark", SERVICE).json().path("vs_segment");
      var cohort = cohortOf.get(user);
      String seniority = null;
      for (var entry : bySeniority.entrySet()) if (cohort.startsWith("cohort-" + Segments.slug(entry.getKey()) + "-")) seniority = entry.getKey();
      List<Double> peers;
      if (cohortSizes.get(cohort) >= MIN_USERS) {
        assertEquals(cohort, b.path("segment_id").asText());
        peers = cohortOf.entrySet().stream().filter(c -> c.getValue().equals(cohort)).map(c -> rates.get(c.getKey())).toList();
      } else if (bySeniority.get(seniority).size() >= MIN_USERS) {
        assertEquals("seniority-" + seniority, b.path("segment_id").asText());
        peers = bySeniority.get(seniority);
      } else {
        assertTrue(b.path("segment_id").isNull(), b.toString());
        continue;
      }
      double mine = rates.get(user);
      double below = peers.stream().filter(p -> p < mine).count(), equal = peers.stream().filter(p -> p == mine).count();
      assertEquals(mine, b.path("your_rate").asDouble(), 1e-12);
      assertEquals(peers.stream().mapToDouble(d -> d).average().orElseThrow(), b.path("segment_average").asDouble(), 1e-12);
      assertEquals(100 * (below + equal / 2) / peers.size(), b.path("percentile").asDouble(), 1e-9);
    }
  }

  @Test
  void aUserTokenReadsOnlyItsOwnInsights() {
    var users = new ArrayList<>(journals.keySet());
    var mine = TestNodes.token(users.get(0), "user");
    assertEquals(200, http.get("/api/v1/users/" + users.get(0) + "/patterns", mine).status());
    assertEquals(200, http.get("/api/v1/users/" + users.get(0) + "/benchmark", mine).status());
    for (var path : List.of("/patterns", "/benchmark", "/insights/weekly?week_start=2026-03-02")) {
      var r = http.get("/api/v1/users/" + users.get(1) + path, mine);
      assertEquals(403, r.status(), path);
      assertEquals("forbidden", r.errorCode());
    }
    assertEquals(401, http.get("/api/v1/segments", null).status());
  }

  @Test
  void rebuildGivesTheSameRows() {
    var rows = new CassandraInsightRows(new ReadModelStore(node.system()));
    var live = rows.dump().toCompletableFuture().join();
    assertTrue(live.size() > journals.size(), "users and weeks: " + live.size());
    var r = http.post("/api/v1/admin/projections/" + UserInsightsProjection.NAME + "/rebuild", ADMIN, "{}");
    assertEquals(202, r.status(), r.body());
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
        .until(() -> rows.dump().toCompletableFuture().join().equals(live));
    var listing = http.get("/api/v1/admin/projections", ADMIN).json().path("projections").toString();
    assertTrue(listing.contains(UserInsightsProjection.NAME), listing);
  }

  @Test
  void aClosedWeekIsPushedAsInsightBesidePerformanceUpdated() {
    var user = "u-ws-insight";
    try (var client = new StreamClient(node.httpPort(), TestNodes.token(user, "user"))) {
      client.subscribe("user:" + user);
      await().atMost(Duration.ofSeconds(30)).until(() -> client.first("subscribed") != null);
      var t = Instant.now().minus(Duration.ofDays(10));
      var first = http.post("/api/v1/events", SERVICE, batch(created("wsi-1", user, "a-1", t), created("wsi-2", user, "a-2", t.plusSeconds(60))));
      assertEquals(200, first.status(), first.body());
      var next = http.post("/api/v1/events", SERVICE, batch(status("wsi-3", user, "a-1", Instant.now().minus(Duration.ofDays(1)), "phone_screen")));
      assertEquals(200, next.status(), next.body());
      await().atMost(Duration.ofSeconds(120)).until(() -> client.has("insight", "user:" + user) && client.has("performance_updated", "user:" + user));
      var insight = client.first("insight").path("data");
      assertEquals(LocalDate.ofInstant(t, ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toString(),
          insight.path("week_start").asText());
      assertEquals(2, insight.path("activity").path("applications").asInt());
      assertTrue(insight.has("vs_similar_users"));
    }
  }

  private static Set<String> fieldNames(JsonNode n) {
    var s = new TreeSet<String>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }
}
