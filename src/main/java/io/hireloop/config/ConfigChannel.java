package io.hireloop.config;

import io.hireloop.platform.Json;
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

  /** {@code pending} is null when no proposal waits. */
  public record Current(ConfigVersion current, ConfigVersion pending) implements HireloopSerializable {}

  public sealed interface Event extends HireloopSerializable {}

  public record Applied(ConfigVersion version) implements Event {}

  public record ProposalPending(ConfigVersion version) implements Event {}

  /** {@code current} null means version 0 (the defaults). */
  public record State(ConfigVersion current, ConfigVersion pending, List<ConfigVersion> history) implements HireloopSerializable {}

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
    return new State(null, null, List.of());
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Propose.class, this::onPropose)
        .onCommand(ApplyFromExperiment.class, this::onApplyFromExperiment)
        .onCommand(Restore.class, this::onRestore)
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
    var base = current(state);
    @SuppressWarnings("unchecked")
    var merged = new LinkedHashMap<String, Object>(Json.MAPPER.convertValue(Json.read(base.valuesJson()), Map.class));
    merged.putAll(Json.MAPPER.convertValue(Json.read(cmd.valuesJson()), Map.class));
    var next = new ConfigVersion(component, base.version() + 1, Json.write(merged), "experiment", 1.0, Instant.now(), cmd.source());
    return Effect().persist(new Applied(next))
        .thenRun(s -> topics.publish(StreamMessage.of("config:" + component, "config_updated", next.toJson())))
        .thenReply(cmd.replyTo(), s -> new Proposed(true, next));
  }

  private Effect<Event, State> onRestore(State state, Restore cmd) {
    var target = cmd.toVersion() == 0 ? defaults
        : state.history().stream().filter(v -> v.version() == cmd.toVersion()).findFirst().orElse(null);
    if (target == null) return Effect().reply(cmd.replyTo(), new Proposed(false, null));
    var next = new ConfigVersion(component, current(state).version() + 1, target.valuesJson(), "rollback", 1.0, Instant.now(),
        cmd.source());
    return Effect().persist(new Applied(next))
        .thenRun(s -> topics.publish(StreamMessage.of("config:" + component, "config_updated", next.toJson())))
        .thenReply(cmd.replyTo(), s -> new Proposed(true, next));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Applied.class, (state, e) -> new State(e.version(), null, append(state.history(), e.version())))
        .onEvent(ProposalPending.class, (state, e) -> new State(state.current(), e.version(), state.history()))
        .build();
  }

  private static List<ConfigVersion> append(List<ConfigVersion> l, ConfigVersion v) {
    var copy = new java.util.ArrayList<>(l);
    copy.add(v);
    return List.copyOf(copy);
  }
}
