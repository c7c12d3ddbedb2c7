package io.hireloop.experiment;

import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyService;
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
 * The assignment hot path of one node. Definitions and allocations ({@link Experiment.View}) are cached per
 * node: filled from the Experiment entity on first use, dropped when the entity announces a change on
 * {@link Experiment#CHANGES_TOPIC} and, since pub-sub is at-most-once, also after {@code ttl}. A request
 * therefore asks no Experiment entity; it asks the user's JobSeeker once per (experiment, user) on this node
 * to record the exposure, and answers only after the exposure is in the journal (an answered assignment is
 * always counted). Users outside the traffic or the experiment's layer range, and users who opted out of
 * experiments (the JobSeeker answers that instead of recording), get the control and no exposure. A node asks
 * again for a known exposure after {@code ttl}, so an opt-out applies to already exposed users within it.
 */
public final class ExperimentAssignments {

  /**
   * {@code problem} non-null: no assignment ({@code notFound}: no such experiment; else not running).
   * {@code inExperiment} false: the user is not in the experiment ({@code reason} says why) and gets the
   * control's value with no exposure recorded.
   */
  public record Answer(String variantId, String valueJson, String status, String problem, boolean notFound,
      boolean inExperiment, String reason) {}

  private record Cached(CompletableFuture<Experiment.View> view, long loadedAtNanos) {}

  /** Bounds the per-node memory of exposures already recorded (it is only a shortcut; the journal dedupes). */
  static final int MAX_REMEMBERED_EXPOSURES = 200_000;

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final JourneyService journey;
  private final Duration askTimeout;
  private final long ttlNanos;
  private final ConcurrentHashMap<String, Cached> definitions = new ConcurrentHashMap<>();
  /** exposure event id → the variant recorded in the user's journal, and when the entity last said so. */
  private final ConcurrentHashMap<String, Known> exposed = new ConcurrentHashMap<>();

  private record Known(String variantId, long atNanos) {}

  public ExperimentAssignments(ActorSystem<?> system, Duration askTimeout, Duration ttl) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.journey = new JourneyService(system, askTimeout);
    this.askTimeout = askTimeout;
    this.ttlNanos = ttl.toNanos();
    var listener = system.systemActorOf(Behaviors.<StreamMessage>receiveMessage(m -> {
      var id = Json.read(m.dataJson()).path("experiment_id").asText(null);
      if (id != null) definitions.remove(id);
      return Behaviors.same();
    }), "experiment-definition-cache", Props.empty());
    Topics.get(system).subscribe(Experiment.CHANGES_TOPIC, listener);
  }

  /**
   * A user already exposed keeps the variant recorded in their journal. A new user inside the traffic gets
   * the variant of the weights at their traffic point and is exposed; outside it, the control and no exposure.
   */
  public CompletionStage<Answer> assign(String experimentId, String userId) {
    return view(experimentId).thenCompose(v -> {
      var r = v.reply();
      if (r.notFound()) return done(new Answer(null, null, null, "no experiment '" + experimentId + "'", true, false, null));
      if (!"running".equals(r.status())) {
        return done(new Answer(null, null, r.status(), "experiment " + experimentId + " is " + r.status() + ", not running", false, false, null));
      }
      var spec = r.spec();
      String eventId = Assignment.exposureEventId(experimentId, userId);
      var known = exposed.get(eventId);
      if (known != null && System.nanoTime() - known.atNanos() < ttlNanos) return done(in(r, known.variantId()));
      var allocation = v.allocation();
      double t = Assignment.trafficPoint(spec, allocation, userId);
      boolean thompson = "thompson".equals(spec.allocationMode());
      var weights = allocation.weightsAt(t, thompson);
      if (known == null && weights == null) return done(out(r, Double.isNaN(t) ? "outside_layer_range" : "outside_traffic"));
      // a stale known exposure is asked again (cheap, nothing written) so that an opt-out applies within the TTL
      String proposed = known != null ? known.variantId()
          : Assignment.pick(spec.variants(), weights, Assignment.bucket(spec.salt(), userId)).variantId();
      var event = new JourneyEvent.ExperimentExposed(eventId, Instant.now(), experimentId, proposed);
      return sharding.entityRefFor(JobSeeker.ENTITY_KEY, userId)
          .<JobSeeker.Exposure>ask(replyTo -> new JobSeeker.Expose(event, Instant.now(), replyTo), askTimeout)
          .thenCompose(exposure -> {
            if (exposure.optedOut()) {
              exposed.remove(eventId);
              return done(out(r, "opted_out"));
            }
            var verdict = exposure.verdict();
            if (!verdict.ok()) throw new IllegalStateException("exposure refused by the journal: " + verdict.problems());
            return recordedVariant(userId, verdict.results().get(0), proposed, thompson && known == null).thenApply(recorded -> {
              if (exposed.size() >= MAX_REMEMBERED_EXPOSURES) exposed.clear();
              exposed.put(eventId, new Known(recorded, System.nanoTime()));
              return in(r, recorded);
            });
          });
    });
  }

  /**
   * A repeated exposure keeps the variant of the first one. In {@code fixed} mode that is the computed one
   * (slices never change); with {@code thompson} the weights may have moved since, so the first exposure is
   * read back from the user's journal (once per node and user).
   */
  private CompletionStage<String> recordedVariant(String userId, JobSeeker.Result result, String computed, boolean readBack) {
    if (!readBack || !JobSeeker.Result.DUPLICATE.equals(result.status()) || result.seqNr() < 1) return done(computed);
    return journey.events(userId, result.seqNr() - 1, 1).thenApply(page -> page.events().isEmpty()
        ? computed : String.valueOf(page.events().get(0).get("variant_id")));
  }

  private static Answer in(Experiment.Reply r, String variantId) {
    var v = r.spec().variants().stream().filter(x -> x.variantId().equals(variantId)).findFirst().orElse(r.spec().control());
    return new Answer(v.variantId(), v.value(), r.status(), null, false, true, null);
  }

  private static Answer out(Experiment.Reply r, String reason) {
    var c = r.spec().control();
    return new Answer(c.variantId(), c.value(), r.status(), null, false, false, reason);
  }

  /** Drops this node's copy now (the entity's announcement does the same on every node). */
  public void invalidate(String experimentId) {
    definitions.remove(experimentId);
  }

  private CompletionStage<Experiment.View> view(String id) {
    long now = System.nanoTime();
    var c = definitions.compute(id, (k, old) -> {
      boolean fresh = old != null && now - old.loadedAtNanos() < ttlNanos && !old.view().isCompletedExceptionally();
      if (fresh) return old;
      var f = sharding.entityRefFor(Experiment.ENTITY_KEY, k)
          .<Experiment.View>ask(Experiment.GetView::new, askTimeout).toCompletableFuture();
      return new Cached(f, now);
    });
    return c.view();
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
