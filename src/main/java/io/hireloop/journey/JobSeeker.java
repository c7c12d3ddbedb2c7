package io.hireloop.journey;

import io.hireloop.journey.JourneyEvent.ApplicationRecorded;
import io.hireloop.journey.JourneyEvent.PreferencesChanged;
import io.hireloop.journey.JourneyEvent.ReminderSent;
import io.hireloop.journey.JourneyEvent.ResumeChanged;
import io.hireloop.journey.JourneyEvent.StatusChanged;
import io.hireloop.journey.JourneyEvent.StrategyChanged;
import io.hireloop.platform.PersistentMap;
import io.hireloop.platform.serialization.HireloopSerializable;
import io.hireloop.privacy.UserKeys;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
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
 * One job seeker's journey: applications and their statuses, resume and strategy history, and the
 * event ids already seen (the idempotency keys). The journal is the source of truth; every rule of
 * API.md that depends on earlier events is enforced here.
 */
public final class JobSeeker extends EventSourcedBehavior<JobSeeker.Command, JourneyEvent, JobSeeker.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "JobSeeker");
  /** How far ahead of the server clock an event's timestamp may be. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> {
      long started = System.nanoTime();
      var sealing = io.hireloop.privacy.Sealing.get(system);
      return sealing.keys().loadedBefore(ctx.getEntityId(), new KeyLoaded(), create(ctx.getEntityId(), system, sealing, started));
    }));
  }

  /**
   * The entity. Sharded, it is started once the user's key is loaded ({@link UserKeys#loadedBefore}, without blocking a
   * thread), so that its recovery never waits on the key store.
   */
  public static Behavior<Command> create(String userId, ActorSystem<?> system) {
    return create(userId, system, io.hireloop.privacy.Sealing.get(system));
  }

  /** The entity sealing with {@code sealing}'s keys (tests with a key store of their own). */
  public static Behavior<Command> create(String userId, ActorSystem<?> system, io.hireloop.privacy.Sealing sealing) {
    return create(userId, system, sealing, System.nanoTime());
  }

  /** {@code started}: when the entity's start began ({@link System#nanoTime}), for hireloop_user_recovery_seconds. */
  private static Behavior<Command> create(String userId, ActorSystem<?> system, io.hireloop.privacy.Sealing sealing, long started) {
    var tag = JourneyProjections.get(system).slices().tagFor(userId);
    return Behaviors.setup(ctx -> new JobSeeker(userId, tag, Topics.get(system), LiveReminderPolicy.get(system)::current,
        sealing, sealing.keys(), ctx.getSelf(), started));
  }

  public static String userIdOf(String persistenceId) {
    return persistenceId.substring(persistenceId.indexOf(PersistenceId.DefaultSeparator()) + 1);
  }

  // ---------------------------------------------------------------- protocol

  public sealed interface Command extends HireloopSerializable {}

  /** Checks a batch against the current state and persists nothing. */
  public record Validate(List<JourneyEvent> events, Instant now, ActorRef<Verdict> replyTo) implements Command {}

  /** Validates and, if every event passes, persists the new ones together; replies after the write. */
  public record Record(List<JourneyEvent> events, Instant now, ActorRef<Verdict> replyTo) implements Command {}

  public record GetSummary(ActorRef<Summary> replyTo) implements Command {}

  /**
   * The entity's own note that the user's key is loaded or created ({@code failed}: the store did not answer, or the key
   * was destroyed); never leaves the node.
   */
  record KeyReady(boolean failed) implements Command {}

  /** What the sharded entity's start sends itself once the key is loaded ({@link UserKeys#loadedBefore}); local only. */
  record KeyLoaded() implements Command {}

  /** Changes the preferences; a null flag keeps its value. Replies with the stored result after the write. */
  public record SetPreferences(Boolean marketInsightsOptOut, Boolean experimentsOptOut, Instant now,
      ActorRef<Preferences> replyTo) implements Command {}

  public record GetPreferences(ActorRef<Preferences> replyTo) implements Command {}

  /** Replaces the user's profile (a {@code ProfileUpdated} in the journal); replies with the event's sequence number. */
  public record SetProfile(Domain.Profile profile, Instant now, ActorRef<ProfileStored> replyTo) implements Command {}

  /** {@code seqNr} -1: nothing stored, the user was erased. */
  public record ProfileStored(long seqNr) implements HireloopSerializable {}

  /**
   * Erases the user (job {@code jobId}): records {@code USER_ERASED} and forgets everything the state held. The caller
   * destroys the user's data key after the reply ({@link io.hireloop.privacy.Erasure}). Idempotent: an erased user
   * answers with their first erasure.
   */
  public record Erase(String jobId, Instant now, ActorRef<Erased> replyTo) implements Command {}

  /** {@code seqNr}: the USER_ERASED event's; {@code already}: the user had been erased before this command. */
  public record Erased(String jobId, Instant erasedAt, long seqNr, boolean already) implements HireloopSerializable {}

  /** Sends reminder {@code step} (from 1) of the application if it is still pending at {@code now}; see {@link ReminderPolicy}. */
  public record FireReminder(String applicationId, int step, Instant now, ActorRef<ReminderOutcome> replyTo) implements Command {}

  /** {@code status}: one of the constants; only {@link #NOT_DUE} means "ask again later". */
  public record ReminderOutcome(String applicationId, int step, String status) implements HireloopSerializable {
    public static final String SENT = "sent";
    public static final String DUPLICATE = "duplicate";
    /** The application got a response (a status change): no more reminders. */
    public static final String ANSWERED = "answered";
    /** Past its window (a later step replaced it, or far overdue). */
    public static final String STALE = "stale";
    public static final String NOT_DUE = "not_due";
    public static final String UNKNOWN = "unknown";

    public boolean settled() {
      return !status.equals(NOT_DUE);
    }
  }
  /**
   * The assignment path's one ask (exp-assign): records an experiment exposure unless the user opted out of
   * experiments. A repeat answers the first exposure's result ({@code duplicate} with its seq_nr).
   */
  public record Expose(JourneyEvent.ExperimentExposed event, Instant now, ActorRef<Exposure> replyTo) implements Command {}

  /** {@code optedOut}: nothing recorded and {@code verdict} null. */
  public record Exposure(boolean optedOut, Verdict verdict) implements HireloopSerializable {}

  /** {@code index} is the event's position in the command's list. */
  public record Problem(int index, String field, String problem, boolean conflict) implements HireloopSerializable {
    /** What an erased user's entity answers for each event sent for them (410 Gone at the API). */
    public static final String ERASED = "the user was erased; nothing more is recorded for them";

    public boolean erased() {
      return field.equals("user_id") && problem.equals(ERASED);
    }
  }

  public record Result(String eventId, String status, long seqNr) implements HireloopSerializable {
    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATE = "duplicate";
  }

  /** Either problems (nothing persisted) or one result per event. */
  public record Verdict(List<Result> results, List<Problem> problems) implements HireloopSerializable {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  public record Summary(int applications, Map<String, String> statusByApplication, long lastSeqNr,
      int resumeVersions, String currentMode) implements HireloopSerializable {}

  // ---------------------------------------------------------------- state

  public record Application(String applicationId, String jobId, String resumeVersionId,
      Domain.ApplicationContext context, Instant createdAt, String status) implements HireloopSerializable {
    boolean terminal() {
      return status != null && Domain.TERMINAL_STATUSES.contains(status);
    }
  }

  public record ResumeVersion(String resumeVersionId, double score, Instant at, boolean accepted) implements HireloopSerializable {}

  public record StrategyStep(String fromMode, String toMode, Instant at) implements HireloopSerializable {}

  /** A user's privacy choices; {@code updatedAt} null = never set (both false). */
  public record Preferences(boolean marketInsightsOptOut, boolean experimentsOptOut, Instant updatedAt)
      implements HireloopSerializable {
    public static final Preferences DEFAULT = new Preferences(false, false, null);
  }

  /**
   * RELEASED (id 310): the snapshot shape of the first version, frozen. Old snapshots are upcast to
   * {@link State} by the snapshot adapter.
   */
  public record LegacyState(Map<String, Application> applications, Map<String, Long> seen,
      List<ResumeVersion> resumeHistory, List<StrategyStep> strategyHistory, long lastSeqNr)
      implements HireloopSerializable {
    public State upcast() {
      return new State(applications, seen, resumeHistory, strategyHistory, lastSeqNr, Preferences.DEFAULT, null);
    }
  }

  /**
   * RELEASED (id 314): the snapshot shape before erasure, frozen. Upcast to {@link State} by the snapshot adapter.
   */
  public record StateV2(Map<String, Application> applications, Map<String, Long> seen,
      List<ResumeVersion> resumeHistory, List<StrategyStep> strategyHistory, long lastSeqNr, Preferences preferences)
      implements HireloopSerializable {
    public State upcast() {
      return new State(applications, seen, resumeHistory, strategyHistory, lastSeqNr, preferences, null);
    }
  }

  /**
   * {@code erasedAt} non-null: the user was erased (everything else empty; only USER_ERASED and the event count are
   * known). {@code seen} maps each event id to the sequence number it was stored under. {@link #apply} keeps {@code seen} and
   * {@code applications} as {@link PersistentMap}s (a state decoded from an older snapshot holds JDK maps and is
   * converted at its first event), so an event costs O(log n) whatever the user's history, not a copy of every id.
   */
  public record State(Map<String, Application> applications, Map<String, Long> seen,
      List<ResumeVersion> resumeHistory, List<StrategyStep> strategyHistory, long lastSeqNr, Preferences preferences,
      Instant erasedAt) implements HireloopSerializable {

    public static final State EMPTY = new State(Map.of(), Map.of(), List.of(), List.of(), 0, Preferences.DEFAULT, null);

    /** Nothing known but the event count: what an unreadable (shredded) snapshot recovers as. */
    public static State shredded(long lastSeqNr) {
      return new State(Map.of(), Map.of(), List.of(), List.of(), lastSeqNr, Preferences.DEFAULT, null);
    }

    public boolean erased() {
      return erasedAt != null;
    }

    public State apply(JourneyEvent e) {
      long seq = lastSeqNr + 1;
      if (e instanceof JourneyEvent.UserErased u) {
        return new State(Map.of(), Map.of(), List.of(), List.of(), seq, Preferences.DEFAULT, erased() ? erasedAt : u.timestamp());
      }
      if (e instanceof JourneyEvent.Shredded) {
        return new State(applications, seen, resumeHistory, strategyHistory, seq, preferences, erasedAt);
      }
      var seen2 = PersistentMap.of(seen).plus(e.eventId(), seq);
      var apps = applications;
      var resumes = resumeHistory;
      var strategies = strategyHistory;
      var prefs = preferences;
      if (e instanceof ApplicationRecorded a) {
        var existing = applications.get(a.applicationId());
        var app = existing == null
            ? new Application(a.applicationId(), a.jobId(), a.resumeVersionId(), a.context(), a.timestamp(), null)
            : new Application(a.applicationId(), a.jobId(), a.resumeVersionId(), a.context(), existing.createdAt(), existing.status());
        apps = with(applications, a.applicationId(), app);
      } else if (e instanceof StatusChanged s) {
        var old = applications.get(s.applicationId());
        var app = new Application(old.applicationId(), old.jobId(), old.resumeVersionId(),
            s.context() != null ? s.context() : old.context(), old.createdAt(), s.outcome().status());
        apps = with(applications, s.applicationId(), app);
      } else if (e instanceof ResumeChanged r) {
        resumes = append(resumeHistory, new ResumeVersion(r.resumeVersionId(), r.afterScore(), r.timestamp(), r.userAccepted()));
      } else if (e instanceof StrategyChanged s) {
        strategies = append(strategyHistory, new StrategyStep(s.fromMode(), s.toMode(), s.timestamp()));
      } else if (e instanceof PreferencesChanged p) {
        prefs = new Preferences(p.marketInsightsOptOut(), p.experimentsOptOut(), p.timestamp());
      }
      return new State(apps, seen2, resumes, strategies, seq, prefs, erasedAt);
    }

    public String currentMode() {
      return strategyHistory.isEmpty() ? null : strategyHistory.get(strategyHistory.size() - 1).toMode();
    }

    private static <V> Map<String, V> with(Map<String, V> m, String k, V v) {
      return PersistentMap.of(m).plus(k, v);
    }

    private static <V> List<V> append(List<V> l, V v) {
      var copy = new ArrayList<>(l);
      copy.add(v);
      return List.copyOf(copy);
    }
  }

  // ---------------------------------------------------------------- behaviour

  private final String userId;
  /** The user's journey slice tag ({@link JourneySlices}): every event of the user carries it, so they stay ordered. */
  private final Set<String> tags;
  private final Topics topics;
  /** The follow-up schedule in force now (it follows the live orchestrator config; see {@link LiveReminderPolicy}). */
  private final java.util.function.Supplier<ReminderPolicy> reminderPolicy;
  /** Seals what the entity stores with the user's data key (see io.hireloop.privacy.Sealing). */
  private final io.hireloop.privacy.Sealing sealing;
  private final UserKeys keys;
  private final ActorRef<Command> self;
  /** A key creation is under way: commands that write wait in the stash for its {@link KeyReady}. */
  private boolean awaitingKey;
  /** The last creation failed: the next write seals on the blocking path, which retries it and fails that write. */
  private boolean keyFailed;
  /** When the entity's start began (System.nanoTime): its recovery time is measured from here. */
  private final long started;

  private JobSeeker(String userId, String tag, Topics topics, java.util.function.Supplier<ReminderPolicy> reminders,
      io.hireloop.privacy.Sealing sealing, UserKeys keys, ActorRef<Command> self, long started) {
    super(PersistenceId.of(ENTITY_KEY.name(), userId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.userId = userId;
    this.tags = Set.of(tag);
    this.topics = topics;
    this.reminderPolicy = reminders;
    this.sealing = sealing;
    this.keys = keys;
    this.self = self;
    this.started = started;
  }

  @Override
  public org.apache.pekko.persistence.typed.javadsl.SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(org.apache.pekko.persistence.typed.RecoveryCompleted.instance(),
            state -> io.hireloop.platform.Metrics.USER_RECOVERY.observe((System.nanoTime() - started) / 1e9))
        .build();
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public Set<String> tagsFor(JourneyEvent event) {
    return tags;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  /**
   * Snapshots are sealed with the user's key, but for an erased user's (which holds nothing personal, and must stay
   * readable). Read: a sealed one opens to what it held; one whose key is gone recovers as an empty state with the
   * event count (the events after it are replayed, USER_ERASED among them). Older shapes: {@link LegacyState} (before
   * preferences) and {@link StateV2} (before erasure) are upcast.
   */
  @Override
  public SnapshotAdapter<State> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(State state) {
        return state.erased() ? state : sealing.sealSnapshot(userId, state.lastSeqNr(), state);
      }

      @Override
      public State fromJournal(Object from) {
        if (from instanceof io.hireloop.privacy.Sealing.SealedSnapshot sealed) {
          return sealing.open(sealed).map(JobSeeker::upcast).orElseGet(() -> State.shredded(sealed.lastSeqNr()));
        }
        return upcast(from);
      }
    };
  }

  private static State upcast(Object from) {
    if (from instanceof LegacyState legacy) return legacy.upcast();
    if (from instanceof StateV2 v2) return v2.upcast();
    return (State) from;
  }

  /**
   * Every event but USER_ERASED is sealed with the user's key on the way to the journal. Read: the journal plugin's
   * adapter (io.hireloop.privacy.UnsealingEventAdapter) has opened it already; a journal without that binding (entity
   * tests) hands the sealed event here. Events written before sealing are read as they are.
   */
  @Override
  public org.apache.pekko.persistence.typed.EventAdapter<JourneyEvent, Object> eventAdapter() {
    return new org.apache.pekko.persistence.typed.EventAdapter<>() {
      @Override
      public Object toJournal(JourneyEvent e) {
        return e instanceof JourneyEvent.UserErased ? e : sealing.seal(userId, e);
      }

      @Override
      public String manifest(JourneyEvent event) {
        return "";
      }

      @Override
      public org.apache.pekko.persistence.typed.EventSeq<JourneyEvent> fromJournal(Object p, String manifest) {
        var event = p instanceof io.hireloop.privacy.Sealing.SealedEvent sealed ? sealing.open(sealed) : (JourneyEvent) p;
        return org.apache.pekko.persistence.typed.EventSeq.single(event);
      }
    };
  }

  @Override
  public CommandHandler<Command, JourneyEvent, State> commandHandler() {
    var builder = newCommandHandlerBuilder();
    // while the user's key is being created every command waits, so that commands are still handled in arrival order
    builder.forState(state -> awaitingKey)
        .onCommand(KeyReady.class, (state, cmd) -> {
          awaitingKey = false;
          keyFailed = cmd.failed();
          return Effect().unstashAll();
        })
        .onAnyCommand(() -> Effect().stash());
    // an erased user records nothing more; what is not handled here is answered as for anyone (summary, preferences)
    builder.forState(State::erased)
        .onCommand(Validate.class, (state, cmd) -> Effect().reply(cmd.replyTo(), erased(cmd.events())))
        .onCommand(Record.class, (state, cmd) -> Effect().reply(cmd.replyTo(), erased(cmd.events())))
        .onCommand(Erase.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
            new Erased(cmd.jobId(), state.erasedAt(), state.lastSeqNr(), true)))
        .onCommand(SetPreferences.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.preferences()))
        .onCommand(SetProfile.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new ProfileStored(-1)))
        .onCommand(FireReminder.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
            new ReminderOutcome(cmd.applicationId(), cmd.step(), ReminderOutcome.UNKNOWN)))
        .onCommand(Expose.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Exposure(true, null)));
    builder.forAnyState()
        .onCommand(KeyReady.class, (state, cmd) -> Effect().none())
        .onCommand(KeyLoaded.class, (state, cmd) -> Effect().none())
        .onCommand(Erase.class, (state, cmd) -> Effect()
            .persist(new JourneyEvent.UserErased("erasure:" + cmd.jobId(), cmd.now(), cmd.jobId()))
            .thenReply(cmd.replyTo(), s -> new Erased(cmd.jobId(), s.erasedAt(), s.lastSeqNr(), false)))
        .onCommand(Validate.class, this::onValidate)
        .onCommand(Record.class, this::onRecord)
        .onCommand(GetSummary.class, this::onGetSummary)
        .onCommand(SetPreferences.class, this::onSetPreferences)
        .onCommand(GetPreferences.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.preferences()))
        .onCommand(SetProfile.class, (state, cmd) -> keyed(() -> Effect()
            .persist(new JourneyEvent.ProfileUpdated("profile:" + java.util.UUID.randomUUID(), cmd.now(), cmd.profile()))
            .thenReply(cmd.replyTo(), s -> new ProfileStored(s.lastSeqNr()))))
        .onCommand(FireReminder.class, this::onFireReminder)
        .onCommand(Expose.class, this::onExpose);
    return builder.build();
  }

  /** One problem per event: an erased user records nothing more. */
  private static Verdict erased(List<JourneyEvent> events) {
    var problems = new ArrayList<Problem>();
    for (int i = 0; i < events.size(); i++) problems.add(new Problem(i, "user_id", Problem.ERASED, true));
    return new Verdict(List.of(), List.copyOf(problems));
  }

  private Effect<JourneyEvent, State> onValidate(State state, Validate cmd) {
    var check = Check.run(state, cmd.events(), cmd.now());
    return Effect().reply(cmd.replyTo(), check.verdict());
  }

  private Effect<JourneyEvent, State> onRecord(State state, Record cmd) {
    var check = Check.run(state, cmd.events(), cmd.now());
    if (!check.problems.isEmpty() || check.fresh.isEmpty()) {
      return Effect().reply(cmd.replyTo(), check.verdict());
    }
    return keyed(() -> Effect().persist(check.fresh)
        .thenRun(newState -> publish(check.fresh, newState))
        .thenReply(cmd.replyTo(), newState -> check.verdictAfterPersist(newState)));
  }

  /**
   * {@code write} once the user's key is cached, so that sealing its events never blocks the entity's thread; before
   * that (a user's first write: the key is created by a lightweight transaction) the command waits in the stash while
   * the key is prepared, and is handled again, from the start, when it is.
   */
  private Effect<JourneyEvent, State> keyed(java.util.function.Supplier<Effect<JourneyEvent, State>> write) {
    if (keyFailed || keys.writable(userId)) {
      keyFailed = false;
      return write.get();
    }
    if (!awaitingKey) {
      awaitingKey = true;
      // not Present (the store failed, or the key is gone): the write takes the blocking path once, which fails it
      keys.prepareForWrite(userId).whenComplete((lookup, failure) -> self.tell(new KeyReady(!(lookup instanceof UserKeys.Present))));
    }
    return Effect().stash();
  }

  private Effect<JourneyEvent, State> onExpose(State state, Expose cmd) {
    if (state.preferences().experimentsOptOut()) return Effect().reply(cmd.replyTo(), new Exposure(true, null));
    var check = Check.run(state, List.of(cmd.event()), cmd.now());
    if (!check.problems.isEmpty() || check.fresh.isEmpty()) return Effect().reply(cmd.replyTo(), new Exposure(false, check.verdict()));
    return keyed(() -> Effect().persist(check.fresh)
        .thenReply(cmd.replyTo(), newState -> new Exposure(false, check.verdictAfterPersist(newState))));
  }

  private Effect<JourneyEvent, State> onGetSummary(State state, GetSummary cmd) {
    var statuses = new HashMap<String, String>();
    state.applications().forEach((id, app) -> statuses.put(id, app.status() == null ? "applied" : app.status()));
    return Effect().reply(cmd.replyTo(), new Summary(state.applications().size(), Map.copyOf(statuses),
        state.lastSeqNr(), state.resumeHistory().size(), state.currentMode()));
  }

  private Effect<JourneyEvent, State> onSetPreferences(State state, SetPreferences cmd) {
    var old = state.preferences();
    var event = new PreferencesChanged("preferences:" + java.util.UUID.randomUUID(), cmd.now(),
        cmd.marketInsightsOptOut() != null ? cmd.marketInsightsOptOut() : old.marketInsightsOptOut(),
        cmd.experimentsOptOut() != null ? cmd.experimentsOptOut() : old.experimentsOptOut());
    return keyed(() -> Effect().persist(event).thenReply(cmd.replyTo(), State::preferences));
  }

  private Effect<JourneyEvent, State> onFireReminder(State state, FireReminder cmd) {
    var reminders = reminderPolicy.get();
    var app = state.applications().get(cmd.applicationId());
    var eventId = ReminderSent.eventIdFor(cmd.applicationId(), cmd.step());
    String refused = app == null || !reminders.validStep(cmd.step()) ? ReminderOutcome.UNKNOWN
        : state.seen().containsKey(eventId) ? ReminderOutcome.DUPLICATE
        : app.status() != null ? ReminderOutcome.ANSWERED
        : cmd.now().isBefore(reminders.due(app.createdAt(), cmd.step())) ? ReminderOutcome.NOT_DUE
        : !reminders.current(app.createdAt(), cmd.step(), cmd.now()) ? ReminderOutcome.STALE
        : null;
    if (refused != null) return Effect().reply(cmd.replyTo(), new ReminderOutcome(cmd.applicationId(), cmd.step(), refused));
    var sent = new ReminderSent(eventId, cmd.now(), cmd.applicationId(), cmd.step(), reminders.delay(cmd.step()));
    return keyed(() -> Effect().persist(sent)
        .thenRun(newState -> publishReminder(app, sent, reminders))
        .thenReply(cmd.replyTo(), newState -> new ReminderOutcome(cmd.applicationId(), cmd.step(), ReminderOutcome.SENT)));
  }

  private void publishReminder(Application app, ReminderSent sent, ReminderPolicy reminders) {
    var data = new java.util.LinkedHashMap<String, Object>();
    data.put("user_id", userId);
    data.put("application_id", app.applicationId());
    data.put("job_id", app.jobId());
    data.put("step", sent.step());
    data.put("after", sent.after().toString());
    data.put("days_since_application", Duration.between(app.createdAt(), sent.timestamp()).toDays());
    data.put("applied_at", app.createdAt().toString());
    data.put("due_at", reminders.due(app.createdAt(), sent.step()).toString());
    data.put("sent_at", sent.timestamp().toString());
    topics.publish(StreamMessage.of("user:" + userId, "reminder", data));
  }

  /** Real-time pushes come from the entity right after the write, not through a projection (lower latency). */
  private void publish(List<JourneyEvent> persisted, State newState) {
    for (var e : persisted) {
      if (e instanceof StatusChanged || e instanceof ApplicationRecorded) {
        var data = new java.util.LinkedHashMap<String, Object>();
        data.put("user_id", userId);
        data.put("event_id", e.eventId());
        data.put("event_type", e.eventType());
        data.put("seq_nr", newState.seen().get(e.eventId()));
        if (e instanceof StatusChanged s) {
          data.put("application_id", s.applicationId());
          data.put("status", s.outcome().status());
        } else if (e instanceof ApplicationRecorded a) {
          data.put("application_id", a.applicationId());
          data.put("status", "applied");
        }
        topics.publish(StreamMessage.of("user:" + userId, "outcome_recorded", data));
      }
    }
  }

  @Override
  public EventHandler<State, JourneyEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  /** Validation of a batch against a state, folding the batch so later events may refer to earlier ones. */
  static final class Check {
    final List<Problem> problems = new ArrayList<>();
    final List<JourneyEvent> fresh = new ArrayList<>();
    private final List<JourneyEvent> events;
    private final Map<String, Long> duplicateSeq = new HashMap<>();

    private Check(List<JourneyEvent> events) {
      this.events = events;
    }

    static Check run(State state, List<JourneyEvent> events, Instant now) {
      var check = new Check(events);
      var working = state;
      var inBatch = new java.util.HashSet<String>();
      for (int i = 0; i < events.size(); i++) {
        var e = events.get(i);
        Long seenSeq = working.seen().get(e.eventId());
        if (seenSeq != null || !inBatch.add(e.eventId())) {
          check.duplicateSeq.put(e.eventId(), seenSeq == null ? -1L : seenSeq);
          continue;
        }
        int before = check.problems.size();
        check.validate(i, e, working, now);
        if (check.problems.size() == before) {
          working = working.apply(e);
          check.fresh.add(e);
        }
      }
      return check;
    }

    private void validate(int i, JourneyEvent e, State state, Instant now) {
      if (e.timestamp().isAfter(now.plus(MAX_CLOCK_SKEW))) {
        problems.add(new Problem(i, "timestamp", "is more than 5 minutes in the future", false));
      }
      if (e instanceof StatusChanged s) {
        var app = state.applications().get(s.applicationId());
        if (app == null) {
          problems.add(new Problem(i, "application_id",
              "unknown application for this user: send APPLICATION_CREATED first", false));
          return;
        }
        if (app.terminal()) {
          problems.add(new Problem(i, "outcome.status",
              "application " + s.applicationId() + " is already " + app.status() + " (terminal); no further status changes", true));
        }
        if (s.timestamp().isBefore(app.createdAt())) {
          problems.add(new Problem(i, "timestamp", "is before the application's creation (" + app.createdAt() + ")", false));
        }
      } else if (e instanceof ApplicationRecorded a && state.applications().containsKey(a.applicationId())) {
        var app = state.applications().get(a.applicationId());
        if (a.eventType().equals("APPLICATION_CREATED")) {
          problems.add(new Problem(i, "application_id", "application " + a.applicationId() + " already exists", true));
        } else if (a.timestamp().isBefore(app.createdAt())) {
          // API.md: no event of an application may be dated before its creation, SUBMITTED included
          problems.add(new Problem(i, "timestamp", "is before the application's creation (" + app.createdAt() + ")", false));
        }
      }
    }

    Verdict verdict() {
      if (!problems.isEmpty()) return new Verdict(List.of(), List.copyOf(problems));
      return verdictAfterPersist(null);
    }

    /** With {@code after} null nothing was persisted (validation only, or only duplicates). */
    Verdict verdictAfterPersist(State after) {
      var results = new ArrayList<Result>();
      var freshIds = new java.util.HashSet<String>();
      for (var e : fresh) freshIds.add(e.eventId());
      var reported = new java.util.HashSet<String>();
      for (var e : events) {
        boolean first = reported.add(e.eventId());
        if (first && freshIds.contains(e.eventId())) {
          long seq = after == null ? -1 : after.seen().get(e.eventId());
          results.add(new Result(e.eventId(), Result.ACCEPTED, seq));
        } else {
          long seq = after != null && after.seen().containsKey(e.eventId())
              ? after.seen().get(e.eventId()) : duplicateSeq.getOrDefault(e.eventId(), -1L);
          results.add(new Result(e.eventId(), Result.DUPLICATE, seq));
        }
      }
      return new Verdict(List.copyOf(results), List.of());
    }
  }
}
