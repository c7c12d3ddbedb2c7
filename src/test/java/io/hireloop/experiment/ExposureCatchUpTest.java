package io.hireloop.experiment;

import static io.hireloop.testing.Events.batch;
import static io.hireloop.testing.Events.created;
import static io.hireloop.testing.Events.status;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.Node;
import io.hireloop.platform.ReadModelStore;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a real node: the experiment-exposures projection skips users until they are exposed, then reads their
 * history from the journal, so the exposure row carries the pre-exposure record; outcomes after the exposure
 * count; a rebuild from the journal gives the same rows.
 */
class ExposureCatchUpTest {
  static Node node;
  static Http http;
  static ExposureProjection exposures;
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("expcatchup", Map.of("hireloop.http.rate-limit-per-second", 0,
        "hireloop.experiments.auto-act", false, "hireloop.experiments.rollout-stages", List.of(1.0)));
    http = TestNodes.readyHttp(node);
    exposures = new ExposureProjection(new ReadModelStore(node.system()), (pid, from, to) -> {
      throw new AssertionError("read only");
    });
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static List<ExposureProjection.Row> rows(String id) {
    return exposures.rows(id).toCompletableFuture().join().stream()
        .sorted(Comparator.comparing(ExposureProjection.Row::userId)).toList();
  }

  @Test
  void theExposureRowHasThePreExposureRecordAndARebuildGivesTheSameRows() {
    String id = "catchup";
    assertEquals(201, http.post("/api/v1/experiments", ADMIN, ExperimentResultsTest.definition(id)).status());
    assertEquals(200, http.post("/api/v1/experiments/" + id + "/start", ADMIN, "{}").status());
    String user = "cu-1";
    var t = Instant.now().minus(2, ChronoUnit.DAYS);
    // before any exposure: 3 applications; a-1 interview then rejected, a-2 phone_screen, a-3 nothing
    var before = http.post("/api/v1/events", SERVICE, batch(List.of(
        created("e1", user, "a-1", t), created("e2", user, "a-2", t.plusSeconds(1)), created("e3", user, "a-3", t.plusSeconds(2)),
        status("e4", user, "a-1", t.plusSeconds(10), "interview"), status("e5", user, "a-1", t.plusSeconds(20), "rejected"),
        status("e6", user, "a-2", t.plusSeconds(30), "phone_screen"))));
    assertEquals(200, before.status(), before.body());
    // a user who is never exposed
    assertEquals(200, http.post("/api/v1/events", SERVICE, batch(List.of(created("n1", "cu-never", "a-1", t)))).status());
    // let the projections pass these events before the exposure, so the exposure's group starts after them
    await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/api/v1/users/" + user + "/performance", SERVICE)
        .json().path("as_of_seq_nr").asInt() == 6);

    var assignment = http.get("/api/v1/experiments/" + id + "/assignment?user_id=" + user, SERVICE);
    assertEquals(200, assignment.status(), assignment.body());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> !rows(id).isEmpty());
    var row = rows(id).get(0);
    assertEquals(user, row.userId());
    assertEquals(3, row.preApplications());
    assertEquals(2, row.preInterviews(), "a-1 reached an interview before its rejection; a-2 a phone screen");
    assertNull(row.convertedAt());

    // after the exposure: an old application's interview does not count, a new one's does
    var now = Instant.now().plusSeconds(1);
    var after = http.post("/api/v1/events", SERVICE, batch(List.of(
        status("e7", user, "a-3", now, "interview"), created("e8", user, "a-4", now.plusSeconds(1)),
        status("e9", user, "a-4", now.plusSeconds(2), "interview"))));
    assertEquals(200, after.status(), after.body());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> rows(id).get(0).convertedAt() != null);
    var live = rows(id);
    assertEquals(1, live.size(), "only the exposed user has a row: " + live);
    assertEquals(now.plusSeconds(2).truncatedTo(ChronoUnit.MILLIS), live.get(0).convertedAt());
    assertEquals(List.of(now.plusSeconds(1).truncatedTo(ChronoUnit.MILLIS)), live.get(0).applicationTimes());

    var r = http.post("/api/v1/admin/projections/experiment-exposures/rebuild", ADMIN, "{}");
    assertEquals(202, r.status(), r.body());
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> rows(id).equals(live));
  }
}
