package io.hireloop.stats.causal;

import java.util.Arrays;

/**
 * One-to-one nearest-neighbour matching on a scalar score (by default the logit of the propensity score),
 * with replacement and a caliper. The other arm's scores are sorted once and each unit's neighbour is found
 * by binary search, so matching is O(n log n): 100,000 rows take milliseconds.
 *
 * <p>Caliper: a unit whose nearest neighbour is farther than the caliper is dropped (reported as
 * {@code droppedByCaliper}). The default, {@link #defaultCaliper}, is 0.2 × the standard deviation of the
 * logit of the propensity score over all units (Austin 2011, "Optimal caliper widths for propensity-score
 * matching"). Ties in distance go to the lower score.
 *
 * <p>Estimands: ATT matches every treated unit to its nearest control; ATC matches every control to its
 * nearest treated unit; ATE matches both ways and averages the two, weighted by the number of matched units
 * in each direction. Standard error: the Abadie–Imbens (2006, eq. 14 for the ATT) estimator
 * Σ(dᵢ − τ)²/N² + Σⱼ Kⱼ(Kⱼ − 1)·σ̂²ⱼ/N², where dᵢ is a matched difference, Kⱼ counts how often unit j serves as a
 * match and σ̂²ⱼ is j's conditional outcome variance, estimated by matching j to the {@value #VARIANCE_NEIGHBOURS}
 * nearest units of its own arm on the same score: σ̂²ⱼ = J/(J + 1)·(yⱼ − mean of those J)² (Abadie &amp; Imbens 2006,
 * section 4.1; J = 2 as Stata's teffects default). The plain outcome variance of the arm would also count the
 * variation that the score explains and overstate the reuse term. The estimation of the propensity score itself
 * is ignored (Abadie &amp; Imbens 2016 give that adjustment); a bootstrap interval is the alternative.
 */
public final class Matching {
  /** Same-arm neighbours used to estimate a unit's conditional outcome variance. */
  public static final int VARIANCE_NEIGHBOURS = 2;

  private Matching() {}

  /** Matched-sample estimate with counts and the weight each unit carries in the matched sample. */
  public record Result(String estimand, double estimate, double stdError, int nTreated, int nControl,
      int matchedTreated, int matchedControl, int droppedByCaliper, double caliper, double[] weights) {}

  /** 0.2 × sd of the scores (pass logits to follow Austin's rule). */
  public static double defaultCaliper(double[] logits) {
    return 0.2 * Math.sqrt(Stats.variance(logits));
  }

  /**
   * @param score matching score per row (e.g. {@link Propensity.Fit#logits()})
   * @param estimand "att", "atc" or "ate"
   * @param caliper maximum score distance; {@code Double.POSITIVE_INFINITY} for none
   */
  public static Result match(double[] score, int[] t, double[] y, String estimand, double caliper) {
    int n = y.length;
    Stats.checkTreatment(t, n);
    var weights = new double[n];
    int nT = Stats.count(t, 1), nC = n - nT;
    switch (estimand) {
      case "att" -> {
        var d = direction(score, t, y, 1, caliper, weights);
        return new Result("att", d.estimate, Math.sqrt(d.variance), nT, nC, d.matchedFocal, d.distinctMatches, d.dropped, caliper, weights);
      }
      case "atc" -> {
        var d = direction(score, t, y, 0, caliper, weights);
        return new Result("atc", d.estimate, Math.sqrt(d.variance), nT, nC, d.distinctMatches, d.matchedFocal, d.dropped, caliper, weights);
      }
      case "ate" -> {
        var w1 = new double[n];
        var w0 = new double[n];
        var att = direction(score, t, y, 1, caliper, w1);
        var atc = direction(score, t, y, 0, caliper, w0);
        int m = att.matchedFocal + atc.matchedFocal;
        if (m == 0) throw new IllegalArgumentException("no unit has a match within the caliper " + caliper);
        double f1 = (double) att.matchedFocal / m, f0 = (double) atc.matchedFocal / m;
        double est = f1 * nanToZero(att.estimate) + f0 * nanToZero(atc.estimate);
        double var = f1 * f1 * nanToZero(att.variance) + f0 * f0 * nanToZero(atc.variance);
        for (int i = 0; i < n; i++) weights[i] = w1[i] + w0[i];
        int matchedTreated = 0, matchedControl = 0;
        for (int i = 0; i < n; i++) {
          if (weights[i] > 0 && t[i] == 1) matchedTreated++;
          if (weights[i] > 0 && t[i] == 0) matchedControl++;
        }
        return new Result("ate", est, Math.sqrt(var), nT, nC, matchedTreated, matchedControl, att.dropped + atc.dropped, caliper, weights);
      }
      default -> throw new IllegalArgumentException("estimand must be att, atc or ate, got '" + estimand + "'");
    }
  }

  private static double nanToZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  private record Direction(double estimate, double variance, int matchedFocal, int distinctMatches, int dropped) {}

