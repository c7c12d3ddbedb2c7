package io.hireloop.experiment;

import io.hireloop.platform.serialization.HireloopSerializable;
import java.time.Instant;
import java.util.List;
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
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One controlled experiment on a platform parameter (entity id = experiment id). For now: create, read
 * and a status; the full lifecycle (assignment, analysis, rollout) builds on this journal.
 */
public final class Experiment extends EventSourcedBehavior<Experiment.Command, Experiment.Event, Experiment.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Experiment");
  public static final List<String> TAGS = List.of("experiment");
  public static final Set<String> STATUSES = Set.of("draft", "running", "paused", "completed", "rolled_out", "rolled_back");

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  public static Behavior<Command> create(String experimentId) {
    return new Experiment(experimentId);
  }

  public record Definition(String experimentId, String name, String hypothesis, String component, String parameter)
      implements HireloopSerializable {}

  public sealed interface Command extends HireloopSerializable {}

  public record Create(Definition definition, String by, ActorRef<Reply> replyTo) implements Command {}

  public record ChangeStatus(String status, String by, ActorRef<Reply> replyTo) implements Command {}

  public record Get(ActorRef<Reply> replyTo) implements Command {}

  /** {@code error} non-null: refused, nothing changed; {@code notFound}: no such experiment. */
  public record Reply(Definition definition, String status, Instant createdAt, String error, boolean notFound)
      implements HireloopSerializable {}

  public sealed interface Event extends HireloopSerializable {}

  public record Created(Definition definition, String by, Instant at) implements Event {}

  public record StatusChanged(String from, String to, String by, Instant at) implements Event {}

  /** {@code definition} null: not created yet. */
  public record State(Definition definition, String status, Instant createdAt) implements HireloopSerializable {}

  private Experiment(String id) {
    super(PersistenceId.of(ENTITY_KEY.name(), id));
  }

  @Override
  public State emptyState() {
    return new State(null, null, null);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.copyOf(TAGS);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(ChangeStatus.class, this::onChangeStatus)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), reply(state, null)))
        .build();
  }

  private Effect<Event, State> onCreate(State state, Create cmd) {
    if (state.definition() != null) {
      return Effect().reply(cmd.replyTo(), reply(state, "experiment " + state.definition().experimentId() + " already exists"));
    }
    return Effect().persist(new Created(cmd.definition(), cmd.by(), Instant.now()))
        .thenReply(cmd.replyTo(), s -> reply(s, null));
  }

  private Effect<Event, State> onChangeStatus(State state, ChangeStatus cmd) {
    if (state.definition() == null) return Effect().reply(cmd.replyTo(), reply(state, null));
    if (!STATUSES.contains(cmd.status())) {
      return Effect().reply(cmd.replyTo(), reply(state, "unknown status '" + cmd.status() + "'; one of " + new java.util.TreeSet<>(STATUSES)));
    }
    return Effect().persist(new StatusChanged(state.status(), cmd.status(), cmd.by(), Instant.now()))
        .thenReply(cmd.replyTo(), s -> reply(s, null));
  }

  private static Reply reply(State s, String error) {
    return new Reply(s.definition(), s.status(), s.createdAt(), error, s.definition() == null);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Created.class, (s, e) -> new State(e.definition(), "draft", e.at()))
        .onEvent(StatusChanged.class, (s, e) -> new State(s.definition(), e.to(), s.createdAt()))
        .build();
  }
}
