package io.hireloop.ranking;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.learning.EnsemblePredictor;
import io.hireloop.ranking.RankingLog.LoggedJob;
import io.hireloop.ranking.RankingLog.LoggedRanking;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code POST /api/v1/users/{id}/rerank}: the champion's interview probability for every job with the user's
 * history (one batch, no explanations), then {@link RankingPolicy} — diversity-aware order, ε-greedy exploration of
 * the top k with logged propensities, a reason per job — and the served list to {@link RankingLog}, never awaited.
 */
public final class Reranker {
  /** A job to rank: its id (the key outcomes are joined by) and its application context. */
  public record Job(String jobId, ApplicationContext context) {}

  /** @param seed the exploration's random numbers; the same seed (by default the request id's) gives the same list */
  public record Request(String requestId, long seed, String userId, List<Job> jobs) {}

  /** One ranked job as served. */
  public record RankedJob(String jobId, int index, int position, double probability, RankingPolicy.Placed placed) {}

  /** The ranked list, best first. */
  public record Result(String requestId, String userId, int modelVersion, RankingPolicy.Settings policy, long seed, List<RankedJob> jobs) {

    /** The document of {@code POST /api/v1/users/{id}/rerank} (docs/API.md). */
    public Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("request_id", requestId);
      m.put("user_id", userId);
      m.put("model_version", modelVersion);
      var p = new LinkedHashMap<String, Object>();
      p.put("diversity_lambda", policy.diversityLambda());
      p.put("exploration_rate", policy.explorationRate());
      p.put("top_k", policy.topK());
      p.put("seed", seed);
      m.put("policy", p);
      m.put("jobs", jobs.stream().map(j -> {
        var o = new LinkedHashMap<String, Object>();
        o.put("job_id", j.jobId());
        o.put("index", j.index());
        o.put("position", j.position());
        o.put("probability", j.probability());
        o.put("in_top_k", j.position() <= Math.min(policy.topK(), jobs.size()));
        o.put("explored", j.placed().explored());
        o.put("propensity", j.placed().propensity());
        o.put("reason", j.placed().reasonText());
        return o;
      }).toList());
      return m;
    }
  }

  private final EnsemblePredictor predictor;
  private final RankingPolicy.Settings settings;
  private final RankingLog log;
  private final Function<String, CompletionStage<RankingPolicy.Settings>> perUser;

  /** @param log where every served list goes; null: none are logged */
  public Reranker(EnsemblePredictor predictor, RankingPolicy.Settings settings, RankingLog log) {
    this(predictor, settings, log, user -> CompletableFuture.completedFuture(settings));
  }

  /**
   * @param perUser the settings for a user's list: their personal λ and ε (io.hireloop.personal), the global
   *     {@code settings} until their evidence suffices; each list is logged with the settings it was ranked by
   */
  public Reranker(EnsemblePredictor predictor, RankingPolicy.Settings settings, RankingLog log,
      Function<String, CompletionStage<RankingPolicy.Settings>> perUser) {
    this.predictor = predictor;
    this.settings = settings;
    this.log = log;
    this.perUser = perUser;
  }

  /** The global settings (a user's list may be ranked by their personal λ and ε). */
  public RankingPolicy.Settings settings() {
    return settings;
  }

  /** Fails with {@link io.hireloop.learning.NoModelYet} while there is no champion. */
  public CompletionStage<Result> rerank(Request request) {
    var contexts = request.jobs().stream().map(Job::context).toList();
    return perUser.apply(request.userId()).thenCompose(settings -> predictor.predictRanked(request.userId(), contexts, 0).thenApply(scored -> {
      var at = Instant.now();
      var predictions = scored.ranked().predictions();
      var candidates = new ArrayList<RankingPolicy.Candidate>(contexts.size());
      for (int i = 0; i < contexts.size(); i++) {
        candidates.add(new RankingPolicy.Candidate(request.jobs().get(i).jobId(), predictions.get(i).probability(), facets(contexts.get(i))));
      }
      var result = result(request, scored.modelVersion(), candidates, settings);
      if (log != null) log.offer(logged(result, candidates, at));
      return result;
    }));
  }

  /** Ranks scored candidates (pure: what {@link #rerank} does after scoring). */
  public static Result result(Request request, int modelVersion, List<RankingPolicy.Candidate> candidates, RankingPolicy.Settings settings) {
    var ranking = RankingPolicy.rank(candidates, settings, request.seed());
    var jobs = new ArrayList<RankedJob>(candidates.size());
    for (var placed : ranking.placed()) {
      var c = candidates.get(placed.index());
      jobs.add(new RankedJob(c.jobId(), placed.index(), placed.position(), c.probability(), placed));
    }
    return new Result(request.requestId(), request.userId(), modelVersion, settings, request.seed(), List.copyOf(jobs));
  }

  static LoggedRanking logged(Result result, List<RankingPolicy.Candidate> candidates, Instant at) {
    var byIndex = new RankedJob[candidates.size()];
    for (var j : result.jobs()) byIndex[j.index()] = j;
    var jobs = Arrays.stream(byIndex).map(j -> new LoggedJob(j.jobId(), j.probability(), candidates.get(j.index()).facets(), j.position(),
        j.placed().propensity(), j.placed().explored())).toList();
    var p = result.policy();
    return new LoggedRanking(result.requestId(), result.userId(), at, result.modelVersion(), p.topK(), p.diversityLambda(),
        p.explorationRate(), result.seed(), jobs);
  }

  /** The {@link Diversity#FACETS} of a job's context (missing characteristics: nulls). */
  static List<String> facets(ApplicationContext c) {
    var j = c.jobCharacteristics();
    if (j == null) return Arrays.asList(null, null, null, null);
    return Arrays.asList(j.industry(), j.company(), j.seniority(), j.location());
  }
}
