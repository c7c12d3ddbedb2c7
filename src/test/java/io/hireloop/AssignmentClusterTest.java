package io.hireloop;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.experiment.AllocationHttpTest;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes, one Cassandra: every node answers the same variant for the same user, before and after a
 * ramp, and a Thompson-mode experiment keeps exposed users in their variant on nodes that never saw them
 * even after its weights changed (the variant is read back from the user's journal).
 */
class AssignmentClusterTest {
  static final String SERVICE = TestNodes.token("svc", "service");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final int USERS = 40;
  final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(Node::close);
  }

  Http http(int i) {
    return new Http(nodes.get(i).httpPort());
  }

  static Map<String, Object> definition(String id, String mode) {
    return AllocationHttpTest.definition(id, "cluster-layer", mode);
  }

  /** "variant/in" as node {@code i} answers it. */
  String answer(int i, String id, String user) {
    return answer(nodes.get(i), id, user);
  }

  /** "variant/in" as {@code node} answers it (also used by RampScheduleClusterTest). */
  static String answer(Node node, String id, String user) {
    var r = new Http(node.httpPort()).get("/api/v1/experiments/" + id + "/assignment?user_id=" + user, SERVICE);
    assertEquals(200, r.status(), r.body());
    JsonNode j = r.json();
    return j.path("variant_id").asText() + "/" + j.path("in_experiment").asBoolean();
  }

  @Test
  void everyNodeAnswersTheSameVariantAcrossRampsAndAllocationUpdates() throws Exception {
    nodes.addAll(TestNodes.startCluster("assigncluster", 3, Map.of()));

    String fixed = "exp-cluster-fixed";
    assertEquals(201, http(0).post("/api/v1/experiments", ADMIN, definition(fixed, "fixed")).status());
    assertEquals(200, http(1).post("/api/v1/experiments/" + fixed + "/ramp", ADMIN, Map.of("traffic", 0.3)).status());
    assertEquals(200, http(2).post("/api/v1/experiments/" + fixed + "/start", ADMIN, Map.of("layer_share", 0.5)).status());
    var first = new LinkedHashMap<String, String>();
    for (int u = 0; u < USERS; u++) {
      String user = "cl-u" + u;
      String a = answer(u % 3, fixed, user);
      first.put(user, a);
      for (int i = 0; i < 3; i++) assertEquals(a, answer(i, fixed, user), user + " on node " + i);
    }
    assertTrue(first.values().stream().anyMatch(a -> a.endsWith("/true")), first.toString());

    assertEquals(200, http(0).post("/api/v1/experiments/" + fixed + "/ramp", ADMIN, Map.of("traffic", 1.0)).status());
    // every node's cached definition follows (announcement, else the 5 s TTL)
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      for (int i = 0; i < 3; i++) {
        var traffic = http(i).get("/api/v1/experiments/" + fixed + "/allocation", ADMIN).json().path("allocation").path("traffic").asDouble();
        if (traffic != 1.0) return false;
      }
      return true;
    });
    Thread.sleep(6_000); // > definition-cache-ttl: the assignment caches have expired too
    for (var e : first.entrySet()) {
      for (int i = 0; i < 3; i++) {
        String now = answer(i, fixed, e.getKey());
        if (e.getValue().endsWith("/true")) assertEquals(e.getValue(), now, e.getKey() + " moved on node " + i);
        assertEquals(now, answer((i + 1) % 3, fixed, e.getKey()));
      }
    }

    String thompson = "exp-cluster-thompson";
    assertEquals(201, http(0).post("/api/v1/experiments", ADMIN, definition(thompson, "thompson")).status());
    // the layer's other half is free: this one takes it
    assertEquals(200, http(0).post("/api/v1/experiments/" + thompson + "/start", ADMIN, "{}").status());
    var exposed = new LinkedHashMap<String, String>();
    for (int u = 0; u < USERS; u++) exposed.put("cl-u" + u, answer(0, thompson, "cl-u" + u)); // only node 0 has seen them
    for (var e : exposed.entrySet()) {
      assertTrue(!e.getValue().endsWith("/true") || !first.get(e.getKey()).endsWith("/true"), e.getKey() + " in both experiments of the layer");
    }
    assertTrue(exposed.containsValue("control/true"), "some exposed users are in control: " + exposed);
    var change = http(0).post("/api/v1/experiments/" + thompson + "/allocation", ADMIN,
        Map.of("variants", List.of(Map.of("variant_id", "control", "allocation", 0.0), Map.of("variant_id", "low", "allocation", 1.0))));
    assertEquals(200, change.status(), change.body());
    Thread.sleep(6_000);
    for (var e : exposed.entrySet()) {
      for (int i = 1; i < 3; i++) assertEquals(e.getValue(), answer(i, thompson, e.getKey()), e.getKey() + " on node " + i);
    }
  }
}
