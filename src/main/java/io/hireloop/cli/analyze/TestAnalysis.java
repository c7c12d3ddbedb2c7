package io.hireloop.cli.analyze;

import io.hireloop.stats.HypothesisTests;
import io.hireloop.stats.HypothesisTests.TestResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code analyze test --csv F --group COL --metric COL --kind welch|student|proportions|mann-whitney [--alpha A]}
 * → {@code {statistic, df, p_value, difference, ci_low, ci_high, effect_size}}. The group column must be
 * 0/1; difference = group 1 − group 0. For {@code proportions} the metric must be 0/1 too; {@code df} is null
 * for the z-based tests (proportions, Mann–Whitney, whose statistic is z and whose difference is the
 * Hodges–Lehmann shift).
 */
final class TestAnalysis {
  private TestAnalysis() {}

  static Map<String, Object> run(Analyze.Args args) {
    var kind = args.get("kind", "welch");
    if (!kind.equals("welch") && !kind.equals("student") && !kind.equals("proportions") && !kind.equals("mann-whitney")) {
      throw new AnalyzeError("--kind must be welch, student, proportions or mann-whitney, got '" + kind + "'");
    }
    double alpha = args.number("alpha", HypothesisTests.DEFAULT_ALPHA);
    if (!(alpha > 0 && alpha < 1)) throw new AnalyzeError("--alpha must be in (0, 1), got " + alpha);
    var groupColumn = args.required("group");
    var metricColumn = args.required("metric");
    var csv = Csv.read(args.required("csv")).load(java.util.List.of(groupColumn, metricColumn), java.util.List.of());
    int[] group = csv.binary(groupColumn);
    int n1 = 0;
    for (int g : group) n1 += g;
    int n0 = group.length - n1;
    int minimum = kind.equals("welch") || kind.equals("student") ? 2 : 1;
    if (n0 < minimum || n1 < minimum) {
      throw new AnalyzeError("too few rows: group 0 has " + n0 + " and group 1 has " + n1 + " rows; " + kind
          + " needs at least " + minimum + " in each");
    }
    TestResult r;
    if (kind.equals("proportions")) {
      int[] metric = csv.binary(metricColumn);
      long s0 = 0;
      long s1 = 0;
      for (int i = 0; i < metric.length; i++) {
        if (group[i] == 1) s1 += metric[i];
        else s0 += metric[i];
      }
      r = HypothesisTests.proportions(s0, n0, s1, n1, alpha);
    } else {
      double[] metric = csv.numbers(metricColumn);
      double[] x0 = new double[n0];
      double[] x1 = new double[n1];
      int i0 = 0;
      int i1 = 0;
      for (int i = 0; i < metric.length; i++) {
        if (group[i] == 1) x1[i1++] = metric[i];
        else x0[i0++] = metric[i];
      }
      r = switch (kind) {
        case "welch" -> HypothesisTests.welch(x0, x1, alpha);
        case "student" -> HypothesisTests.student(x0, x1, alpha);
        default -> HypothesisTests.mannWhitney(x0, x1, alpha).asTestResult();
      };
    }
    var out = new LinkedHashMap<String, Object>();
    out.put("statistic", finite(r.statistic()));
    out.put("df", finite(r.df()));
    out.put("p_value", finite(r.pValue()));
    out.put("difference", finite(r.difference()));
    out.put("ci_low", finite(r.ciLow()));
    out.put("ci_high", finite(r.ciHigh()));
    out.put("effect_size", finite(r.effectSize()));
    return out;
  }

  /** JSON has no NaN: a value that is not defined is null. */
  static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
