package io.hireloop.ranking;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Shannon entropy (bits) of the {@link Diversity#FACETS} values of a set of jobs (pure; no Pekko): how spread what a
 * user was shown, or applied to, is over industries, companies, seniorities and locations. Values are compared like
 * {@link Diversity} compares them (trimmed, lower case); a missing value is not counted. The mean over the facets that
 * have any value is the one figure that trends and alerts read.
 */
public final class FacetEntropy {
  private FacetEntropy() {}

  /**
   * @param byFacet facet → entropy in bits (0 with one distinct value or none), in {@link Diversity#FACETS} order
   * @param mean the mean of {@code byFacet} over facets with at least one value (0 when none has)
   * @param items how many jobs it was computed from
   */
  public record Entropies(Map<String, Double> byFacet, double mean, int items) {}

  /** Entropy of a count table, in bits. */
  public static double entropy(Map<String, Integer> counts) {
    long n = 0;
    for (int c : counts.values()) n += c;
    if (n == 0) return 0;
    double h = 0;
    for (int c : counts.values()) {
      if (c <= 0) continue;
      double p = (double) c / n;
      h -= p * Math.log(p);
    }
    return h / Math.log(2);
  }

  /** @param facetLists each job's {@link Diversity#FACETS} values (null entries and short lists allowed) */
  public static Entropies of(List<List<String>> facetLists) {
    int f = Diversity.FACETS.size();
    var counts = new java.util.ArrayList<Map<String, Integer>>(f);
    for (int k = 0; k < f; k++) counts.add(new HashMap<>());
    for (var values : facetLists) {
      for (int k = 0; k < f; k++) {
        var v = values == null || values.size() <= k ? null : values.get(k);
        if (v == null || v.isBlank()) continue;
        counts.get(k).merge(v.trim().toLowerCase(Locale.ROOT), 1, Integer::sum);
      }
    }
    var byFacet = new LinkedHashMap<String, Double>();
    double sum = 0;
    int present = 0;
    for (int k = 0; k < f; k++) {
      double h = entropy(counts.get(k));
      byFacet.put(Diversity.FACETS.get(k), h);
      if (!counts.get(k).isEmpty()) {
        sum += h;
        present++;
      }
    }
    return new Entropies(byFacet, present == 0 ? 0 : sum / present, facetLists.size());
  }
}