  /** Matches every unit with t = focal to its nearest unit of the other arm; adds matched-sample weights. */
  private static Direction direction(double[] score, int[] t, double[] y, int focal, double caliper, double[] weights) {
    int n = y.length;
    int m = Stats.count(t, 1 - focal);
    var poolScore = new double[m];
    var poolIndex = new int[m];
    // sort the other arm by score: indices ordered by score
    var idx = new int[m];
    int k = 0;
    for (int i = 0; i < n; i++) if (t[i] != focal) idx[k++] = i;
    sortByScore(idx, score);
    for (int i = 0; i < m; i++) {
      poolIndex[i] = idx[i];
      poolScore[i] = score[idx[i]];
    }
    var uses = new int[m];
    double sum = 0;
    int matched = 0, dropped = 0;
    var diffs = new double[n];
    var matchedIdx = new int[n];
    for (int i = 0; i < n; i++) {
      if (t[i] != focal) continue;
      int pos = Arrays.binarySearch(poolScore, score[i]);
      int best;
      if (pos >= 0) {
        best = pos;
      } else {
        int ins = -pos - 1;
        if (ins == 0) best = 0;
        else if (ins == m) best = m - 1;
        else best = (score[i] - poolScore[ins - 1] <= poolScore[ins] - score[i]) ? ins - 1 : ins;
      }
      if (Math.abs(poolScore[best] - score[i]) > caliper) {
        dropped++;
        continue;
      }
      uses[best]++;
      double d = focal == 1 ? y[i] - y[poolIndex[best]] : y[poolIndex[best]] - y[i];
      diffs[matched] = d;
      matchedIdx[matched] = best;
      matched++;
      sum += d;
      weights[i] += 1;
      weights[poolIndex[best]] += 1;
    }
    if (matched == 0) return new Direction(Double.NaN, Double.NaN, 0, 0, dropped);
    double est = sum / matched;
    double ss = 0;
    for (int r = 0; r < matched; r++) ss += (diffs[r] - est) * (diffs[r] - est);
    // reuse term: Kⱼ(Kⱼ − 1) times the conditional variance of each reused match
    int used = 0;
    double reuse = 0;
    for (int j = 0; j < m; j++) {
      if (uses[j] == 0) continue;
      used++;
      if (uses[j] > 1) reuse += (double) uses[j] * (uses[j] - 1) * conditionalVariance(j, poolScore, poolIndex, y);
    }
    double var = (ss + reuse) / ((double) matched * matched);
    return new Direction(est, var, matched, used, dropped);
  }

  /**
   * σ̂² of the unit at position j of its arm (sorted by score): J/(J + 1)·(y_j − mean of its J nearest same-arm
   * neighbours by score)², J = min(VARIANCE_NEIGHBOURS, arm size − 1); 0 for an arm of one.
   */
  static double conditionalVariance(int j, double[] sortedScore, int[] index, double[] y) {
    int m = sortedScore.length;
    int want = Math.min(VARIANCE_NEIGHBOURS, m - 1);
    if (want <= 0) return 0;
    int left = j - 1, right = j + 1;
    double sum = 0;
    for (int taken = 0; taken < want; taken++) {
      boolean takeLeft = right >= m
          || (left >= 0 && sortedScore[j] - sortedScore[left] <= sortedScore[right] - sortedScore[j]);
      sum += y[index[takeLeft ? left-- : right++]];
    }
    double dev = y[index[j]] - sum / want;
    return (double) want / (want + 1) * dev * dev;
  }

  /** Sorts indices by score (ties by index), without boxing. */
  private static void sortByScore(int[] idx, double[] score) {
    int m = idx.length;
    var keys = new double[m];
    for (int i = 0; i < m; i++) keys[i] = score[idx[i]];
    quickSort(keys, idx, 0, m - 1);
  }

  private static void quickSort(double[] keys, int[] idx, int lo, int hi) {
    while (lo < hi) {
      if (hi - lo < 16) {
        for (int i = lo + 1; i <= hi; i++) {
          double k = keys[i];
          int v = idx[i];
          int j = i - 1;
          while (j >= lo && (keys[j] > k || (keys[j] == k && idx[j] > v))) {
            keys[j + 1] = keys[j];
            idx[j + 1] = idx[j];
            j--;
          }
          keys[j + 1] = k;
          idx[j + 1] = v;
        }
        return;
      }
      double pivot = keys[(lo + hi) >>> 1];
      int i = lo, j = hi;
      while (i <= j) {
        while (keys[i] < pivot) i++;
        while (keys[j] > pivot) j--;
        if (i <= j) {
          double tk = keys[i];
          keys[i] = keys[j];
          keys[j] = tk;
          int ti = idx[i];
          idx[i] = idx[j];
          idx[j] = ti;
          i++;
          j--;
        }
      }
      if (j - lo < hi - i) {
        quickSort(keys, idx, lo, j);
        lo = i;
      } else {
        quickSort(keys, idx, i, hi);
        hi = j;
      }
    }
  }
}
