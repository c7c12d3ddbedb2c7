package io.hireloop.experiment;

import com.typesafe.config.Config;
import io.hireloop.config.ConfigChannel;
import io.hireloop.platform.Json;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Rolls a winner back into the platform by stages, and rolls back on harm.
 *
 * <p>A stage is a version of the component's config (merged over the current values) holding
 * {@code <parameter>}: the winner's value, {@code rollout_fraction}: the share of users who get it,
 * {@code rollout_previous_value}: what the others keep (the parameter's value before the rollout),
 * {@code rollout_salt}: a user gets the winner when {@link Assignment#bucket}(salt, user) is below the fraction,
 * and {@code rollout_experiment_id}. The last stage has {@code rollout_fraction} 1.0; then the
 * experiment is {@code rolled_out}. Each stage is pushed to {@code config:<component>} (by the config channel)
 * and {@code experiment:<id>} ({@code rollout_stage}) and recorded in {@link ExperimentRollout}.
 *
 * <p>Who: {@code POST …/rollout} (only when the decision is {@code roll_out_winner}) or {@code POST …/approve}
 * (an admin names the variant) start stage 1; with {@code auto-act} the {@link ExperimentMonitor} starts it
 * itself for a winner, advances a stage once {@code stage-interval} has passed and the checks still hold, and
 * rolls back ({@code by: "system"}) on {@code stop_for_harm} (a running experiment or a rollout) or on a
 * sample-ratio mismatch during a rollout: the experiment becomes {@code rolled_back} and, if a stage was
 * written, the config returns to the version before the first stage (a new version with those values).
 * Config first, record second, but the config write is keyed ({@link #stageKey}, {@link #rollbackKey}): a retry
 * after a failure in between gets the version already written back from the config channel instead of a
 * second one, and records that.
 *
 * <p>A rollback also ends an experiment that is {@code completed} (an admin approved a rollout after completion)
 * or {@code rolled_out} (its rollout finished) as {@code rolled_back}; a {@code rolled_out} one only by an admin
 * and only while the component's config is still the rollout's last version (nothing written over it since).
 */
public final class ExperimentRollouts {
  public static final String SYSTEM = "system";

  /** {@code stages}: increasing fractions ending at 1.0. */
  public record Settings(List<Double> stages, Duration stageInterval, boolean autoAct) {
    public Settings {
      if (stages.isEmpty() || stages.get(stages.size() - 1) != 1.0) throw new IllegalArgumentException("rollout stages must end at 1.0");
      for (int i = 0; i < stages.size(); i++) {
        if (!(stages.get(i) > 0 && stages.get(i) <= 1) || i > 0 && stages.get(i) <= stages.get(i - 1)) {
          throw new IllegalArgumentException("rollout stages must increase within (0, 1]: " + stages);
        }
      }
      stages = List.copyOf(stages);
    }

    public static Settings from(Config c) {
      return new Settings(c.getDoubleList("rollout-stages"), c.getDuration("stage-interval"), c.getBoolean("auto-act"));
    }
  }

  /** {@code problem} non-null: refused ({@code code}: not_found | conflict); else the applied config and experiment. */
  public record Outcome(String code, String problem, List<DecisionOutcome.Check> failedChecks,
      ConfigChannel.ConfigVersion config, Experiment.Reply experiment, ExperimentRollout.State rollout) {}

  private static final Set<String> ACTIVE = Set.of("running", "paused");

  /** The idempotency key of a stage's config write: experiment, 1-based stage, variant. */
  public static String stageKey(String experimentId, int stage, String variantId) {
    return "rollout:" + experimentId + ":stage:" + (stage + 1) + ":" + variantId;
  }

  /** The idempotency key of a rollback's config restore: experiment and the last stage written (0: none). */
  public static String rollbackKey(String experimentId, int stage) {
    return "rollback:" + experimentId + ":after-stage:" + (stage + 1);
  }

  private final ActorSystem<?> system;
  private final ThompsonUpdates thompson;
  private final ClusterSharding sharding;
  private final Topics topics;
  private final ExposureProjection exposures;
  private final Duration askTimeout;
  private final Settings settings;
  private final ExperimentRamps ramps;

  public ExperimentRollouts(ActorSystem<?> system, ExposureProjection exposures, Duration askTimeout, Settings settings) {
    this.system = system;
    this.thompson = ThompsonUpdates.from(system, exposures, askTimeout);
    this.sharding = ClusterSharding.get(system);
    this.topics = Topics.get(system);
    this.exposures = exposures;
    this.askTimeout = askTimeout;
    this.settings = settings;
    this.ramps = new ExperimentRamps(system, askTimeout);
  }

  public Settings settings() {
    return settings;
  }

  // ------------------------------------------------------------------ reads

  public CompletionStage<ExperimentRollout.State> rolloutState(String experimentId) {
    return rolloutRef(experimentId).<ExperimentRollout.Reply>ask(ExperimentRollout.Get::new, askTimeout)
        .thenApply(ExperimentRollout.Reply::state);
  }

  /** The results of record with the rollout's progress. */
  public CompletionStage<ExperimentResults> results(Experiment.Reply exp) {
    String id = exp.spec().experimentId();
    var allocation = experimentRef(id).<Experiment.View>ask(Experiment.GetView::new, askTimeout)
        .thenCombine(AllocationHistory.changes(system, exp.spec()), (view, changes) -> ExpectedShares.of(exp.spec(), view.allocation(), changes));
    return exposures.rows(id).thenCombine(rolloutState(id), Map::entry).thenCombine(allocation, (rowsAndRollout, shares) -> {
      var rows = rowsAndRollout.getKey();
      var ro = rowsAndRollout.getValue();
      return Results.compute(exp.spec(), exp.status(), rows, Instant.now(), shares).withRollout(ro);
    });
  }

  public static Map<String, Object> rolloutJson(ExperimentRollout.State ro) {
    var m = new LinkedHashMap<String, Object>();
    m.put("status", ro.status());
    m.put("variant_id", ro.variantId());
    m.put("stages", ro.stages());
    m.put("stage", ro.stage() < 0 ? null : ro.stage() + 1);
    m.put("rollout_fraction", ro.stage() < 0 ? null : ro.fraction());
    m.put("config_version", ro.configVersion() < 0 ? null : ro.configVersion());
    m.put("previous_config_version", ro.baseConfigVersion() < 0 ? null : ro.baseConfigVersion());
    m.put("stage_started_at", ro.stageAt() == null ? null : ro.stageAt().toString());
    return m;
  }

  /** The rollout's audit lines as history entries. */
  public static List<Map<String, Object>> historyJson(ExperimentRollout.State ro) {
    return ro.log().stream().map(e -> {
      var m = new LinkedHashMap<String, Object>();
      m.put("type", e.type());
      m.put("by", e.by());
      m.put("at", e.at().toString());
      m.put("reason", e.reason());
      if (e.fraction() != null) m.put("rollout_fraction", e.fraction());
      m.put("config_version", e.configVersion());
      return (Map<String, Object>) m;
    }).toList();
  }

  // ------------------------------------------------------------------ commands from the API

  /** {@code approvedVariant} null: only if the decision is {@code roll_out_winner}. Starts stage 1. */
  public CompletionStage<Outcome> rollout(String experimentId, String by, String approvedVariant) {
    return experimentRef(experimentId).<Experiment.Reply>ask(Experiment.Get::new, askTimeout).thenCompose(exp -> {
      if (exp.notFound()) return done(refused("not_found", "no experiment '" + experimentId + "'"));
      var spec = exp.spec();
      if (!Experiment.TRANSITIONS.get("rollout").from().contains(exp.status())) {
        return done(refused("conflict", "cannot roll out an experiment that is " + exp.status()));
      }
      if (spec.control() == null) return done(refused("conflict", "the experiment has no variants"));
      return results(exp).thenCompose(results -> {
        var ro = results.rollout().status();
        if (!ro.equals("none")) return done(refused("conflict", "the rollout is already " + ro));
        var decision = results.decision();
        String variantId;
        String reason;
        if (approvedVariant == null) {
          if (decision.kind() != DecisionKind.ROLL_OUT_WINNER) {
            return done(new Outcome("conflict", "decision is " + decision.kind().wire()
                + ", not roll_out_winner: an admin may POST .../approve with a variant_id", decision.failedChecks(), null, null, null));
          }
          variantId = decision.winner();
          reason = "every check of record passed";
        } else {
          variantId = approvedVariant;
          reason = "approved by " + by + " (decision was " + decision.kind().wire() + ")";
        }
        if (spec.variants().stream().noneMatch(v -> v.variantId().equals(variantId))) {
          return done(refused("conflict", "no variant '" + variantId + "'"));
        }
        return rolloutState(experimentId).thenCompose(state -> stage(exp, state, variantId, by, reason));
      });
    });
  }

  /**
   * An admin's {@code POST …/rollback}: like the automatic one (config restored if a stage was written), by
   * the admin. Refused unless the experiment is running or paused, or its rollout is in progress, or it is
   * {@code rolled_out} and the component's config is still the version its last stage wrote.
   */
  public CompletionStage<Outcome> rollback(String experimentId, String by, String reason) {
    return experimentRef(experimentId).<Experiment.Reply>ask(Experiment.Get::new, askTimeout).thenCompose(exp -> {
      if (exp.notFound()) return done(refused("not_found", "no experiment '" + experimentId + "'"));
      return rolloutState(experimentId).thenCompose(ro -> {
        if (exp.status().equals("rolled_out") && ro.status().equals("completed")) return rollbackRolledOut(exp, ro, by, reason);
        if (!ACTIVE.contains(exp.status()) && !ro.inProgress()) {
          return done(refused("conflict", "cannot rollback an experiment that is " + exp.status()));
        }
        return rollback(exp, ro, by, reason);
      });
    });
  }

  /** Restoring a finished rollout would silently undo any config version written after it: refused then. */
  private CompletionStage<Outcome> rollbackRolledOut(Experiment.Reply exp, ExperimentRollout.State ro, String by, String reason) {
    var spec = exp.spec();
    return sharding.entityRefFor(ConfigChannel.ENTITY_KEY, spec.component()).<ConfigChannel.Current>ask(ConfigChannel.Get::new, askTimeout)
        .thenCompose(current -> {
          int now = current.current().version();
          if (now != ro.configVersion()) {
            return done(refused("conflict", "the config of " + spec.component() + " is at version " + now + ", written after the rollout's"
                + " last stage (version " + ro.configVersion() + "): restoring version " + ro.baseConfigVersion() + " would undo it"));
          }
          return rollback(exp, ro, by, reason);
        });
  }

  // ------------------------------------------------------------------ the monitor's evaluation

  /**
   * Computes the results, publishes them on {@code experiment:<id>} and, with auto-act, acts on them.
   * Completes with whether the experiment still needs watching (running, paused or a rollout in progress).
   */
  public CompletionStage<Boolean> evaluate(String experimentId) {
    return experimentRef(experimentId).<Experiment.Reply>ask(Experiment.Get::new, askTimeout).thenCompose(exp -> {
      if (exp.notFound() || exp.spec().control() == null) return done(false);
      return rolloutState(experimentId).thenCompose(ro -> {
        if (!ACTIVE.contains(exp.status()) && !ro.inProgress()) return done(false);
        return results(exp).thenCompose(results -> thompson.updateIfDue(exp, results).thenApply(updated -> results)).thenCompose(results -> {
          topics.publish(StreamMessage.of(topic(experimentId), "experiment_results", results.toJson()));
          // the definition's ramp schedule advances with or without auto-act (it holds on red guardrails or SRM)
          return ramps.advance(experimentId, results).thenCompose(x -> settings.autoAct() ? act(exp, ro, results) : done(true));
        });
      });
    });
  }

  private CompletionStage<Boolean> act(Experiment.Reply exp, ExperimentRollout.State ro, ExperimentResults results) {
    var srm = results.srm();
    var decision = results.decision();
    if (ro.inProgress() && srm.mismatch()) {
      return rollback(exp, ro, "sample-ratio mismatch during rollout stage " + (ro.stage() + 1) + " (p = " + srm.pValue()
          + " < " + srm.threshold() + ")").thenApply(o -> false);
    }
    if (decision.kind() == DecisionKind.STOP_FOR_HARM && (ACTIVE.contains(exp.status()) || ro.inProgress())) {
      String reason = "stop_for_harm: " + decision.harm().stream().map(h -> h.variantId() + " " + h.metric() + ": " + h.reason())
          .collect(Collectors.joining("; "));
      return rollback(exp, ro, reason).thenApply(o -> false);
    }
    if (ro.inProgress() && !ro.stageAt().plus(settings.stageInterval()).isAfter(Instant.now())) {
      return stage(exp, ro, ro.variantId(), SYSTEM, "stage " + (ro.stage() + 1) + " held for " + settings.stageInterval()
          + " with no SRM and guardrails green").thenApply(o -> o.problem() == null && !o.rollout().finished());
    }
    if (ro.status().equals("none") && exp.status().equals("running") && decision.kind() == DecisionKind.ROLL_OUT_WINNER) {
      return stage(exp, ro, decision.winner(), SYSTEM, "every check of record passed")
          .thenApply(o -> o.problem() == null && !o.rollout().finished());
    }
    return done(true);
  }

  // ------------------------------------------------------------------ stages and rollback

  /** Writes the next stage as a config version and records it; the last stage marks the experiment rolled out. */
  private CompletionStage<Outcome> stage(Experiment.Reply exp, ExperimentRollout.State ro, String variantId, String by, String reason) {
    var spec = exp.spec();
    int next = ro.stage() + 1;
    var stages = ro.stage() < 0 ? settings.stages() : ro.stages();
    double fraction = stages.get(next);
    var variant = spec.variants().stream().filter(v -> v.variantId().equals(variantId)).findFirst().orElseThrow();
    var channel = sharding.entityRefFor(ConfigChannel.ENTITY_KEY, spec.component());
    return channel.<ConfigChannel.Current>ask(ConfigChannel.Get::new, askTimeout).thenCompose(current -> {
      var values = new LinkedHashMap<String, Object>();
      values.put(spec.parameter(), Json.read(variant.value()));
      values.put("rollout_fraction", fraction);
      if (next == 0) {
        var before = Json.MAPPER.convertValue(Json.read(current.current().valuesJson()), Map.class);
        values.put("rollout_previous_value", before.get(spec.parameter()));
        values.put("rollout_salt", "rollout:" + spec.salt()); // not the assignment's salt: stages cut across the arms
        values.put("rollout_experiment_id", spec.experimentId());
      }
      String source = "experiment " + spec.experimentId() + " variant " + variantId + " stage " + (next + 1) + "/" + stages.size()
          + " (" + fraction + ")" + (by.equals(SYSTEM) ? "" : " by " + by);
      String key = stageKey(spec.experimentId(), next, variantId);
      return channel.<ConfigChannel.Proposed>ask(r -> new ConfigChannel.ApplyFromExperimentOnce(key, Json.write(values), source, r), askTimeout)
          // a version is always the one before + 1: right for a first write and for a retry answered with the earlier one
          .thenCompose(applied -> rolloutRef(spec.experimentId()).<ExperimentRollout.Reply>ask(r -> new ExperimentRollout.RecordStage(
                  variantId, stages, next, next == 0 ? applied.version().version() - 1 : ro.baseConfigVersion(),
                  applied.version().version(), by, reason, r), askTimeout)
              .thenCompose(rec -> {
                if (rec.error() != null) return done(new Outcome("conflict", rec.error(), List.of(), applied.version(), exp, rec.state()));
                publish(spec.experimentId(), "rollout_stage", applied.version(), rec.state(), by, reason);
                if (!rec.state().finished()) return done(new Outcome(null, null, List.of(), applied.version(), exp, rec.state()));
                return experimentRef(spec.experimentId()).<Experiment.Reply>ask(r -> new Experiment.ChangeStatus("rollout", by, r), askTimeout)
                    .thenApply(after -> new Outcome(after.error() == null ? null : "conflict", after.error(), List.of(),
                        applied.version(), after, rec.state()));
              }));
    });
  }

  /** Restores the config of before the first stage (if one was written), records why, marks the experiment rolled back. */
  private CompletionStage<Outcome> rollback(Experiment.Reply exp, ExperimentRollout.State ro, String reason) {
    return rollback(exp, ro, SYSTEM, reason);
  }

  private CompletionStage<Outcome> rollback(Experiment.Reply exp, ExperimentRollout.State ro, String by, String reason) {
    var spec = exp.spec();
    CompletionStage<ConfigChannel.ConfigVersion> restored = ro.stage() < 0 ? done(null)
        : sharding.entityRefFor(ConfigChannel.ENTITY_KEY, spec.component()).<ConfigChannel.Proposed>ask(r -> new ConfigChannel.RestoreOnce(
            rollbackKey(spec.experimentId(), ro.stage()), ro.baseConfigVersion(), "rollback of experiment " + spec.experimentId() + ": " + reason, r), askTimeout)
            .thenApply(ConfigChannel.Proposed::version);
    // an admin's rollback of an experiment with no stage written is only a status change (its history line)
    boolean record = ro.stage() >= 0 || by.equals(SYSTEM);
    return restored.thenCompose(config -> (record
        ? rolloutRef(spec.experimentId()).<ExperimentRollout.Reply>ask(r -> new ExperimentRollout.RecordRollback(
            by, reason, config == null ? null : config.version(), r), askTimeout)
        : done(new ExperimentRollout.Reply(ro, null)))
        .thenCompose(rec -> {
          // completed (rollout approved after completion) and rolled_out end as rolled_back too
          CompletionStage<Experiment.Reply> status = Experiment.TRANSITIONS.get("rollback").from().contains(exp.status())
              ? experimentRef(spec.experimentId()).ask(r -> new Experiment.ChangeStatus("rollback", by, r), askTimeout)
              : done(exp);
          return status.thenApply(after -> {
            publish(spec.experimentId(), "experiment_rolled_back", config, rec.state(), by, reason);
            return new Outcome(null, null, List.of(), config, after, rec.state());
          });
        }));
  }

  private void publish(String experimentId, String type, ConfigChannel.ConfigVersion config, ExperimentRollout.State ro, String by,
      String reason) {
    var m = new LinkedHashMap<String, Object>();
    m.put("experiment_id", experimentId);
    m.put("by", by);
    m.put("reason", reason);
    m.put("rollout", rolloutJson(ro));
    m.put("config", config == null ? null : config.toJson());
    topics.publish(StreamMessage.of(topic(experimentId), type, m));
  }

  public static String topic(String experimentId) {
    return "experiment:" + experimentId;
  }

  private EntityRef<Experiment.Command> experimentRef(String id) {
    return sharding.entityRefFor(Experiment.ENTITY_KEY, id);
  }

  private EntityRef<ExperimentRollout.Command> rolloutRef(String id) {
    return sharding.entityRefFor(ExperimentRollout.ENTITY_KEY, id);
  }

  private static Outcome refused(String code, String problem) {
    return new Outcome(code, problem, List.of(), null, null, null);
  }

  private static <T> CompletionStage<T> done(T v) {
    return CompletableFuture.completedFuture(v);
  }
}
