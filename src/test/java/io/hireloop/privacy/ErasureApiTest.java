package io.hireloop.privacy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.hireloop.Node;
import io.hireloop.platform.Json;
import io.hireloop.testing.Events;
import io.hireloop.testing.Http;
import io.hireloop.testing.SharedCassandra;
import io.hireloop.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Erasure on a real node, checked on the raw tables: a user's events with unique marker strings (company, title,
 * application id, free text, strategy reason, profile) are ingested and projected, the user is erased (DELETE, 202, job
 * followed to completed), and then every table of every keyspace of the node is read with the driver (SELECT *, every
 * column's bytes, blobs included) and searched: no marker of the erased user is readable anywhere, while another user's
 * markers still are. The journal replays as tombstones, a rebuild derives nothing for the erased user, and further
 * ingest for them answers 410.
 */
class ErasureApiTest {
  static final String PREFIX = "erasure";
  static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final String SERVICE = TestNodes.token("svc", "service");

  static Node node;
  static Http http;
  static CqlSession cql;

  @BeforeAll
  static void start() {
    // a short key-cache TTL and settle time, so the job's second sweep comes within the test's wait
    node = TestNodes.startShared(PREFIX, Map.of("hireloop.privacy.key-cache-ttl", "2s", "hireloop.privacy.erasure-settle", "4s"));
    http = TestNodes.readyHttp(node);
    cql = CqlSession.builder().addContactPoint(SharedCassandra.get().contactPoint()).withLocalDatacenter("datacenter1").build();
  }

  @AfterAll
  static void stop() {
    if (cql != null) cql.close();
    if (node != null) node.close();
  }

  /** One user's marker strings: unique, so finding one anywhere means this user's value is readable there. */
  record Markers(String company, String title, String applicationId, String freeText, String reason, String location) {
    static Markers of(String tag) {
      var u = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      return new Markers("Company" + tag + u, "Title" + tag + u, "app" + tag + u, "FreeText" + tag + u, "Reason" + tag + u,
          "Location" + tag + u);
    }

    List<String> all() {
      return List.of(company, title, applicationId, freeText, reason, location);
    }
  }

  static List<Map<String, Object>> journey(String userId, Markers m) {
    var events = new ArrayList<Map<String, Object>>();
    for (int a = 0; a < 2; a++) {
      var e = Events.created(userId + "-c" + a, userId, m.applicationId() + "-" + a, T0.plusSeconds(a * 3600));
      @SuppressWarnings("unchecked")
      var job = (Map<String, Object>) ((Map<String, Object>) e.get("context")).get("job_characteristics");
      job.put("company", m.company());
      job.put("title", m.title());
      job.put("location", m.location());
      events.add(e);
    }
    events.add(Events.status(userId + "-s0", userId, m.applicationId() + "-0", T0.plus(Duration.ofDays(3)), "interview"));
    var strategy = Events.base(userId + "-m0", "MODE_CHANGED", userId, T0.plus(Duration.ofDays(4)));
    strategy.put("from_mode", "balanced");
    strategy.put("to_mode", "aggressive");
    strategy.put("reason", m.reason());
    strategy.put("metrics", Map.of("resume_score", 70, "total_applications", 2, "interview_rate", 0.5, "applications_last_7_days", 2));
    events.add(strategy);
    var feedback = Events.base(userId + "-f0", "SUGGESTION_REJECTED", userId, T0.plus(Duration.ofDays(5)));
    feedback.put("suggestion_type", "rewrite");
    feedback.put("suggested_content", Map.of("text", m.freeText()));
    feedback.put("rejection_reason", m.freeText() + " reason");
    events.add(feedback);
    return events;
  }

  /** Where each string was found: "keyspace.table" → rows it was readable in. */
  record Scan(int tables, long rows, Map<String, String> byKeyspace, Map<String, Map<String, Integer>> found) {
    int readable(List<String> markers) {
      return markers.stream().mapToInt(m -> found.getOrDefault(m, Map.of()).values().stream().mapToInt(Integer::intValue).sum()).sum();
    }
  }

  /**
   * Every table of the node's keyspaces, every row, every column's raw bytes searched as text (UTF-8, which covers
   * text, collections and JSON) and as hex. A Kryo string sets the high bit of its last character, so a marker is
   * searched without its last character: an unsealed Kryo-encoded value would be found too.
   */
  static Scan scan(List<String> markers) {
    return scan(cql, PREFIX, markers);
  }

  /** The same scan of the keyspaces of the node(s) started with {@code prefix}. */
  static Scan scan(CqlSession cql, String prefix, List<String> markers) {
    var keyspaces = new ArrayList<String>();
    for (var row : cql.execute("SELECT keyspace_name FROM system_schema.keyspaces")) {
      if (row.getString(0).startsWith(prefix + "_")) keyspaces.add(row.getString(0));
    }
    var found = new LinkedHashMap<String, Map<String, Integer>>();
    var byKeyspace = new LinkedHashMap<String, String>();
    int tables = 0;
    long rows = 0;
    for (var keyspace : keyspaces) {
      int tablesBefore = tables;
      long rowsBefore = rows;
      for (var t : cql.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace)) {
        var table = keyspace + "." + t.getString(0);
        tables++;
        for (var row : cql.execute("SELECT * FROM " + table)) {
          rows++;
          var text = new StringBuilder();
          for (int i = 0; i < row.getColumnDefinitions().size(); i++) {
            var bytes = row.getBytesUnsafe(i);
            if (bytes == null) continue;
            var b = new byte[bytes.remaining()];
            bytes.duplicate().get(b);
            text.append(new String(b, StandardCharsets.UTF_8)).append('\u0000').append(HexFormat.of().formatHex(b)).append('\u0000');
          }
          for (var marker : markers) {
            var probe = marker.substring(0, marker.length() - 1);
            var hex = HexFormat.of().formatHex(probe.getBytes(StandardCharsets.UTF_8));
            if (text.indexOf(probe) >= 0 || text.indexOf(hex) >= 0) found.computeIfAbsent(marker, k -> new LinkedHashMap<>()).merge(table, 1, Integer::sum);
          }
        }
      }
      byKeyspace.put(keyspace, (tables - tablesBefore) + " tables, " + (rows - rowsBefore) + " rows");
    }
    return new Scan(tables, rows, byKeyspace, found);
  }

  @Test
  void anErasedUsersPersonalValuesAreReadableNowhereAndTheJournalReplaysAsTombstones() {
    var gone = Markers.of("Gone");
    var kept = Markers.of("Kept");
    var erased = "u-erase-" + UUID.randomUUID().toString().substring(0, 8);
    var other = "u-keep-" + UUID.randomUUID().toString().substring(0, 8);
    var batch = new ArrayList<Map<String, Object>>(journey(erased, gone));
    batch.addAll(journey(other, kept));
    var r = http.post("/api/v1/events", SERVICE, Events.batch(batch));
    assertEquals(200, r.status(), r.body());
    var profile = Map.of("locations", List.of(gone.location()), "skills", List.of(gone.title()));
    assertEquals(200, http.put("/api/v1/users/" + erased + "/profile", TestNodes.token(erased, "user"), profile).status());

    // the read side has both users (performance and training examples; the history row carries the strategy)
    for (var user : List.of(erased, other)) {
      await().atMost(Duration.ofSeconds(90)).until(() -> http.get("/api/v1/users/" + user + "/performance", SERVICE).json()
          .path("total_applications").asInt() == 2);
      await().atMost(Duration.ofSeconds(90)).until(() -> Json.read(http.get("/api/v1/users/" + user + "/export", ADMIN).body())
          .path("read_models").path("training_examples").size() >= 3);
    }
    // control: the scan sees values where they are stored in clear (read models), never in the journal or snapshots
    var before = scan(List.of(gone.company(), gone.title(), kept.company()));
    assertTrue(before.readable(List.of(gone.company())) > 0, "the scan finds a value in a read model: " + before.found());
    for (var where : before.found().values()) {
      for (var table : where.keySet()) {
        assertFalse(table.startsWith(PREFIX + "_journal") || table.startsWith(PREFIX + "_snapshot"),
            "journal and snapshots hold sealed values only: " + before.found());
      }
    }

    // others may not erase the user
    assertEquals(403, http.delete("/api/v1/users/" + erased, TestNodes.token(other, "user")).status());
    assertEquals(403, http.delete("/api/v1/users/" + erased, SERVICE).status());
    assertEquals(404, http.get("/api/v1/users/" + erased + "/erasure", ADMIN).status());

    var started = http.delete("/api/v1/users/" + erased, TestNodes.token(erased, "user"));
    assertEquals(202, started.status(), started.body());
    var jobId = started.json().path("job_id").asText();
    assertFalse(jobId.isEmpty(), started.body());
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
      var job = http.get("/api/v1/users/" + erased + "/erasure", ADMIN).json();
      assertFalse(job.path("status").asText().equals("failed"), job.toString());
      return job.path("job_id").asText().equals(jobId) && job.path("status").asText().equals("completed");
    });
    var job = http.get("/api/v1/users/" + erased + "/erasure", TestNodes.token(erased, "user")).json();
    assertTrue(job.path("rows_deleted").asInt() > 0, job.toString());
    assertEquals("second_sweep", job.path("step").asText(), job.toString());
    // asking again once the job completed starts a new one (nothing left to delete, so it finds no rows)
    var again = http.delete("/api/v1/users/" + erased, ADMIN);
    assertEquals(202, again.status(), again.body());
    assertFalse(again.json().path("job_id").asText().equals(jobId), again.body());

    var after = scan(concat(gone.all(), kept.all()));
    System.out.println("[erasure] raw scan: tables scanned " + after.tables() + ", rows scanned " + after.rows()
        + ", readable PII of the erased user found " + after.readable(gone.all()) + ", the other user's markers found in "
        + after.found().entrySet().stream().filter(e -> kept.all().contains(e.getKey())).mapToInt(e -> e.getValue().size()).sum()
        + " (marker, table) pairs; " + after.byKeyspace());
    assertEquals(0, after.readable(gone.all()), "readable values of the erased user: " + after.found());
    assertTrue(after.readable(List.of(kept.company())) > 0, "the other user's rows are intact: " + after.found());

    // the journal replays: every earlier event is a tombstone, the last one the erasure; the entity answers as erased
    var events = http.get("/api/v1/users/" + erased + "/events", ADMIN).json().path("events");
    assertEquals(7, events.size(), events.toString());
    for (int i = 0; i < 6; i++) assertEquals("SHREDDED", events.get(i).path("event_type").asText(), events.toString());
    assertEquals("USER_ERASED", events.get(6).path("event_type").asText());
    assertEquals(jobId, events.get(6).path("job_id").asText());
    var refused = http.post("/api/v1/events", SERVICE, Events.batch(Events.created("late-1", erased, "a-late", T0.plus(Duration.ofDays(6)))));
    assertEquals(410, refused.status(), refused.body());
    assertEquals("user_erased", refused.json().path("error").path("code").asText());
    assertEquals(0, http.get("/api/v1/users/" + erased + "/performance", SERVICE).json().path("total_applications").asInt());
    var otherEvents = http.get("/api/v1/users/" + other + "/events", ADMIN).body();
    assertTrue(otherEvents.contains(kept.company()), "the other user's journal reads as before");

    // a rebuild of the training set replays the journal: the erased user's tombstones derive nothing, the other's rows return
    assertEquals(202, http.post("/api/v1/admin/projections/training-set/rebuild", ADMIN, "{}").status());
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
      var list = http.get("/api/v1/admin/projections", ADMIN).json().path("projections");
      for (var p : list) {
        if (p.path("name").asText().equals("training-set") && p.has("rebuild")) {
          var rb = p.path("rebuild");
          return rb.path("slices_done").asInt() == rb.path("slices").asInt() && rb.path("failure").isNull();
        }
      }
      return false;
    });
    await().atMost(Duration.ofSeconds(60)).until(() -> Json.read(http.get("/api/v1/users/" + other + "/export", ADMIN).body())
        .path("read_models").path("training_examples").size() >= 3);
    assertEquals(0, Json.read(http.get("/api/v1/users/" + erased + "/export", ADMIN).body())
        .path("read_models").path("training_examples").size());
    assertEquals(0, scan(gone.all()).readable(gone.all()), "nothing readable after the rebuild either");
  }

  static List<String> concat(List<String> a, List<String> b) {
    var out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
