package io.hireloop;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.experiment.AllocationHttpTest;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes, one Cassandra: an experiment's ramp schedule (10% → 50% → 100%) is advanced by the
 * experiment monitor singleton; the node hosting it (the oldest) leaves between two steps, the singleton
 * starts on another node, finds the experiment in the journal and takes the last step, each step exactly
 * once (history lines by {@code system:ramp-schedule}), and no exposed user ever changes variant.
 */
class RampScheduleClusterTest {
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final String BY = "system:ramp-schedule";
  static final int USERS = 60;
  /** Dwell before 50% (users are exposed at 10% first) and before 100% (covers the oldest node's leaving). */
  static final double FIRST_DWELL_HOURS = 10.0 / 3600, SECOND_DWELL_HOURS = 15.0 / 3600;
  final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(Node::close);
  }

  Http http(int i) {
    return new Http(nodes.get(i).httpPort());
  }

  String answer(int i, String id, String user) {
    return AssignmentClusterTest.answer(nodes.get(i), id, user);
  }

  /** The history's ramp lines by the schedule, as "from→to@at". */
  List<JsonNode> scheduledRamps(int i, String id) {
    var out = new ArrayList<JsonNode>();
    http(i).get("/api/v1/experiments/" + id + "/history", ADMIN).json().path("history").forEach(h -> {
      if (h.path("type").asText().equals("ramp") && h.path("by").asText().equals(BY)) out.add(h);
    });
    return out;
  }

  @Test
  void theScheduleAdvancesExactlyOncePerStepAcrossAMonitorHandover() throws Exception {
    // AssignmentClusterTest's keyspaces (disjoint experiment and user ids): whichever runs second skips creating the schema
    nodes.addAll(TestNodes.startCluster("assigncluster", 3,
        Map.of("hireloop.experiments.monitor.tick", "1s", "hireloop.experiments.monitor.evaluate-every", "1s")));
    var members = Cluster.get(nodes.get(1).system()).state().getMembers();
    var first = java.util.stream.StreamSupport.stream(members.spliterator(), false).reduce((a, b) -> a.isOlderThan(b) ? a : b).orElseThrow();
    assertEquals(Cluster.get(nodes.get(0).system()).selfMember().address(), first.address(), "node 0 is the oldest (monitor host)");

    String id = "exp-ramp-cluster";
    var def = AllocationHttpTest.definition(id, null, null);
    def.put("ramp_schedule", List.of(Map.of("traffic", 1.5)));
    var bad = http(1).post("/api/v1/experiments", ADMIN, def);
    assertEquals(400, bad.status(), bad.body());
    assertTrue(bad.body().contains("ramp_schedule[0].traffic"), bad.body());
    assertEquals(404, http(1).get("/api/v1/experiments/" + id, ADMIN).status(), "nothing stored");

    def.put("ramp_schedule", List.of(Map.of("traffic", 0.1),
        Map.of("traffic", 0.5, "after_hours", FIRST_DWELL_HOURS, "min_exposures", 1),
        Map.of("traffic", 1.0, "after_hours", SECOND_DWELL_HOURS)));
    var created = http(1).post("/api/v1/experiments", ADMIN, def);
    assertEquals(201, created.status(), created.body());
    assertEquals(3, created.json().path("ramp_schedule").size(), created.body());
    assertEquals(0.5, http(2).get("/api/v1/experiments/" + id, ADMIN).json().path("ramp_schedule").get(1).path("traffic").asDouble());
    assertEquals(200, http(2).post("/api/v1/experiments/" + id + "/start", ADMIN, "{}").status());

    var exposed = new LinkedHashMap<String, String>();
    for (int u = 0; u < USERS; u++) {
      String a = answer(u % 3, id, "rc-u" + u);
      if (a.endsWith("/true")) exposed.put("rc-u" + u, a);
    }
    assertEquals(0.1, http(0).get("/api/v1/experiments/" + id + "/allocation", ADMIN).json().path("allocation").path("traffic").asDouble(),
        "still at the first step while users were exposed");
    assertTrue(!exposed.isEmpty() && exposed.size() < USERS / 3, "about 10% in: " + exposed);

    // step 2 by the monitor on node 0
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> scheduledRamps(1, id).size() == 2);
    assertEquals("50.0%", scheduledRamps(1, id).get(1).path("to").asText());

    long leaveStart = System.currentTimeMillis();
    nodes.remove(0).close(); // the monitor's host leaves: the singleton moves to the next oldest
    Instant closed = Instant.now();
    System.out.println("[ramp-cluster] node 0 left in " + (System.currentTimeMillis() - leaveStart) + " ms");
    await().atMost(Duration.ofSeconds(60)).until(() -> TestNodes.upMembers(nodes.get(0)) == 2 && TestNodes.upMembers(nodes.get(1)) == 2);

    // step 3 by the new monitor, which learnt of the experiment only from the journal (nothing was exposed meanwhile)
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> scheduledRamps(0, id).size() == 3);
    var last = scheduledRamps(0, id).get(2);
    assertEquals(List.of("50.0%", "100.0%"), List.of(last.path("from").asText(), last.path("to").asText()));
    assertTrue(Instant.parse(last.path("at").asText()).isAfter(closed), "taken after node 0 left: " + last + " vs " + closed);
    Thread.sleep(3_000); // a few more monitor ticks: no step is taken twice
    var ramps = scheduledRamps(1, id).stream().map(h -> h.path("from").asText() + "→" + h.path("to").asText()).toList();
    assertEquals(List.of("100.0%→10.0%", "10.0%→50.0%", "50.0%→100.0%"), ramps);

    // nobody exposed moved; now everyone is in
    for (var e : exposed.entrySet()) {
      for (int i = 0; i < 2; i++) assertEquals(e.getValue(), answer(i, id, e.getKey()), e.getKey() + " on node " + i);
    }
    for (int u = 0; u < USERS; u++) assertTrue(answer(u % 2, id, "rc-u" + u).endsWith("/true"), "rc-u" + u + " in at 100%");
  }
}
