package io.hireloop.ranking;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maximal marginal relevance over the jobs' facets (pure; no Pekko). Position after position it picks the job that
 * maximises {@code (1 − λ)·rel(j) − λ·max_{s picked} sim(j, s)}, where {@code rel(j) = p_j / max p} (the predicted
 * interview probability scaled to [0, 1], so that λ weighs two quantities of the same range) and {@code sim} is the
 * share of the four {@link #FACETS} two jobs have in common (a missing value matches nothing). λ = 0 is the model's
 * order; λ = 1 orders by novelty alone. Ties go to the higher probability, then to the earlier job of the request,
 * so the order is a function of its input.
 */
public final class Diversity {
  private Diversity() {}

  /** The facets similarity is measured on, in the order a diversity reason names them. */
  public static final List<String> FACETS = List.of("industry", "company", "seniority", "location");

  /** Why a job has its place in the diversity-aware order. */
  public enum Reason { RELEVANCE, DIVERSITY, EXPLORATION }

  /**
   * @param indexes the request's job indexes, best first
   * @param reasons per position: {@link Reason#RELEVANCE} when the pick is also the most probable job left,
   *     {@link Reason#DIVERSITY} when MMR preferred it to a more probable one
   * @param details per position, for a diversity pick: the first facet whose value no job above has ("industry
   *     finance"); null otherwise, or when every value of the pick was already shown (it shares fewer of them)
   */
  public record Order(int[] indexes, Reason[] reasons, String[] details) {}

  /**
   * @param probabilities each job's predicted interview probability
   * @param facets each job's {@link #FACETS} values (null entries allowed)
   */
  public static Order order(double[] probabilities, List<List<String>> facets, double lambda) {
    if (!(lambda >= 0 && lambda <= 1)) throw new IllegalArgumentException("diversity lambda must be in [0, 1], got " + lambda);
    int n = probabilities.length;
    if (facets.size() != n) throw new IllegalArgumentException("one facet list per job");
    int f = FACETS.size();
    // facet values as small integers per facet (-1: missing), so a similarity is four int comparisons
    var codes = new int[n][f];
    var dictionaries = new java.util.ArrayList<Map<String, Integer>>(f);
    for (int k = 0; k < f; k++) dictionaries.add(new HashMap<>());
    for (int i = 0; i < n; i++) {
      var values = facets.get(i);
      for (int k = 0; k < f; k++) {
        var v = values == null || values.size() <= k ? null : values.get(k);
        if (v == null || v.isBlank()) {
          codes[i][k] = -1;
        } else {
          var dict = dictionaries.get(k);
          codes[i][k] = dict.computeIfAbsent(v.trim().toLowerCase(Locale.ROOT), key -> dict.size());
        }
      }
    }
    double max = 0;
    for (double p : probabilities) max = Math.max(max, p);
    double scale = max > 0 ? 1 / max : 1;
    var maxSim = new double[n];
    var picked = new boolean[n];
    var seen = new boolean[f][];
    for (int k = 0; k < f; k++) seen[k] = new boolean[dictionaries.get(k).size()];
    var indexes = new int[n];
    var reasons = new Reason[n];
    var details = new String[n];
    for (int pos = 0; pos < n; pos++) {
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      int mostProbable = -1;
      for (int i = 0; i < n; i++) {
        if (picked[i]) continue;
        double score = (1 - lambda) * probabilities[i] * scale - lambda * maxSim[i];
        if (best < 0 || score > bestScore || (score == bestScore && probabilities[i] > probabilities[best])) {
          best = i;
          bestScore = score;
        }
        if (mostProbable < 0 || probabilities[i] > probabilities[mostProbable]) mostProbable = i;
      }
      indexes[pos] = best;
      picked[best] = true;
      if (probabilities[best] >= probabilities[mostProbable]) {
        reasons[pos] = Reason.RELEVANCE;
      } else {
        reasons[pos] = Reason.DIVERSITY;
        for (int k = 0; k < f; k++) {
          int c = codes[best][k];
          if (c >= 0 && !seen[k][c]) {
            details[pos] = FACETS.get(k) + " " + facets.get(best).get(k).trim();
            break;
          }
        }
      }
      for (int k = 0; k < f; k++) if (codes[best][k] >= 0) seen[k][codes[best][k]] = true;
      if (lambda > 0) {
        for (int i = 0; i < n; i++) {
          if (picked[i]) continue;
          int same = 0;
          for (int k = 0; k < f; k++) if (codes[i][k] >= 0 && codes[i][k] == codes[best][k]) same++;
          maxSim[i] = Math.max(maxSim[i], (double) same / f);
        }
      }
    }
    return new Order(indexes, reasons, details);
  }
}
