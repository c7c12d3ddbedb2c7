package io.hireloop.cli.analyze;

import io.hireloop.stats.HypothesisTests;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code analyze srm --observed 5000,5300 --expected 0.5,0.5} → {@code {chi2, p_value, mismatch}}:
 * chi-square goodness of fit of the assignment counts to the intended split; mismatch when p &lt; 0.001.
 */
final class SrmAnalysis {
  private SrmAnalysis() {}

  static Map<String, Object> run(Analyze.Args args) {
    double[] counts = args.numbers("observed");
    double[] shares = args.numbers("expected");
    if (counts.length != shares.length) {
      throw new AnalyzeError("--observed has " + counts.length + " counts but --expected has " + shares.length + " shares");
    }
    if (counts.length < 2) throw new AnalyzeError("--observed needs at least 2 variants");
    long[] observed = new long[counts.length];
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0 || counts[i] != Math.rint(counts[i]) || counts[i] > 1e15) {
        throw new AnalyzeError("--observed must be non-negative whole counts, got " + counts[i]);
      }
      observed[i] = (long) counts[i];
      total += observed[i];
    }
    if (total == 0) throw new AnalyzeError("--observed counts are all zero");
    double sum = 0;
    for (double s : shares) {
      if (!(s > 0 && s < 1)) throw new AnalyzeError("--expected shares must be in (0, 1), got " + s);
      sum += s;
    }
    if (Math.abs(sum - 1) > 1e-6) throw new AnalyzeError("--expected shares must sum to 1, they sum to " + sum);
    var r = HypothesisTests.srm(observed, shares);
    var out = new LinkedHashMap<String, Object>();
    out.put("chi2", r.chi2());
    out.put("p_value", r.pValue());
    out.put("mismatch", r.mismatch());
    return out;
  }
}
