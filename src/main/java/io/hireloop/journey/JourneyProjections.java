package io.hireloop.journey;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.hireloop.platform.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.TimeBasedUUID;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.javadsl.ProjectionManagement;
import org.apache.pekko.persistence.query.NoOffset;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The read side of the JobSeeker journal: the read models registered here are fed by ONE pass over the journal,
 * one projection instance per journey slice ({@link JourneySlices}), spread over the cluster by
 * ShardedDaemonProcess, at-least-once with the slice's offset in Cassandra, envelopes handled in groups that
 * every read model gets together. Keeps the registry that the admin API lists, and rebuilds one read model at a
 * time from the journal ({@link #rebuild}).
 */
public final class JourneyProjections implements Extension {

  private static final ExtensionId<JourneyProjections> ID = new ExtensionId<>() {
    @Override
    public JourneyProjections createExtension(ActorSystem<?> system) {
      return new JourneyProjections(system);
    }
  };

  public static JourneyProjections get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** The projection that runs the read-side pass (one instance per slice). */
  public static final String PASS = "journey-read-side";

  /** A read model: its name, a factory of its group handler, and how to empty its tables before a rebuild. */
  public record Registered(String name, Supplier<Handler<List<EventEnvelope<JourneyEvent>>>> handler,
      Supplier<CompletionStage<Done>> truncate) {}

  /**
   * What the admin API shows of one projection instance. {@code offset} and {@code offsetTime} come from
   * the offset store (the journal write time of the last event whose offset was saved: true on every node
   * and after restarts); {@code lagSeconds} and {@code lastHandledAt} describe the last group this node
   * handled for the instance (null when this node has not run it since it started). A caught-up, idle
   * instance keeps the lag of its last group: compare {@code lastHandledAt} with now. The offset is the slice's
   * (the pass saves one offset per slice for all read models); {@code paused} is the pass's; {@code rebuild} is
   * the rebuild of this read model that this node runs, if any.
   */
  public record Status(String name, String key, String offset, Double lagSeconds, boolean paused, Instant offsetTime,
      Instant lastHandledAt, RebuildProgress rebuild) {
    public Status(String name, String key, String offset, Double lagSeconds, boolean paused) {
      this(name, key, offset, lagSeconds, paused, null, null, null);
    }
  }

  /**
   * A rebuild this node runs: events replayed so far, slices finished of all, and the last failure (replays of
   * a slice are retried; after the last try the pass stays paused and {@code failure} says why).
   */
  public record RebuildProgress(String name, Instant startedAt, long replayedEvents, int slicesDone, int slices,
      String failure) {}

  private final ActorSystem<?> system;
  private volatile JourneySlices slices;
  private final Map<String, Registered> registered = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
  private volatile boolean started;
  private final Map<String, Rebuild> rebuilds = new ConcurrentHashMap<>();
  private final Map<String, Double> lastLag = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastHandled = new ConcurrentHashMap<>();
  private volatile LagSampleRecorder lagSamples;
  private volatile EnvelopeRecorder envelopeRecorder;
  private final List<GroupListener> groupListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Told of every group a projection instance on this node finished (the ingest pacer listens). */
  @FunctionalInterface
  public interface GroupListener {
    /**
     * @param instance projection id of the instance (name and tag)
     * @param newestWritten journal write time (epoch ms) of the group's newest event
     * @param doneMillis when the handler finished
     */
    void groupHandled(String instance, long newestWritten, long doneMillis);
  }

  public void onGroupHandled(GroupListener listener) {
    groupListeners.add(listener);
  }

  /** Receives every exact lag sample: projection name and milliseconds from journal write to handler done. */
  @FunctionalInterface
  public interface LagSampleRecorder {
    void record(String projection, long lagMillis);
  }

  /**
   * Optional exact lag samples (the Prometheus histogram has coarse buckets); {@code null} turns them off.
   * Used by {@code bin/hireloop bench}; costs one volatile read per group when off.
   */
  public void recordLagSamples(LagSampleRecorder recorder) {
    this.lagSamples = recorder;
  }

  /**
   * Receives every envelope a projection handled, with the wall-clock milliseconds when its group reached
   * the handler and when the handler finished: splits the lag into delivery (consistency delay, polling,
   * grouping, queueing) and handling, and lets a caller check that no event was missed.
   */
  @FunctionalInterface
  public interface EnvelopeRecorder {
    void record(String projection, EventEnvelope<JourneyEvent> envelope, long receivedMillis, long doneMillis);
  }

  /** Optional per-envelope recording (benchmarks and tests); {@code null} turns it off. */
  public void recordEnvelopes(EnvelopeRecorder recorder) {
    this.envelopeRecorder = recorder;
  }

  private JourneyProjections(ActorSystem<?> system) {
    this.system = system;
    this.slices = JourneySlices.of(system.settings().config());
  }

  public JourneySlices slices() {
    return slices;
  }

  /**
   * The slices this node runs with, as {@link SliceHistory} resolved them from the journal; set before any
   * JobSeeker starts (their tags) and before {@link #start}.
   */
  public void useSlices(JourneySlices resolved) {
    if (started) throw new IllegalStateException("journey slices set after the read-side pass started");
    this.slices = resolved;
  }

  /**
   * Registers a read model fed by the read-side pass. Every read model must be registered before {@link #start}:
   * the pass hands each group to all of them.
   */
  public void init(String name, Supplier<Handler<List<EventEnvelope<JourneyEvent>>>> handler,
      Supplier<CompletionStage<Done>> truncate) {
    if (started) throw new IllegalStateException("read model " + name + " registered after the read-side pass started");
    if (registered.putIfAbsent(name, new Registered(name, handler, truncate)) != null) {
      throw new IllegalStateException("read model " + name + " registered twice");
    }
  }

  /**
   * Starts the read-side pass: one projection instance per slice ({@link #PASS}, spread over the cluster by
   * ShardedDaemonProcess), each reading its slice once and handing every group to all registered read models
   * in parallel; the slice's offset is saved when all of them finished the group (at-least-once: a failed read
   * model makes the whole group redelivered, which the others' idempotent handlers absorb).
   */
  public synchronized void start() {
    if (started) return;
    started = true;
    var config = system.settings().config().getConfig("hireloop.projections");
    int groupSize = config.getInt("group-size");
    Duration within = config.getDuration("group-within");
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        PASS,
        slices.count(),
        i -> ProjectionBehavior.create(
            CassandraProjection.groupedWithin(passId(i), new SliceSource(system, slices, i), () -> passHandler(JourneySlices.tag(i)))
                .withGroup(groupSize, within)),
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()),
        Optional.of(spreadQuickly()));
  }

  /**
   * Slices move to a node that joins in one or two rebalance rounds (every {@code rebalance-interval}, 10 s):
   * up to all of the excess at once, instead of the default's one slice per round (32 slices took over 3 minutes
   * to spread over 3 nodes). A slice's move costs a pause of its pass (stop after the group in hand, start on the
   * new node from its offset), so this is only for the pass, not for the entities.
   */
  private static org.apache.pekko.cluster.sharding.ShardCoordinator.ShardAllocationStrategy spreadQuickly() {
    return org.apache.pekko.cluster.sharding.ShardCoordinator.ShardAllocationStrategy$.MODULE$.leastShardAllocationStrategy(1024, 1.0);
  }

  /** The pass instance of {@code slice}: its offset is the slice's offset for every read model. */
  public static ProjectionId passId(int slice) {
    return ProjectionId.of(PASS, JourneySlices.tag(slice));
  }

  private List<ProjectionId> passIds() {
    var ids = new ArrayList<ProjectionId>();
    for (int i = 0; i < slices.count(); i++) ids.add(passId(i));
    return ids;
  }

  /** Every read model's handler for one slice, each measured on its own, fed the same groups together. */
  private Handler<List<EventEnvelope<JourneyEvent>>> passHandler(String tag) {
    var parts = registered.values().stream().map(m -> measured(m.name(), tag, m.handler().get())).toList();
    return new Handler<>() {
      @Override
      public CompletionStage<Done> process(List<EventEnvelope<JourneyEvent>> group) {
        return all(parts.stream().map(p -> call(() -> p.process(group))).toList());
      }

      @Override
      public CompletionStage<Done> start() {
        return all(parts.stream().map(p -> call(p::start)).toList());
      }

      @Override
      public CompletionStage<Done> stop() {
        return all(parts.stream().map(p -> call(p::stop)).toList());
      }
    };
  }

  @FunctionalInterface
  private interface Step {
    CompletionStage<Done> run() throws Exception;
  }

  /** A handler step whose synchronous throw becomes a failed stage, so the other read models' steps still run. */
  private static CompletionStage<Done> call(Step step) {
    try {
      return step.run();
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Updates one user's read-model row from that user's envelopes of a group (in journal order). */
  @FunctionalInterface
  public interface UserUpdate {
    CompletionStage<Done> apply(String userId, List<EventEnvelope<JourneyEvent>> envelopes);
  }

  /** A grouped handler that splits a group by user and runs {@code update} for the users in parallel. */
  public static Handler<List<EventEnvelope<JourneyEvent>>> perUser(UserUpdate update) {
    return new Handler<>() {
      @Override
      public CompletionStage<Done> process(List<EventEnvelope<JourneyEvent>> envelopes) {
        var byUser = new java.util.LinkedHashMap<String, List<EventEnvelope<JourneyEvent>>>();
        for (var env : envelopes) {
          byUser.computeIfAbsent(JobSeeker.userIdOf(env.persistenceId()), u -> new ArrayList<>()).add(env);
        }
        var writes = byUser.entrySet().stream()
            .map(e -> update.apply(e.getKey(), e.getValue()).toCompletableFuture())
            .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(writes).thenApply(v -> Done.getInstance());
      }
    };
  }

  /** {@link UserUpdate} that loads and remembers the user's state row through this handler's cache. */
  @FunctionalInterface
  public interface CachedUserUpdate {
    CompletionStage<Done> apply(UserStateCache cache, String userId, List<EventEnvelope<JourneyEvent>> envelopes);
  }

  /**
   * {@link #perUser} with a new {@link UserStateCache} of {@code capacity} users for this handler instance
   * (call it in the handler factory: each projection (re)start gets an empty cache; {@code start()} empties
   * it too).
   */
  public static Handler<List<EventEnvelope<JourneyEvent>>> perUserCached(int capacity, CachedUserUpdate update) {
    var cache = new UserStateCache(capacity);
    var inner = perUser((userId, envelopes) -> update.apply(cache, userId, envelopes));
    return new Handler<>() {
      @Override
      public CompletionStage<Done> process(List<EventEnvelope<JourneyEvent>> envelopes) throws Exception {
        return inner.process(envelopes);
      }

      @Override
      public CompletionStage<Done> start() {
        cache.clear();
        return inner.start();
      }
    };
  }

  public List<String> names() {
    synchronized (registered) {
      return registered.keySet().stream().sorted().toList();
    }
  }

  public boolean exists(String name) {
    return registered.containsKey(name);
  }

  /** One row per read model and slice; the offset and pause state are the slice's pass instance's. */
  public CompletionStage<List<Status>> status() {
    var management = ProjectionManagement.get(system);
    var perSlice = new ArrayList<CompletableFuture<Status>>();
    for (var id : passIds()) {
      var offset = management.<Offset>getOffset(id).toCompletableFuture();
      var paused = management.isPaused(id).toCompletableFuture();
      perSlice.add(offset.thenCombine(paused, (o, p) -> new Status(PASS, id.key(), o.map(Object::toString).orElse(null),
          null, p, o.map(JourneyProjections::offsetTime).orElse(null), null, null)));
    }
    return CompletableFuture.allOf(perSlice.toArray(CompletableFuture[]::new)).thenApply(v -> {
      var rows = new ArrayList<Status>();
      for (var name : names()) {
        var rebuild = rebuilds.get(name);
        for (var slice : perSlice) {
          var s = slice.join();
          var key = ProjectionId.of(name, s.key()).id();
          rows.add(new Status(name, s.key(), s.offset(), lastLag.get(key), s.paused(), s.offsetTime(), lastHandled.get(key),
              rebuild == null ? null : rebuild.progress()));
        }
      }
      return rows;
    });
  }

  /**
   * Rebuilds one read model from the journal while the others keep their rows: pauses the pass (every slice;
   * events written meanwhile wait in the journal), empties the read model's tables, then replays each slice up to
   * the pass's offset through a new handler of that read model alone, and resumes the pass, which goes on from
   * there for every read model. The returned stage completes once the pass is paused and the tables are empty; the
   * replay runs on this node in the background ({@link #status} shows its progress). Handlers are idempotent, so
   * a slice's replay that fails is replayed again from the start (up to {@code REPLAY_TRIES} times); if it still
   * fails, the pass stays paused and the status says why: rebuild again once the cause is fixed. A node that stops
   * during a rebuild leaves the pass paused the same way.
   */
  public synchronized CompletionStage<Done> rebuild(String name) {
    var model = registered.get(name);
    if (model == null) return CompletableFuture.failedFuture(new IllegalArgumentException("unknown read model " + name));
    var running = rebuilds.values().stream().filter(r -> r.failure == null && !r.done).findFirst();
    if (running.isPresent()) {
      return CompletableFuture.failedFuture(new RebuildRunning("a rebuild of " + running.get().name
          + " is running on this node; wait for it (GET /api/v1/admin/projections) before rebuilding " + name));
    }
    var rebuild = new Rebuild(name, slices.count());
    rebuilds.put(name, rebuild);
    var management = ProjectionManagement.get(system);
    var ids = passIds();
    var upTo = new ArrayList<CompletableFuture<Optional<Offset>>>();
    var ready = all(ids.stream().map(management::pause).toList())
        .thenCompose(d -> {
          for (var id : ids) upTo.add(management.<Offset>getOffset(id).toCompletableFuture());
          return CompletableFuture.allOf(upTo.toArray(CompletableFuture[]::new));
        })
        .thenCompose(v -> model.truncate().get())
        .toCompletableFuture();
    ready.whenComplete((d, failure) -> {
      if (failure != null) {
        rebuild.fail(failure);
        return;
      }
      replayAll(model, rebuild, upTo.stream().map(CompletableFuture::join).toList())
          .thenCompose(x -> all(ids.stream().map(management::resume).toList()))
          .whenComplete((x, f) -> {
            if (f == null) rebuild.done = true;
            else rebuild.fail(f);
          });
    });
    return ready.thenApply(x -> Done.getInstance());
  }

  /** Refused: this node already runs a rebuild (one at a time: each pauses the pass). */
  public static final class RebuildRunning extends IllegalStateException {
    RebuildRunning(String message) {
      super(message);
    }
  }

  static final int REPLAY_TRIES = 5;
  private static final int REPLAY_PARALLELISM = 4;

  private CompletionStage<Done> replayAll(Registered model, Rebuild rebuild, List<Optional<Offset>> upTo) {
    int groupSize = system.settings().config().getInt("hireloop.projections.group-size");
    return Source.range(0, slices.count() - 1)
        .mapAsyncUnordered(REPLAY_PARALLELISM, i -> replaySlice(model, rebuild, i, upTo.get(i), groupSize, 1))
        .runWith(Sink.ignore(), system);
  }

  /** Feeds the slice's events up to {@code upTo} (the pass's offset; nothing when it has none) to a new handler. */
  private CompletionStage<Done> replaySlice(Registered model, Rebuild rebuild, int slice, Optional<Offset> upTo, int groupSize,
      int attempt) {
    if (upTo.isEmpty() || !(upTo.get() instanceof TimeBasedUUID last)) {
      rebuild.slicesDone.incrementAndGet();
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    var handler = model.handler().get();
    var replayed = new java.util.concurrent.atomic.AtomicLong();
    var run = call(handler::start).thenCompose(d -> new SliceSource(system, slices, slice).current(NoOffset.getInstance())
        .takeWhile(env -> env.offset() instanceof TimeBasedUUID t && t.compare(last) <= 0)
        .grouped(groupSize)
        .mapAsync(1, group -> call(() -> handler.process(group)).thenApply(x -> {
          replayed.addAndGet(group.size());
          rebuild.replayed.addAndGet(group.size());
          return x;
        }))
        .runWith(Sink.ignore(), system))
        .thenCompose(d -> call(handler::stop));
    return run.handle((d, failure) -> {
      if (failure == null) {
        rebuild.slicesDone.incrementAndGet();
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      rebuild.replayed.addAndGet(-replayed.get());
      rebuild.lastFailure = JourneySlices.tag(slice) + ", try " + attempt + ": " + failure.getMessage();
      system.log().warn("rebuild of {}: replay of {} failed (try {} of {}): {}", model.name(), JourneySlices.tag(slice), attempt,
          REPLAY_TRIES, failure.toString());
      if (attempt >= REPLAY_TRIES) return CompletableFuture.<Done>failedFuture(failure);
      return org.apache.pekko.pattern.Patterns.after(Duration.ofSeconds(attempt), system.classicSystem().scheduler(),
          system.executionContext(), () -> replaySlice(model, rebuild, slice, upTo, groupSize, attempt + 1));
    }).thenCompose(x -> x);
  }

  private static final class Rebuild {
    final String name;
    final Instant startedAt = Instant.now();
    final int slices;
    final java.util.concurrent.atomic.AtomicLong replayed = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicInteger slicesDone = new java.util.concurrent.atomic.AtomicInteger();
    volatile String lastFailure;
    volatile String failure;
    volatile boolean done;

    Rebuild(String name, int slices) {
      this.name = name;
      this.slices = slices;
    }

    void fail(Throwable cause) {
      var c = cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null ? cause.getCause() : cause;
      failure = (lastFailure != null ? lastFailure : c.toString()) + "; the pass stays paused: rebuild again once the cause is fixed";
    }

    RebuildProgress progress() {
      return new RebuildProgress(name, startedAt, replayed.get(), slicesDone.get(), slices, failure);
    }
  }

  /** The journal write time a time-based offset stands for; null for other offset kinds. */
  static Instant offsetTime(Offset offset) {
    return offset instanceof TimeBasedUUID t ? Instant.ofEpochMilli(Uuids.unixTimestamp(t.value())) : null;
  }

  private static CompletionStage<Done> all(List<CompletionStage<Done>> stages) {
    return CompletableFuture.allOf(stages.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new))
        .thenApply(v -> Done.getInstance());
  }

  private Handler<List<EventEnvelope<JourneyEvent>>> measured(String name, String tag,
      Handler<List<EventEnvelope<JourneyEvent>>> inner) {
    var key = ProjectionId.of(name, tag).id();
    var lagChild = Metrics.PROJECTION_LAG.labels(name);
    var lastChild = Metrics.PROJECTION_LAST_LAG.labels(name, tag);
    return new Handler<>() {
      @Override
      public CompletionStage<Done> process(List<EventEnvelope<JourneyEvent>> group) throws Exception {
        long received = System.currentTimeMillis();
        return inner.process(group).thenApply(done -> {
          long now = System.currentTimeMillis();
          double lag = 0;
          long newest = 0;
          var samples = lagSamples;
          var recorder = envelopeRecorder;
          for (var env : group) {
            newest = Math.max(newest, env.timestamp());
            lag = (now - env.timestamp()) / 1000.0;
            lagChild.observe(lag);
            if (samples != null) samples.record(name, now - env.timestamp());
            if (recorder != null) recorder.record(name, env, received, now);
          }
          lastChild.set(lag);
          lastLag.put(key, lag);
          lastHandled.put(key, Instant.ofEpochMilli(now));
          for (var listener : groupListeners) listener.groupHandled(key, newest, now);
          return done;
        });
      }

      @Override
      public CompletionStage<Done> start() {
        return inner.start();
      }

      @Override
      public CompletionStage<Done> stop() {
        return inner.stop();
      }
    };
  }
}
