package io.hireloop.recommendations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.hireloop.config.ConfigChannel;
import io.hireloop.config.Provenance;
import io.hireloop.experiment.Experiment;
import io.hireloop.experiment.ExperimentClaims;
import io.hireloop.experiment.SpecParser;
import io.hireloop.platform.Json;
import io.hireloop.recommendations.Recommendation.Route;
import io.hireloop.recommendations.Recommendation.Status;
import io.hireloop.recommendations.RecommendationBook.Outcome;
import io.hireloop.recommendations.RecommendationBook.Submitted;
import io.hireloop.stats.Power;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public API of recommendations, one per node: producers {@link #submit} findings, admins {@link #approve} or
 * {@link #reject} them, and this class carries out what a recommendation's route and status call for:
 * <ul>
 *   <li>{@code approved} (by the rules at submission, or by an admin): written to the component's config with
 *   provenance {@code learning} (rules) or {@code approval} (admin), keyed by the recommendation so a retry writes
 *   nothing twice — unless a running experiment owns one of its keys ({@link ExperimentClaims}): then it is
 *   {@code waiting_for_experiment}, naming the experiment, and applied when {@link #recheck} finds the experiment
 *   ended (the {@link RecommendationSweeper} rechecks on every experiment change and every {@code recheck-every});</li>
 *   <li>{@code to_test}: a DRAFT experiment through the experiment platform ({@link SpecParser}, {@link Experiment.Define}):
 *   the change as the {@code treatment} variant, the current value as {@code control}; an admin reviews and starts it;</li>
 *   <li>{@code pending_review}: nothing until an admin decides.</li>
 * </ul>
 * Every step is recorded in {@link RecommendationBook} first or reported to it after, so an interrupted step is taken
 * again by the next recheck.
 */
public final class Recommendations implements Extension {
  private static final Logger log = LoggerFactory.getLogger(Recommendations.class);

  private static final ExtensionId<Recommendations> ID = new ExtensionId<>() {
    @Override
    public Recommendations createExtension(ActorSystem<?> system) {
      return new Recommendations(system, Settings.from(system.settings().config()));
    }
  };

  public static Recommendations get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** The entity, the node's API and the sweeper singleton. */
  public static Recommendations init(ActorSystem<?> system) {
    RecommendationBook.init(system);
    var recommendations = get(system);
    RecommendationSweeper.initSingleton(system, recommendations, recommendations.settings.recheckEvery());
    return recommendations;
  }

  /** The draft experiment of an {@code a_b_test} route: {@code hireloop.recommendations.a-b-test}. */
  public record ExperimentSettings(double treatmentAllocation, long minimumSampleSize, double maximumDurationDays,
      double attributionWindowDays, List<String> guardrailMetrics, double baselineRate) {
    static ExperimentSettings from(Config c) {
      return new ExperimentSettings(c.getDouble("treatment-allocation"), c.getLong("minimum-sample-size"),
          c.getDouble("maximum-duration-days"), c.getDouble("attribution-window-days"), c.getStringList("guardrail-metrics"),
          c.getDouble("baseline-rate"));
    }
  }

  public record Settings(RoutingRules.Settings rules, ExperimentSettings experiment, Duration recheckEvery, Duration askTimeout) {
    public static Settings from(Config config) {
      var c = config.getConfig("hireloop.recommendations");
      return new Settings(RoutingRules.Settings.from(c.getConfig("rules")), ExperimentSettings.from(c.getConfig("rules.a-b-test")),
          c.getDuration("recheck-every"), config.getDuration("hireloop.http.ask-timeout"));
    }
  }

  /** A draft that may not be submitted; {@code problems} name each field. */
  public static final class InvalidDraft extends IllegalArgumentException {
    public final List<String> problems;

    InvalidDraft(List<String> problems) {
      super("invalid recommendation draft: " + String.join("; ", problems));
      this.problems = problems;
    }
  }

  private final ActorSystem<?> system;
  private final Settings settings;
  private final RoutingRules rules;
  private final ClusterSharding sharding;
  private final ExperimentClaims claims;

  private Recommendations(ActorSystem<?> system, Settings settings) {
    this.system = system;
    this.settings = settings;
    this.rules = new RoutingRules(settings.rules());
    this.sharding = ClusterSharding.get(system);
    this.claims = new ExperimentClaims(system, settings.askTimeout());
  }

  public Settings settings() {
    return settings;
  }

  /** What this node knows of the experiments that own config keys (the check before a change is applied). */
  public ExperimentClaims claims() {
    return claims;
  }

  // ------------------------------------------------------------------ the API

  /**
   * Routes and records the draft, then carries out its route; completes with the recommendation as it stands after
   * that (applied, waiting, experiment created or pending review). A dedup key seen before: the existing one, untouched.
   * Fails with {@link InvalidDraft} for a draft with problems (nothing recorded).
   */
  public CompletionStage<Submitted> submit(RecommendationDraft draft) {
    var problems = draft.problems();
    if (!problems.isEmpty()) return CompletableFuture.failedFuture(new InvalidDraft(problems));
    var routing = rules.route(draft);
    return book().<Submitted>ask(r -> new RecommendationBook.Submit(draft, routing.route(), routing.reasons(), r), settings.askTimeout())
        .thenCompose(s -> s.duplicate() ? done(s) : advance(s.recommendation()).thenApply(r -> new Submitted(r, false)));
  }

  /** An admin approves a {@code pending_review} recommendation; its change is then applied (or waits). */
  public CompletionStage<Outcome> approve(String id, String by, String reason) {
    return book().<Outcome>ask(r -> new RecommendationBook.Approve(id, by, reason, r), settings.askTimeout())
        .thenCompose(o -> o.ok() ? advance(o.recommendation()).thenApply(r -> new Outcome(r, null, null)) : done(o));
  }

  public CompletionStage<Outcome> reject(String id, String by, String reason) {
    return book().ask(r -> new RecommendationBook.Reject(id, by, reason, r), settings.askTimeout());
  }

  public CompletionStage<Outcome> get(String id) {
    return book().ask(r -> new RecommendationBook.Get(id, r), settings.askTimeout());
  }

  /** {@code status} null: all, in submission order. */
  public CompletionStage<List<Recommendation>> list(Status status) {
    return book().<RecommendationBook.Listing>ask(r -> new RecommendationBook.ListAll(status, r), settings.askTimeout())
        .thenApply(RecommendationBook.Listing::recommendations);
  }

  /** Takes the next step of every recommendation that has one to take (approved, waiting, to test); answers how many moved. */
  public CompletionStage<Integer> recheck() {
    return list(null).thenCompose(all -> {
      CompletionStage<Integer> chain = done(0);
      for (var r : all) {
        if (r.status() != Status.APPROVED && r.status() != Status.WAITING_FOR_EXPERIMENT && r.status() != Status.TO_TEST) continue;
        chain = chain.thenCompose(n -> advance(r).thenApply(after -> after.status() != r.status() ? n + 1 : n));
      }
      return chain;
    });
  }

  // ------------------------------------------------------------------ carrying out a route

  /** The next step of {@code r}; on failure the recommendation as recorded (the next recheck tries again). */
  CompletionStage<Recommendation> advance(Recommendation r) {
    CompletionStage<Recommendation> step = switch (r.status()) {
      case APPROVED, WAITING_FOR_EXPERIMENT -> apply(r);
      case TO_TEST -> draftExperiment(r);
      default -> done(r);
    };
    return step.exceptionallyCompose(t -> {
      log.warn("recommendation {}: the {} step failed, retried at the next recheck: {}", r.id(), r.status().wire(), t.toString());
      return get(r.id()).thenApply(o -> o.ok() ? o.recommendation() : r);
    });
  }

  /**
   * Waits while a running experiment owns one of the change's keys; otherwise writes the config and records the version.
   * The check and the write are two asks: an experiment started between them (milliseconds) does not stop this write;
   * it is the experiment that starts on top of the new value then.
   */
  private CompletionStage<Recommendation> apply(Recommendation r) {
    var change = r.change();
    return claims.owner(change.component(), change.keys()).thenCompose(owner -> {
      if (owner.isPresent()) {
        return book().<Outcome>ask(x -> RecommendationBook.Report.blocked(r.id(), owner.get().experimentId(), x), settings.askTimeout())
            .thenApply(o -> current(o, r));
      }
      return book().<Outcome>ask(x -> RecommendationBook.Report.unblocked(r.id(), x), settings.askTimeout()).thenCompose(unblocked -> {
        if (!unblocked.ok()) return done(current(unblocked, r)); // rejected meanwhile
        var provenance = r.route() == Route.AUTO_APPLY ? Provenance.LEARNING : Provenance.APPROVAL;
        String reason = "recommendation " + r.id() + " (" + r.route().wire() + "): " + r.title()
            + (r.decisionReason() == null || r.route() == Route.AUTO_APPLY ? "" : " — approved: " + r.decisionReason());
        return channel(change.component()).<ConfigChannel.Change>ask(x -> new ConfigChannel.ApplyChange(key(r.id()), change.valuesJson(),
                provenance, r.evidence().source(), reason, r.decidedBy(), r.evidence().confidence(), r.id(), x), settings.askTimeout())
            .thenCompose(written -> {
              if (!written.ok()) {
                return book().<Outcome>ask(x -> RecommendationBook.Report.failed(r.id(), written.message(), x), settings.askTimeout())
                    .thenApply(o -> current(o, r));
              }
              return book().<Outcome>ask(x -> RecommendationBook.Report.applied(r.id(), written.version().version(), x), settings.askTimeout())
                  .thenApply(o -> current(o, r));
            });
      });
    });
  }

  /** The idempotency key of a recommendation's config write. */
  public static String key(String recommendationId) {
    return "recommendation:" + recommendationId;
  }

  /** The id of the draft experiment of an {@code a_b_test} recommendation. */
  public static String experimentId(String recommendationId) {
    return recommendationId + "-ab";
  }

  /** Defines the draft experiment (an existing one with its id is this recommendation's, from an interrupted try). */
  private CompletionStage<Recommendation> draftExperiment(Recommendation r) {
    return channel(r.change().component()).<ConfigChannel.Current>ask(ConfigChannel.Get::new, settings.askTimeout()).thenCompose(current -> {
      var parsed = SpecParser.parse(experimentBody(r, Json.read(current.current().valuesJson())));
      if (!parsed.ok()) {
        String problem = "the draft experiment is invalid: " + parsed.problems().stream().map(p -> p.field() + " " + p.problem()).toList();
        return book().<Outcome>ask(x -> RecommendationBook.Report.failed(r.id(), problem, x), settings.askTimeout()).thenApply(o -> current(o, r));
      }
      String id = parsed.spec().experimentId();
      return sharding.entityRefFor(Experiment.ENTITY_KEY, id)
          .<Experiment.Reply>ask(x -> new Experiment.Define(parsed.spec(), RecommendationBook.SYSTEM, x), settings.askTimeout())
          .thenCompose(defined -> book().<Outcome>ask(x -> RecommendationBook.Report.experimentCreated(r.id(), id, x), settings.askTimeout()))
          .thenApply(o -> current(o, r));
    });
  }

  /** The experiment definition (POST /api/v1/experiments's body) that tests the change's one parameter. */
  ObjectNode experimentBody(Recommendation r, com.fasterxml.jackson.databind.JsonNode currentValues) {
    var e = settings.experiment();
    String parameter = r.change().keys().iterator().next();
    var treatment = Json.read(r.change().valuesJson()).get(parameter);
    var body = Json.MAPPER.createObjectNode();
    body.put("experiment_id", experimentId(r.id()));
    body.put("name", r.title());
    body.put("hypothesis", "recommendation " + r.id() + " (" + r.evidence().source() + "): setting " + parameter + " to " + treatment
        + " changes " + r.impact().metric() + " by " + r.impact().expected() + " [" + r.impact().low() + ", " + r.impact().high() + "]");
    body.put("component", r.change().component());
    body.put("parameter", parameter);
    var variants = body.putArray("variants");
    var control = variants.addObject();
    control.put("variant_id", "control");
    control.set("value", currentValues.get(parameter));
    control.put("allocation", 1 - e.treatmentAllocation());
    var t = variants.addObject();
    t.put("variant_id", "treatment");
    t.set("value", treatment);
    t.put("allocation", e.treatmentAllocation());
    String metric = SpecParser.SUCCESS_METRICS.contains(r.impact().metric()) ? r.impact().metric() : "interview_rate";
    body.put("success_metric", metric);
    var guardrails = body.putArray("guardrail_metrics");
    e.guardrailMetrics().stream().filter(g -> !g.equals(metric)).forEach(guardrails::add);
    body.put("minimum_sample_size", sampleSize(r.impact().expected()));
    body.put("maximum_duration_days", e.maximumDurationDays());
    body.put("attribution_window_days", e.attributionWindowDays());
    body.put("expected_improvement", Math.max(-10, Math.min(10, r.impact().expected())));
    body.put("baseline_rate", e.baselineRate());
    body.put("rollback_plan", "keep " + r.change().component() + "." + parameter + " at " + currentValues.get(parameter)
        + " (the control); recommendation " + r.id());
    return body;
  }

  /** Users per variant to detect the expected lift at the baseline rate (α 0.05, power 0.8), at least the setting. */
  private long sampleSize(double expectedLift) {
    var e = settings.experiment();
    double mde = e.baselineRate() * Math.abs(expectedLift);
    if (!(mde > 0) || e.baselineRate() + mde >= 1) return e.minimumSampleSize();
    return Math.min(1_000_000_000L, Math.max(e.minimumSampleSize(), Power.sampleSizeProportions(e.baselineRate(), mde, 0.05, 0.8)));
  }

  private static Recommendation current(Outcome o, Recommendation before) {
    return o.recommendation() != null ? o.recommendation() : before;
  }

  private EntityRef<RecommendationBook.Command> book() {
    return sharding.entityRefFor(RecommendationBook.ENTITY_KEY, RecommendationBook.ID);
  }

  private EntityRef<ConfigChannel.Command> channel(String component) {
    return sharding.entityRefFor(ConfigChannel.ENTITY_KEY, component);
  }

  private static <T> CompletionStage<T> done(T v) {
    return CompletableFuture.completedFuture(v);
  }
}
