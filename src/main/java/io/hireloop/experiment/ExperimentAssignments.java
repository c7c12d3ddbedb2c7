package io.hireloop.experiment;

import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.platform.Json;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The assignment hot path of one node. Definitions are cached per node: filled from the Experiment entity
 * on first use, dropped when the entity announces a change on {@link Experiment#CHANGES_TOPIC} and, since
 * pub-sub is at-most-once, also after {@code ttl}. A request therefore asks no Experiment entity; it asks
 * the user's JobSeeker once per (experiment, user) on this node to record the exposure, and answers only
 * after the exposure is in the journal (an answered assignment is always counted).
 */
public final class ExperimentAssignments {

  /** {@code problem} non-null: no assignment ({@code notFound}: no such experiment; else not running). */
  public record Answer(String variantId, String valueJson, String status, String problem, boolean notFound) {}

  private record Cached(CompletableFuture<Experiment.Reply> reply, long loadedAtNanos) {}

  /** Bounds the per-node memory of exposures already recorded (it is only a shortcut; the journal dedupes). */
  static final int MAX_REMEMBERED_EXPOSURES = 200_000;

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final long ttlNanos;
  private final ConcurrentHashMap<String, Cached> definitions = new ConcurrentHashMap<>();
  private final java.util.Set<String> exposed = ConcurrentHashMap.newKeySet();

  public ExperimentAssignments(ActorSystem<?> system, Duration askTimeout, Duration ttl) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.ttlNanos = ttl.toNanos();
    var listener = system.systemActorOf(Behaviors.<StreamMessage>receiveMessage(m -> {
      var id = Json.read(m.dataJson()).path("experiment_id").asText(null);
      if (id != null) definitions.remove(id);
      return Behaviors.same();
    }), "experiment-definition-cache", Props.empty());
    Topics.get(system).subscribe(Experiment.CHANGES_TOPIC, listener);
  }

  public CompletionStage<Answer> assign(String experimentId, String userId) {
    return definition(experimentId).thenCompose(r -> {
      if (r.notFound()) return done(new Answer(null, null, null, "no experiment '" + experimentId + "'", true));
      if (!"running".equals(r.status())) {
        return done(new Answer(null, null, r.status(), "experiment " + experimentId + " is " + r.status() + ", not running", false));
      }
      var v = Assignment.variantFor(r.spec(), userId);
      var answer = new Answer(v.variantId(), v.value(), r.status(), null, false);
      String eventId = Assignment.exposureEventId(experimentId, userId);
      if (exposed.contains(eventId)) return done(answer);
      var event = new JourneyEvent.ExperimentExposed(eventId, Instant.now(), experimentId, v.variantId());
      return sharding.entityRefFor(JobSeeker.ENTITY_KEY, userId)
          .<JobSeeker.Verdict>ask(replyTo -> new JobSeeker.Record(List.of(event), Instant.now(), replyTo), askTimeout)
          .thenApply(verdict -> {
            if (!verdict.ok()) throw new IllegalStateException("exposure refused by the journal: " + verdict.problems());
            if (exposed.size() >= MAX_REMEMBERED_EXPOSURES) exposed.clear();
            exposed.add(eventId);
            return answer;
          });
    });
  }

  /** Drops this node's copy now (the entity's announcement does the same on every node). */
  public void invalidate(String experimentId) {
    definitions.remove(experimentId);
  }

  private CompletionStage<Experiment.Reply> definition(String id) {
    long now = System.nanoTime();
    var c = definitions.compute(id, (k, old) -> {
      boolean fresh = old != null && now - old.loadedAtNanos() < ttlNanos && !old.reply().isCompletedExceptionally();
      if (fresh) return old;
      var f = sharding.entityRefFor(Experiment.ENTITY_KEY, k)
          .<Experiment.Reply>ask(Experiment.Get::new, askTimeout).toCompletableFuture();
      return new Cached(f, now);
    });
    return c.reply();
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
