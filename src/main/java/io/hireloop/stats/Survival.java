package io.hireloop.stats;

import java.util.Arrays;
import java.util.Comparator;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.special.Erf;

/**
 * Right-censored time-to-event statistics: the Kaplan–Meier estimator with Greenwood's variance, the median
 * with its Brookmeyer–Crowley interval (inverting the log-log pointwise CI of S(t)), the log-rank test and the
 * restricted mean survival time (RMST, the area under the KM curve up to τ) with its variance and the
 * difference between two arms. Each observation is a time ≥ 0 and whether the event happened then (true) or
 * the subject was censored then (false). At a tied time, events come before censorings (the censored are
 * still at risk), as in R's {@code survival} and SAS.
 */
public final class Survival {
  private Survival() {}

  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);
  private static final double EPS = 1e-12;

  /**
   * The KM curve at each distinct observed time {@code times[j]} (ascending): at risk just before, events and
   * censorings there, S just after, and Greenwood's cumulative sum Σ d/(n(n − d)) over event times ≤ times[j]
   * (Var S = S² · sum; a term with n = d counts 0, as in R and survRM2).
   */
  public record Curve(int n, double[] times, int[] atRisk, int[] events, int[] censored, double[] survival,
      double[] greenwood) {

    /** S(t): 1 before the first event; right-continuous steps. */
    public double at(double t) {
      int j = lastIndexAtOrBefore(t);
      return j < 0 ? 1 : survival[j];
    }

    public int totalEvents() {
      return Arrays.stream(events).sum();
    }

    public int totalCensored() {
      return Arrays.stream(censored).sum();
    }

    public double maxTime() {
      return times.length == 0 ? 0 : times[times.length - 1];
    }

    /** Pointwise (1 − alpha) log-log CI of S after times[j]: S^exp(±z·√sum / |log S|); [S, S] at S ∈ {0, 1}. */
    public double[] logLogCi(int j, double alpha) {
      double s = survival[j];
      if (s <= 0 || s >= 1) return new double[] {s, s};
      double z = STANDARD_NORMAL.inverseCumulativeProbability(1 - alpha / 2);
      double se = Math.sqrt(greenwood[j]) / Math.abs(Math.log(s));
      return new double[] {Math.pow(s, Math.exp(z * se)), Math.pow(s, Math.exp(-z * se))};
    }

    int lastIndexAtOrBefore(double t) {
      int lo = 0, hi = times.length - 1, found = -1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (times[mid] <= t) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return found;
    }
  }

  /** Median survival time and its CI; NaN where the curve (or the CI's band) never reaches 0.5. */
  public record Median(double estimate, double ciLow, double ciHigh) {}

  /**
   * Log-rank test of group 1 against group 0: observed and expected events in group 1 under equal hazards,
   * the hypergeometric variance, {@code z = (O1 − E1)/√V} (positive: group 1 has its events sooner),
   * chi-square = z² on 1 df, two-sided p, and the hazard ratio estimate (O1/E1)/(O0/E0).
   */
  public record LogRank(double observed1, double expected1, double observed0, double expected0, double variance,
      double z, double chi2, double pValue, double hazardRatio) {}

  /** RMST up to {@code tau}, its variance (Σ over event times ≤ τ of A² · d/(n(n − d)), A = ∫ₜ^τ S) and SE. */
  public record Rmst(double tau, double estimate, double variance) {
    public double se() {
      return Math.sqrt(variance);
    }
  }

  /** RMST of group 1 − group 0 with a normal (1 − alpha) CI and two-sided p (variances add: independent arms). */
  public record RmstDifference(double tau, Rmst group0, Rmst group1, double difference, double ciLow, double ciHigh,
      double pValue) {}

  // ---------------------------------------------------------------- Kaplan–Meier

  public static Curve kaplanMeier(double[] time, boolean[] event) {
    if (time.length != event.length) throw new IllegalArgumentException("time and event differ in length");
    Integer[] order = new Integer[time.length];
    for (int i = 0; i < order.length; i++) {
      if (!(time[i] >= 0) || Double.isInfinite(time[i])) throw new IllegalArgumentException("time must be finite and ≥ 0: " + time[i]);
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> time[i]));
    int distinct = 0;
    for (int k = 0; k < order.length; k++) if (k == 0 || time[order[k]] != time[order[k - 1]]) distinct++;
    var times = new double[distinct];
    var atRisk = new int[distinct];
    var events = new int[distinct];
    var censored = new int[distinct];
    var survival = new double[distinct];
    var greenwood = new double[distinct];
    int n = time.length, j = -1;
    for (int k = 0; k < order.length; k++) {
      int i = order[k];
      if (k == 0 || time[i] != time[order[k - 1]]) {
        times[++j] = time[i];
        atRisk[j] = n - k;
      }
      if (event[i]) events[j]++;
      else censored[j]++;
    }
    double s = 1, g = 0;
    for (j = 0; j < distinct; j++) {
      int r = atRisk[j], d = events[j];
      if (d > 0) {
        s *= 1 - (double) d / r;
        if (r > d) g += (double) d / ((double) r * (r - d));
      }
      survival[j] = s;
      greenwood[j] = g;
    }
    return new Curve(n, times, atRisk, events, censored, survival, greenwood);
  }

  /**
   * The median: the first time S ≤ 0.5 (the midpoint to the next time when S is exactly 0.5 there, as R does).
   * CI (Brookmeyer &amp; Crowley 1982): the times t whose pointwise log-log CI contains 0.5, i.e. from the
   * first time the lower band reaches 0.5 to the first time the upper band does.
   */
  public static Median median(Curve c, double alpha) {
    int m = c.times().length;
    var lo = new double[m];
    var hi = new double[m];
    for (int j = 0; j < m; j++) {
      var ci = c.logLogCi(j, alpha);
      lo[j] = ci[0];
      hi[j] = ci[1];
    }
    return new Median(quantile(c, c.survival(), 0.5), quantile(c, lo, 0.5), quantile(c, hi, 0.5));
  }

  private static double quantile(Curve c, double[] s, double p) {
    var t = c.times();
    for (int j = 0; j < t.length; j++) {
      if (c.events()[j] == 0 && (j == 0 || s[j] == s[j - 1])) continue; // the curve only steps at events
      if (Math.abs(s[j] - p) < EPS) {
        for (int k = j + 1; k < t.length; k++) if (c.events()[k] > 0) return (t[j] + t[k]) / 2;
        return t[j]; // flat at p to the end of follow-up: R answers the last event time too
      }
      if (s[j] < p) return t[j];
    }
    return Double.NaN;
  }

  // ---------------------------------------------------------------- log-rank

  public static LogRank logRank(double[] time0, boolean[] event0, double[] time1, boolean[] event1) {
    var c0 = kaplanMeier(time0, event0);
    var c1 = kaplanMeier(time1, event1);
    // merge the two curves' distinct times; at risk in a group at t = at risk at its first time ≥ t
    var all = new double[c0.times().length + c1.times().length];
    System.arraycopy(c0.times(), 0, all, 0, c0.times().length);
    System.arraycopy(c1.times(), 0, all, c0.times().length, c1.times().length);
    double[] times = Arrays.stream(all).sorted().distinct().toArray();
    double o1 = 0, e1 = 0, o0 = 0, v = 0;
    int i0 = 0, i1 = 0;
    for (double t : times) {
      while (i0 < c0.times().length && c0.times()[i0] < t) i0++;
      while (i1 < c1.times().length && c1.times()[i1] < t) i1++;
      int n0 = i0 < c0.times().length ? c0.atRisk()[i0] : 0;
      int n1 = i1 < c1.times().length ? c1.atRisk()[i1] : 0;
      int d0 = i0 < c0.times().length && c0.times()[i0] == t ? c0.events()[i0] : 0;
      int d1 = i1 < c1.times().length && c1.times()[i1] == t ? c1.events()[i1] : 0;
      int d = d0 + d1;
      double n = n0 + n1;
      if (d == 0) continue;
      o1 += d1;
      o0 += d0;
      e1 += d * n1 / n;
      if (n > 1) v += d * (n1 / n) * (n0 / n) * (n - d) / (n - 1);
    }
    double e0 = o0 + o1 - e1;
    if (v <= 0) return new LogRank(o1, e1, o0, e0, 0, 0, 0, 1, Double.NaN);
    double z = (o1 - e1) / Math.sqrt(v);
    double chi2 = z * z;
    double p = Erf.erfc(Math.abs(z) / Math.sqrt(2)); // = P(χ²₁ > z²), without the underflow of 1 − cdf
    double hr = e1 > 0 && e0 > 0 && o0 > 0 ? (o1 / e1) / (o0 / e0) : Double.NaN;
    return new LogRank(o1, e1, o0, e0, v, z, chi2, p, hr);
  }

  // ---------------------------------------------------------------- RMST

  /** ∫₀^τ S(t) dt under the KM step curve, with the variance of Klein &amp; Moeschberger (4.5.1) / survRM2. */
  public static Rmst rmst(Curve c, double tau) {
    if (!(tau >= 0)) throw new IllegalArgumentException("tau must be ≥ 0: " + tau);
    var t = c.times();
    // area[j]: ∫ from times[j] to τ of S (S after times[j] holds until the next time)
    int last = c.lastIndexAtOrBefore(tau);
    double area = 0, variance = 0, after = tau;
    for (int j = last; j >= 0; j--) {
      area += c.survival()[j] * (after - t[j]);
      after = t[j];
      int d = c.events()[j], r = c.atRisk()[j];
      if (d > 0 && r > d) variance += area * area * d / ((double) r * (r - d));
    }
    area += after; // S = 1 on [0, first time]
    return new Rmst(tau, area, variance);
  }

  public static RmstDifference rmstDifference(Curve group0, Curve group1, double tau, double alpha) {
    var r0 = rmst(group0, tau);
    var r1 = rmst(group1, tau);
    double d = r1.estimate() - r0.estimate();
    double se = Math.sqrt(r0.variance() + r1.variance());
    if (se == 0) return new RmstDifference(tau, r0, r1, d, d, d, d == 0 ? 1 : 0);
    double z = STANDARD_NORMAL.inverseCumulativeProbability(1 - alpha / 2);
    double p = 2 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(d / se));
    return new RmstDifference(tau, r0, r1, d, d - z * se, d + z * se, p);
  }

  /**
   * Power of the two-sided log-rank test at hazard ratio {@code hazardRatio} with {@code events} events in
   * all and a share {@code share} of the subjects in one arm (Schoenfeld 1981):
   * Φ(|ln HR|·√(D·π(1 − π)) − z_{1−α/2}).
   */
  public static double logRankPower(double hazardRatio, double events, double share, double alpha) {
    if (!(hazardRatio > 0) || !(share > 0 && share < 1) || events < 0) {
      throw new IllegalArgumentException("need HR > 0, 0 < share < 1, events ≥ 0");
    }
    double z = STANDARD_NORMAL.inverseCumulativeProbability(1 - alpha / 2);
    return STANDARD_NORMAL.cumulativeProbability(Math.abs(Math.log(hazardRatio)) * Math.sqrt(events * share * (1 - share)) - z);
  }

  /** The default τ of survRM2: the smaller of the two arms' largest observed times (0 if an arm is empty). */
  public static double commonTau(Curve... curves) {
    return Arrays.stream(curves).mapToDouble(Curve::maxTime).min().orElse(0);
  }

  // ---------------------------------------------------------------- concordance

  /**
   * Harrell's concordance index of a risk score (higher = the event sooner): among comparable pairs, the share
   * where the one with the shorter time has the higher risk, ties in risk counting ½. A pair is comparable when
   * the shorter time is an event; at a tied time, an event and a censoring are comparable (the censored subject
   * was still at risk), two events or two censorings are not. NaN when no pair is comparable. O(n²).
   */
  public static double harrellConcordance(double[] time, boolean[] event, double[] risk) {
    if (time.length != event.length || time.length != risk.length) throw new IllegalArgumentException("time, event and risk differ in length");
    double concordant = 0;
    long comparable = 0;
    for (int i = 0; i < time.length; i++) {
      if (!event[i]) continue;
      for (int j = 0; j < time.length; j++) {
        if (j == i) continue;
        if (time[j] > time[i] || (time[j] == time[i] && !event[j])) {
          comparable++;
          if (risk[i] > risk[j]) concordant += 1;
          else if (risk[i] == risk[j]) concordant += 0.5;
        }
      }
    }
    return comparable == 0 ? Double.NaN : concordant / comparable;
  }
}
