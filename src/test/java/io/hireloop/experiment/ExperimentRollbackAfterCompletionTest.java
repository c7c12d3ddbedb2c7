package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.Node;
import io.hireloop.config.ConfigChannel;
import io.hireloop.platform.Json;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5 on one real node with Cassandra (auto-act off: nothing advances by itself). A crash between a stage's
 * config write and its record is simulated by writing the stage's keyed config version first, as the failed
 * attempt did: the retried approve records that version and writes no other; likewise a rollback's restore.
 * A rollback after {@code completed} or {@code rolled_out} ends the experiment {@code rolled_back}, by whom and why.
 */
class ExperimentRollbackAfterCompletionTest {
  static Node node;
  static Http http;
  static final String ADMIN = TestNodes.token("ops", "admin");
  static final Duration ASK = Duration.ofSeconds(30);
  static final List<Double> STAGES = List.of(0.5, 1.0);

  @BeforeAll
  static void start() {
    node = TestNodes.startShared("exprollfix", Map.of("hireloop.http.rate-limit-per-second", 0,
        "hireloop.experiments.auto-act", "off", "hireloop.experiments.rollout-stages", STAGES));
    http = TestNodes.readyHttp(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static JsonNode config(String component) {
    return http.get("/api/v1/configs/" + component, ADMIN).json();
  }

  static JsonNode experiment(String id) {
    return http.get("/api/v1/experiments/" + id, ADMIN).json();
  }

  static List<JsonNode> history(String id, String type) {
    var out = new ArrayList<JsonNode>();
    http.get("/api/v1/experiments/" + id + "/history", ADMIN).json().path("history").forEach(h -> {
      if (h.path("type").asText().equals(type)) out.add(h);
    });
    return out;
  }

  /** from, to, by of the last status change. */
  static List<String> lastStatusChange(String id) {
    var changes = history(id, "status_changed");
    var last = changes.get(changes.size() - 1);
    return List.of(last.path("from").asText(), last.path("to").asText(), last.path("by").asText());
  }

  static ConfigChannel.Proposed configAsk(String component, Function<ActorRef<ConfigChannel.Proposed>, ConfigChannel.Command> cmd) {
    return ClusterSharding.get(node.system()).entityRefFor(ConfigChannel.ENTITY_KEY, component)
        .<ConfigChannel.Proposed>ask(cmd::apply, ASK).toCompletableFuture().join();
  }

  static ConfigChannel.Change changeAsk(String component, Function<ActorRef<ConfigChannel.Change>, ConfigChannel.Command> cmd) {
    return ClusterSharding.get(node.system()).entityRefFor(ConfigChannel.ENTITY_KEY, component)
        .<ConfigChannel.Change>ask(cmd::apply, ASK).toCompletableFuture().join();
  }

  static void define(String id, String component, String parameter) {
    var created = http.post("/api/v1/experiments", ADMIN, ExperimentRolloutTest.definition(id, component, parameter, List.of()));
    assertEquals(201, created.status(), created.body());
    assertEquals(200, http.post("/api/v1/experiments/" + id + "/start", ADMIN, "{}").status());
  }

  @Test
  void aRetriedStageAndRollbackAfterCompletionWriteOneVersionEachAndEndRolledBack() {
    String id = "exp-rf-done";
    var before = config("job_discovery");
    int v0 = before.path("version").asInt();
    define(id, "job_discovery", "min_fit_score_to_apply");
    assertEquals("completed", http.post("/api/v1/experiments/" + id + "/complete", ADMIN, "{}").json().path("status").asText());

    // the first approve wrote stage 1's config and the node died before recording it
    String values = Json.write(Map.of("min_fit_score_to_apply", 55, "rollout_fraction", 0.5, "rollout_previous_value", 60,
        "rollout_salt", "rollout:" + id, "rollout_experiment_id", id));
    var written = configAsk("job_discovery", r -> new ConfigChannel.ApplyFromExperimentOnce(
        ExperimentRollouts.stageKey(id, 0, "low"), values, "experiment " + id + " variant low stage 1/2 (0.5) by ops", r));
    assertEquals(v0 + 1, written.version().version());

    var approved = http.post("/api/v1/experiments/" + id + "/approve", ADMIN, Map.of("variant_id", "low"));
    assertEquals(200, approved.status(), approved.body());
    assertEquals(v0 + 1, approved.json().path("config").path("version").asInt(), "the version already written, not another");
    var rollout = approved.json().path("rollout");
    assertEquals("in_progress", rollout.path("status").asText(), rollout.toString());
    assertEquals(v0 + 1, rollout.path("config_version").asInt());
    assertEquals(v0, rollout.path("previous_config_version").asInt(), "the version before the first write, not the written one");
    assertEquals("completed", approved.json().path("status").asText());
    assertEquals(v0 + 1, config("job_discovery").path("version").asInt());

    // the first rollback restored the config and died before recording it
    var restored = configAsk("job_discovery", r -> new ConfigChannel.RestoreOnce(ExperimentRollouts.rollbackKey(id, 0), v0,
        "rollback of experiment " + id + ": rolled back by ops", r));
    assertEquals(v0 + 2, restored.version().version());

    var back = http.post("/api/v1/experiments/" + id + "/rollback", ADMIN, "{}");
    assertEquals(200, back.status(), back.body());
    assertEquals("rolled_back", back.json().path("status").asText(), "completed → rolled_back");
    assertEquals(v0 + 2, back.json().path("config").path("version").asInt());
    assertEquals("rolled_back", back.json().path("rollout").path("status").asText());
    var after = config("job_discovery");
    assertEquals(v0 + 2, after.path("version").asInt(), after.toString());
    assertEquals(before.path("values"), after.path("values"));

    assertEquals(List.of("completed", "rolled_back", "ops"), lastStatusChange(id));
    var line = history(id, "rolled_back").get(0);
    assertEquals("ops", line.path("by").asText());
    assertEquals("rolled back by ops", line.path("reason").asText());
    assertEquals(v0 + 2, line.path("config_version").asInt());
    assertEquals(1, history(id, "rollout_stage").size());
    assertEquals(409, http.post("/api/v1/experiments/" + id + "/rollback", ADMIN, "{}").status(), "rolled_back is final");
  }

  /** The last stage as the monitor writes it (auto-act is off here): config, record, status rolled_out. */
  static void lastStage(String id, String component, String parameter) {
    var ro = ClusterSharding.get(node.system()).entityRefFor(ExperimentRollout.ENTITY_KEY, id)
        .<ExperimentRollout.Reply>ask(ExperimentRollout.Get::new, ASK).toCompletableFuture().join().state();
    var v = configAsk(component, r -> new ConfigChannel.ApplyFromExperimentOnce(ExperimentRollouts.stageKey(id, 1, "low"),
        Json.write(Map.of(parameter, 55, "rollout_fraction", 1.0)), "experiment " + id + " variant low stage 2/2 (1.0)", r)).version();
    var rec = ClusterSharding.get(node.system()).entityRefFor(ExperimentRollout.ENTITY_KEY, id).<ExperimentRollout.Reply>ask(r ->
        new ExperimentRollout.RecordStage("low", STAGES, 1, ro.baseConfigVersion(), v.version(), "system", "held", r), ASK)
        .toCompletableFuture().join();
    assertEquals("completed", rec.state().status(), String.valueOf(rec.error()));
    var done = ClusterSharding.get(node.system()).entityRefFor(Experiment.ENTITY_KEY, id)
        .<Experiment.Reply>ask(r -> new Experiment.ChangeStatus("rollout", "system", r), ASK).toCompletableFuture().join();
    assertEquals("rolled_out", done.status());
  }

  @Test
  void aRolledOutExperimentIsRolledBackUnlessItsConfigMovedOn() {
    String id = "exp-rf-out";
    var before = config("strategy_engine");
    int v0 = before.path("version").asInt();
    define(id, "strategy_engine", "weekly_application_target");
    assertEquals(200, http.post("/api/v1/experiments/" + id + "/approve", ADMIN, Map.of("variant_id", "low")).status());
    lastStage(id, "strategy_engine", "weekly_application_target");
    assertEquals(55, config("strategy_engine").path("values").path("weekly_application_target").asInt());

    var back = http.post("/api/v1/experiments/" + id + "/rollback", ADMIN, "{}");
    assertEquals(200, back.status(), back.body());
    assertEquals("rolled_back", back.json().path("status").asText(), "rolled_out → rolled_back");
    assertEquals(v0 + 3, back.json().path("config").path("version").asInt());
    assertEquals(before.path("values"), config("strategy_engine").path("values"));
    assertEquals(List.of("rolled_out", "rolled_back", "ops"), lastStatusChange(id));

    // another rollout of the same component, then a learned change over it: restoring would undo that change
    String moved = "exp-rf-moved";
    define(moved, "strategy_engine", "weekly_application_target");
    assertEquals(200, http.post("/api/v1/experiments/" + moved + "/approve", ADMIN, Map.of("variant_id", "low")).status());
    lastStage(moved, "strategy_engine", "weekly_application_target");
    var learned = changeAsk("strategy_engine", r -> new ConfigChannel.ApplyChange("recommendation:rec-test",
        "{\"low_interview_rate_threshold\": 0.07}", io.hireloop.config.Provenance.LEARNING, "interview model v9", "test",
        "system:recommendations", 0.9, "rec-test", r));
    assertTrue(learned.ok());
    var refused = http.post("/api/v1/experiments/" + moved + "/rollback", ADMIN, "{}");
    assertEquals(409, refused.status(), refused.body());
    assertTrue(refused.body().contains("would undo it"), refused.body());
    assertEquals("rolled_out", experiment(moved).path("status").asText());
    assertEquals(learned.version().version(), config("strategy_engine").path("version").asInt());
    assertTrue(history(moved, "rolled_back").isEmpty());
  }
}
