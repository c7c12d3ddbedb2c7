package io.hireloop.experiment;

import io.hireloop.config.ConfigChannel;
import io.hireloop.platform.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Rolls a winner back into the platform: its value becomes a new version of the component's config
 * (pushed to {@code config:<component>} subscribers), then the experiment is marked {@code rolled_out}.
 * Automatic only when the results' decision is {@code roll_out_winner} (every check of record passed);
 * otherwise an admin's approval names the variant. Config first, status second: a failure in between
 * leaves the config applied and the experiment running, and a retry applies one more (identical) version.
 */
public final class ExperimentRollouts {

  /** {@code problem} non-null: refused ({@code code}: not_found | conflict); else the applied config and experiment. */
  public record Outcome(String code, String problem, List<Map<String, Object>> failedChecks,
      ConfigChannel.ConfigVersion config, Experiment.Reply experiment) {}

  private final ClusterSharding sharding;
  private final ExposureProjection exposures;
  private final Duration askTimeout;

  public ExperimentRollouts(ActorSystem<?> system, ExposureProjection exposures, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.exposures = exposures;
    this.askTimeout = askTimeout;
  }

  /** {@code approvedVariant} null: automatic rollout, only if every check passes. */
  @SuppressWarnings("unchecked")
  public CompletionStage<Outcome> rollout(String experimentId, String by, String approvedVariant) {
    var ref = sharding.entityRefFor(Experiment.ENTITY_KEY, experimentId);
    return ref.<Experiment.Reply>ask(Experiment.Get::new, askTimeout).thenCompose(exp -> {
      if (exp.notFound()) return done(new Outcome("not_found", "no experiment '" + experimentId + "'", List.of(), null, null));
      var spec = exp.spec();
      if (!Experiment.TRANSITIONS.get("rollout").from().contains(exp.status())) {
        return done(new Outcome("conflict", "cannot roll out an experiment that is " + exp.status(), List.of(), null, null));
      }
      if (spec.control() == null) return done(new Outcome("conflict", "the experiment has no variants", List.of(), null, null));
      return exposures.rows(experimentId).thenCompose(rows -> {
        var results = Results.compute(spec, exp.status(), rows, Instant.now());
        String variantId;
        if (approvedVariant == null) {
          if (!"roll_out_winner".equals(results.get("decision"))) {
            var failed = ((List<Map<String, Object>>) results.get("checks")).stream().filter(c -> !(boolean) c.get("pass")).toList();
            return done(new Outcome("conflict", "decision is " + results.get("decision")
                + ", not roll_out_winner: an admin may POST .../approve with a variant_id", failed, null, null));
          }
          variantId = (String) results.get("winner");
        } else {
          variantId = approvedVariant;
        }
        var variant = spec.variants().stream().filter(v -> v.variantId().equals(variantId)).findFirst().orElse(null);
        if (variant == null) return done(new Outcome("conflict", "no variant '" + variantId + "'", List.of(), null, null));
        var values = new LinkedHashMap<String, Object>();
        values.put(spec.parameter(), Json.read(variant.value()));
        String source = "experiment " + experimentId + " variant " + variantId + (approvedVariant == null ? "" : " approved by " + by);
        return sharding.entityRefFor(ConfigChannel.ENTITY_KEY, spec.component())
            .<ConfigChannel.Proposed>ask(r -> new ConfigChannel.ApplyFromExperiment(Json.write(values), source, r), askTimeout)
            .thenCompose(applied -> ref.<Experiment.Reply>ask(r -> new Experiment.ChangeStatus("rollout", by, r), askTimeout)
                .thenApply(after -> after.error() != null
                    ? new Outcome("conflict", after.error(), List.of(), applied.version(), after)
                    : new Outcome(null, null, List.of(), applied.version(), after)));
      });
    });
  }

  private static <T> CompletionStage<T> done(T v) {
    return CompletableFuture.completedFuture(v);
  }
}
