package io.hireloop.cli.analyze;

import io.hireloop.stats.Power;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code analyze power --baseline P --mde D [--alpha 0.05] [--power 0.8]} → {@code {n_per_variant}}:
 * two-sided test of two proportions, absolute MDE (baseline P → P + D), normal approximation — see
 * {@link Power#sampleSizeProportions}.
 */
final class PowerAnalysis {
  private PowerAnalysis() {}

  static Map<String, Object> run(Analyze.Args args) {
    double baseline = args.requiredNumber("baseline");
    double mde = args.requiredNumber("mde");
    double alpha = args.number("alpha", 0.05);
    double power = args.number("power", 0.8);
    if (!(baseline > 0 && baseline < 1)) throw new AnalyzeError("--baseline must be a proportion in (0, 1), got " + baseline);
    if (mde == 0 || !Double.isFinite(mde)) throw new AnalyzeError("--mde must be a non-zero absolute difference, got " + mde);
    if (!(baseline + mde > 0 && baseline + mde < 1)) {
      throw new AnalyzeError("--baseline + --mde must stay in (0, 1), got " + (baseline + mde));
    }
    if (!(alpha > 0 && alpha < 1)) throw new AnalyzeError("--alpha must be in (0, 1), got " + alpha);
    if (!(power > 0 && power < 1)) throw new AnalyzeError("--power must be in (0, 1), got " + power);
    var out = new LinkedHashMap<String, Object>();
    out.put("n_per_variant", Power.sampleSizeProportions(baseline, mde, alpha, power));
    return out;
  }
}
