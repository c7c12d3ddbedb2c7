package io.hireloop.learning.monitoring;

import io.hireloop.stats.Drift;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-feature drift of served rows against a version's {@link DriftReference}. Numeric features: KS on the
 * reference's decile bins ({@link Drift#ksOfShares}) and PSI on the same bins; categorical features: chi-square
 * homogeneity of the category counts ({@link Drift#chiSquare}, the reference's counts being its shares times its
 * rows) and PSI on the category shares. A feature alarms when the test rejects at {@code alpha} <em>and</em> PSI
 * reaches {@code minPsi}: at serving volumes a test alone flags shifts too small to matter, PSI alone is noisy on
 * small windows. The defaults keep identical distributions under 1 % false alarms per feature at a 2,000-row
 * window and flag a 10-point fit-score shift or a doubled category share (DriftCheckTest measures both).
 */
public final class DriftCheck {
  private DriftCheck() {}

  public static final String NUMERIC = "numeric", CATEGORICAL = "categorical";

  /**
   * @param alpha the tests' significance level per feature
   * @param minPsi the smallest PSI that counts as a shift
   * @param minSample fewer served rows than this and no feature is tested
   */
  public record Settings(double alpha, double minPsi, int minSample) {
    public static Settings defaults() {
      return new Settings(0.001, 0.02, 200);
    }
  }

  /** {@code statistic} is KS's D ({@code numeric}) or X² ({@code categorical}). */
  public record FeatureDrift(String feature, String kind, double statistic, double pValue, double psi, boolean alarm, int rows) {}

  /** Features the served rows lack are skipped; nothing is tested below {@code minSample} rows. */
  public static List<FeatureDrift> check(DriftReference reference, List<Map<String, Object>> served, Settings s) {
    var out = new ArrayList<FeatureDrift>();
    if (reference == null || reference.rows() == 0 || served.size() < s.minSample()) return out;
    for (var n : reference.numeric()) {
      var values = new ArrayList<Double>(served.size());
      for (var row : served) if (row.get(n.feature()) instanceof Number v) values.add(v.doubleValue());
      if (values.size() < s.minSample()) continue;
      out.add(numeric(n, values.stream().mapToDouble(Double::doubleValue).toArray(), reference.rows(), s));
    }
    for (var c : reference.categorical()) {
      var values = new ArrayList<String>(served.size());
      for (var row : served) if (row.get(c.feature()) != null) values.add(String.valueOf(row.get(c.feature())));
      if (values.size() < s.minSample()) continue;
      out.add(categorical(c, values, reference.rows(), s));
    }
    return out;
  }

  static FeatureDrift numeric(DriftReference.Numeric ref, double[] values, int referenceRows, Settings s) {
    var edges = ref.edges().stream().mapToDouble(Double::doubleValue).toArray();
    var refShares = ref.shares().stream().mapToDouble(Double::doubleValue).toArray();
    var current = Drift.proportions(values, edges);
    var ks = Drift.ksOfShares(refShares, referenceRows, current, values.length);
    double psi = Drift.psiOfShares(refShares, current);
    return new FeatureDrift(ref.feature(), NUMERIC, ks.statistic(), ks.pValue(), psi, ks.pValue() < s.alpha() && psi >= s.minPsi(),
        values.length);
  }

  static FeatureDrift categorical(DriftReference.Categorical ref, List<String> values, int referenceRows, Settings s) {
    var categories = new LinkedHashMap<String, double[]>();
    ref.shares().forEach((k, share) -> categories.put(k, new double[] {share * referenceRows, 0}));
    // a category the training rows never had is a shift of its own: it gets its own cell
    for (var v : values) categories.computeIfAbsent(v, k -> new double[2])[1]++;
    int k = categories.size();
    var a = new double[k];
    var b = new double[k];
    var refShares = new double[k];
    var curShares = new double[k];
    int i = 0;
    for (var cell : categories.values()) {
      a[i] = cell[0];
      b[i] = cell[1];
      refShares[i] = cell[0] / referenceRows;
      curShares[i] = cell[1] / values.size();
      i++;
    }
    var chi = Drift.chiSquare(a, b);
    double psi = Drift.psiOfShares(refShares, curShares);
    return new FeatureDrift(ref.feature(), CATEGORICAL, chi.statistic(), chi.pValue(), psi,
        chi.pValue() < s.alpha() && psi >= s.minPsi(), values.size());
  }
}
