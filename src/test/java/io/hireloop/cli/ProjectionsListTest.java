package io.hireloop.cli;

import static io.hireloop.testing.Events.batch;
import static io.hireloop.testing.Events.created;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.Node;
import io.hireloop.journey.JourneyProjections;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code projections list} against a real node: after events on every journey tag, the admin endpoint and
 * the table show every registered projection instance with a saved offset (as journal time), a lag at
 * least the configured consistency delay, and not paused; a user token is refused.
 */
class ProjectionsListTest {
  static Node node;
  static Http http;
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final String SERVICE = TestNodes.token("svc", "service");

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("projlist", Map.of());
    http = TestNodes.readyHttp(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void listsEveryInstanceOfEveryRegisteredProjectionWithOffsetAndLag() {
    var before = Instant.now();
    var tags = new HashSet<String>();
    var events = new ArrayList<Map<String, Object>>();
    for (int u = 0; tags.size() < slices().count(); u++) {
      var user = "pl-user-" + u;
      if (tags.add(slices().tagFor(user))) events.add(created("pl-e-" + u, user, "pl-a-" + u, before.minusSeconds(3600)));
    }
    // the first asks after a start on a loaded machine can time out (503); retrying the same event ids is safe
    await().atMost(Duration.ofSeconds(120)).until(() -> http.post("/api/v1/events", SERVICE, batch(events)).status() == 200);

    var names = JourneyProjections.get(node.system()).names();
    assertTrue(names.containsAll(List.of("user-performance", "training-set", "experiment-exposures")), names.toString());
    var delay = node.system().settings().config().getDuration("pekko.persistence.cassandra.events-by-tag.eventual-consistency-delay");

    JsonNode body = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> http.get("/api/v1/admin/projections", ADMIN).json(), b -> everyInstanceHandled(b, names));
    var after = Instant.now();
    assertEquals(names.size() * slices().count(), body.path("projections").size());
    for (var p : body.path("projections")) {
      var offsetTime = Instant.parse(p.path("offset_time").asText());
      assertTrue(!offsetTime.isBefore(before) && !offsetTime.isAfter(after), p.toString());
      assertTrue(p.path("lag_seconds").asDouble() >= delay.toMillis() / 1000.0 * 0.99,
          "events are handled no sooner than the consistency delay after their write: " + p);
      assertTrue(p.path("offset").asText().contains("TimeBasedUUID"), p.toString());
      assertEquals(false, p.path("paused").asBoolean());
    }

    var out = new ByteArrayOutputStream();
    int code = ProjectionsCommand.run(new String[] {"projections", "list", "--url", "http://127.0.0.1:" + node.httpPort(), "--token", ADMIN},
        new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals(0, code);
    var lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertTrue(lines[0].matches("NAME\\s+KEY\\s+OFFSET\\s+LAG\\s+PAUSED\\s*"), lines[0]);
    assertEquals(names.size() * slices().count() + 1, lines.length, out.toString(StandardCharsets.UTF_8));
    Set<String> rows = new HashSet<>();
    for (int i = 1; i < lines.length; i++) {
      var cells = lines[i].trim().split("\\s+");
      assertEquals(6, cells.length, lines[i]); // name, key, offset, lag value, "s", paused
      assertTrue(names.contains(cells[0]), lines[i]);
      assertTrue(slices().tags().contains(cells[1]), lines[i]);
      Instant.parse(cells[2]);
      assertTrue(Double.parseDouble(cells[3]) > 0, lines[i]);
      assertEquals("no", cells[5], lines[i]);
      rows.add(cells[0] + "/" + cells[1]);
    }
    assertEquals(names.size() * slices().count(), rows.size(), "one row per instance");
  }

  @Test
  void rebuildFollowsTheReplayToTheEndAndGivesTheSameRows() {
    var users = List.of("pr-user-1", "pr-user-2", "pr-user-3");
    var events = new ArrayList<Map<String, Object>>();
    for (var user : users) events.add(created(user + "-e1", user, user + "-a1", Instant.now().minusSeconds(7200)));
    await().atMost(Duration.ofSeconds(120)).until(() -> http.post("/api/v1/events", SERVICE, batch(events)).status() == 200);
    var projection = new io.hireloop.analytics.PerformanceProjection(node.system(), new io.hireloop.platform.ReadModelStore(node.system()));
    var live = await().atMost(Duration.ofSeconds(120)).until(() -> projection.dump().toCompletableFuture().join(),
        rows -> rows.keySet().containsAll(users));

    var out = new ByteArrayOutputStream();
    int code = ProjectionsCommand.run(new String[] {"projections", "rebuild", "user-performance", "--url",
        "http://127.0.0.1:" + node.httpPort(), "--token", ADMIN}, new PrintStream(out, true, StandardCharsets.UTF_8));
    var text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, text);
    assertTrue(text.contains("slices done") && text.contains("done: user-performance replayed"), text);
    assertEquals(live, projection.dump().toCompletableFuture().join(), "the replay ends where the pass was: same rows");

    var unknown = http.post("/api/v1/admin/projections/nope/rebuild", ADMIN, "{}");
    assertEquals(404, unknown.status(), unknown.body());
  }

  @Test
  void aNonAdminTokenIsRefusedAndMistakesAreUsageErrors() {
    var out = new ByteArrayOutputStream();
    int code = ProjectionsCommand.run(new String[] {"projections", "list", "--url", "http://127.0.0.1:" + node.httpPort(),
        "--token", TestNodes.token("u-1", "user")}, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals(1, code);
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("listing refused (403)"), out.toString(StandardCharsets.UTF_8));
    assertEquals(2, Cli.run(new String[] {"projections", "list"}));
    assertEquals(2, Cli.run(new String[] {"projections"}));
    assertEquals(2, Cli.run(new String[] {"projections", "rebuild", "--url", "http://localhost:1"}));
  }

  private static io.hireloop.journey.JourneySlices slices() {
    return JourneyProjections.get(node.system()).slices();
  }

  private static boolean everyInstanceHandled(JsonNode body, List<String> names) {
    int handled = 0;
    for (var p : body.path("projections")) {
      if (names.contains(p.path("name").asText()) && p.path("offset_time").isTextual() && p.path("lag_seconds").isNumber()) handled++;
    }
    return handled == names.size() * slices().count();
  }
}
