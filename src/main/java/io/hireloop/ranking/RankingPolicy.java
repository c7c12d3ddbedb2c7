package io.hireloop.ranking;

import io.hireloop.ranking.Diversity.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The re-ranking policy (pure; no Pekko): the diversity-aware order ({@link Diversity}, weight λ) of the jobs by
 * predicted interview probability, then ε-greedy exploration of its top k slots ({@link Exploration}), each job with
 * its top-k inclusion probability (the logged propensity) and its reason.
 */
public final class RankingPolicy {
  private RankingPolicy() {}

  /**
   * @param diversityLambda λ of MMR, [0, 1]; 0 = the model's order ({@code hireloop.ranking.diversity-lambda})
   * @param explorationRate ε, [0, 1]: each top slot's chance of an exploration pick ({@code exploration-rate})
   * @param topK the slots explored, logged and evaluated ({@code top-k})
   */
  public record Settings(double diversityLambda, double explorationRate, int topK) {
    public Settings {
      if (!(diversityLambda >= 0 && diversityLambda <= 1)) throw new IllegalArgumentException("diversity-lambda must be in [0, 1]");
      if (!(explorationRate >= 0 && explorationRate <= 1)) throw new IllegalArgumentException("exploration-rate must be in [0, 1]");
      if (topK < 1) throw new IllegalArgumentException("top-k must be at least 1");
    }

    public Settings withTopK(int k) {
      return new Settings(diversityLambda, explorationRate, k);
    }
  }

  /** A job of the request: its id, predicted probability and {@link Diversity#FACETS} values. */
  public record Candidate(String jobId, double probability, List<String> facets) {}

  /**
   * One job's place.
   *
   * @param index the job's index in the request
   * @param position 1-based, best first
   * @param propensity the probability that this policy puts the job in the top k for this request ({@link Exploration})
   * @param detail for {@link Reason#DIVERSITY}, the facet it adds ("industry finance"); else null
   */
  public record Placed(int index, int position, Reason reason, String detail, double propensity) {
    public boolean explored() {
      return reason == Reason.EXPLORATION;
    }

    /** The reason as shown to a person. */
    public String reasonText() {
      return switch (reason) {
        case RELEVANCE -> "high predicted interview chance";
        case DIVERSITY -> detail == null ? "adds diversity: fewer traits shared with the jobs above" : "adds diversity: " + detail;
        case EXPLORATION -> "exploration";
      };
    }
  }

  /** The ranked jobs, best first; the first {@code topK} (at most all) are the slots the propensities refer to. */
  public record Ranking(List<Placed> placed, int topK) {}

  public static Ranking rank(List<Candidate> candidates, Settings s, long seed) {
    var order = Diversity.order(probabilities(candidates), facets(candidates), s.diversityLambda());
    var explored = Exploration.explore(order.indexes(), s.topK(), s.explorationRate(), new SplittableRandom(seed));
    var inclusion = Exploration.inclusion(candidates.size(), s.topK(), s.explorationRate());
    // each job's position in the diversity-aware order (its reason and its propensity come from there)
    var orderPosition = new int[candidates.size()];
    for (int pos = 0; pos < order.indexes().length; pos++) orderPosition[order.indexes()[pos]] = pos;
    var placed = new ArrayList<Placed>(candidates.size());
    for (int pos = 0; pos < explored.positions().length; pos++) {
      int idx = explored.positions()[pos];
      int o = orderPosition[idx];
      placed.add(explored.explored()[pos]
          ? new Placed(idx, pos + 1, Reason.EXPLORATION, null, inclusion.at(o))
          : new Placed(idx, pos + 1, order.reasons()[o], order.details()[o], inclusion.at(o)));
    }
    return new Ranking(List.copyOf(placed), Math.min(s.topK(), candidates.size()));
  }

  /** Every job's top-k inclusion probability under the policy (by request index); what an evaluated policy would do. */
  public static double[] inclusion(List<Candidate> candidates, Settings s) {
    var order = Diversity.order(probabilities(candidates), facets(candidates), s.diversityLambda());
    var inclusion = Exploration.inclusion(candidates.size(), s.topK(), s.explorationRate());
    var out = new double[candidates.size()];
    for (int pos = 0; pos < order.indexes().length; pos++) out[order.indexes()[pos]] = inclusion.at(pos);
    return out;
  }

  /** The seed of a request without one: a 64-bit FNV-1a hash of its request id, so the id alone reproduces the list. */
  public static long seedOf(String requestId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : requestId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static double[] probabilities(List<Candidate> candidates) {
    var p = new double[candidates.size()];
    for (int i = 0; i < p.length; i++) p[i] = candidates.get(i).probability();
    return p;
  }

  private static List<List<String>> facets(List<Candidate> candidates) {
    return candidates.stream().map(Candidate::facets).toList();
  }
}
