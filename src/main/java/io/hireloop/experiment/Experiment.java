package io.hireloop.experiment;

import io.hireloop.platform.serialization.HireloopSerializable;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import io.hireloop.platform.persistence.Snapshots;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One controlled experiment on a platform parameter (entity id = experiment id). Its journal is the audit
 * log: the definition ({@link Defined}, or the released minimal {@link Created}) and every status
 * transition with who made it ({@link StatusChanged}). Starting runs the ethics checks of {@link Ethics}.
 *
 * <p>Status machine: {@code draft → running ⇄ paused → completed | rolled_out | rolled_back}; also
 * {@code completed → rolled_out}, and {@code completed | rolled_out → rolled_back} when a rollout is rolled back.
 */
public final class Experiment extends EventSourcedBehavior<Experiment.Command, Experiment.Event, Experiment.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Experiment");
  public static final List<String> TAGS = List.of("experiment");
  public static final Set<String> STATUSES = Set.of("draft", "running", "paused", "completed", "rolled_out", "rolled_back");

  /**
   * Every experiment id in the journal: the entity tags all its events {@link #TAGS}, so one scan of that tag finds them
   * (experiments are few; their events are definitions and transitions, not traffic).
   */
  public static java.util.concurrent.CompletionStage<Set<String>> ids(ActorSystem<?> system) {
    var journal = org.apache.pekko.persistence.query.PersistenceQuery.get(system).getReadJournalFor(
        org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal.class,
        org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal.Identifier());
    String prefix = ENTITY_KEY.name() + PersistenceId.DefaultSeparator();
    return journal.currentEventsByTag(TAGS.get(0), org.apache.pekko.persistence.query.Offset.noOffset())
        .map(org.apache.pekko.persistence.query.EventEnvelope::persistenceId)
        .filter(pid -> pid.startsWith(prefix))
        .map(pid -> pid.substring(prefix.length()))
        .runWith(org.apache.pekko.stream.javadsl.Sink.collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)), system);
  }

  /** action → (allowed from-statuses, to-status). */
  public static final Map<String, Transition> TRANSITIONS = Map.of(
      "start", new Transition(Set.of("draft"), "running"),
      "pause", new Transition(Set.of("running"), "paused"),
      "resume", new Transition(Set.of("paused"), "running"),
      "complete", new Transition(Set.of("running", "paused"), "completed"),
      // from completed / rolled_out only through ExperimentRollouts (a rollout to undo): Routes sends rollback there
      "rollback", new Transition(Set.of("running", "paused", "completed", "rolled_out"), "rolled_back"),
      "rollout", new Transition(Set.of("running", "paused", "completed"), "rolled_out"));

  public record Transition(Set<String> from, String to) {}

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  public static Behavior<Command> create(String experimentId) {
    return Behaviors.setup(ctx -> new Experiment(experimentId, Topics.get(ctx.getSystem()), Layer.releaser(ctx.getSystem())));
  }

  /** Topic (and pub-sub channel) on which every definition or status change is announced, for node caches. */
  public static final String CHANGES_TOPIC = "experiments";

  // ------------------------------------------------------------------ values

  /** RELEASED (golden experiment-created): the minimal definition of the first version. Frozen. */
  public record Definition(String experimentId, String name, String hypothesis, String component, String parameter)
      implements HireloopSerializable {}

  /**
   * One arm. {@code value}: the parameter value as JSON text. {@code jobRecommendationsChange} and
   * {@code userEffortChange}: the expected relative change this arm causes (e.g. -0.25 = 25% fewer job
   * recommendations; 0.6 = 60% more effort); null = no change. Used by the harm check.
   */
  public record Variant(String variantId, String name, String value, double allocation,
      Double jobRecommendationsChange, Double userEffortChange) implements HireloopSerializable {}

  /**
   * The full definition. {@code expectedImprovement}: relative lift of the success metric expected from the
   * best treatment (0.10 = +10%). {@code baselineRate}: the control's expected rate, for the power check.
   * {@code salt}: hashed with the user id for assignment (defaults to the experiment id).
   */
  public record Spec(String experimentId, String name, String hypothesis, String component, String parameter,
      List<Variant> variants, String successMetric, List<String> guardrailMetrics, long minimumSampleSize,
      double maximumDurationDays, double attributionWindowDays, double expectedImprovement, String rollbackPlan,
      String layer, String allocationMode, double baselineRate, String salt) implements HireloopSerializable {

    /** Upcast of a released {@link Created}: a draft with no variants, which the ethics checks refuse to start. */
    public static Spec of(Definition d) {
      return new Spec(d.experimentId(), d.name(), d.hypothesis(), d.component(), d.parameter(), List.of(),
          "interview_rate", List.of(), 0, 0, 0, 0, null, "default", "fixed", SpecParser.DEFAULT_BASELINE_RATE, d.experimentId());
    }

    public Variant control() {
      return variants.stream().filter(v -> v.variantId().equals("control")).findFirst().orElse(null);
    }
  }

  /** One line of the audit history. */
  public record HistoryEntry(String type, String from, String to, String by, Instant at) implements HireloopSerializable {}

  // ------------------------------------------------------------------ commands

  public sealed interface Command extends HireloopSerializable {}

  /** The released minimal create (kept for compatibility; the API uses {@link Define}). */
  public record Create(Definition definition, String by, ActorRef<Reply> replyTo) implements Command {}

  public record Define(Spec spec, String by, ActorRef<Reply> replyTo) implements Command {}

  /** {@code action}: a key of {@link #TRANSITIONS}. */
  public record ChangeStatus(String action, String by, ActorRef<Reply> replyTo) implements Command {}

  public record Get(ActorRef<Reply> replyTo) implements Command {}

  /**
   * {@code error} non-null: refused, nothing changed; {@code errorCode} then says why: {@code conflict}
   * (exists / illegal transition), {@code ethics} ({@code problems} lists the reasons), {@code bad_request}.
   * {@code notFound}: no such experiment.
   */
  public record Reply(Spec spec, String status, Instant createdAt, List<HistoryEntry> history, String error,
      String errorCode, List<String> problems, boolean notFound) implements HireloopSerializable {}

  // ------------------------------------------------------------------ events

  public sealed interface Event extends HireloopSerializable {}

  /** RELEASED: minimal definition. Still handled: yields a draft via {@link Spec#of(Definition)}. */
  public record Created(Definition definition, String by, Instant at) implements Event {}

  /** RELEASED: a status transition and who made it. */
  public record StatusChanged(String from, String to, String by, Instant at) implements Event {}

  /** The full definition (replaces {@link Created} for new experiments). */
  public record Defined(Spec spec, String by, Instant at) implements Event {}

  // ------------------------------------------------------------------ state

  /** The snapshot shape of the first version (id 550); upcast by the snapshot adapter. */
  public record LegacyState(Definition definition, String status, Instant createdAt) implements HireloopSerializable {}

  /** RELEASED snapshot shape of the second version (id 551); upcast by the snapshot adapter. Frozen. */
  public record StateV1(Spec spec, String status, Instant createdAt, List<HistoryEntry> history) implements HireloopSerializable {}

  /** RELEASED snapshot shape of the third version (id 552, golden experiment-state-v3); upcast by the snapshot adapter. Frozen. */
  public record StateV3(Spec spec, String status, Instant createdAt, List<HistoryEntry> history, Allocation allocation)
      implements HireloopSerializable {}

  /**
   * {@code spec} null: not created yet. {@code allocation}: traffic, slices, weights and layer range (null
   * only before creation). {@code rampSchedule}: the definition's ramp schedule ({@link RampScheduleSet}), or null.
   */
  public record State(Spec spec, String status, Instant createdAt, List<HistoryEntry> history, Allocation allocation,
      RampSchedule rampSchedule) implements HireloopSerializable {
    public State(Spec spec, String status, Instant createdAt, List<HistoryEntry> history) {
      this(spec, status, createdAt, history, spec == null ? null : Allocation.initial(spec));
    }

    /** Without a ramp schedule. */
    public State(Spec spec, String status, Instant createdAt, List<HistoryEntry> history, Allocation allocation) {
      this(spec, status, createdAt, history, allocation, null);
    }

    State with(String newStatus, HistoryEntry entry) {
      return new State(spec, newStatus, createdAt, append(entry), allocation, rampSchedule);
    }

    State with(Allocation newAllocation, HistoryEntry entry) {
      return new State(spec, status, createdAt, append(entry), newAllocation, rampSchedule);
    }

    State with(Allocation newAllocation) {
      return new State(spec, status, createdAt, history, newAllocation, rampSchedule);
    }

    private List<HistoryEntry> append(HistoryEntry entry) {
      var h = new ArrayList<>(history);
      h.add(entry);
      return List.copyOf(h);
    }
  }

  private final String experimentId;
  private final Topics topics;
  /** Tells a layer that this experiment no longer holds its range (layer, experiment id). */
  private final java.util.function.BiConsumer<String, String> layerRelease;

  private Experiment(String id, Topics topics, java.util.function.BiConsumer<String, String> layerRelease) {
    super(PersistenceId.of(ENTITY_KEY.name(), id));
    this.experimentId = id;
    this.topics = topics;
    this.layerRelease = layerRelease;
  }

  /** At-most-once: node caches also expire, so a lost announcement only delays a refresh. */
  private void announce(State s) {
    topics.publish(StreamMessage.of(CHANGES_TOPIC, "experiment_updated", Map.of("experiment_id", experimentId, "status", s.status())));
  }

  @Override
  public State emptyState() {
    return new State(null, null, null, List.of());
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
  public SnapshotAdapter<State> snapshotAdapter() {
    return Snapshots.upcasting(Experiment::upcast);
  }

  /** Older snapshot shapes to the current {@link State}. */
  static State upcast(Object snapshot) {
    if (snapshot instanceof LegacyState l) {
      return new State(l.definition() == null ? null : Spec.of(l.definition()), l.status(), l.createdAt(), List.of());
    }
    if (snapshot instanceof StateV1 v) return upcastV1(v);
    if (snapshot instanceof StateV3 v) return new State(v.spec(), v.status(), v.createdAt(), v.history(), v.allocation(), null);
    return (State) snapshot;
  }

  /**
   * A snapshot of the second shape has no allocation: all traffic with the defined allocations, and if it
   * had started, one slice (no ramps or allocation changes existed then).
   */
  private static State upcastV1(StateV1 v) {
    var s = new State(v.spec(), v.status(), v.createdAt(), v.history());
    if (s.allocation() == null || "draft".equals(v.status())) return s;
    return new State(s.spec(), s.status(), s.createdAt(), s.history(), s.allocation().started());
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Define.class, this::onDefine)
        .onCommand(ChangeStatus.class, this::onChangeStatus)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), reply(state)))
        // allocation (exp-assign)
        .onCommand(GetView.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new View(reply(state), state.allocation())))
        .onCommand(Ramp.class, this::onRamp)
        .onCommand(ChangeAllocation.class, this::onChangeAllocation)
        .onCommand(StartInLayer.class, this::onStartInLayer)
        // ramp schedules (ramp)
        .onCommand(DefineScheduled.class, this::onDefineScheduled)
        .onCommand(GetRamp.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new RampView(reply(state),
            state.allocation() == null ? 0 : state.allocation().traffic(), state.rampSchedule())))
        .onCommand(AdvanceRamp.class, this::onAdvanceRamp)
        .build();
  }

  private Effect<Event, State> onCreate(State state, Create cmd) {
    if (state.spec() != null) return Effect().reply(cmd.replyTo(), exists(state));
    return Effect().persist(new Created(cmd.definition(), cmd.by(), Instant.now()))
        .thenRun(this::announce)
        .thenReply(cmd.replyTo(), Experiment::reply);
  }

  private Effect<Event, State> onDefine(State state, Define cmd) {
    if (state.spec() != null) return Effect().reply(cmd.replyTo(), exists(state));
    return Effect().persist(new Defined(cmd.spec(), cmd.by(), Instant.now()))
        .thenRun(this::announce)
        .thenReply(cmd.replyTo(), Experiment::reply);
  }

  private Effect<Event, State> onChangeStatus(State state, ChangeStatus cmd) {
    if (state.spec() == null) return Effect().reply(cmd.replyTo(), reply(state));
    var t = TRANSITIONS.get(cmd.action());
    if (t == null) {
      return Effect().reply(cmd.replyTo(), refused(state, "bad_request",
          "unknown action '" + cmd.action() + "'; one of " + new java.util.TreeSet<>(TRANSITIONS.keySet()), List.of()));
    }
    if (!t.from().contains(state.status())) {
      return Effect().reply(cmd.replyTo(), refused(state, "conflict",
          "cannot " + cmd.action() + " an experiment that is " + state.status(), List.of()));
    }
    if (cmd.action().equals("start")) {
      var problems = Ethics.check(state.spec());
      if (!problems.isEmpty()) {
        return Effect().reply(cmd.replyTo(), refused(state, "ethics", "the experiment fails its ethics checks", problems));
      }
      if (Allocation.isNamedLayer(state.spec().layer()) && !state.allocation().layered()) {
        return Effect().reply(cmd.replyTo(), refused(state, "conflict", "experiment " + experimentId + " is in layer '"
            + state.spec().layer() + "': start it through POST /api/v1/experiments/" + experimentId
            + "/start, which reserves its range of the layer", List.of()));
      }
    }
    return Effect().persist(new StatusChanged(state.status(), t.to(), cmd.by(), Instant.now()))
        .thenRun(this::announce)
        .thenRun(s -> releaseLayerIfEnded(s))
        .thenReply(cmd.replyTo(), Experiment::reply);
  }

  private static Reply exists(State state) {
    return refused(state, "conflict", "experiment " + state.spec().experimentId() + " already exists", List.of());
  }

  static Reply reply(State s) {
    return new Reply(s.spec(), s.status(), s.createdAt(), s.history(), null, null, List.of(), s.spec() == null);
  }

  private static Reply refused(State s, String code, String error, List<String> problems) {
    return new Reply(s.spec(), s.status(), s.createdAt(), s.history(), error, code, List.copyOf(problems), s.spec() == null);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Created.class, (s, e) -> new State(Spec.of(e.definition()), "draft", e.at(),
            List.of(new HistoryEntry("created", null, "draft", e.by(), e.at()))))
        .onEvent(Defined.class, (s, e) -> new State(e.spec(), "draft", e.at(),
            List.of(new HistoryEntry("created", null, "draft", e.by(), e.at()))))
        .onEvent(StatusChanged.class, (s, e) -> started(s, e).with(e.to(), new HistoryEntry("status_changed", e.from(), e.to(), e.by(), e.at())))
        // allocation (exp-assign)
        .onEvent(Ramped.class, (s, e) -> s.with(s.allocation().ramped(e.to(), !"draft".equals(s.status())),
            new HistoryEntry("ramp", AllocationRules.share(e.from()), AllocationRules.share(e.to()), e.by(), e.at())))
        .onEvent(AllocationChanged.class, (s, e) -> s.with(s.allocation().reweighted(e.weights()),
            new HistoryEntry(e.mode().equals("thompson") ? "thompson_update" : "allocation_changed",
                AllocationRules.weights(s.allocation().weights()), AllocationRules.weights(e.weights()), e.by(), e.at())))
        // the range is shown by GET …/allocation and the layer; the history keeps to API.md's transitions and changes
        .onEvent(LayerAssigned.class, (s, e) -> s.with(s.allocation().inLayer(e.layer(), e.from(), e.to())))
        .onEvent(RampScheduleSet.class, (s, e) -> new State(s.spec(), s.status(), s.createdAt(), s.history(), s.allocation(), e.schedule()))
        .build();
  }

  // ------------------------------------------------------------------ allocation: ramps, weights, layers (exp-assign)

  /** What the assignment hot path needs: the definition and status, and who is in with which weights. */
  public record GetView(ActorRef<View> replyTo) implements Command {}

  public record View(Reply reply, Allocation allocation) implements HireloopSerializable {}

  /** Sets the share of traffic in the experiment, (0, 1]; see {@link AllocationRules#ramp}. */
  public record Ramp(double traffic, String by, ActorRef<Reply> replyTo) implements Command {}

  /** New weights per variant (definition order). {@code mode}: {@code manual} or {@code thompson}. */
  public record ChangeAllocation(List<Double> weights, String mode, String by, ActorRef<Reply> replyTo) implements Command {}

  /** Starts an experiment of a named layer with the range {@link Layer} reserved for it. */
  public record StartInLayer(String layer, double from, double to, String by, ActorRef<Reply> replyTo) implements Command {}

  /** The share of traffic in the experiment changed. */
  public record Ramped(double from, double to, String by, Instant at) implements Event {}

  /** The weights for traffic ramped in later ({@code fixed}) or for new users ({@code thompson}) changed. */
  public record AllocationChanged(List<Double> weights, String mode, String by, Instant at) implements Event {}

  /** At start: the experiment holds {@code [from, to)} of its layer's hash space until it ends. */
  public record LayerAssigned(String layer, double from, double to, String by, Instant at) implements Event {}

  private Effect<Event, State> onRamp(State state, Ramp cmd) {
    if (state.spec() == null) return Effect().reply(cmd.replyTo(), reply(state));
    var refusal = AllocationRules.ramp(state, cmd.traffic());
    if (refusal != null) return Effect().reply(cmd.replyTo(), refused(state, refusal.code(), refusal.message(), List.of()));
    if (cmd.traffic() == state.allocation().traffic()) return Effect().reply(cmd.replyTo(), reply(state));
    return Effect().persist(new Ramped(state.allocation().traffic(), cmd.traffic(), cmd.by(), Instant.now()))
        .thenRun(this::announce)
        .thenReply(cmd.replyTo(), Experiment::reply);
  }

  private Effect<Event, State> onChangeAllocation(State state, ChangeAllocation cmd) {
    if (state.spec() == null) return Effect().reply(cmd.replyTo(), reply(state));
    var refusal = AllocationRules.reweight(state, cmd.weights(), cmd.mode());
    if (refusal != null) return Effect().reply(cmd.replyTo(), refused(state, refusal.code(), refusal.message(), List.of()));
    return Effect().persist(new AllocationChanged(List.copyOf(cmd.weights()), cmd.mode(), cmd.by(), Instant.now()))
        .thenRun(this::announce)
        .thenReply(cmd.replyTo(), Experiment::reply);
  }

  private Effect<Event, State> onStartInLayer(State state, StartInLayer cmd) {
    if (state.spec() == null) return Effect().reply(cmd.replyTo(), reply(state));
    if (!"draft".equals(state.status())) {
      return Effect().reply(cmd.replyTo(), refused(state, "conflict", "cannot start an experiment that is " + state.status(), List.of()));
    }
    if (!cmd.layer().equals(state.spec().layer())) {
      return Effect().reply(cmd.replyTo(), refused(state, "bad_request", "experiment is in layer " + state.spec().layer(), List.of()));
    }
    var problems = Ethics.check(state.spec());
    if (!problems.isEmpty()) {
      return Effect().reply(cmd.replyTo(), refused(state, "ethics", "the experiment fails its ethics checks", problems));
    }
    var now = Instant.now();
    return Effect().persist(List.of(new LayerAssigned(cmd.layer(), cmd.from(), cmd.to(), cmd.by(), now),
            new StatusChanged("draft", "running", cmd.by(), now)))
        .thenRun(this::announce)
        .thenReply(cmd.replyTo(), Experiment::reply);
  }

  /** Leaving draft freezes the traffic so far with its weights (see {@link Allocation}). */
  private static State started(State s, StatusChanged e) {
    if (!"draft".equals(e.from()) || s.allocation() == null) return s;
    return s.with(s.allocation().started());
  }

  /** An ended experiment gives its layer range back (at most once per transition; the layer ignores repeats). */
  private void releaseLayerIfEnded(State s) {
    if (s.allocation() != null && s.allocation().layered() && AllocationRules.ENDED.contains(s.status())) {
      layerRelease.accept(s.allocation().layer(), experimentId);
    }
  }

  // ------------------------------------------------------------------ ramp schedules (ramp)

  /** Defines an experiment with a ramp schedule: {@link Defined}, {@link RampScheduleSet} and the ramp to its first step, atomically. */
  public record DefineScheduled(Spec spec, RampSchedule schedule, String by, ActorRef<Reply> replyTo) implements Command {}

  public record GetRamp(ActorRef<RampView> replyTo) implements Command {}

  /** {@code traffic}: the current share; {@code schedule} null when the definition has none. */
  public record RampView(Reply reply, double traffic, RampSchedule schedule) implements HireloopSerializable {}

  /**
   * A scheduled step: ramps {@code from → to} only if the traffic is still {@code from} and the experiment is
   * running, else answers the state unchanged, so a repeated or stale step (a monitor handover) is never applied twice.
   */
  public record AdvanceRamp(double from, double to, String by, ActorRef<Reply> replyTo) implements Command {}

  /** The definition's ramp schedule (recorded at creation, right after {@link Defined}). */
  public record RampScheduleSet(RampSchedule schedule, String by, Instant at) implements Event {}

  private Effect<Event, State> onDefineScheduled(State state, DefineScheduled cmd) {
    if (state.spec() != null) return Effect().reply(cmd.replyTo(), exists(state));
    var now = Instant.now();
    var events = new ArrayList<Event>(List.of(new Defined(cmd.spec(), cmd.by(), now), new RampScheduleSet(cmd.schedule(), cmd.by(), now)));
    double initial = Allocation.initial(cmd.spec()).traffic();
    if (cmd.schedule().first().traffic() != initial) {
      events.add(new Ramped(initial, cmd.schedule().first().traffic(), RampSchedule.BY, now));
    }
    return Effect().persist(events)
        .thenRun(this::announce)
        .thenReply(cmd.replyTo(), Experiment::reply);
  }

  private Effect<Event, State> onAdvanceRamp(State state, AdvanceRamp cmd) {
    if (state.spec() == null || !"running".equals(state.status()) || state.allocation().traffic() != cmd.from()) {
      return Effect().reply(cmd.replyTo(), reply(state));
    }
    var refusal = AllocationRules.ramp(state, cmd.to());
    if (refusal != null) return Effect().reply(cmd.replyTo(), refused(state, refusal.code(), refusal.message(), List.of()));
    return Effect().persist(new Ramped(cmd.from(), cmd.to(), cmd.by(), Instant.now()))
        .thenRun(this::announce)
        .thenReply(cmd.replyTo(), Experiment::reply);
  }
}
