package io.hireloop.cli.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.platform.Json;
import io.hireloop.stats.TimeSeries;
import io.hireloop.stats.causal.DifferenceInDifferences;
import io.hireloop.stats.causal.Propensity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.distribution.continuous.TDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reference suite for every {@code analyze} kind: data generated here with fixed seeds, expected values computed in
 * this class by an independent route (closed-form formulas written out, normal equations in BigDecimal, exhaustive
 * enumeration, brute-force optimisation) or taken from published figures (LaLonde, see
 * src/test/resources/datasets/README.md). scipy, statsmodels and ruptures could not be installed where this suite was
 * written, so no value here was produced by them; each comment names the convention that the library in question
 * uses and docs/STATISTICS.md lists where ours differs.
 */
class ReferenceSuiteTest {
  static final NormalDistribution NORMAL = new NormalDistribution(0, 1);
  static final String NSW = "src/test/resources/datasets/lalonde_nsw_experimental.csv";
  static final String PSID = "src/test/resources/datasets/lalonde_psid.csv";

  @TempDir Path dir;

  record Outcome(int code, String out, String err) {
    JsonNode json() {
      return Json.read(out);
    }
  }

  static Outcome run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = Analyze.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static JsonNode ok(String... args) {
    var o = run(args);
    assertEquals(0, o.code(), o.err());
    return o.json();
  }

  String csv(String name, String header, List<double[]> rows) throws IOException {
    var sb = new StringBuilder(header).append('\n');
    for (var r : rows) {
      for (int j = 0; j < r.length; j++) sb.append(j == 0 ? "" : ",").append(r[j]);
      sb.append('\n');
    }
    var p = dir.resolve(name);
    Files.writeString(p, sb);
    return p.toString();
  }

