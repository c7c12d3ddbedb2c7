package io.hireloop.experiment;

import io.hireloop.platform.serialization.HireloopSerializable;
import java.time.Instant;
import java.util.ArrayList;
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

/**
 * The rollout of one experiment's winner back into the platform (entity id = experiment id), kept apart from
 * the {@link Experiment} entity: its journal is the audit log of every stage written as a config version and
 * of every rollback, with who decided it ("system" for automatic actions) and why. {@link ExperimentRollouts}
 * writes the config versions and records them here; this entity only refuses records that do not follow
 * (a stage out of order, anything after the end).
 *
 * <p>Status: {@code none → in_progress → completed | rolled_back}; {@code none → rolled_back} when a running
 * experiment is stopped for harm before any stage; {@code completed → rolled_back} when an admin rolls a
 * rolled-out experiment back.
 */
public final class ExperimentRollout extends EventSourcedBehavior<ExperimentRollout.Command, ExperimentRollout.Event,
    ExperimentRollout.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "ExperimentRollout");

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  public static Behavior<Command> create(String experimentId) {
    return new ExperimentRollout(experimentId);
  }

  // ------------------------------------------------------------------ commands

  public sealed interface Command extends HireloopSerializable {}

  /**
   * Stage {@code stage} (0-based) of {@code stages} was written as config version {@code configVersion};
   * {@code baseConfigVersion} is the version before the first stage (what a rollback restores).
   */
  public record RecordStage(String variantId, List<Double> stages, int stage, int baseConfigVersion, int configVersion,
      String by, String reason, ActorRef<Reply> replyTo) implements Command {}

  /** Rolled back; {@code configVersion} null when no stage had been written (the config never changed). */
  public record RecordRollback(String by, String reason, Integer configVersion, ActorRef<Reply> replyTo) implements Command {}

  public record Get(ActorRef<Reply> replyTo) implements Command {}

  /** {@code error} non-null: refused, nothing recorded. */
  public record Reply(State state, String error) implements HireloopSerializable {}

  // ------------------------------------------------------------------ events

  public sealed interface Event extends HireloopSerializable {}

  public record StageApplied(String variantId, List<Double> stages, int stage, int baseConfigVersion, int configVersion,
      String by, String reason, Instant at) implements Event {}

  public record RolledBack(String by, String reason, Integer configVersion, Instant at) implements Event {}

  // ------------------------------------------------------------------ state

  /** One line of the rollout's audit log; {@code fraction} and {@code configVersion} null where not applicable. */
  public record Entry(String type, String by, String reason, Double fraction, Integer configVersion, Instant at)
      implements HireloopSerializable {}

  /** {@code stage} −1: no stage written yet; {@code stageAt}: when the current stage was written. */
  public record State(String status, String variantId, List<Double> stages, int stage, int baseConfigVersion,
      int configVersion, Instant stageAt, List<Entry> log) implements HireloopSerializable {
    static final State NONE = new State("none", null, List.of(), -1, -1, -1, null, List.of());

    public boolean inProgress() {
      return status.equals("in_progress");
    }

    public boolean finished() {
      return status.equals("completed") || status.equals("rolled_back");
    }

    public boolean lastStage() {
      return stage == stages.size() - 1;
    }

    public double fraction() {
      return stage < 0 ? 0 : stages.get(stage);
    }

    State with(String newStatus, String variant, List<Double> st, int stg, int base, int version, Instant at, Entry entry) {
      var l = new ArrayList<>(log);
      l.add(entry);
      return new State(newStatus, variant, st, stg, base, version, at, List.copyOf(l));
    }
  }

  private ExperimentRollout(String experimentId) {
    super(PersistenceId.of(ENTITY_KEY.name(), experimentId));
  }

  @Override
  public State emptyState() {
    return State.NONE;
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of("experiment-rollout");
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), new Reply(s, null)))
        .onCommand(RecordStage.class, this::onStage)
        .onCommand(RecordRollback.class, this::onRollback)
        .build();
  }

  private Effect<Event, State> onStage(State s, RecordStage c) {
    if (s.finished()) return Effect().reply(c.replyTo(), new Reply(s, "the rollout is already " + s.status()));
    if (c.stage() != s.stage() + 1 || c.stage() >= c.stages().size()) {
      return Effect().reply(c.replyTo(), new Reply(s, "stage " + c.stage() + " does not follow stage " + s.stage()));
    }
    if (s.stage() >= 0 && !c.variantId().equals(s.variantId())) {
      return Effect().reply(c.replyTo(), new Reply(s, "the rollout is of variant " + s.variantId()));
    }
    return Effect().persist(new StageApplied(c.variantId(), List.copyOf(c.stages()), c.stage(), c.baseConfigVersion(),
            c.configVersion(), c.by(), c.reason(), Instant.now()))
        .thenReply(c.replyTo(), st -> new Reply(st, null));
  }

  private Effect<Event, State> onRollback(State s, RecordRollback c) {
    if (s.status().equals("rolled_back")) return Effect().reply(c.replyTo(), new Reply(s, "the rollout is already " + s.status()));
    return Effect().persist(new RolledBack(c.by(), c.reason(), c.configVersion(), Instant.now()))
        .thenReply(c.replyTo(), st -> new Reply(st, null));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(StageApplied.class, (s, e) -> {
          double fraction = e.stages().get(e.stage());
          boolean last = e.stage() == e.stages().size() - 1;
          return s.with(last ? "completed" : "in_progress", e.variantId(), e.stages(), e.stage(), e.baseConfigVersion(),
              e.configVersion(), e.at(), new Entry("rollout_stage", e.by(), e.reason(), fraction, e.configVersion(), e.at()));
        })
        .onEvent(RolledBack.class, (s, e) -> s.with("rolled_back", s.variantId(), s.stages(), s.stage(), s.baseConfigVersion(),
            e.configVersion() == null ? s.configVersion() : e.configVersion(), s.stageAt(),
            new Entry("rolled_back", e.by(), e.reason(), null, e.configVersion(), e.at())))
        .build();
  }
}
