package io.hireloop.config;

import io.hireloop.platform.Json;
import io.hireloop.platform.persistence.Snapshots;
import io.hireloop.platform.serialization.HireloopSerializable;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * The versioned configuration of one platform component (entity id = component). Version 0 is the default from
 * {@code hireloop.configs.defaults}; every change is a new version (the next number), pushed to
 * {@code config:<component>} subscribers, and recorded with its {@link Provenance}, source, reason and actor. The
 * history is append-only: a rollback writes the old values as a NEW version, so nothing written later is lost.
 *
 * <p>Only three paths write: a recommendation ({@link ApplyChange}: applied by its rules or approved by an admin),
 * an experiment's rollout ({@link ApplyFromExperimentOnce}, {@link RestoreOnce}) and an explicit rollback
 * ({@link Rollback} by an admin, {@link RestoreBefore} by the model monitor). Whether a learned change may be written
 * now (no running experiment owns its keys) is decided before it gets here, by the recommendations.
 */
public final class ConfigChannel extends EventSourcedBehavior<ConfigChannel.Command, ConfigChannel.Event, ConfigChannel.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "ConfigChannel");
  public static final Set<String> COMPONENTS = Set.of("strategy_engine", "job_discovery", "orchestrator");
  /** Actors of versions written by the platform itself. */
  public static final String EXPERIMENTS_ACTOR = "system:experiments", MONITOR_ACTOR = "system:monitor";

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), system)));
  }

  public static Behavior<Command> create(String component, ActorSystem<?> system) {
    var defaults = system.settings().config().getConfig("hireloop.configs.defaults." + component).root().unwrapped();
    return new ConfigChannel(component, Json.write(defaults), Topics.get(system));
  }

  /**
   * RELEASED (golden config-applied): one version as the first releases stored it. Frozen. Still the reply shape of
   * {@link Get} and of the experiment/monitor commands ({@link Proposed}); {@link Version} is what is stored now.
   */
  public record ConfigVersion(String component, int version, String valuesJson, String optimizedBy, double confidence,
      Instant lastUpdated, String source) implements HireloopSerializable {

    public Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("component", component);
      m.put("version", version);
      m.put("values", Json.read(valuesJson));
      m.put("optimized_by", optimizedBy);
      m.put("confidence", confidence);
      m.put("last_updated", lastUpdated.toString());
      if (source != null) m.put("source", source);
      return m;
    }
  }

  /**
   * One version with what produced it. {@code valuesJson}: the JSON object of all values. {@code source}: the evidence
   * or process that produced the values ("interview model v3", "experiment exp-1 variant low stage 1/3 (0.1)");
   * {@code reason}: why it was written; {@code actor}: who wrote it (an admin's token subject, or
   * {@code system:recommendations}, {@code system:experiments}, {@code system:monitor}); {@code restoresVersion}:
   * for a rollback, the version whose values it restores; {@code recommendationId}: the recommendation it applies.
   */
  public record Version(String component, int version, String valuesJson, Provenance provenance, String source, String reason,
      String actor, double confidence, Instant at, Integer restoresVersion, String recommendationId) implements HireloopSerializable {

    /** A version stored by an earlier release (no reason or actor recorded). */
    static Version of(ConfigVersion v) {
      boolean defaults = v.version() == 0;
      return new Version(v.component(), v.version(), v.valuesJson(), defaults ? Provenance.DEFAULTS : Provenance.ofOptimizedBy(v.optimizedBy()),
          v.source(), null, null, v.confidence(), v.lastUpdated(), null, null);
    }

    /** The released shape, for the replies of {@link Get} and {@link Proposed}. */
    public ConfigVersion legacy() {
      return new ConfigVersion(component, version, valuesJson, provenance.optimizedBy(), confidence, at, source);
    }

    /** The values as a mutable map, in stored order. */
    public LinkedHashMap<String, Object> values() {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = Json.MAPPER.convertValue(Json.read(valuesJson), Map.class);
      return new LinkedHashMap<>(m);
    }

    /** The config document of API.md (GET /api/v1/configs/{component} and each entry of its history). */
    public Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("component", component);
      m.put("version", version);
      m.put("values", Json.read(valuesJson));
      m.put("provenance", provenance.wire());
      m.put("optimized_by", provenance.optimizedBy());
      m.put("confidence", confidence);
      m.put("last_updated", at.toString());
      m.put("source", source);
      m.put("reason", reason);
      m.put("actor", actor);
      if (restoresVersion != null) m.put("restores_version", restoresVersion);
      if (recommendationId != null) m.put("recommendation_id", recommendationId);
      return m;
    }
  }

  public sealed interface Command extends HireloopSerializable {}

  /** {@code applied} false (and {@code version} null) when nothing was written, e.g. a restore of a version that does not exist. */
  public record Proposed(boolean applied, ConfigVersion version) implements HireloopSerializable {}

  public record Get(ActorRef<Current> replyTo) implements Command {}

  /**
   * A value decided by a controlled experiment (its rollout): merged over the current values and applied at once as a
   * new version with provenance {@code experiment}; the decision's evidence lives in the experiment's journal, named by
   * {@code source}.
   */
  public record ApplyFromExperiment(String valuesJson, String source, ActorRef<Proposed> replyTo) implements Command {}

  /**
   * Restores: a new version whose values are exactly those of version {@code toVersion} (0 = the defaults), with
   * provenance {@code rollback}. {@code version} in the reply is null when {@code toVersion} does not exist.
   */
  public record Restore(int toVersion, String source, ActorRef<Proposed> replyTo) implements Command {}

  /**
   * {@link ApplyFromExperiment} at most once per {@code key} (e.g. experiment, stage and variant): a key already
   * applied is answered with the version it wrote, and nothing is written or pushed again. Lets a rollout retry a
   * stage whose config write succeeded but whose record did not.
   */
  public record ApplyFromExperimentOnce(String key, String valuesJson, String source, ActorRef<Proposed> replyTo)
      implements Command {}

  /** {@link Restore} at most once per {@code key}, like {@link ApplyFromExperimentOnce}. */
  public record RestoreOnce(String key, int toVersion, String source, ActorRef<Proposed> replyTo) implements Command {}

  /**
   * Undoes the config a source produced: restores the values of the version before the newest version whose
   * {@code source} equals {@code of} (e.g. "interview model v3"), as a {@link RestoreOnce} with {@code key} would.
   * Versions after that one are undone with it (the restore writes the earlier values as a new version).
   * {@code version} in the reply is null (and nothing is written) when no version has that source.
   */
  public record RestoreBefore(String key, String of, String source, ActorRef<Proposed> replyTo) implements Command {}

  /** {@code pending} is always null now (kept for the released reply shape). */
  public record Current(ConfigVersion current, ConfigVersion pending) implements HireloopSerializable {}

  /** Every version, oldest first, starting with version 0 (the defaults); the last one is current. */
  public record GetHistory(ActorRef<History> replyTo) implements Command {}

  public record History(List<Version> versions) implements HireloopSerializable {
    public Version current() {
      return versions.get(versions.size() - 1);
    }
  }

  /**
   * A recommendation's change, merged over the current values, at most once per {@code key} (the recommendation):
   * a key already written answers the version it wrote. {@code provenance}: {@link Provenance#LEARNING} (its rules
   * applied it) or {@link Provenance#APPROVAL} (an admin approved it).
   */
  public record ApplyChange(String key, String valuesJson, Provenance provenance, String source, String reason, String actor,
      double confidence, String recommendationId, ActorRef<Change> replyTo) implements Command {}

  /** An admin's rollback: a new version with the values of {@code toVersion}; every later version stays in the history. */
  public record Rollback(int toVersion, String reason, String actor, ActorRef<Change> replyTo) implements Command {}

  /** Why a change was refused; nothing was written. */
  public enum Refusal {
    /** {@code to_version} is not a version of this component. */
    UNKNOWN_VERSION,
    /** {@code to_version} is the current version: nothing to roll back. */
    ALREADY_CURRENT,
    /** The change is not a non-empty JSON object, or its provenance is not one a recommendation writes. */
    INVALID
  }

  /** {@code refusal} null: {@code version} was written (or had been, for a repeated key). */
  public record Change(Version version, Refusal refusal, String message) implements HireloopSerializable {
    public boolean ok() {
      return refusal == null;
    }
  }

  public sealed interface Event extends HireloopSerializable {}

  /** RELEASED: a version of the first releases. Replayed as a {@link Version} (provenance from {@code optimizedBy}). */
  public record Applied(ConfigVersion version) implements Event {}

  /**
   * RELEASED: a learned proposal below the old confidence bar, never applied. Replayed as nothing: such changes now go
   * through recommendations (the next champion's training submits its config again).
   */
  public record ProposalPending(ConfigVersion version) implements Event {}

  /** RELEASED: {@link Applied} for the idempotency {@code key} of an {@link ApplyFromExperimentOnce} or {@link RestoreOnce}. */
  public record AppliedOnce(ConfigVersion version, String key) implements Event {}

  /** A version was written; {@code key}: the idempotency key of a keyed write, or null. */
  public record Written(Version version, String key) implements Event {}

  /** The first State shape (id 670, before keyed writes). Frozen: never persisted (no snapshots), kept readable. */
  public record StateV1(ConfigVersion current, ConfigVersion pending, List<ConfigVersion> history) implements HireloopSerializable {}

  /** The second State shape (id 663, with appliedKeys). Frozen: never persisted (no snapshots), kept readable. */
  public record StateV2(ConfigVersion current, ConfigVersion pending, List<ConfigVersion> history, Map<String, Integer> appliedKeys)
      implements HireloopSerializable {}

  /**
   * {@code history}: every written version, oldest first (version 0, the defaults, is not in it); empty = version 0 is
   * current. {@code appliedKeys}: idempotency key → the version written for it.
   */
  public record State(List<Version> history, Map<String, Integer> appliedKeys) implements HireloopSerializable {}

  private final String component;
  private final Version defaults;
  private final Topics topics;

  private ConfigChannel(String component, String defaultsJson, Topics topics) {
    super(PersistenceId.of(ENTITY_KEY.name(), component));
    this.component = component;
    this.defaults = new Version(component, 0, defaultsJson, Provenance.DEFAULTS, "defaults", "hireloop.configs.defaults",
        "system", 1.0, Instant.EPOCH, null, null);
    this.topics = topics;
  }

  @Override
  public State emptyState() {
    return new State(List.of(), Map.of());
  }

  @Override
  public SnapshotAdapter<State> snapshotAdapter() {
    return Snapshots.upcasting(ConfigChannel::upcast);
  }

  /** Older state shapes to the current {@link State}. */
  static State upcast(Object snapshot) {
    if (snapshot instanceof StateV1 v1) return new State(v1.history().stream().map(Version::of).toList(), Map.of());
    if (snapshot instanceof StateV2 v2) return new State(v2.history().stream().map(Version::of).toList(), v2.appliedKeys());
    return (State) snapshot;
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(ApplyFromExperiment.class, (state, cmd) ->
            write(state, fromExperiment(state, cmd.valuesJson(), cmd.source()), null, legacyReply(cmd.replyTo())))
        .onCommand(Restore.class, this::onRestore)
        .onCommand(ApplyFromExperimentOnce.class, this::onApplyOnce)
        .onCommand(RestoreOnce.class, this::onRestoreOnce)
        .onCommand(RestoreBefore.class, this::onRestoreBefore)
        .onCommand(ApplyChange.class, this::onApplyChange)
        .onCommand(Rollback.class, this::onRollback)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Current(current(state).legacy(), null)))
        .onCommand(GetHistory.class, (state, cmd) -> Effect().reply(cmd.replyTo(), history(state)))
        .build();
  }

  private Version current(State state) {
    return state.history().isEmpty() ? defaults : state.history().get(state.history().size() - 1);
  }

  private History history(State state) {
    var all = new ArrayList<Version>(state.history().size() + 1);
    all.add(defaults);
    all.addAll(state.history());
    return new History(List.copyOf(all));
  }

  private Effect<Event, State> onRestore(State state, Restore cmd) {
    var next = restored(state, cmd.toVersion(), cmd.source(), null, EXPERIMENTS_ACTOR);
    if (next == null) return Effect().reply(cmd.replyTo(), new Proposed(false, null));
    return write(state, next, null, legacyReply(cmd.replyTo()));
  }

  private Effect<Event, State> onApplyOnce(State state, ApplyFromExperimentOnce cmd) {
    var already = alreadyWritten(state, cmd.key());
    if (already != null) return Effect().reply(cmd.replyTo(), new Proposed(true, already.legacy()));
    return write(state, fromExperiment(state, cmd.valuesJson(), cmd.source()), cmd.key(), legacyReply(cmd.replyTo()));
  }

  private Effect<Event, State> onRestoreOnce(State state, RestoreOnce cmd) {
    var already = alreadyWritten(state, cmd.key());
    if (already != null) return Effect().reply(cmd.replyTo(), new Proposed(true, already.legacy()));
    var next = restored(state, cmd.toVersion(), cmd.source(), null, EXPERIMENTS_ACTOR);
    if (next == null) return Effect().reply(cmd.replyTo(), new Proposed(false, null));
    return write(state, next, cmd.key(), legacyReply(cmd.replyTo()));
  }

  private Effect<Event, State> onRestoreBefore(State state, RestoreBefore cmd) {
    var already = alreadyWritten(state, cmd.key());
    if (already != null) return Effect().reply(cmd.replyTo(), new Proposed(true, already.legacy()));
    Version derived = null;
    for (var v : state.history()) if (cmd.of().equals(v.source())) derived = v;
    // versions are numbered consecutively from 0, so the one before is derived.version() - 1
    var next = derived == null ? null : restored(state, derived.version() - 1, cmd.source(), null, MONITOR_ACTOR);
    if (next == null) return Effect().reply(cmd.replyTo(), new Proposed(false, null));
    return write(state, next, cmd.key(), legacyReply(cmd.replyTo()));
  }

  private Effect<Event, State> onApplyChange(State state, ApplyChange cmd) {
    var already = alreadyWritten(state, cmd.key());
    if (already != null) return Effect().reply(cmd.replyTo(), new Change(already, null, null));
    if (cmd.provenance() != Provenance.LEARNING && cmd.provenance() != Provenance.APPROVAL) {
      return Effect().reply(cmd.replyTo(), new Change(null, Refusal.INVALID, "a recommendation writes with provenance learning or approval, not "
          + cmd.provenance().wire()));
    }
    com.fasterxml.jackson.databind.JsonNode change;
    try {
      change = cmd.valuesJson() == null ? null : Json.read(cmd.valuesJson());
    } catch (IllegalArgumentException e) {
      change = null;
    }
    if (change == null || !change.isObject() || change.isEmpty()) {
      return Effect().reply(cmd.replyTo(), new Change(null, Refusal.INVALID, "the change must be a non-empty JSON object of values"));
    }
    var base = current(state);
    var values = base.values();
    values.putAll(Json.MAPPER.convertValue(change, Map.class));
    var next = new Version(component, base.version() + 1, Json.write(values), cmd.provenance(), cmd.source(), cmd.reason(), cmd.actor(),
        cmd.confidence(), Instant.now(), null, cmd.recommendationId());
    return write(state, next, cmd.key(), v -> new Change(v, null, null), cmd.replyTo());
  }

  private Effect<Event, State> onRollback(State state, Rollback cmd) {
    int now = current(state).version();
    if (cmd.toVersion() == now) {
      return Effect().reply(cmd.replyTo(), new Change(null, Refusal.ALREADY_CURRENT, "version " + now + " of " + component
          + " is the current version: nothing to roll back"));
    }
    var next = restored(state, cmd.toVersion(), "rollback to version " + cmd.toVersion(), cmd.reason(), cmd.actor());
    if (next == null) {
      return Effect().reply(cmd.replyTo(), new Change(null, Refusal.UNKNOWN_VERSION, component + " has no version " + cmd.toVersion()
          + "; its versions are 0 to " + now));
    }
    return write(state, next, null, v -> new Change(v, null, null), cmd.replyTo());
  }

  /** The version written earlier for {@code key}, or null. */
  private static Version alreadyWritten(State state, String key) {
    Integer version = state.appliedKeys().get(key);
    if (version == null) return null;
    return state.history().stream().filter(v -> v.version() == version).findFirst().orElseThrow();
  }

  private Version fromExperiment(State state, String valuesJson, String source) {
    var base = current(state);
    var merged = base.values();
    merged.putAll(Json.MAPPER.convertValue(Json.read(valuesJson), Map.class));
    return new Version(component, base.version() + 1, Json.write(merged), Provenance.EXPERIMENT, source, "experiment rollout",
        EXPERIMENTS_ACTOR, 1.0, Instant.now(), null, null);
  }

  /** A new version with exactly the values of {@code toVersion} (0 = the defaults); null when there is none. */
  private Version restored(State state, int toVersion, String source, String reason, String actor) {
    var target = toVersion == 0 ? defaults
        : state.history().stream().filter(v -> v.version() == toVersion).findFirst().orElse(null);
    if (target == null) return null;
    return new Version(component, current(state).version() + 1, target.valuesJson(), Provenance.ROLLBACK, source,
        reason == null ? source : reason, actor, 1.0, Instant.now(), toVersion, null);
  }

  private record Reply<R>(java.util.function.Function<Version, R> of, ActorRef<R> to) {}

  private static Reply<Proposed> legacyReply(ActorRef<Proposed> to) {
    return new Reply<>(v -> new Proposed(true, v.legacy()), to);
  }

  private <R> Effect<Event, State> write(State state, Version next, String key, java.util.function.Function<Version, R> reply, ActorRef<R> to) {
    return write(state, next, key, new Reply<>(reply, to));
  }

  /** Persists {@code next}, pushes it on {@code config:<component>} and replies. */
  private <R> Effect<Event, State> write(State state, Version next, String key, Reply<R> reply) {
    return Effect().persist(new Written(next, key))
        .thenRun(s -> topics.publish(StreamMessage.of("config:" + component, "config_updated", next.toJson())))
        .thenReply(reply.to(), s -> reply.of().apply(next));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Applied.class, (state, e) -> appended(state, Version.of(e.version()), null))
        .onEvent(AppliedOnce.class, (state, e) -> appended(state, Version.of(e.version()), e.key()))
        .onEvent(ProposalPending.class, (state, e) -> state)
        .onEvent(Written.class, (state, e) -> appended(state, e.version(), e.key()))
        .build();
  }

  private static State appended(State state, Version v, String key) {
    var history = new ArrayList<>(state.history());
    history.add(v);
    var keys = state.appliedKeys();
    if (key != null) {
      var copy = new HashMap<>(keys);
      copy.put(key, v.version());
      keys = Map.copyOf(copy);
    }
    return new State(List.copyOf(history), keys);
  }
}
