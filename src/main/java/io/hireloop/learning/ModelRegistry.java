package io.hireloop.learning;

import io.hireloop.platform.serialization.HireloopSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The versions of one model (entity id = model name, e.g. "interview"): an event-sourced registry whose
 * journal is the audit log of every training that was registered. Model bytes live in
 * {@code model_blobs} (see {@link ModelStore}); versions are consecutive from 1.
 */
public final class ModelRegistry extends EventSourcedBehavior<ModelRegistry.Command, ModelRegistry.Event, ModelRegistry.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "ModelRegistry");
  public static final List<String> TAGS = List.of("model-registry");

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  public static Behavior<Command> create(String modelName) {
    return new ModelRegistry(modelName);
  }

  /** One registered version with its held-out evaluation. */
  public record ModelVersion(String name, int version, Instant trainedAt, int trainingExamples, double auc, double logLoss,
      double brier, double ece, String backend, String jobId, double trainingSeconds) implements HireloopSerializable {}

  public sealed interface Command extends HireloopSerializable {}

  /** Registers {@code v}; refused unless {@code v.version()} is the next version. */
  public record Register(ModelVersion v, ActorRef<Registered> replyTo) implements Command {}

  public record Registered(boolean ok, int latestVersion, String error) implements HireloopSerializable {}

  public record GetLatest(ActorRef<Latest> replyTo) implements Command {}

  /** {@code version} is null when nothing was registered yet. */
  public record Latest(ModelVersion version) implements HireloopSerializable {}

  public sealed interface Event extends HireloopSerializable {}

  public record VersionRegistered(ModelVersion v) implements Event {}

  public record State(List<ModelVersion> versions) implements HireloopSerializable {
    ModelVersion latest() {
      return versions.isEmpty() ? null : versions.get(versions.size() - 1);
    }

    int latestVersion() {
      return versions.isEmpty() ? 0 : latest().version();
    }

    State add(ModelVersion v) {
      var copy = new ArrayList<>(versions);
      copy.add(v);
      return new State(List.copyOf(copy));
    }
  }

  private ModelRegistry(String name) {
    super(PersistenceId.of(ENTITY_KEY.name(), name));
  }

  @Override
  public State emptyState() {
    return new State(List.of());
  }

  @Override
  public java.util.Set<String> tagsFor(Event event) {
    return java.util.Set.copyOf(TAGS);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(50, 2);
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Register.class, this::onRegister)
        .onCommand(GetLatest.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Latest(state.latest())))
        .build();
  }

  private Effect<Event, State> onRegister(State state, Register cmd) {
    int expected = state.latestVersion() + 1;
    if (cmd.v().version() != expected) {
      return Effect().reply(cmd.replyTo(), new Registered(false, state.latestVersion(),
          "version " + cmd.v().version() + " is not the next version (" + expected + ")"));
    }
    return Effect().persist(new VersionRegistered(cmd.v()))
        .thenReply(cmd.replyTo(), s -> new Registered(true, s.latestVersion(), null));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(VersionRegistered.class, (state, e) -> state.add(e.v()))
        .build();
  }
}
