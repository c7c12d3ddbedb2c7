package io.hireloop.experiment;

import io.hireloop.platform.Json;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * Which config keys experiments own now, for the writers of learned changes: an experiment that is {@code running} or
 * {@code paused}, or whose rollout is in progress, owns its {@code parameter} on its {@code component} (a change written
 * underneath it would move the control's baseline or the rollout's values). Drafts and ended experiments own nothing.
 *
 * <p>The node learns experiment ids from the journal's {@code experiment} tag (read on from the last offset it saw,
 * so each call reads only what is new) and, at once, from the experiments' change announcements on
 * {@link Experiment#CHANGES_TOPIC}; the tag catches what an announcement lost, after the journal's eventual-consistency
 * delay. Each known experiment that has not ended for good is asked for its status on every call (experiments are few).
 */
public final class ExperimentClaims {

  /** {@code experimentId} owns {@code parameter} of {@code component}; {@code status}: the experiment's, or {@code rolling_out}. */
  public record Claim(String experimentId, String component, String parameter, String status) {}

  private static final Set<String> ACTIVE = Set.of("running", "paused");
  /** Statuses after which an experiment never owns a key again. */
  private static final Set<String> FINAL = Set.of("rolled_out", "rolled_back");

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final Set<String> finished = ConcurrentHashMap.newKeySet();
  private volatile Offset offset = Offset.noOffset();
  private CompletableFuture<Void> scan;

  public ExperimentClaims(ActorSystem<?> system, Duration askTimeout) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    var listener = system.systemActorOf(Behaviors.<StreamMessage>receiveMessage(m -> {
      var id = Json.read(m.dataJson()).path("experiment_id").asText(null);
      if (id != null) known.add(id);
      return Behaviors.same();
    }), "experiment-claims-" + java.util.UUID.randomUUID(), Props.empty());
    Topics.get(system).subscribe(Experiment.CHANGES_TOPIC, listener);
  }

  /** The first experiment (by id) that owns one of {@code keys} of {@code component} now, if any. */
  public CompletionStage<Optional<Claim>> owner(String component, Set<String> keys) {
    return ids().thenCompose(ids -> {
      var checks = new ArrayList<CompletableFuture<Optional<Claim>>>();
      for (var id : ids) checks.add(claimOf(id).toCompletableFuture());
      return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(v -> checks.stream()
          .map(CompletableFuture::join).flatMap(Optional::stream)
          .filter(c -> c.component().equals(component) && keys.contains(c.parameter()))
          .findFirst());
    });
  }

  /** What {@code experimentId} owns now (empty: nothing, or no such experiment). */
  public CompletionStage<Optional<Claim>> claimOf(String experimentId) {
    if (finished.contains(experimentId)) return CompletableFuture.completedFuture(Optional.empty());
    return sharding.entityRefFor(Experiment.ENTITY_KEY, experimentId).<Experiment.Reply>ask(Experiment.Get::new, askTimeout)
        .thenCompose(r -> {
          if (r.notFound() || r.spec() == null) return CompletableFuture.completedFuture(Optional.<Claim>empty());
          var spec = r.spec();
          if (ACTIVE.contains(r.status())) {
            return CompletableFuture.completedFuture(Optional.of(new Claim(experimentId, spec.component(), spec.parameter(), r.status())));
          }
          if (FINAL.contains(r.status())) {
            finished.add(experimentId);
            return CompletableFuture.completedFuture(Optional.<Claim>empty());
          }
          if (!"completed".equals(r.status())) return CompletableFuture.completedFuture(Optional.<Claim>empty());
          // an admin may approve a rollout after completion: its stages own the parameter until it finishes
          return sharding.entityRefFor(ExperimentRollout.ENTITY_KEY, experimentId)
              .<ExperimentRollout.Reply>ask(ExperimentRollout.Get::new, askTimeout)
              .thenApply(ro -> ro.state().inProgress()
                  ? Optional.of(new Claim(experimentId, spec.component(), spec.parameter(), "rolling_out")) : Optional.<Claim>empty());
        });
  }

  /** Every experiment id this node knows, after reading the tag on from where the last read stopped. */
  private synchronized CompletionStage<List<String>> ids() {
    if (scan == null || scan.isDone()) scan = readTag();
    return scan.thenApply(v -> known.stream().sorted().toList());
  }

  private CompletableFuture<Void> readTag() {
    var journal = PersistenceQuery.get(system).getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    String prefix = Experiment.ENTITY_KEY.name() + PersistenceId.DefaultSeparator();
    return journal.currentEventsByTag(Experiment.TAGS.get(0), offset)
        .runForeach(env -> {
          if (env.persistenceId().startsWith(prefix)) known.add(env.persistenceId().substring(prefix.length()));
          offset = env.offset();
        }, system)
        .thenApply(d -> (Void) null)
        .toCompletableFuture();
  }
}