  static double gauss(SplittableRandom r) {
    double u = r.nextDouble(), v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) s += v;
    return s / x.length;
  }

  static double var(double[] x) {
    double m = mean(x), s = 0;
    for (double v : x) s += (v - m) * (v - m);
    return s / (x.length - 1);
  }

  static void close(double expected, double actual, double relative, String what) {
    assertEquals(expected, actual, relative * Math.max(1e-300, Math.abs(expected)), what);
  }

  // ------------------------------------------------------------------ test

  /** Published figures for the NSW experiment (datasets README): Welch and Student t on re78. */
  @Test
  void testKindMatchesThePublishedLalondeFigures() {
    var welch = ok("test", "--csv", NSW, "--group", "treat", "--metric", "re78", "--kind", "welch");
    assertEquals(2.674, welch.get("statistic").asDouble(), 0.0005);
    assertEquals(307.13, welch.get("df").asDouble(), 0.005);
    assertEquals(0.00789, welch.get("p_value").asDouble(), 0.000005);
    assertEquals(1794.34, welch.get("difference").asDouble(), 0.005);
    // the standard error behind the interval: half-width / t_{0.975, df}
    double half = (welch.get("ci_high").asDouble() - welch.get("ci_low").asDouble()) / 2;
    assertEquals(670.997, half / new TDistribution(welch.get("df").asDouble()).inverseCumulativeProbability(0.975), 0.0005);
    var student = ok("test", "--csv", NSW, "--group", "treat", "--metric", "re78", "--kind", "student");
    assertEquals(2.835, student.get("statistic").asDouble(), 0.0005);
    assertEquals(443, student.get("df").asDouble(), 0);
    assertEquals(0.00479, student.get("p_value").asDouble(), 0.000005);
  }

  /**
   * Welch and Student on generated data against the formulas (scipy.stats.ttest_ind, equal_var False / True:
   * unbiased variances, Welch–Satterthwaite df, two-sided p from the t distribution).
   */
  @Test
  void tTestsMatchTheirFormulas() throws IOException {
    var r = new SplittableRandom(11);
    var rows = new ArrayList<double[]>();
    var g0 = new ArrayList<Double>();
    var g1 = new ArrayList<Double>();
    for (int i = 0; i < 37; i++) {
      double v = 10 + 2 * gauss(r);
      rows.add(new double[] {0, v});
      g0.add(v);
    }
    for (int i = 0; i < 23; i++) {
      double v = 11.3 + 4 * gauss(r);
      rows.add(new double[] {1, v});
      g1.add(v);
    }
    var f = csv("t.csv", "g,m", rows);
    double[] a = g0.stream().mapToDouble(Double::doubleValue).toArray(), b = g1.stream().mapToDouble(Double::doubleValue).toArray();
    double va = var(a) / a.length, vb = var(b) / b.length;
    double t = (mean(b) - mean(a)) / Math.sqrt(va + vb);
    double df = (va + vb) * (va + vb) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
    double p = 2 * new TDistribution(df).cumulativeProbability(-Math.abs(t));
    var welch = ok("test", "--csv", f, "--group", "g", "--metric", "m", "--kind", "welch");
    close(t, welch.get("statistic").asDouble(), 1e-12, "welch t");
    close(df, welch.get("df").asDouble(), 1e-12, "welch df");
    close(p, welch.get("p_value").asDouble(), 1e-9, "welch p");
    double sp2 = ((a.length - 1) * var(a) + (b.length - 1) * var(b)) / (a.length + b.length - 2);
    double ts = (mean(b) - mean(a)) / Math.sqrt(sp2 * (1.0 / a.length + 1.0 / b.length));
    var student = ok("test", "--csv", f, "--group", "g", "--metric", "m", "--kind", "student");
    close(ts, student.get("statistic").asDouble(), 1e-12, "student t");
    close(2 * new TDistribution(58).cumulativeProbability(-Math.abs(ts)), student.get("p_value").asDouble(), 1e-9, "student p");
  }

  /**
   * Mann–Whitney on tied data: U by counting pairs (ties ½), the tie-corrected variance and the continuity correction
   * — scipy.stats.mannwhitneyu(method="asymptotic", use_continuity=True), which for two-sided tests is symmetric in
   * U1/U2. Hodges–Lehmann shift = median of all pairwise differences, by brute force. scipy's default
   * method="auto" would use the exact null distribution for samples under 8 without ties; that is compared below
   * with enumeration on a tie-free sample, where the asymptotic p is within 0.01 of the exact one.
   */
  @Test
  void mannWhitneyMatchesCountingAndEnumeration() throws IOException {
    var r = new SplittableRandom(12);
    double[] a = new double[19], b = new double[16];
    var rows = new ArrayList<double[]>();
    for (int i = 0; i < a.length; i++) rows.add(new double[] {0, a[i] = Math.round(4 * gauss(r))});
    for (int i = 0; i < b.length; i++) rows.add(new double[] {1, b[i] = Math.round(1.5 + 4 * gauss(r))});
    double u = 0;
    var diffs = new ArrayList<Double>();
    for (double y1 : b) {
      for (double y0 : a) {
        u += y1 > y0 ? 1 : y1 == y0 ? 0.5 : 0;
        diffs.add(y1 - y0);
      }
    }
    var all = new double[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    var counts = new HashMap<Double, Integer>();
    for (double v : all) counts.merge(v, 1, Integer::sum);
    double ties = 0;
    for (int c : counts.values()) ties += (double) c * c * c - c;
    int n = all.length;
    double mu = a.length * b.length / 2.0;
    double sigma = Math.sqrt(a.length * b.length / 12.0 * ((n + 1) - ties / ((double) n * (n - 1))));
    double z = (Math.abs(u - mu) - 0.5) / sigma;
    double p = 2 * NORMAL.cumulativeProbability(-z);
    diffs.sort(Double::compare);
    int m = diffs.size();
    double hl = m % 2 == 1 ? diffs.get(m / 2) : (diffs.get(m / 2 - 1) + diffs.get(m / 2)) / 2;
    var mw = ok("test", "--csv", csv("mw.csv", "g,m", rows), "--group", "g", "--metric", "m", "--kind", "mann-whitney");
    close(p, mw.get("p_value").asDouble(), 1e-9, "mann-whitney p");
    close(Math.copySign(z, u - mu), mw.get("statistic").asDouble(), 1e-9, "mann-whitney z");
    assertEquals(hl, mw.get("difference").asDouble(), 1e-12, "Hodges–Lehmann");
    assertEquals(2 * u / (a.length * b.length) - 1, mw.get("effect_size").asDouble(), 1e-12, "rank-biserial");

    // exact null distribution of U for 7 vs 7 tie-free values, by enumerating all C(14, 7) = 3432 splits
    var small = new ArrayList<double[]>();
    double[] s0 = new double[7], s1 = new double[7];
    for (int i = 0; i < 7; i++) small.add(new double[] {0, s0[i] = gauss(r)});
    for (int i = 0; i < 7; i++) small.add(new double[] {1, s1[i] = 1.2 + gauss(r)});
    double uObs = 0;
    for (double y1 : s1) for (double y0 : s0) uObs += y1 > y0 ? 1 : 0;
    int extreme = 0, total = 0;
    for (int mask = 0; mask < 1 << 14; mask++) {
      if (Integer.bitCount(mask) != 7) continue;
      total++;
      // with distinct values only ranks matter: U of the split = rank sum of the "group 1" positions − 28
      int rankSum = 0;
      for (int k = 0; k < 14; k++) if ((mask >> k & 1) == 1) rankSum += k + 1;
      if (Math.abs(rankSum - 28 - 24.5) >= Math.abs(uObs - 24.5)) extreme++;
    }
    double exact = (double) extreme / total;
    var small7 = ok("test", "--csv", csv("mw7.csv", "g,m", small), "--group", "g", "--metric", "m", "--kind", "mann-whitney");
    assertEquals(exact, small7.get("p_value").asDouble(), 0.01, "asymptotic vs exact p (scipy method='exact')");
  }

  /** Two-proportion z with the pooled null variance (statsmodels proportions_ztest, prop_var=False). */
  @Test
  void proportionsMatchThePooledZ() throws IOException {
    var rows = new ArrayList<double[]>();
    for (int i = 0; i < 400; i++) rows.add(new double[] {0, i < 48 ? 1 : 0});
    for (int i = 0; i < 380; i++) rows.add(new double[] {1, i < 66 ? 1 : 0});
    double p0 = 48 / 400.0, p1 = 66 / 380.0, pooled = 114 / 780.0;
    double z = (p1 - p0) / Math.sqrt(pooled * (1 - pooled) * (1 / 400.0 + 1 / 380.0));
    var pr = ok("test", "--csv", csv("p.csv", "g,m", rows), "--group", "g", "--metric", "m", "--kind", "proportions");
    close(z, pr.get("statistic").asDouble(), 1e-12, "z");
    close(2 * NORMAL.cumulativeProbability(-Math.abs(z)), pr.get("p_value").asDouble(), 1e-9, "p");
    assertTrue(pr.get("df").isNull());
  }

  // ------------------------------------------------------------------ srm, power, calibration, pareto

  /** Chi-square goodness of fit written out (scipy.stats.chisquare with f_exp = shares × total). */
  @Test
  void srmAndPowerMatchTheirFormulas() {
    long[] obs = {5000, 5300, 4890};
    double[] shares = {0.3, 0.4, 0.3};
    double total = 15190, chi2 = 0;
    for (int i = 0; i < 3; i++) chi2 += Math.pow(obs[i] - shares[i] * total, 2) / (shares[i] * total);
    var srm = ok("srm", "--observed", "5000,5300,4890", "--expected", "0.3,0.4,0.3");
    close(chi2, srm.get("chi2").asDouble(), 1e-12, "chi2");
    close(1 - new ChiSquaredDistribution(2).cumulativeProbability(chi2), srm.get("p_value").asDouble(), 1e-9, "p");
    assertTrue(srm.get("mismatch").asBoolean());
    // n = (z_{α/2}·√(2p̄q̄) + z_β·√(p1q1 + p2q2))² / δ², rounded up (statsmodels' NormalIndPower uses Cohen's h instead:
    // see docs/STATISTICS.md)
    double p1 = 0.1, p2 = 0.12, pb = 0.11;
    double za = NORMAL.inverseCumulativeProbability(0.975), zb = NORMAL.inverseCumulativeProbability(0.8);
    double nn = Math.pow(za * Math.sqrt(2 * pb * (1 - pb)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2)), 2) / (0.02 * 0.02);
    assertEquals((long) Math.ceil(nn), ok("power", "--baseline", "0.1", "--mde", "0.02").get("n_per_variant").asLong());
  }

  @Test
  void calibrationAndParetoMatchClosedForms() throws IOException {
    var rows = List.of(new double[] {0.05, 0}, new double[] {0.15, 1}, new double[] {0.95, 1}, new double[] {0.95, 0},
        new double[] {0.55, 1});
    // ECE = Σ_bins (count/N)·|mean p − frequency|; Brier = mean (p − y)²
    double ece = (1 * 0.05 + 1 * 0.85 + 2 * 0.45 + 1 * 0.45) / 5;
    double brier = (0.0025 + 0.7225 + 0.0025 + 0.9025 + 0.2025) / 5;
    var cal = ok("calibration", "--csv", csv("c.csv", "p,y", rows), "--prob", "p", "--label", "y");
    assertEquals(ece, cal.get("ece").asDouble(), 1e-12);
    assertEquals(brier, cal.get("brier").asDouble(), 1e-12);
    // ZDT1's true front f2 = 1 − √f1 has hypervolume 2/3 w.r.t. (1, 1): an approximation is below and close to it
    double hv = ok("pareto", "--problem", "zdt1", "--evaluations", "25000", "--seed", "1").get("hypervolume").asDouble();
    assertTrue(hv <= 2 / 3.0 && hv > 0.96 * 2 / 3.0, "hypervolume " + hv);
  }

  // ------------------------------------------------------------------ drift

  /**
   * KS on 6 vs 7 tie-free values: D from the empirical CDFs, p = P(D ≥ d) by enumerating all C(13, 6) = 1716 ways to
   * split the pooled ranks (scipy.stats.ks_2samp(method="exact") computes the same null distribution).
   */
  @Test
  void driftKsMatchesEnumeration() throws IOException {
    var r = new SplittableRandom(13);
    double[] a = new double[6], b = new double[7];
    var ra = new ArrayList<double[]>();
    var rb = new ArrayList<double[]>();
    for (int i = 0; i < 6; i++) ra.add(new double[] {a[i] = gauss(r)});
    for (int i = 0; i < 7; i++) rb.add(new double[] {b[i] = 0.9 + gauss(r)});
    double d = ksStatistic(a, b);
    int extreme = 0, total = 0;
    for (int mask = 0; mask < 1 << 13; mask++) {
      if (Integer.bitCount(mask) != 6) continue;
      total++;
      double[] x = new double[6], y = new double[7];
      int i = 0, j = 0;
      for (int k = 0; k < 13; k++) {
        if ((mask >> k & 1) == 1) x[i++] = k;
        else y[j++] = k;
      }
      if (ksStatistic(x, y) >= d - 1e-12) extreme++;
    }
    var drift = ok("drift", "--reference", csv("a.csv", "v", ra), "--current", csv("b.csv", "v", rb));
    var col = drift.get("columns").get(0);
    assertEquals(d, col.get("statistic").asDouble(), 1e-12);
    assertEquals((double) extreme / total, col.get("p_value").asDouble(), 1e-9, "exact KS p");
  }

  static double ksStatistic(double[] a, double[] b) {
    double d = 0;
    var all = new double[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    for (double t : all) {
      double fa = 0, fb = 0;
      for (double v : a) if (v <= t) fa++;
      for (double v : b) if (v <= t) fb++;
      d = Math.max(d, Math.abs(fa / a.length - fb / b.length));
    }
    return d;
  }

  // ------------------------------------------------------------------ timeseries

  static double[] seasonalSeries(long seed, boolean shifts) {
    var r = new SplittableRandom(seed);
    var y = new double[360];
    for (int i = 0; i < y.length; i++) {
      double season = 6 * Math.sin(2 * Math.PI * i / 12) + 3 * Math.cos(4 * Math.PI * i / 12);
      y[i] = 100 + season + gauss(r) + (shifts && i >= 120 ? 3 : 0) + (shifts && i >= 250 ? -3 : 0);
    }
    return y;
  }

  String series(String name, double[] y) throws IOException {
    var rows = new ArrayList<double[]>();
    for (int i = 0; i < y.length; i++) rows.add(new double[] {i, y[i]});
    return csv(name, "t,value", rows);
  }

  /** 360 monthly points, period 12, noise σ = 1, shifts of +3 at 120 and −3 at 250: exactly those two are found. */
  @Test
  void timeseriesFindsThePlantedShiftsAndNotTheSeason() throws IOException {
    var json = ok("timeseries", "--csv", series("s.csv", seasonalSeries(21, true)), "--value", "value", "--period", "12");
    var cps = json.get("change_points");
    assertEquals(2, cps.size(), cps.toString());
    assertEquals(120, cps.get(0).asInt(), 3);
    assertEquals(250, cps.get(1).asInt(), 3);
    assertEquals(0, json.get("warnings").size());
    // the raw series, searched as it is, is read as a change point every few months (the bug this replaces)
    assertTrue(TimeSeries.pelt(seasonalSeries(21, true)).length > 10);
  }

  /** False positives on shift-free seasonal data: at most 5 of 100 seeded series report any change point. */
  @Test
  void shiftFreeSeasonalSeriesRarelyGetAChangePoint() {
    int withChange = 0;
    for (int s = 0; s < 100; s++) {
      var y = seasonalSeries(500 + s, false);
      if (TimeSeries.seasonalChangePoints(y, TimeSeries.stl(y, 12)).length > 0) withChange++;
    }
    assertTrue(withChange <= 5, withChange + " of 100 shift-free series had a change point");
  }

  /**
   * PELT's pruning must not change the optimum: the change points equal those of the plain O(n²) optimal-partitioning
   * recursion F(t) = min_s F(s) + C(s, t) + β (Jackson et al. 2005) on the same adjusted series and penalty
   * (ruptures' Pelt(model="l2", min_size=2) minimises the same objective).
   */
  @Test
  void peltEqualsBruteForceOptimalPartitioning() {
    for (long seed : new long[] {21, 22, 23}) {
      var y = seasonalSeries(seed, true);
      var d = TimeSeries.stl(y, 12);
      var adj = new double[y.length];
      for (int i = 0; i < y.length; i++) adj[i] = y[i] - d.seasonal()[i];
      double sigma = TimeSeries.noiseSigma(adj);
      double beta = 3 * Math.log(adj.length) * sigma * sigma;
      assertEquals(Arrays.toString(optimalPartition(adj, beta, 2)), Arrays.toString(TimeSeries.seasonalChangePoints(y, d)));
    }
  }

  static int[] optimalPartition(double[] y, double beta, int minSize) {
    int n = y.length;
    var f = new double[n + 1];
    var last = new int[n + 1];
    f[0] = -beta;
    for (int t = 1; t <= n; t++) {
      f[t] = Double.POSITIVE_INFINITY;
      for (int s = 0; s <= t - minSize; s++) {
        if (s > 0 && s < minSize) continue;
        double sum = 0, sq = 0;
        for (int i = s; i < t; i++) {
          sum += y[i];
          sq += y[i] * y[i];
        }
        double v = f[s] + (sq - sum * sum / (t - s)) + beta;
        if (v < f[t]) {
          f[t] = v;
          last[t] = s;
        }
      }
    }
    var cps = new ArrayList<Integer>();
    for (int t = n; last[t] > 0; t = last[t]) cps.add(0, last[t]);
    return cps.stream().mapToInt(Integer::intValue).toArray();
  }

  /** STL of an exactly periodic series plus a constant returns the centred pattern and the constant (LOESS is exact on lines). */
  @Test
  void stlRecoversAnExactSeasonalPattern() throws IOException {
    double[] pattern = {3, -1, 4, 1, -5, 9, -2, 6, -5, 3, -5, -8};
    double centre = mean(pattern);
    var y = new double[96];
    for (int i = 0; i < y.length; i++) y[i] = 50 + pattern[i % 12];
    var json = ok("timeseries", "--csv", series("p.csv", y), "--value", "value", "--period", "12");
    for (int i = 0; i < y.length; i++) {
      assertEquals(pattern[i % 12] - centre, json.get("seasonal").get(i).asDouble(), 1e-6, "seasonal " + i);
      assertEquals(50 + centre, json.get("trend").get(i).asDouble(), 1e-6, "trend " + i);
    }
    assertEquals(0, json.get("change_points").size());
    var short2 = ok("timeseries", "--csv", series("q.csv", Arrays.copyOf(y, 30)), "--value", "value", "--period", "12");
    assertEquals(1, short2.get("warnings").size());
    assertTrue(short2.get("warnings").get(0).asText().startsWith("too few points per seasonal period"));
  }

  // ------------------------------------------------------------------ causal: did

  /** Solves A b = c in BigDecimal (Gaussian elimination with partial pivoting; an OLS route independent of Ols). */
  static double[] solve(double[][] a, double[] c) {
    var mc = MathContext.DECIMAL128;
    int k = c.length;
    var m = new BigDecimal[k][k + 1];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) m[i][j] = new BigDecimal(a[i][j]);
      m[i][k] = new BigDecimal(c[i]);
    }
    for (int col = 0; col < k; col++) {
      int pivot = col;
      for (int i = col + 1; i < k; i++) if (m[i][col].abs().compareTo(m[pivot][col].abs()) > 0) pivot = i;
      var tmp = m[col];
      m[col] = m[pivot];
      m[pivot] = tmp;
      for (int i = 0; i < k; i++) {
        if (i == col) continue;
        var factor = m[i][col].divide(m[col][col], mc);
        for (int j = col; j <= k; j++) m[i][j] = m[i][j].subtract(factor.multiply(m[col][j], mc), mc);
      }
    }
    var out = new double[k];
    for (int i = 0; i < k; i++) out[i] = m[i][k].divide(m[i][i], mc).doubleValue();
    return out;
  }

  static double[][] xtx(double[][] x) {
    int k = x[0].length;
    var out = new double[k][k];
    for (var row : x) for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) out[a][b] += row[a] * row[b];
    return out;
  }

  static double[] ols(double[][] x, double[] y) {
    int k = x[0].length;
    var xty = new double[k];
    for (int i = 0; i < y.length; i++) for (int a = 0; a < k; a++) xty[a] += x[i][a] * y[i];
    return solve(xtx(x), xty);
  }

  /** CR1 variance of coefficient j, written out: (X'X)⁻¹ Σ_g X_g'u_g u_g'X_g (X'X)⁻¹ · G/(G−1)·(N−1)/(N−K) (statsmodels' cluster default). */
  static double cr1(double[][] x, double[] y, String[] cluster, int j) {
    int n = y.length, k = x[0].length;
    var beta = ols(x, y);
    var e = new double[k];
    e[j] = 1;
    var aj = solve(xtx(x), e); // row j of (X'X)⁻¹
    var scores = new HashMap<String, Double>();
    for (int i = 0; i < n; i++) {
      double u = y[i];
      for (int a = 0; a < k; a++) u -= x[i][a] * beta[a];
      double s = 0;
      for (int a = 0; a < k; a++) s += aj[a] * x[i][a];
      scores.merge(cluster[i], s * u, Double::sum);
    }
    double g = scores.size(), meat = 0;
    for (double s : scores.values()) meat += s * s;
    return meat * g / (g - 1) * (n - 1.0) / (n - k);
  }

  record Panel(double[] y, int[] treat, int[] post, String[] unit, String[] state, double[][] x) {}

  /** Units nested in states (half treated); shocks per state in the post period make errors correlated within states. */
  static Panel panel(int states, int unitsPerState, double effect, long seed) {
    var r = new SplittableRandom(seed);
    int n = states * unitsPerState * 2;
    var y = new double[n];
    var treat = new int[n];
    var post = new int[n];
    var unit = new String[n];
    var state = new String[n];
    var x = new double[n][];
    int i = 0;
    for (int s = 0; s < states; s++) {
      int g = s < states / 2 ? 1 : 0;
      double level = gauss(r), shock = gauss(r);
      for (int u = 0; u < unitsPerState; u++) {
        double base = 5 + 2 * g + level + gauss(r);
        for (int p = 0; p < 2; p++, i++) {
          treat[i] = g;
          post[i] = p;
          unit[i] = "s" + s + "u" + u;
          state[i] = "s" + s;
          y[i] = base + p + effect * g * p + 0.7 * shock * p + gauss(r);
          x[i] = new double[] {1, g, p, g * p};
        }
      }
    }
    return new Panel(y, treat, post, unit, state, x);
  }

  String panelCsv(String name, Panel p) throws IOException {
    var sb = new StringBuilder("unit,state,treated,post,y\n");
    for (int i = 0; i < p.y().length; i++) {
      sb.append(p.unit()[i]).append(',').append(p.state()[i]).append(',').append(p.treat()[i]).append(',').append(p.post()[i])
          .append(',').append(p.y()[i]).append('\n');
    }
    var f = dir.resolve(name);
    Files.writeString(f, sb);
    return f.toString();
  }

  /** Many clusters: estimate by normal equations, CR1 by its formula, normal-reference p (statsmodels' cluster default). */
  @Test
  void didWithManyClustersMatchesOlsAndCr1WrittenOut() throws IOException {
    var p = panel(40, 5, 1.0, 31);
    var json = ok("causal", "--csv", panelCsv("d.csv", p), "--method", "did", "--treatment", "treated", "--time", "post",
        "--outcome", "y", "--group", "state");
    double beta = ols(p.x(), p.y())[3];
    double se = Math.sqrt(cr1(p.x(), p.y(), p.state(), 3));
    close(beta, json.get("estimate").asDouble(), 1e-10, "did estimate");
    close(se, json.get("std_error").asDouble(), 1e-8, "CR1 SE");
    close(2 * NORMAL.cumulativeProbability(-Math.abs(beta / se)), json.get("p_value").asDouble(), 1e-7, "p");
    assertEquals(40, json.get("clusters").asInt());
    assertFalse(json.has("wild_bootstrap"));
    assertEquals(0, json.get("warnings").size(), json.get("warnings").toString());
  }

  /** The case: --group is the treated indicator (2 clusters). No ~1e-14 SE, a warning, no false precision. */
  @Test
  void didWithTwoClustersWarnsAndDoesNotPrintAZeroStandardError() throws IOException {
    var p = panel(40, 5, 1.0, 32);
    var sb = new StringBuilder("treated,post,y\n");
    for (int i = 0; i < p.y().length; i++) sb.append(p.treat()[i]).append(',').append(p.post()[i]).append(',').append(p.y()[i]).append('\n');
    var f = dir.resolve("d2.csv");
    Files.writeString(f, sb);
    var json = ok("causal", "--csv", f.toString(), "--method", "did", "--treatment", "treated", "--time", "post",
        "--outcome", "y", "--group", "treated");
    assertTrue(json.get("wild_bootstrap").get("cr1_std_error").asDouble() < 1e-8, "the degenerate CR1 SE is shown for what it is");
    assertTrue(json.get("std_error").isNull() || json.get("std_error").asDouble() > 0.05, json.toString());
    assertTrue(json.get("ci_low").isNull() || json.get("ci_high").asDouble() - json.get("ci_low").asDouble() > 0.2, json.toString());
    assertTrue(json.get("p_value").asDouble() > 0.02, json.toString());
    var warnings = json.get("warnings").toString();
    assertTrue(warnings.contains("few clusters: 2"), warnings);
    assertTrue(warnings.contains("only 1 treated and 1 untreated cluster"), warnings);
  }

  /**
   * Few clusters: the restricted wild cluster bootstrap against a brute-force version that refits every bootstrap
   * sample with the normal equations above. With 4 clusters and Webb weights all 6⁴ = 1296 weight vectors are used,
   * so both p-values are exact randomisation p-values and must agree to rounding (boottest / wildboottest
   * implement the same WCR statistic with CR1 t-statistics).
   */
  @Test
  void wildClusterBootstrapMatchesBruteForceRefits() throws IOException {
    var p = panel(4, 10, 1.0, 33);
    var json = ok("causal", "--csv", panelCsv("d4.csv", p), "--method", "did", "--treatment", "treated", "--time", "post",
        "--outcome", "y", "--group", "state");
    assertEquals(1296, json.get("wild_bootstrap").get("draws").asInt());
    assertTrue(json.get("wild_bootstrap").get("enumerated").asBoolean());
    assertEquals("webb", json.get("wild_bootstrap").get("weights").asText());
    assertEquals(bruteForceWcrP(p, 0), json.get("p_value").asDouble(), 1e-12, "WCR p at β = 0");
    // the interval ends are where the brute-force p crosses 0.05
    double lo = json.get("ci_low").asDouble(), hi = json.get("ci_high").asDouble();
    double eps = 1e-3 * (hi - lo);
    assertTrue(bruteForceWcrP(p, lo - eps) <= 0.05 && bruteForceWcrP(p, lo + eps) > 0.05, "low end " + lo);
    assertTrue(bruteForceWcrP(p, hi + eps) <= 0.05 && bruteForceWcrP(p, hi - eps) > 0.05, "high end " + hi);
    assertTrue(json.get("warnings").get(0).asText().startsWith("few clusters: 4"));
  }

  static final double[] WEBB = {-Math.sqrt(1.5), -1, -Math.sqrt(0.5), Math.sqrt(0.5), 1, Math.sqrt(1.5)};

  static double bruteForceWcrP(Panel p, double beta0) {
    var x = p.x();
    int n = p.y().length;
    double t = (ols(x, p.y())[3] - beta0) / Math.sqrt(cr1(x, p.y(), p.state(), 3));
    var restricted = new double[n][3];
    var yr = new double[n];
    for (int i = 0; i < n; i++) {
      restricted[i] = new double[] {x[i][0], x[i][1], x[i][2]};
      yr[i] = p.y()[i] - beta0 * x[i][3];
    }
    var gamma = ols(restricted, yr);
    var fitted = new double[n];
    var resid = new double[n];
    for (int i = 0; i < n; i++) {
      fitted[i] = gamma[0] + gamma[1] * x[i][1] + gamma[2] * x[i][2] + beta0 * x[i][3];
      resid[i] = p.y()[i] - fitted[i];
    }
    var states = Arrays.stream(p.state()).distinct().sorted().toList();
    int extreme = 0, total = 0;
    for (int code = 0; code < 1296; code++) {
      var w = new HashMap<String, Double>();
      int c = code;
      for (var s : states) {
        w.put(s, WEBB[c % 6]);
        c /= 6;
      }
      var ys = new double[n];
      for (int i = 0; i < n; i++) ys[i] = fitted[i] + w.get(p.state()[i]) * resid[i];
      double tStar = (ols(x, ys)[3] - beta0) / Math.sqrt(cr1(x, ys, p.state(), 3));
      if (Math.abs(tStar) >= Math.abs(t) * (1 - 1e-12)) extreme++;
      total++;
    }
    return (double) extreme / total;
  }

  /**
   * Size under the null with 8 clusters and state-level shocks: the CR1 normal test over-rejects, the wild cluster
   * bootstrap keeps close to 5% (200 seeded panels, 999 draws each).
   */
  @Test
  void wildClusterBootstrapHoldsItsSizeWhereCr1DoesNot() {
    int wildRejects = 0, cr1Rejects = 0, reps = 200;
    for (int r = 0; r < reps; r++) {
      var p = panel(8, 10, 0.0, 1000 + r);
      var wild = DifferenceInDifferences.wildBootstrap(p.y(), p.treat(), p.post(), null, p.state(), 999, r);
      if (wild.pValue() <= 0.05) wildRejects++;
      if (2 * NORMAL.cumulativeProbability(-Math.abs(wild.estimate() / wild.crStdError())) <= 0.05) cr1Rejects++;
    }
    System.out.printf("null rejections at 5%% over %d panels of 8 clusters: CR1 normal %d, WCR %d%n", reps, cr1Rejects, wildRejects);
    assertTrue(wildRejects <= 0.09 * reps, "WCR rejected " + wildRejects + " of " + reps);
    assertTrue(cr1Rejects > wildRejects, "CR1 " + cr1Rejects + " vs WCR " + wildRejects);
  }

  // ------------------------------------------------------------------ causal: iv

  /** Just-identified 2SLS: β = Σz̃y/Σz̃d; HC1 SE² = n/(n−2)·Σz̃²u²/(Σz̃d)² (linearmodels IV2SLS cov_type="robust"; statsmodels' IV2SLS has no robust option). */
  static double[] iv(double[] y, double[] d, double[] z) {
    int n = y.length;
    double zm = mean(z), ym = mean(y), dm = mean(d);
    double szy = 0, szd = 0;
    for (int i = 0; i < n; i++) {
      szy += (z[i] - zm) * (y[i] - ym);
      szd += (z[i] - zm) * (d[i] - dm);
    }
    double beta = szy / szd;
    double alpha = ym - beta * dm, meat = 0;
    for (int i = 0; i < n; i++) {
      double u = y[i] - alpha - beta * d[i];
      meat += (z[i] - zm) * (z[i] - zm) * u * u;
    }
    return new double[] {beta, Math.sqrt((double) n / (n - 2) * meat / (szd * szd))};
  }

  /** The HC1 Wald statistic of z in y − β₀d ~ 1 + z: the heteroskedasticity-robust Anderson–Rubin statistic. */
  static double arStatistic(double[] y, double[] d, double[] z, double beta0) {
    int n = y.length;
    var yy = new double[n];
    for (int i = 0; i < n; i++) yy[i] = y[i] - beta0 * d[i];
    double zm = mean(z), ym = mean(yy), szz = 0, szy = 0;
    for (int i = 0; i < n; i++) {
      szz += (z[i] - zm) * (z[i] - zm);
      szy += (z[i] - zm) * (yy[i] - ym);
    }
    double pi = szy / szz, a = ym - pi * zm, meat = 0;
    for (int i = 0; i < n; i++) {
      double e = yy[i] - a - pi * z[i];
      meat += (z[i] - zm) * (z[i] - zm) * e * e;
    }
    double v = (double) n / (n - 2) * meat / (szz * szz);
    return pi * pi / v;
  }

  record IvData(double[] y, double[] d, double[] z) {}

  static IvData ivData(double strength, long seed) {
    var r = new SplittableRandom(seed);
    int n = 2000;
    var y = new double[n];
    var d = new double[n];
    var z = new double[n];
    for (int i = 0; i < n; i++) {
      double u = gauss(r);
      z[i] = r.nextInt(2);
      d[i] = r.nextDouble() < 0.3 + strength * z[i] + 0.2 * (u > 0 ? 1 : 0) ? 1 : 0;
      y[i] = 1.0 * d[i] + u + gauss(r);
    }
    return new IvData(y, d, z);
  }

  String ivCsv(String name, IvData data) throws IOException {
    var rows = new ArrayList<double[]>();
    for (int i = 0; i < data.y().length; i++) rows.add(new double[] {data.z()[i], data.d()[i], data.y()[i]});
    return csv(name, "z,d,y", rows);
  }

  @Test
  void ivMatchesTheFormulasAndTheAndersonRubinSetInvertsItsTest() throws IOException {
    double crit = new ChiSquaredDistribution(1).inverseCumulativeProbability(0.95);
    // strong instrument: bounded AR interval close to the Wald interval, no weak-instrument warning
    var strong = ivData(0.4, 41);
    var json = ok("causal", "--csv", ivCsv("strong.csv", strong), "--method", "iv", "--treatment", "d", "--instrument", "z",
        "--outcome", "y");
    var ref = iv(strong.y(), strong.d(), strong.z());
    close(ref[0], json.get("estimate").asDouble(), 1e-9, "2SLS");
    close(ref[1], json.get("std_error").asDouble(), 1e-8, "HC1 SE");
    assertTrue(json.get("first_stage_f").asDouble() > 10);
    var set = json.get("ar_confidence_set");
    assertEquals(1, set.size(), set.toString());
    double lo = set.get(0).get(0).asDouble(), hi = set.get(0).get(1).asDouble();
    assertEquals(crit, arStatistic(strong.y(), strong.d(), strong.z(), lo), 1e-6);
    assertEquals(crit, arStatistic(strong.y(), strong.d(), strong.z(), hi), 1e-6);
    assertTrue(lo < ref[0] && ref[0] < hi);
    assertEquals(json.get("ci_low").asDouble(), lo, 0.25 * (hi - lo));
    assertEquals(json.get("ci_high").asDouble(), hi, 0.25 * (hi - lo));
    for (var w : json.get("warnings")) assertFalse(w.asText().contains("weak instrument"), w.asText());

    // weak instrument (3 % compliers): F < 10 is warned, and the AR set is much wider than the Wald interval
    var weak = ivData(0.03, 42);
    var wj = ok("causal", "--csv", ivCsv("weak.csv", weak), "--method", "iv", "--treatment", "d", "--instrument", "z",
        "--outcome", "y");
    assertTrue(wj.get("first_stage_f").asDouble() < 10);
    assertTrue(wj.get("warnings").toString().contains("weak instrument: first-stage F"), wj.get("warnings").toString());
    assertArInverts(weak, wj.get("ar_confidence_set"), crit);
    double wald = wj.get("ci_high").asDouble() - wj.get("ci_low").asDouble();
    assertTrue(width(wj.get("ar_confidence_set")) > 1.5 * wald, wj.toString());

    // an irrelevant instrument: the first stage does not reject, so the AR set is unbounded (here two rays or the line)
    var none = ivData(0.0, 43);
    var nj = ok("causal", "--csv", ivCsv("none.csv", none), "--method", "iv", "--treatment", "d", "--instrument", "z",
        "--outcome", "y");
    assertTrue(nj.get("warnings").toString().contains("Anderson–Rubin 95% confidence set is unbounded"), nj.toString());
    assertArInverts(none, nj.get("ar_confidence_set"), crit);
    assertTrue(Double.isInfinite(width(nj.get("ar_confidence_set"))));
    assertTrue(nj.get("ci_low").isNumber() && nj.get("ci_high").isNumber(), "the Wald interval still looks finite");
  }

  /** Every finite end of the AR set is a root of AR(β₀) = critical value, computed by the regression above. */
  static void assertArInverts(IvData data, JsonNode set, double crit) {
    for (var iv : set) {
      for (var end : iv) if (!end.isNull()) assertEquals(crit, arStatistic(data.y(), data.d(), data.z(), end.asDouble()), 1e-6);
    }
  }

  static double width(JsonNode set) {
    double w = 0;
    for (var iv : set) {
      if (iv.get(0).isNull() || iv.get(1).isNull()) return Double.POSITIVE_INFINITY;
      w += iv.get(1).asDouble() - iv.get(0).asDouble();
    }
    return w;
  }

  // ------------------------------------------------------------------ causal: psm, ipw (LaLonde)

  /**
   * PSID comparison group: naive −635.03 (datasets README); PSM ATT in the published positive range (Dehejia &amp; Wahba
   * report about 1,500–1,800 with their specifications; ours, with its own caliper and covariates, lands at ≈ 1,850);
   * IPW ATT positive. The propensity model is checked as an MLE: its score equations Σ(t − e)x vanish.
   */
  @Test
  void lalondePsidCausalMethods() {
    var covariates = "age,educ,black,hispan,married,nodegree,re74,re75";
    var psm = ok("causal", "--csv", PSID, "--method", "psm", "--treatment", "treat", "--outcome", "re78", "--covariates",
        covariates, "--estimand", "att");
    assertEquals(-635.03, psm.get("naive_difference").asDouble(), 0.005);
    double att = psm.get("estimate").asDouble();
    assertTrue(att > 1400 && att < 2100, "PSM ATT " + att);
    assertTrue(psm.get("std_error").asDouble() > 300 && psm.get("std_error").asDouble() < 2000, psm.toString());
    var ipw = ok("causal", "--csv", PSID, "--method", "ipw", "--treatment", "treat", "--outcome", "re78", "--covariates",
        covariates, "--estimand", "att");
    assertTrue(ipw.get("estimate").asDouble() > 0, ipw.toString());

    var csv = Csv.read(PSID);
    var names = covariates.split(",");
    var t = csv.binary("treat");
    var x = new double[t.length][names.length];
    for (int j = 0; j < names.length; j++) {
      var col = csv.numbers(names[j]);
      for (int i = 0; i < t.length; i++) x[i][j] = col[i];
    }
    var fit = Propensity.fit(x, t);
    var score = new double[names.length + 1];
    var scale = new double[names.length + 1];
    for (int i = 0; i < t.length; i++) {
      double r = t[i] - fit.scores()[i];
      score[0] += r;
      scale[0] += Math.abs(r);
      for (int j = 0; j < names.length; j++) {
        score[j + 1] += r * x[i][j];
        scale[j + 1] += Math.abs(r * x[i][j]);
      }
    }
    for (int j = 0; j < score.length; j++) assertEquals(0, score[j] / scale[j], 1e-6, "logit score equation " + j);
  }

  /** Poor overlap and imbalance after matching are warnings in the JSON. */
  @Test
  void overlapAndImbalanceWarnings() throws IOException {
    var r = new SplittableRandom(51);
    var rows = new ArrayList<double[]>();
    for (int i = 0; i < 600; i++) {
      double x = 3 * gauss(r);
      int t = r.nextDouble() < 1 / (1 + Math.exp(-2 * x)) ? 1 : 0;
      rows.add(new double[] {t, x, 1 + t + x + gauss(r)});
    }
    var f = csv("o.csv", "t,x,y", rows);
    var json = ok("causal", "--csv", f, "--method", "ipw", "--treatment", "t", "--outcome", "y", "--covariates", "x");
    assertTrue(json.get("warnings").toString().contains("poor overlap"), json.get("warnings").toString());
    var psm = ok("causal", "--csv", f, "--method", "psm", "--treatment", "t", "--outcome", "y", "--covariates", "x");
    assertTrue(psm.get("warnings").toString().contains("poor overlap"));
  }
}
