package io.hireloop.recommendations;

import io.hireloop.platform.persistence.Snapshots;
import io.hireloop.platform.serialization.HireloopSerializable;
import io.hireloop.recommendations.Recommendation.Route;
import io.hireloop.recommendations.Recommendation.Status;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * Every recommendation, in one event-sourced entity (id {@value #ID}): its journal is the audit log, one event per
 * state change with who and why, each published on the {@value #TOPIC} topic after it is persisted. One entity keeps
 * the dedup keys and the listing consistent; recommendations are few (findings, not users' events).
 *
 * <p>It only records: the route is decided by {@link RoutingRules} before {@link Submit}, and the effects (config
 * writes, draft experiments, waiting for experiments) are carried out by {@link Recommendations}, which reports them
 * back ({@link Report}). Each command is accepted only from the statuses it follows,
 * so a repeated report changes nothing.
 */
public final class RecommendationBook extends EventSourcedBehavior<RecommendationBook.Command, RecommendationBook.Event, RecommendationBook.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "RecommendationBook");
  public static final String ID = "all";
  public static final String TOPIC = "recommendations";
  public static final List<String> TAGS = List.of("recommendations");
  /** The actor of what the rules and the platform do. */
  public static final String SYSTEM = "system:recommendations";

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), Topics.get(system))));
  }

  public static Behavior<Command> create(String id, Topics topics) {
    return new RecommendationBook(id, topics);
  }

  // ------------------------------------------------------------------ protocol

  public sealed interface Command extends HireloopSerializable {}

  /** Records a new recommendation with its route; a known {@code dedupKey} is answered with the existing one. */
  public record Submit(RecommendationDraft draft, Route route, List<String> reasons, ActorRef<Submitted> replyTo) implements Command {}

  public record Submitted(Recommendation recommendation, boolean duplicate) implements HireloopSerializable {}

  /** An admin's decision on a {@code pending_review} recommendation. */
  public record Approve(String id, String by, String reason, ActorRef<Outcome> replyTo) implements Command {}

  /** Rejects a recommendation that has not been applied and is not being applied. */
  public record Reject(String id, String by, String reason, ActorRef<Outcome> replyTo) implements Command {}

  /** What {@link Recommendations} did or saw while carrying out a recommendation. */
  public enum Progress {
    /** An approved change waits: a running experiment ({@code experimentId}) owns one of its keys. */
    BLOCKED,
    /** A waiting change's experiment ended: it is approved again, about to be applied. */
    UNBLOCKED,
    /** The change is config version {@code configVersion}. */
    APPLIED,
    /** The draft experiment {@code experimentId} tests the change. */
    EXPERIMENT_CREATED,
    /** It cannot be carried out ({@code problem}). */
    FAILED
  }

  /**
   * Reports progress. Accepted only from the statuses it follows ({@code BLOCKED}: approved or waiting; {@code UNBLOCKED}:
   * waiting; {@code APPLIED}: approved; {@code EXPERIMENT_CREATED}: to test; {@code FAILED}: approved or to test); a
   * report of where the recommendation already is (the same experiment, applied, created, failed, or approved for
   * {@code UNBLOCKED}) is answered as it is, so a repeated report changes nothing.
   */
  public record Report(String id, Progress progress, String experimentId, Integer configVersion, String problem,
      ActorRef<Outcome> replyTo) implements Command {
    public static Report blocked(String id, String experimentId, ActorRef<Outcome> replyTo) {
      return new Report(id, Progress.BLOCKED, experimentId, null, null, replyTo);
    }

    public static Report unblocked(String id, ActorRef<Outcome> replyTo) {
      return new Report(id, Progress.UNBLOCKED, null, null, null, replyTo);
    }

    public static Report applied(String id, int configVersion, ActorRef<Outcome> replyTo) {
      return new Report(id, Progress.APPLIED, null, configVersion, null, replyTo);
    }

    public static Report experimentCreated(String id, String experimentId, ActorRef<Outcome> replyTo) {
      return new Report(id, Progress.EXPERIMENT_CREATED, experimentId, null, null, replyTo);
    }

    public static Report failed(String id, String problem, ActorRef<Outcome> replyTo) {
      return new Report(id, Progress.FAILED, null, null, problem, replyTo);
    }
  }

  public record Get(String id, ActorRef<Outcome> replyTo) implements Command {}

  /** {@code status} null: all. */
  public record ListAll(Status status, ActorRef<Listing> replyTo) implements Command {}

  public record Listing(List<Recommendation> recommendations) implements HireloopSerializable {}

  /** Why a command was refused; nothing changed. */
  public enum Refusal { NOT_FOUND, CONFLICT }

  /** {@code refusal} null: accepted (or already so); {@code recommendation} is as it stands now (null when not found). */
  public record Outcome(Recommendation recommendation, Refusal refusal, String message) implements HireloopSerializable {
    public boolean ok() {
      return refusal == null;
    }
  }

  public sealed interface Event extends HireloopSerializable {}

  public record RecommendationSubmitted(String id, RecommendationDraft draft, Route route, List<String> reasons, Instant at) implements Event {}

  public record RecommendationApproved(String id, String by, String reason, Instant at) implements Event {}

  public record RecommendationRejected(String id, String by, String reason, Instant at) implements Event {}

  /** A {@link Report} accepted; the fields as in the report. */
  public record Progressed(String id, Progress progress, String experimentId, Integer configVersion, String problem, Instant at)
      implements Event {}

  /** {@code recommendations}: in submission order; {@code byKey}: dedup key → id. */
  public record State(List<Recommendation> recommendations, Map<String, String> byKey) implements HireloopSerializable {
    Recommendation find(String id) {
      for (var r : recommendations) if (r.id().equals(id)) return r;
      return null;
    }

    State with(Recommendation r) {
      var list = new ArrayList<>(recommendations);
      var keys = byKey;
      int i = indexOf(r.id());
      if (i < 0) {
        list.add(r);
        var k = new HashMap<>(byKey);
        k.put(r.dedupKey(), r.id());
        keys = Map.copyOf(k);
      } else {
        list.set(i, r);
      }
      return new State(List.copyOf(list), keys);
    }

    private int indexOf(String id) {
      for (int i = 0; i < recommendations.size(); i++) if (recommendations.get(i).id().equals(id)) return i;
      return -1;
    }
  }

  // ------------------------------------------------------------------ behaviour

  private final Topics topics;

  private RecommendationBook(String id, Topics topics) {
    super(PersistenceId.of(ENTITY_KEY.name(), id));
    this.topics = topics;
  }

  @Override
  public State emptyState() {
    return new State(List.of(), Map.of());
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
    return Snapshots.upcasting(s -> (State) s);
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Submit.class, this::onSubmit)
        .onCommand(Approve.class, (s, c) -> transition(s, c.id(), Set.of(Status.PENDING_REVIEW), "approve",
            new RecommendationApproved(c.id(), c.by(), c.reason(), Instant.now()), c.replyTo()))
        .onCommand(Reject.class, (s, c) -> transition(s, c.id(),
            Set.of(Status.PENDING_REVIEW, Status.WAITING_FOR_EXPERIMENT, Status.TO_TEST, Status.EXPERIMENT_CREATED, Status.FAILED), "reject",
            new RecommendationRejected(c.id(), c.by(), c.reason(), Instant.now()), c.replyTo()))
        .onCommand(Report.class, this::onReport)
        .onCommand(Get.class, (s, c) -> {
          var r = s.find(c.id());
          return Effect().reply(c.replyTo(), r == null ? notFound(c.id()) : new Outcome(r, null, null));
        })
        .onCommand(ListAll.class, (s, c) -> Effect().reply(c.replyTo(), new Listing(c.status() == null ? s.recommendations()
            : s.recommendations().stream().filter(r -> r.status() == c.status()).toList())))
        .build();
  }

  private Effect<Event, State> onSubmit(State state, Submit cmd) {
    var existing = state.byKey().get(cmd.draft().dedupKey());
    if (existing != null) return Effect().reply(cmd.replyTo(), new Submitted(state.find(existing), true));
    String id = "rec-" + (state.recommendations().size() + 1);
    return Effect().persist(new RecommendationSubmitted(id, cmd.draft(), cmd.route(), List.copyOf(cmd.reasons()), Instant.now()))
        .thenRun(s -> publish(s, id, "submitted"))
        .thenReply(cmd.replyTo(), s -> new Submitted(s.find(id), false));
  }

  private Effect<Event, State> onReport(State state, Report cmd) {
    var r = state.find(cmd.id());
    if (r == null) return Effect().reply(cmd.replyTo(), notFound(cmd.id()));
    boolean already = switch (cmd.progress()) {
      case BLOCKED -> r.status() == Status.WAITING_FOR_EXPERIMENT && cmd.experimentId().equals(r.blockedBy());
      case UNBLOCKED -> r.status() == Status.APPROVED;
      case APPLIED -> r.status() == Status.APPLIED;
      case EXPERIMENT_CREATED -> r.status() == Status.EXPERIMENT_CREATED;
      case FAILED -> r.status() == Status.FAILED;
    };
    if (already) return Effect().reply(cmd.replyTo(), new Outcome(r, null, null));
    var from = switch (cmd.progress()) {
      case BLOCKED -> Set.of(Status.APPROVED, Status.WAITING_FOR_EXPERIMENT);
      case UNBLOCKED -> Set.of(Status.WAITING_FOR_EXPERIMENT);
      case APPLIED -> Set.of(Status.APPROVED);
      case EXPERIMENT_CREATED -> Set.of(Status.TO_TEST);
      case FAILED -> Set.of(Status.APPROVED, Status.TO_TEST);
    };
    return transition(state, cmd.id(), from, "report " + cmd.progress().name().toLowerCase(java.util.Locale.ROOT) + " for",
        new Progressed(cmd.id(), cmd.progress(), cmd.experimentId(), cmd.configVersion(), cmd.problem(), Instant.now()), cmd.replyTo());
  }

  private Effect<Event, State> transition(State state, String id, Set<Status> from, String action, Event event, ActorRef<Outcome> replyTo) {
    var r = state.find(id);
    if (r == null) return Effect().reply(replyTo, notFound(id));
    if (!from.contains(r.status())) {
      return Effect().reply(replyTo, new Outcome(r, Refusal.CONFLICT, "cannot " + action + " recommendation " + id + ": it is "
          + r.status().wire()));
    }
    return Effect().persist(event)
        .thenRun(s -> publish(s, id, kindOf(event)))
        .thenReply(replyTo, s -> new Outcome(s.find(id), null, null));
  }

  private static Outcome notFound(String id) {
    return new Outcome(null, Refusal.NOT_FOUND, "no recommendation '" + id + "'");
  }

  private static String kindOf(Event e) {
    if (e instanceof RecommendationSubmitted) return "submitted";
    if (e instanceof RecommendationApproved) return "approved";
    if (e instanceof RecommendationRejected) return "rejected";
    return ((Progressed) e).progress().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** After persist: {@code recommendation_updated} with what happened and the recommendation as it stands. */
  private void publish(State s, String id, String change) {
    topics.publish(StreamMessage.of(TOPIC, "recommendation_updated", RecommendationJson.update(change, s.find(id))));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(RecommendationSubmitted.class, (s, e) -> s.with(submitted(e)))
        .onEvent(RecommendationApproved.class, (s, e) -> s.with(s.find(e.id()).decided(e.by(), e.reason()).with(Status.APPROVED, e.by(), e.reason(), e.at())))
        .onEvent(RecommendationRejected.class, (s, e) -> s.with(s.find(e.id()).decided(e.by(), e.reason()).with(Status.REJECTED, e.by(), e.reason(), e.at())))
        .onEvent(Progressed.class, (s, e) -> s.with(progressed(s.find(e.id()), e)))
        .build();
  }

  static Recommendation progressed(Recommendation r, Progressed e) {
    return switch (e.progress()) {
      case BLOCKED -> r.blockedBy(e.experimentId()).with(Status.WAITING_FOR_EXPERIMENT, SYSTEM,
          "experiment " + e.experimentId() + " is testing a parameter of this change", e.at());
      case UNBLOCKED -> r.blockedBy(null).with(Status.APPROVED, SYSTEM, "no running experiment owns its parameters any more", e.at());
      case APPLIED -> r.applied(e.configVersion()).with(Status.APPLIED, SYSTEM, "config version " + e.configVersion(), e.at());
      case EXPERIMENT_CREATED -> r.drafted(e.experimentId()).with(Status.EXPERIMENT_CREATED, SYSTEM, "draft experiment " + e.experimentId(), e.at());
      case FAILED -> r.with(Status.FAILED, SYSTEM, e.problem(), e.at());
    };
  }

  /** The recommendation a submission starts: {@code auto_apply} is approved by the rules at once. */
  static Recommendation submitted(RecommendationSubmitted e) {
    var d = e.draft();
    Status status = switch (e.route()) {
      case AUTO_APPLY -> Status.APPROVED;
      case A_B_TEST -> Status.TO_TEST;
      case MANUAL_REVIEW -> Status.PENDING_REVIEW;
    };
    String reason = "route " + e.route().wire() + ": " + String.join("; ", e.reasons());
    String decidedBy = e.route() == Route.AUTO_APPLY ? SYSTEM : null;
    return new Recommendation(e.id(), d.dedupKey(), d.kind(), d.title(), d.evidence(), d.impact(), d.change(), d.risk(), e.route(),
        e.reasons(), status, null, null, null, decidedBy, e.route() == Route.AUTO_APPLY ? reason : null, e.at(),
        List.of(new Recommendation.Step(status, SYSTEM, reason, e.at())));
  }
}
