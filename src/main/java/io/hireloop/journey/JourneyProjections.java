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
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.TimeBasedUUID;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.javadsl.ProjectionManagement;

/**
 * Runs projections over the JobSeeker journal: one instance per journey tag, spread over the cluster by
 * ShardedDaemonProcess, at-least-once with offsets in Cassandra, envelopes handled in groups. Keeps the
 * registry that the admin API lists and rebuilds.
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

  /** A running projection: its name and how to empty its read model before a rebuild. */
  public record Registered(String name, Supplier<CompletionStage<Done>> truncate) {}

  /**
   * What the admin API shows of one projection instance. {@code offset} and {@code offsetTime} come from
   * the offset store (the journal write time of the last event whose offset was saved: true on every node
   * and after restarts); {@code lagSeconds} and {@code lastHandledAt} describe the last group this node
   * handled for the instance (null when this node has not run it since it started). A caught-up, idle
   * instance keeps the lag of its last group: compare {@code lastHandledAt} with now.
   */
  public record Status(String name, String key, String offset, Double lagSeconds, boolean paused, Instant offsetTime,
      Instant lastHandledAt) {
    public Status(String name, String key, String offset, Double lagSeconds, boolean paused) {
      this(name, key, offset, lagSeconds, paused, null, null);
    }
  }

  private final ActorSystem<?> system;
  private final Map<String, Registered> registered = new ConcurrentHashMap<>();
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
  }

  public void init(String name, Supplier<Handler<List<EventEnvelope<JourneyEvent>>>> handler,
      Supplier<CompletionStage<Done>> truncate) {
    var config = system.settings().config().getConfig("hireloop.projections");
    int groupSize = config.getInt("group-size");
    Duration within = config.getDuration("group-within");
    registered.put(name, new Registered(name, truncate));
    ShardedDaemonProcess.get(system).init(
        ProjectionBehavior.Command.class,
        name,
        JobSeeker.TAG_COUNT,
        i -> {
          var tag = JobSeeker.TAGS.get(i);
          var source = EventSourcedProvider.<JourneyEvent>eventsByTag(system, CassandraReadJournal.Identifier(), tag);
          return ProjectionBehavior.create(
              CassandraProjection.groupedWithin(ProjectionId.of(name, tag), source, () -> measured(name, tag, handler.get()))
                  .withGroup(groupSize, within));
        },
        ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
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
    return registered.keySet().stream().sorted().toList();
  }

  public boolean exists(String name) {
    return registered.containsKey(name);
  }

  public List<ProjectionId> ids(String name) {
    return JobSeeker.TAGS.stream().map(tag -> ProjectionId.of(name, tag)).toList();
  }

  public CompletionStage<List<Status>> status() {
    var management = ProjectionManagement.get(system);
    var futures = new ArrayList<CompletableFuture<Status>>();
    for (var name : names()) {
      for (var id : ids(name)) {
        var offset = management.<Offset>getOffset(id).toCompletableFuture();
        var paused = management.isPaused(id).toCompletableFuture();
        futures.add(offset.thenCombine(paused, (o, p) -> new Status(name, id.key(), o.map(Object::toString).orElse(null),
            lastLag.get(id.id()), p, o.map(JourneyProjections::offsetTime).orElse(null), lastHandled.get(id.id()))));
      }
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
  }

  /**
   * Rebuilds a read model from the journal: pause every instance, empty the table, clear the offsets
   * (the instances restart from the first event), resume. Events written meanwhile wait in the journal.
   */
  public CompletionStage<Done> rebuild(String name) {
    var management = ProjectionManagement.get(system);
    var ids = ids(name);
    return all(ids.stream().map(management::pause).toList())
        .thenCompose(d -> registered.get(name).truncate().get())
        .thenCompose(d -> all(ids.stream().map(management::clearOffset).toList()))
        .thenCompose(d -> all(ids.stream().map(management::resume).toList()));
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
