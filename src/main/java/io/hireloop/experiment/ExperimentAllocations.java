package io.hireloop.experiment;

import io.hireloop.experiment.Experiment.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The allocation calls of the API: start (with the layer's range), ramps, allocation changes, Thompson
 * updates and layer holdouts. Each change is an event of the Experiment or Layer entity, with who made it.
 */
public final class ExperimentAllocations {
  private final ClusterSharding sharding;
  private final ExposureProjection exposures;
  private final Duration askTimeout;

  public ExperimentAllocations(ActorSystem<?> system, ExposureProjection exposures, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.exposures = exposures;
    this.askTimeout = askTimeout;
  }

  /** A Thompson update: the experiment after it, and each variant's counts and probability of being best. */
  public record ThompsonUpdate(Reply experiment, List<ThompsonAllocation.Arm> arms, List<Double> probabilityBest,
      List<Double> weights) {}

  public CompletionStage<Experiment.View> view(String id) {
    return this.<Experiment.View>experiment(id, Experiment.GetView::new);
  }

  /**
   * Starts an experiment. In a named layer it first reserves a range of the layer ({@code layerShare} of it,
   * or the largest free range when null) and gives it back if the start is refused. A definition that fails
   * its ethics checks reserves nothing.
   */
  public CompletionStage<Reply> start(String id, Double layerShare, String by) {
    return view(id).thenCompose(v -> {
      var spec = v.reply().spec();
      boolean plain = v.reply().notFound() || !Allocation.isNamedLayer(spec.layer()) || !"draft".equals(v.reply().status())
          || !Ethics.check(spec).isEmpty();
      if (plain) return this.<Reply>experiment(id, r -> new Experiment.ChangeStatus("start", by, r));
      return reserve(spec.layer(), id, layerShare, by).thenCompose(l -> {
        if (l.error() != null) return CompletableFuture.completedFuture(refusal(v.reply(), l.error()));
        return this.<Reply>experiment(id, r -> new Experiment.StartInLayer(spec.layer(), l.range().from(), l.range().to(), by, r))
            .thenCompose(started -> started.error() == null ? CompletableFuture.completedFuture(started)
                : layer(spec.layer(), r -> new Layer.Do("release", id, null, by, r)).thenApply(x -> started));
      });
    });
  }

  /**
   * Reserves a range; when the layer is full, first gives back ranges still held by experiments that are not
   * running or paused (a release message lost when they ended) and tries once more.
   */
  private CompletionStage<Layer.Reply> reserve(String layerName, String id, Double share, String by) {
    return layer(layerName, r -> new Layer.Do("reserve", id, share, by, r)).thenCompose(l -> {
      if (l.error() == null) return CompletableFuture.completedFuture(l);
      var holders = l.experiments().keySet().stream().filter(h -> !h.equals(id)).toList();
      var views = holders.stream().map(h -> view(h).toCompletableFuture()).toList();
      return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new)).thenCompose(x -> {
        var stale = new ArrayList<String>();
        for (int i = 0; i < holders.size(); i++) {
          var st = views.get(i).join().reply();
          if (st.notFound() || (!"running".equals(st.status()) && !"paused".equals(st.status()))) stale.add(holders.get(i));
        }
        if (stale.isEmpty()) return CompletableFuture.completedFuture(l);
        CompletionStage<Layer.Reply> released = CompletableFuture.completedFuture(l);
        for (var h : stale) released = released.thenCompose(y -> layer(layerName, r -> new Layer.Do("release", h, null, "system", r)));
        return released.thenCompose(y -> layer(layerName, r -> new Layer.Do("reserve", id, share, by, r)));
      });
    });
  }

  public CompletionStage<Reply> ramp(String id, double traffic, String by) {
    return this.<Reply>experiment(id, r -> new Experiment.Ramp(traffic, by, r));
  }

  /** {@code allocations}: variant id → weight; every variant of the definition must be given. */
  public CompletionStage<Reply> reallocate(String id, Map<String, Double> allocations, String by) {
    return view(id).thenCompose(v -> {
      if (v.reply().notFound()) return CompletableFuture.completedFuture(v.reply());
      var weights = new ArrayList<Double>();
      for (var variant : v.reply().spec().variants()) {
        var w = allocations.get(variant.variantId());
        if (w == null) return CompletableFuture.completedFuture(refusal(v.reply(), "bad_request", "no allocation for variant " + variant.variantId()));
        weights.add(w);
      }
      if (allocations.size() != weights.size()) {
        return CompletableFuture.completedFuture(refusal(v.reply(), "bad_request", "unknown variant ids in " + allocations.keySet()));
      }
      return this.<Reply>experiment(id, r -> new Experiment.ChangeAllocation(weights, "manual", by, r));
    });
  }

  /** Recomputes the weights of a running {@code thompson} experiment from its results so far (see {@link ThompsonAllocation}). */
  public CompletionStage<ThompsonUpdate> thompson(String id, String by) {
    return view(id).thenCompose(v -> {
      var r = v.reply();
      if (r.notFound() || r.error() != null) return CompletableFuture.completedFuture(new ThompsonUpdate(r, List.of(), List.of(), List.of()));
      if (!"thompson".equals(r.spec().allocationMode()) || !"running".equals(r.status())) {
        return CompletableFuture.completedFuture(new ThompsonUpdate(refusal(r, "experiment " + id + " must be running with allocation_mode"
            + " thompson (it is " + r.status() + ", " + r.spec().allocationMode() + ")"), List.of(), List.of(), List.of()));
      }
      return exposures.rows(id).thenCompose(rows -> {
        var arms = arms(r, rows);
        long seed = arms.stream().mapToLong(a -> a.users() * 31 + a.conversions()).sum() ^ id.hashCode();
        var best = ThompsonAllocation.probabilityBest(arms, seed);
        var weights = ThompsonAllocation.weights(arms, seed);
        return this.<Reply>experiment(id, ref -> new Experiment.ChangeAllocation(weights, "thompson", by, ref))
            .thenApply(after -> new ThompsonUpdate(after, arms, best, weights));
      });
    });
  }

  /**
   * Per variant: users whose attribution window elapsed and their conversions, as the results count them. The
   * definition's success metric is a 0/1 one ({@link SpecParser} refuses {@code thompson} with any other).
   */
  private static List<ThompsonAllocation.Arm> arms(Reply r, List<ExposureProjection.Row> rows) {
    var results = Results.compute(r.spec(), r.status(), rows, Instant.now());
    var out = new ArrayList<ThompsonAllocation.Arm>();
    for (var v : results.variants()) {
      if (!(v.summary() instanceof ArmSummary.Proportion p)) {
        throw new IllegalStateException("thompson needs a 0/1 success metric, not " + results.successMetric().id);
      }
      out.add(new ThompsonAllocation.Arm(v.variantId(), v.eligibleUsers(), p.conversions()));
    }
    return out;
  }

  public CompletionStage<Layer.Reply> layer(String name) {
    return layer(name, r -> new Layer.Do("get", null, null, null, r));
  }

  public CompletionStage<Layer.Reply> holdout(String name, double share, String by) {
    return layer(name, r -> new Layer.Do("holdout", null, share, by, r));
  }

  private CompletionStage<Layer.Reply> layer(String name, Function<ActorRef<Layer.Reply>, Layer.Command> cmd) {
    return sharding.entityRefFor(Layer.ENTITY_KEY, name).ask(cmd::apply, askTimeout);
  }

  private <T> CompletionStage<T> experiment(String id, Function<ActorRef<T>, Experiment.Command> cmd) {
    return sharding.entityRefFor(Experiment.ENTITY_KEY, id).ask(cmd::apply, askTimeout);
  }

  private static Reply refusal(Reply r, String error) {
    return refusal(r, "conflict", error);
  }

  private static Reply refusal(Reply r, String code, String error) {
    return new Reply(r.spec(), r.status(), r.createdAt(), r.history(), error, code, List.of(), r.notFound());
  }
}
