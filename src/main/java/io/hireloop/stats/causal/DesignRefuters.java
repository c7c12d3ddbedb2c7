package io.hireloop.stats.causal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Refuters for the designs that do not fit {@link Refuters.Estimator} (2SLS, difference-in-differences, regression
 * discontinuity). They share {@link Refuters}' seeding, skipping of degenerate simulated data sets, p-value and pass
 * rule (p ≥ 0.05 for the expected value within the simulated estimates, or within 10% of |original|), and give the
 * same {@link Refutation} shape; attach them with {@link CausalEstimate#withRefutations}, which flags a failure.
 * Seeds: the i-th refuter of a list uses {@code seed + i}, as {@link Refuters#all} does.
 *
 * <ul>
 *   <li><b>IV</b> — {@code placebo_instrument}: the instrument rows are randomly permuted. A permuted instrument has
 *       no first stage, so full 2SLS on it is unidentified (weak-instrument ratio, heavy tails, centred near OLS,
 *       not 0); the placebo estimate therefore keeps the first stage fitted on the real instrument and applies it to
 *       the permuted one ({@link InstrumentalVariables#placeboEstimate}) — the reduced-form effect of the placebo
 *       instrument over the real first-stage coefficient. Expected 0, compared like the treatment placebo.
 *       {@code random_common_cause}: an N(0, 1) exogenous covariate added to w; {@code data_subset}: 80% of rows.</li>
 *   <li><b>DiD</b> — {@code placebo_treatment}: the treated-group labels are permuted across units (when unit ids are
 *       given, there are at least 4 units and the label is constant within each unit), otherwise across rows;
 *       expected 0. A placebo post period is not used: the design is 2 × 2 with a 0/1 period indicator, so there is
 *       no pre-period to fake. {@code random_common_cause}: an N(0, 1) covariate added; {@code data_subset}: 80% of
 *       the units (all their rows) when units are usable as above, else 80% of rows.</li>
 *   <li><b>RD</b> — {@code placebo_cutoff_below} / {@code placebo_cutoff_above}: the median of the running variable
 *       among the rows below (at or above) the true cutoff, estimated on that side's rows only with a re-chosen
 *       cross-validated bandwidth; one estimate each, judged by its own standard error (expected 0, same rule,
 *       {@link Refuters#single}). {@code data_subset}: 80% of rows at the original bandwidth. No random common
 *       cause: {@link RegressionDiscontinuity#sharp} takes no covariates, so an added covariate could not move it.</li>
 * </ul>
 */
public final class DesignRefuters {
  private DesignRefuters() {}

  /** 2SLS refuters; {@code w} may be null. */
  public static List<Refutation> iv(double[] y, double[] d, double[][] z, double[][] w, double original, int simulations, long seed) {
    int n = y.length;
    return List.of(
        Refuters.simulate("placebo_instrument", random -> InstrumentalVariables.placeboEstimate(y, d, z,
            Refuters.pick(z, Refuters.permutation(n, random)), w), 0, original, simulations, seed),
        Refuters.simulate("random_common_cause", random -> InstrumentalVariables.twoStage(y, d, z,
            Refuters.withRandomColumn(w, n, random), true).estimate(), original, original, simulations, seed + 1),
        Refuters.simulate("data_subset", random -> {
          var rows = Refuters.subset(n, 0.8, random);
          return InstrumentalVariables.twoStage(Refuters.pick(y, rows), Refuters.pick(d, rows), Refuters.pick(z, rows),
              Refuters.pick(w, rows), true).estimate();
        }, original, original, simulations, seed + 2));
  }

  /** Difference-in-differences refuters; {@code covariates} and {@code units} (a unit id per row) may be null. */
  public static List<Refutation> did(double[] y, int[] treat, int[] post, double[][] covariates, String[] units,
      double original, int simulations, long seed) {
    int n = y.length;
    var panel = Panel.of(units, treat);
    return List.of(
        Refuters.simulate("placebo_treatment", random -> {
          int[] placebo;
          if (panel == null) {
            placebo = Refuters.permute(treat, random);
          } else {
            var labels = Refuters.permute(panel.unitTreat, random);
            placebo = new int[n];
            for (int i = 0; i < n; i++) placebo[i] = labels[panel.unitOf[i]];
          }
          return DifferenceInDifferences.estimate(y, placebo, post, covariates, null).estimate();
        }, 0, original, simulations, seed),
        Refuters.simulate("random_common_cause", random -> DifferenceInDifferences.estimate(y, treat, post,
            Refuters.withRandomColumn(covariates, n, random), null).estimate(), original, original, simulations, seed + 1),
        Refuters.simulate("data_subset", random -> {
          int[] rows;
          if (panel == null) {
            rows = Refuters.subset(n, 0.8, random);
          } else {
            var keep = new boolean[panel.unitTreat.length];
            for (int u : Refuters.subset(keep.length, 0.8, random)) keep[u] = true;
            rows = java.util.stream.IntStream.range(0, n).filter(i -> keep[panel.unitOf[i]]).toArray();
          }
          return DifferenceInDifferences.estimate(Refuters.pick(y, rows), Refuters.pick(treat, rows), Refuters.pick(post, rows),
              Refuters.pick(covariates, rows), null).estimate();
        }, original, original, simulations, seed + 2));
  }

  /** Sharp RD refuters at the original {@code bandwidth} (for the subsets). */
  public static List<Refutation> rd(double[] x, double[] y, double cutoff, double bandwidth, double original, int simulations, long seed) {
    var out = new ArrayList<Refutation>();
    out.add(placeboCutoff("placebo_cutoff_below", x, y, cutoff, false, original));
    out.add(placeboCutoff("placebo_cutoff_above", x, y, cutoff, true, original));
    out.add(Refuters.simulate("data_subset", random -> {
      var rows = Refuters.subset(x.length, 0.8, random);
      return RegressionDiscontinuity.sharp(Refuters.pick(x, rows), Refuters.pick(y, rows), cutoff, bandwidth).estimate();
    }, original, original, simulations, seed + 2));
    return List.copyOf(out);
  }

  private static Refutation placeboCutoff(String name, double[] x, double[] y, double cutoff, boolean above, double original) {
    var rows = java.util.stream.IntStream.range(0, x.length).filter(i -> (x[i] >= cutoff) == above).toArray();
    var xs = Refuters.pick(x, rows);
    var ys = Refuters.pick(y, rows);
    try {
      var r = RegressionDiscontinuity.sharp(xs, ys, median(xs), Double.NaN);
      return Refuters.single(name, r.estimate(), r.stdError(), 0, original);
    } catch (IllegalArgumentException | ArithmeticException e) {
      return new Refutation(name, Double.NaN, Double.NaN, false); // too few rows on this side for a placebo
    }
  }

  static double median(double[] v) {
    if (v.length == 0) return Double.NaN;
    var s = v.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  /** Units in order of first appearance with their (constant) treated-group label; null when not usable. */
  private record Panel(int[] unitOf, int[] unitTreat) {
    static Panel of(String[] units, int[] treat) {
      if (units == null) return null;
      var index = new LinkedHashMap<String, Integer>();
      var labels = new ArrayList<Integer>();
      var unitOf = new int[units.length];
      for (int i = 0; i < units.length; i++) {
        Integer u = index.get(units[i]);
        if (u == null) {
          u = index.size();
          index.put(units[i], u);
          labels.add(treat[i]);
        } else if (labels.get(u) != treat[i]) {
          return null; // the group label varies within a unit: permute rows instead
        }
        unitOf[i] = u;
      }
      if (index.size() < 4) return null;
      return new Panel(unitOf, labels.stream().mapToInt(Integer::intValue).toArray());
    }
  }
}
