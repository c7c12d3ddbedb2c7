package io.hireloop.learning;

import io.hireloop.platform.persistence.Snapshots;
import io.hireloop.platform.serialization.HireloopSerializable;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
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
 * The audited registry of one model (entity id = model name, e.g. "interview"): every registered version with its
 * {@link ModelCard}, and two aliases. {@code champion} is the version that serves predictions; {@code challenger} a
 * registered version the gate did not let through. Every alias move is an {@link AliasMoved} event naming who,
 * why and what it replaced, so the journal is the audit log. Model bytes live in {@code model_blobs}
 * ({@link ModelStore}); versions are consecutive from 1.
 *
 * <p>Cards travel as JSON text in events, state and replies: a card may gain fields without a new Kryo class, and
 * nodes of different releases can still answer each other.
 */
public final class ModelRegistry extends EventSourcedBehavior<ModelRegistry.Command, ModelRegistry.Event, ModelRegistry.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "ModelRegistry");
  public static final List<String> TAGS = List.of("model-registry");
  public static final String CHAMPION = "champion";
  public static final String CHALLENGER = "challenger";
  /** {@link AliasMoved#kind()} values. */
  public static final String GATE = "gate", PROMOTE = "promote", ROLLBACK = "rollback", AUTO_ROLLBACK = "auto_rollback";
  /** {@link AliasMoved#by()} of gate decisions. */
  public static final String BY_GATE = "system:gate";
  public static final String TOPIC = "models";

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  public static Behavior<Command> create(String modelName) {
    return Behaviors.setup(ctx -> new ModelRegistry(modelName, Topics.get(ctx.getSystem())));
  }

  /** A version as registered before cards existed: read from old journals and answered to {@link GetLatest}. */
  public record ModelVersion(String name, int version, Instant trainedAt, int trainingExamples, double auc, double logLoss,
      double brier, double ece, String backend, String jobId, double trainingSeconds) implements HireloopSerializable {}

  // ---- commands ----

  public sealed interface Command extends HireloopSerializable {}

  /**
   * How much worse than the champion a new version may be and still replace it at registration: it becomes
   * champion when {@code auc >= champion.auc - aucTolerance} and {@code ece <= champion.ece + eceTolerance}.
   */
  public record Gate(double aucTolerance, double eceTolerance) implements HireloopSerializable {}

  /** Registers a card; refused unless its version is the next one. The gate decides its alias. */
  public record Register(String cardJson, Gate gate, ActorRef<Registered> replyTo) implements Command {}

  /** Makes {@code version} the champion; the current champion is kept as the one a rollback returns to. */
  public record Promote(int version, String by, String reason, ActorRef<AliasChange> replyTo) implements Command {}

  /** Returns the champion to the one before it ({@code auto_rollback} when {@code automatic}). */
  public record Rollback(String by, String reason, boolean automatic, ActorRef<AliasChange> replyTo) implements Command {}

  public record GetVersions(ActorRef<Versions> replyTo) implements Command {}

  public record GetVersion(int version, ActorRef<VersionDetail> replyTo) implements Command {}

  public record GetChampion(ActorRef<Champion> replyTo) implements Command {}

  /** The newest registered version, whatever its alias. */
  public record GetLatest(ActorRef<Latest> replyTo) implements Command {}

  /**
   * Records that {@code version}'s online-updated parameters were stored as {@code revision} after {@code updates}
   * labelled outcomes since training; refused for an unknown version or a revision not above the recorded one.
   */
  public record RecordRevision(int version, int revision, long updates, ActorRef<AliasChange> replyTo) implements Command {}

  // ---- replies ----

  public sealed interface Reply extends HireloopSerializable {}

  /** {@code alias} and {@code reason}: the gate's decision; {@code error} set (and nothing stored) when refused. */
  public record Registered(boolean ok, int version, String alias, String reason, String error) implements Reply {}

  /**
   * The answer to {@link Promote} and {@link Rollback}. When refused, {@code code} is {@code not_found} (no such
   * version) or {@code conflict} (already champion, nothing to roll back to) and {@code error} says why.
   */
  public record AliasChange(boolean ok, String code, Integer version, Integer previousVersion, String error) implements Reply {}

  /** Every card as JSON, newest first, and the aliases (null when unset). */
  public record Versions(List<String> cards, Integer champion, Integer challenger) implements Reply {
    public List<ModelCard> decoded() {
      return cards.stream().map(ModelCard::fromJson).toList();
    }
  }

  /**
   * {@code cardJson} null when the version does not exist; {@code aliases} the aliases pointing at it;
   * {@code revision} and {@code onlineUpdates} its online updates so far (0 and 0 before any).
   */
  public record VersionDetail(String cardJson, List<String> aliases, int revision, long onlineUpdates) implements Reply {
    public ModelCard card() {
      return cardJson == null ? null : ModelCard.fromJson(cardJson);
    }
  }

  /** {@code cardJson} null when there is no champion yet; {@code revision} the champion's online revision (0: as trained). */
  public record Champion(String cardJson, Integer challenger, int revision, long onlineUpdates) implements Reply {
    public ModelCard card() {
      return cardJson == null ? null : ModelCard.fromJson(cardJson);
    }
  }

  /** {@code version} is null when nothing was registered yet. */
  public record Latest(ModelVersion version) implements Reply {}

  // ---- events ----

  public sealed interface Event extends HireloopSerializable {}

  /** A version registered before cards and aliases existed; replayed, it becomes a card and the champion. */
  public record VersionRegistered(ModelVersion v) implements Event {}

  /** A registered version; the card is JSON text so that it may evolve without a new event class. */
  public record VersionRegisteredV2(String cardJson) implements Event {}

  /** {@code version}'s online-updated parameters stored as {@code revision}, {@code updates} outcomes since training. */
  public record RevisionRecorded(int version, int revision, long updates, Instant at) implements Event {}

  /**
   * {@code alias} now points at {@code version}; {@code previousVersion} is what it pointed at before (null: unset).
   * {@code kind}: {@code gate} | {@code promote} | {@code rollback} | {@code auto_rollback}.
   */
  public record AliasMoved(String alias, int version, Integer previousVersion, String kind, String by, String reason, Instant at)
      implements Event {}

  // ---- state ----

  /** The first State shape (id 620): snapshots written before cards; upcast like a replay of its versions. */
  public record StateV1(List<ModelVersion> versions) implements HireloopSerializable {
    public State upcast() {
      var s = State.EMPTY;
      for (var v : versions) s = s.withLegacy(v);
      return s;
    }
  }

  /**
   * {@code cards}: card JSON by version (index = version - 1). {@code champion}/{@code challenger}: null when unset.
   * {@code previousChampions}: the champions before the current one, oldest first; a rollback pops the last.
   * {@code revisions} and {@code onlineUpdates}: per version (index = version - 1), its latest online revision and
   * the outcomes it learned from since training.
   */
  public record State(List<String> cards, Integer champion, Integer challenger, List<Integer> previousChampions,
      List<Integer> revisions, List<Long> onlineUpdates) implements HireloopSerializable {
    static final State EMPTY = new State(List.of(), null, null, List.of(), List.of(), List.of());

    public int revision(int version) {
      return has(version) && version <= revisions.size() ? revisions.get(version - 1) : 0;
    }

    public long onlineUpdates(int version) {
      return has(version) && version <= onlineUpdates.size() ? onlineUpdates.get(version - 1) : 0;
    }

    State withRevision(RevisionRecorded e) {
      var r = new ArrayList<>(revisions);
      var u = new ArrayList<>(onlineUpdates);
      while (r.size() < cards.size()) r.add(0);
      while (u.size() < cards.size()) u.add(0L);
      r.set(e.version() - 1, e.revision());
      u.set(e.version() - 1, e.updates());
      return new State(cards, champion, challenger, previousChampions, List.copyOf(r), List.copyOf(u));
    }

    public int latestVersion() {
      return cards.size();
    }

    public boolean has(int version) {
      return version >= 1 && version <= cards.size();
    }

    public String cardJson(int version) {
      return has(version) ? cards.get(version - 1) : null;
    }

    public ModelCard card(int version) {
      return has(version) ? ModelCard.fromJson(cards.get(version - 1)) : null;
    }

    public List<String> aliasesOf(int version) {
      var aliases = new ArrayList<String>();
      if (champion != null && champion == version) aliases.add(CHAMPION);
      if (challenger != null && challenger == version) aliases.add(CHALLENGER);
      return List.copyOf(aliases);
    }

    State withCard(String cardJson) {
      return new State(append(cards, cardJson), champion, challenger, previousChampions, append(revisions, 0), append(onlineUpdates, 0L));
    }

    /** A pre-card version: it went live when registered, so it is the champion. */
    State withLegacy(ModelVersion v) {
      var s = withCard(ModelCard.fromVersion(v).toJson());
      return new State(s.cards, v.version(), challenger, champion == null ? previousChampions : append(previousChampions, champion),
          s.revisions, s.onlineUpdates);
    }

    State apply(AliasMoved e) {
      if (e.alias().equals(CHALLENGER)) return new State(cards, champion, e.version(), previousChampions, revisions, onlineUpdates);
      var previous = previousChampions;
      if (e.kind().equals(ROLLBACK) || e.kind().equals(AUTO_ROLLBACK)) {
        previous = previous.subList(0, previous.size() - 1);
      } else if (e.previousVersion() != null) {
        previous = append(previous, e.previousVersion());
      }
      var newChallenger = challenger != null && challenger == e.version() ? null : challenger;
      return new State(cards, e.version(), newChallenger, List.copyOf(previous), revisions, onlineUpdates);
    }

    private static <T> List<T> append(List<T> list, T item) {
      var copy = new ArrayList<>(list);
      copy.add(item);
      return List.copyOf(copy);
    }
  }

  private final String name;
  private final Topics topics;

  private ModelRegistry(String name, Topics topics) {
    super(PersistenceId.of(ENTITY_KEY.name(), name));
    this.name = name;
    this.topics = topics;
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.copyOf(TAGS);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(50, 2);
  }

  @Override
  public SnapshotAdapter<State> snapshotAdapter() {
    return Snapshots.upcasting(ModelRegistry::upcast);
  }

  /** Older state shapes to the current {@link State}. */
  static State upcast(Object snapshot) {
    return snapshot instanceof StateV1 v1 ? v1.upcast() : (State) snapshot;
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Register.class, this::onRegister)
        .onCommand(Promote.class, this::onPromote)
        .onCommand(Rollback.class, this::onRollback)
        .onCommand(GetVersions.class, this::onGetVersions)
        .onCommand(GetVersion.class, this::onGetVersion)
        .onCommand(GetChampion.class, this::onGetChampion)
        .onCommand(GetLatest.class, this::onGetLatest)
        .onCommand(RecordRevision.class, this::onRecordRevision)
        .build();
  }

  private Effect<Event, State> onRegister(State state, Register cmd) {
    ModelCard card;
    try {
      card = ModelCard.fromJson(cmd.cardJson());
    } catch (IllegalArgumentException e) {
      return refuse(state, cmd, e.getMessage());
    }
    int expected = state.latestVersion() + 1;
    if (card.version() != expected) {
      return refuse(state, cmd, "version " + card.version() + " is not the next version (" + expected + ")");
    }
    if (!name.equals(card.name())) return refuse(state, cmd, "card is for model '" + card.name() + "', this registry is '" + name + "'");
    if (card.holdout() == null) return refuse(state, cmd, "card has no holdout metrics for the gate");

    var champion = state.champion() == null ? null : state.card(state.champion());
    var decision = gate(card, champion, cmd.gate());
    var alias = decision.passes() ? CHAMPION : CHALLENGER;
    var previous = decision.passes() ? state.champion() : state.challenger();
    var moved = new AliasMoved(alias, card.version(), previous, GATE, BY_GATE, decision.reason(), Instant.now());
    return Effect().persist(List.of(new VersionRegisteredV2(cmd.cardJson()), moved))
        .thenRun(s -> {
          var data = new LinkedHashMap<String, Object>();
          data.put("name", name);
          data.put("version", card.version());
          data.put("alias", alias);
          data.put("reason", decision.reason());
          topics.publish(StreamMessage.of(TOPIC, "model_registered", data));
          publishMoved(moved);
        })
        .thenReply(cmd.replyTo(), s -> new Registered(true, card.version(), alias, decision.reason(), null));
  }

  private Effect<Event, State> refuse(State state, Register cmd, String error) {
    return Effect().reply(cmd.replyTo(), new Registered(false, state.latestVersion(), null, null, error));
  }

  record Decision(boolean passes, String reason) {}

  /** The registration gate: champion when there is none, or when neither AUC nor ECE is worse beyond tolerance. */
  static Decision gate(ModelCard card, ModelCard champion, Gate gate) {
    if (champion == null) return new Decision(true, "first version: no champion to compare with");
    var c = card.holdout();
    var ch = champion.holdout();
    boolean aucOk = c.auc() >= ch.auc() - gate.aucTolerance();
    boolean eceOk = c.ece() <= ch.ece() + gate.eceTolerance();
    var reason = String.format(Locale.ROOT, "auc %.4f vs champion v%d %.4f (tolerance %.4f) %s; ece %.4f vs %.4f (tolerance %.4f) %s",
        c.auc(), champion.version(), ch.auc(), gate.aucTolerance(), aucOk ? "ok" : "worse",
        c.ece(), ch.ece(), gate.eceTolerance(), eceOk ? "ok" : "worse");
    return new Decision(aucOk && eceOk, reason);
  }

  private Effect<Event, State> onPromote(State state, Promote cmd) {
    if (!state.has(cmd.version())) {
      return Effect().reply(cmd.replyTo(), new AliasChange(false, "not_found", null, state.champion(),
          "model " + name + " has no version " + cmd.version()));
    }
    if (state.champion() != null && state.champion() == cmd.version()) {
      return Effect().reply(cmd.replyTo(), new AliasChange(false, "conflict", cmd.version(), state.champion(),
          "version " + cmd.version() + " is already the champion"));
    }
    return move(new AliasMoved(CHAMPION, cmd.version(), state.champion(), PROMOTE, cmd.by(), cmd.reason(), Instant.now()), cmd.replyTo());
  }

  private Effect<Event, State> onRollback(State state, Rollback cmd) {
    if (state.previousChampions().isEmpty()) {
      return Effect().reply(cmd.replyTo(), new AliasChange(false, "conflict", null, state.champion(),
          state.champion() == null ? "model " + name + " has no champion to roll back"
              : "version " + state.champion() + " is the first champion: there is no earlier one to roll back to"));
    }
    int target = state.previousChampions().get(state.previousChampions().size() - 1);
    var kind = cmd.automatic() ? AUTO_ROLLBACK : ROLLBACK;
    return move(new AliasMoved(CHAMPION, target, state.champion(), kind, cmd.by(), cmd.reason(), Instant.now()), cmd.replyTo());
  }

  private Effect<Event, State> move(AliasMoved moved, ActorRef<AliasChange> replyTo) {
    return Effect().persist(moved)
        .thenRun(s -> publishMoved(moved))
        .thenReply(replyTo, s -> new AliasChange(true, null, moved.version(), moved.previousVersion(), null));
  }

  private void publishMoved(AliasMoved e) {
    var data = new LinkedHashMap<String, Object>();
    data.put("name", name);
    data.put("alias", e.alias());
    data.put("version", e.version());
    data.put("previous_version", e.previousVersion());
    data.put("kind", e.kind());
    data.put("by", e.by());
    data.put("reason", e.reason());
    topics.publish(StreamMessage.of(TOPIC, "model_alias_moved", data));
  }

  private Effect<Event, State> onGetVersions(State state, GetVersions cmd) {
    var newestFirst = new ArrayList<>(state.cards());
    java.util.Collections.reverse(newestFirst);
    return Effect().reply(cmd.replyTo(), new Versions(List.copyOf(newestFirst), state.champion(), state.challenger()));
  }

  private Effect<Event, State> onGetVersion(State state, GetVersion cmd) {
    return Effect().reply(cmd.replyTo(), new VersionDetail(state.cardJson(cmd.version()), state.aliasesOf(cmd.version()),
        state.revision(cmd.version()), state.onlineUpdates(cmd.version())));
  }

  private Effect<Event, State> onGetChampion(State state, GetChampion cmd) {
    var json = state.champion() == null ? null : state.cardJson(state.champion());
    int v = state.champion() == null ? 0 : state.champion();
    return Effect().reply(cmd.replyTo(), new Champion(json, state.challenger(), state.revision(v), state.onlineUpdates(v)));
  }

  private Effect<Event, State> onRecordRevision(State state, RecordRevision cmd) {
    if (!state.has(cmd.version())) {
      return Effect().reply(cmd.replyTo(), new AliasChange(false, "not_found", null, state.champion(),
          "model " + name + " has no version " + cmd.version()));
    }
    if (cmd.revision() <= state.revision(cmd.version())) {
      return Effect().reply(cmd.replyTo(), new AliasChange(false, "conflict", cmd.version(), state.champion(),
          "revision " + cmd.revision() + " of version " + cmd.version() + " is not above the recorded " + state.revision(cmd.version())));
    }
    return Effect().persist(new RevisionRecorded(cmd.version(), cmd.revision(), cmd.updates(), Instant.now()))
        .thenReply(cmd.replyTo(), s -> new AliasChange(true, null, cmd.version(), s.champion(), null));
  }

  private Effect<Event, State> onGetLatest(State state, GetLatest cmd) {
    var latest = state.latestVersion() == 0 ? null : state.card(state.latestVersion()).toVersion();
    return Effect().reply(cmd.replyTo(), new Latest(latest));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(VersionRegistered.class, (state, e) -> state.withLegacy(e.v()))
        .onEvent(VersionRegisteredV2.class, (state, e) -> state.withCard(e.cardJson()))
        .onEvent(AliasMoved.class, State::apply)
        .onEvent(RevisionRecorded.class, State::withRevision)
        .build();
  }
}
