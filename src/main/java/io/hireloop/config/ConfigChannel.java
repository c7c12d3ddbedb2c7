package io.hireloop.config;

import io.hireloop.platform.Json;
import io.hireloop.platform.persistence.Snapshots;
import io.hireloop.platform.serialization.HireloopSerializable;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Instant;
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
 * The versioned configuration of one platform component (entity id = component). Version 0 is the
 * default from {@code hireloop.configs.defaults}; each applied change is a new version, pushed to
 * {@code config:<component>} subscribers. A learned change whose confidence is below the auto-apply bar
 * is kept as a pending proposal instead (approval is a later feature).
 */
public final class ConfigChannel extends EventSourcedBehavior<ConfigChannel.Command, ConfigChannel.Event, ConfigChannel.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "ConfigChannel");
  public static final Set<String> COMPONENTS = Set.of("strategy_engine", "job_discovery", "orchestrator");

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), system)));
  }

  public static Behavior<Command> create(String component, ActorSystem<?> system) {
    var defaults = system.settings().config().getConfig("hireloop.configs.defaults." + component).root().unwrapped();
    return new ConfigChannel(component, Json.write(defaults), Topics.get(system));
  }

  /** One version; {@code valuesJson} is the JSON object of values. */
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

  public sealed interface Command extends HireloopSerializable {}

  /**
   * A learned change: merged over the current values, applied when {@code confidence >= autoApplyMin},
   * otherwise kept pending. {@code source} says where it came from, e.g. "interview model v3".
   */
  public record Propose(String valuesJson, double confidence, double autoApplyMin, String source, ActorRef<Proposed> replyTo)
      implements Command {}

  public record Proposed(boolean applied, ConfigVersion version) implements HireloopSerializable {}

  public record Get(ActorRef<Current> replyTo) implements Command {}

  /**
   * A value decided by a controlled experiment (its rollout): merged over the current values and applied
   * at once as a new version with {@code optimized_by: "experiment"}; the decision's evidence lives in the
   * experiment's journal, named by {@code source}.
   */
  public record ApplyFromExperiment(String valuesJson, String source, ActorRef<Proposed> replyTo) implements Command {}

  /**
   * Rolls back: a new version whose values are exactly those of version {@code toVersion} (0 = the defaults),
   * applied at once with {@code optimized_by: "rollback"}. {@code version} in the reply is null when
   * {@code toVersion} does not exist.
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
   * Undoes the config a source produced: restores the values of the version before the newest applied version whose
   * {@code source} equals {@code of} (e.g. "interview model v3"), as a {@link RestoreOnce} with {@code key} would.
   * Versions after that one are undone with it (the restore writes the earlier values as a new version).
   * {@code version} in the reply is null (and nothing is written) when no applied version has that source.
   */
  public record RestoreBefore(String key, String of, String source, ActorRef<Proposed> replyTo) implements Command {}

  /** {@code pending} is null when no proposal waits. */
  public record Current(ConfigVersion current, ConfigVersion pending) implements HireloopSerializable {}

  public sealed interface Event extends HireloopSerializable {}

  public record Applied(ConfigVersion version) implements Event {}

  public record ProposalPending(ConfigVersion version) implements Event {}

  /** {@link Applied} for the idempotency {@code key} of an {@link ApplyFromExperimentOnce} or {@link RestoreOnce}. */
  public record AppliedOnce(ConfigVersion version, String key) implements Event {}

  /** The first State shape (id 670, before keyed writes). Frozen: never persisted (no snapshots), kept readable. */
  public record StateV1(ConfigVersion current, ConfigVersion pending, List<ConfigVersion> history) implements HireloopSerializable {
    public State upcast() {
      return new State(current, pending, history, Map.of());
    }
  }

  /**
   * {@code current} null means version 0 (the defaults). {@code appliedKeys}: idempotency key → the version
   * written for it.
   */
  public record State(ConfigVersion current, ConfigVersion pending, List<ConfigVersion> history, Map<String, Integer> appliedKeys)
      implements HireloopSerializable {}

  private final String component;
  private final ConfigVersion defaults;
  private final Topics topics;

  private ConfigChannel(String component, String defaultsJson, Topics topics) {
    super(PersistenceId.of(ENTITY_KEY.name(), component));
    this.component = component;
    this.defaults = new ConfigVersion(component, 0, defaultsJson, "manual", 1.0, Instant.EPOCH, "defaults");
    this.topics = topics;
  }

  @Override
  public State emptyState() {
    return new State(null, null, List.of(), Map.of());
  }

  @Override
  public SnapshotAdapter<State> snapshotAdapter() {
    return Snapshots.upcasting(ConfigChannel::upcast);
  }

  /** Older state shapes to the current {@link State}. */
  static State upcast(Object snapshot) {
    return snapshot instanceof StateV1 v1 ? v1.upcast() : (State) snapshot;
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Propose.class, this::onPropose)
        .onCommand(ApplyFromExperiment.class, this::onApplyFromExperiment)
        .onCommand(Restore.class, this::onRestore)
        .onCommand(ApplyFromExperimentOnce.class, this::onApplyOnce)
        .onCommand(RestoreOnce.class, this::onRestoreOnce)
        .onCommand(RestoreBefore.class, this::onRestoreBefore)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Current(current(state), state.pending())))
        .build();
  }

  private ConfigVersion current(State state) {
    return state.current() == null ? defaults : state.current();
  }

  private Effect<Event, State> onPropose(State state, Propose cmd) {
    var base = current(state);
    @SuppressWarnings("unchecked")
    var merged = new LinkedHashMap<String, Object>(Json.MAPPER.convertValue(Json.read(base.valuesJson()), Map.class));
    merged.putAll(Json.MAPPER.convertValue(Json.read(cmd.valuesJson()), Map.class));
    var next = new ConfigVersion(component, base.version() + 1, Json.write(merged), "learning", cmd.confidence(),
        Instant.now(), cmd.source());
    if (cmd.confidence() >= cmd.autoApplyMin()) {
      return Effect().persist(new Applied(next))
          .thenRun(s -> topics.publish(StreamMessage.of("config:" + component, "config_updated", next.toJson())))
          .thenReply(cmd.replyTo(), s -> new Proposed(true, next));
    }
    return Effect().persist(new ProposalPending(next)).thenReply(cmd.replyTo(), s -> new Proposed(false, next));
  }

  private Effect<Event, State> onApplyFromExperiment(State state, ApplyFromExperiment cmd) {
    return applyNow(new Applied(fromExperiment(state, cmd.valuesJson(), cmd.source())), cmd.replyTo());
  }

  private Effect<Event, State> onApplyOnce(State state, ApplyFromExperimentOnce cmd) {
    var already = alreadyApplied(state, cmd.key());
    if (already != null) return Effect().reply(cmd.replyTo(), new Proposed(true, already));
    return applyNow(new AppliedOnce(fromExperiment(state, cmd.valuesJson(), cmd.source()), cmd.key()), cmd.replyTo());
  }

  private Effect<Event, State> onRestore(State state, Restore cmd) {
    var next = restored(state, cmd.toVersion(), cmd.source());
    if (next == null) return Effect().reply(cmd.replyTo(), new Proposed(false, null));
    return applyNow(new Applied(next), cmd.replyTo());
  }

  private Effect<Event, State> onRestoreOnce(State state, RestoreOnce cmd) {
    var already = alreadyApplied(state, cmd.key());
    if (already != null) return Effect().reply(cmd.replyTo(), new Proposed(true, already));
    var next = restored(state, cmd.toVersion(), cmd.source());
    if (next == null) return Effect().reply(cmd.replyTo(), new Proposed(false, null));
    return applyNow(new AppliedOnce(next, cmd.key()), cmd.replyTo());
  }

  private Effect<Event, State> onRestoreBefore(State state, RestoreBefore cmd) {
    var already = alreadyApplied(state, cmd.key());
    if (already != null) return Effect().reply(cmd.replyTo(), new Proposed(true, already));
    ConfigVersion derived = null;
    for (var v : state.history()) if (cmd.of().equals(v.source())) derived = v;
    // applied versions are numbered consecutively (a pending proposal's number is taken by the next applied one)
    var next = derived == null ? null : restored(state, derived.version() - 1, cmd.source());
    if (next == null) return Effect().reply(cmd.replyTo(), new Proposed(false, null));
    return applyNow(new AppliedOnce(next, cmd.key()), cmd.replyTo());
  }

  /** The version written earlier for {@code key}, or null. */
  private static ConfigVersion alreadyApplied(State state, String key) {
    Integer version = state.appliedKeys().get(key);
    if (version == null) return null;
    return state.history().stream().filter(v -> v.version() == version).findFirst().orElseThrow();
  }

  private ConfigVersion fromExperiment(State state, String valuesJson, String source) {
    var base = current(state);
    @SuppressWarnings("unchecked")
    var merged = new LinkedHashMap<String, Object>(Json.MAPPER.convertValue(Json.read(base.valuesJson()), Map.class));
    merged.putAll(Json.MAPPER.convertValue(Json.read(valuesJson), Map.class));
    return new ConfigVersion(component, base.version() + 1, Json.write(merged), "experiment", 1.0, Instant.now(), source);
  }

  /** A new version with exactly the values of {@code toVersion} (0 = the defaults); null when there is none. */
  private ConfigVersion restored(State state, int toVersion, String source) {
    var target = toVersion == 0 ? defaults
        : state.history().stream().filter(v -> v.version() == toVersion).findFirst().orElse(null);
    if (target == null) return null;
    return new ConfigVersion(component, current(state).version() + 1, target.valuesJson(), "rollback", 1.0, Instant.now(), source);
  }

  /** Persists {@code event} (an {@link Applied} or {@link AppliedOnce}), pushes its version and replies with it. */
  private Effect<Event, State> applyNow(Event event, ActorRef<Proposed> replyTo) {
    var next = event instanceof AppliedOnce once ? once.version() : ((Applied) event).version();
    return Effect().persist(event)
        .thenRun(s -> topics.publish(StreamMessage.of("config:" + component, "config_updated", next.toJson())))
        .thenReply(replyTo, s -> new Proposed(true, next));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Applied.class, (state, e) -> new State(e.version(), null, append(state.history(), e.version()), state.appliedKeys()))
        .onEvent(AppliedOnce.class, (state, e) -> {
          var keys = new java.util.HashMap<>(state.appliedKeys());
          keys.put(e.key(), e.version().version());
          return new State(e.version(), null, append(state.history(), e.version()), Map.copyOf(keys));
        })
        .onEvent(ProposalPending.class, (state, e) -> new State(state.current(), e.version(), state.history(), state.appliedKeys()))
        .build();
  }

  private static List<ConfigVersion> append(List<ConfigVersion> l, ConfigVersion v) {
    var copy = new java.util.ArrayList<>(l);
    copy.add(v);
    return List.copyOf(copy);
  }
}
