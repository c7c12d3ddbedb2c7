package io.hireloop.ranking;

import io.hireloop.stats.OffPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Off-policy evaluation of a candidate re-ranking policy from {@code ranking_log}: the logged rankings whose
 * outcomes are known ({@link RankingOutcomes}), each candidate's top-k inclusion probability under the candidate
 * policy recomputed from the logged probabilities and facets ({@link RankingPolicy#inclusion}, with the ranking's
 * own k), and {@link OffPolicy}'s IPS, SNIPS and DR estimates of the interview rate of the top k, next to the
 * logging policy's observed value.
 *
 * <p>The DR reward model is the logged interview probability scaled to the outcome: {@code q̂ = min(1, β·p)} with
 * β = Σ r / Σ p over the shown jobs of the evaluated rankings (a shown job's reward needs an application as well as an
 * interview, so it sits below p by the apply rate). Fitted on the same rows, which leaves DR consistent.
 */
public final class RankingEvaluation {
  /** The evaluated policy: the same family as the serving one ({@link RankingPolicy}), each logged ranking's k. */
  public record CandidatePolicy(double diversityLambda, double explorationRate) {}

  /**
   * @param estimates null when no ranking is complete yet
   * @param rewardModelScale β of the DR reward model
   */
  public record Result(Instant since, Duration outcomeWindow, int rankingsLogged, int rankingsPending, CandidatePolicy policy,
      double rewardModelScale, OffPolicy.Estimates estimates) {

    /** The document of {@code GET /api/v1/ranking/evaluation} (docs/API.md). */
    public Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("since", since.toString());
      m.put("outcome_window_days", outcomeWindow.toMillis() / 86_400_000.0);
      m.put("rankings_logged", rankingsLogged);
      m.put("rankings_pending", rankingsPending);
      m.put("rankings_evaluated", estimates == null ? 0 : estimates.rankings());
      var candidate = new LinkedHashMap<String, Object>();
      candidate.put("diversity_lambda", policy.diversityLambda());
      candidate.put("exploration_rate", policy.explorationRate());
      m.put("candidate_policy", candidate);
      if (estimates == null) {
        m.put("logging_policy", null);
        m.put("estimates", null);
        m.put("diagnostics", null);
        return m;
      }
      m.put("confidence_level", estimates.observed().level());
      m.put("logging_policy", Map.of("observed_value", json(estimates.observed())));
      var e = new LinkedHashMap<String, Object>();
      e.put("ips", json(estimates.ips()));
      e.put("snips", json(estimates.snips()));
      e.put("dr", json(estimates.doublyRobust()));
      m.put("estimates", e);
      var d = new LinkedHashMap<String, Object>();
      d.put("effective_sample_size", estimates.effectiveSampleSize());
      d.put("max_weight", estimates.maxWeight());
      d.put("unsupported_share", estimates.unsupportedShare());
      d.put("reward_model_scale", rewardModelScale);
      m.put("diagnostics", d);
      return m;
    }

    private static Map<String, Object> json(OffPolicy.Estimate e) {
      var m = new LinkedHashMap<String, Object>();
      m.put("value", finite(e.value()));
      m.put("standard_error", finite(e.standardError()));
      m.put("ci_low", finite(e.low()));
      m.put("ci_high", finite(e.high()));
      return m;
    }

    private static Double finite(double x) {
      return Double.isFinite(x) ? x : null;
    }
  }

  /**
   * @param days how far back the log is read ({@code hireloop.ranking.evaluation.days})
   * @param maxRankings at most this many logged rankings, newest first ({@code max-rankings})
   * @param level of the confidence intervals ({@code confidence-level})
   * @param outcomeWindow a shown job's application counts within this time ({@code outcome-window})
   */
  public record Settings(int days, int maxRankings, double level, Duration outcomeWindow) {}

  private final ActorSystem<?> system;
  private final RankingLog log;
  private final RankingOutcomes outcomes;
  private final Settings settings;
  private final Executor executor;

  /** @param executor where the estimates are computed (a policy's order is recomputed for every logged ranking) */
  public RankingEvaluation(ActorSystem<?> system, RankingLog log, RankingOutcomes outcomes, Settings settings, Executor executor) {
    this.system = system;
    this.log = log;
    this.outcomes = outcomes;
    this.settings = settings;
    this.executor = executor;
  }

  public Settings settings() {
    return settings;
  }

  /** @param days how far back to read (null: the setting) */
  public CompletionStage<Result> evaluate(CandidatePolicy policy, Integer days) {
    var now = Instant.now();
    var since = now.minus(Duration.ofDays(days == null ? settings.days() : days));
    return log.since(since, settings.maxRankings()).thenCompose(logged -> {
      var users = new LinkedHashSet<String>();
      logged.forEach(r -> users.add(r.userId()));
      return Source.from(List.copyOf(users))
          .mapAsync(4, u -> outcomes.of(u).thenApply(o -> Map.entry(u, o)))
          .runWith(Sink.seq(), system)
          .thenComposeAsync(entries -> {
            var byUser = new java.util.HashMap<String, RankingOutcomes.UserOutcomes>();
            entries.forEach(e -> byUser.put(e.getKey(), e.getValue()));
            return CompletableFuture.completedFuture(evaluate(logged, byUser, policy, settings.outcomeWindow(), now, settings.level(), since));
          }, executor);
    });
  }

  /** The estimates from logged rankings and their users' outcomes (pure). */
  public static Result evaluate(List<RankingLog.LoggedRanking> logged, Map<String, RankingOutcomes.UserOutcomes> outcomes,
      CandidatePolicy policy, Duration window, Instant now, double level, Instant since) {
    var complete = new ArrayList<RankingLog.LoggedRanking>();
    var rewards = new ArrayList<double[]>();
    int pending = 0;
    double sumReward = 0, sumPredicted = 0;
    for (var r : logged) {
      var rw = RankingOutcomes.rewards(r, outcomes.getOrDefault(r.userId(), RankingOutcomes.UserOutcomes.NONE), window, now);
      if (rw.isEmpty()) {
        pending++;
        continue;
      }
      complete.add(r);
      rewards.add(rw.get());
      for (int i = 0; i < r.jobs().size(); i++) {
        if (r.jobs().get(i).position() > r.slots()) continue;
        sumReward += rw.get()[i];
        sumPredicted += r.jobs().get(i).probability();
      }
    }
    double beta = sumPredicted > 0 ? sumReward / sumPredicted : 0;
    if (complete.isEmpty()) return new Result(since, window, logged.size(), pending, policy, beta, null);
    var data = new ArrayList<OffPolicy.Ranking>(complete.size());
    for (int c = 0; c < complete.size(); c++) {
      var r = complete.get(c);
      var target = RankingPolicy.inclusion(r.candidates(),
          new RankingPolicy.Settings(policy.diversityLambda(), policy.explorationRate(), r.topK()));
      var items = new ArrayList<OffPolicy.Item>(r.jobs().size());
      for (int i = 0; i < r.jobs().size(); i++) {
        var job = r.jobs().get(i);
        boolean shown = job.position() <= r.slots();
        items.add(new OffPolicy.Item(shown, job.propensity(), target[i], Math.min(1, beta * job.probability()),
            shown ? rewards.get(c)[i] : 0));
      }
      data.add(new OffPolicy.Ranking(r.slots(), items));
    }
    return new Result(since, window, logged.size(), pending, policy, beta, OffPolicy.estimate(data, level));
  }
}
