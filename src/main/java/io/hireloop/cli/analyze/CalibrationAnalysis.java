package io.hireloop.cli.analyze;

import io.hireloop.stats.Calibration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code calibration --csv F --prob COL --label COL [--bins 10]}: ECE, Brier and the equal-width
 * reliability bins. Empty bins are listed with count 0 and null mean_prob / frequency.
 */
final class CalibrationAnalysis {
  private CalibrationAnalysis() {}

  static Map<String, Object> run(Analyze.Args args) {
    String probColumn = args.required("prob");
    String labelColumn = args.required("label");
    var csv = Csv.read(args.required("csv")).load(List.of(probColumn, labelColumn), List.of());
    double binsArg = args.number("bins", 10);
    if (binsArg < 1 || binsArg != Math.rint(binsArg) || binsArg > 1000) {
      throw new AnalyzeError("--bins must be a whole number from 1 to 1000, got " + args.get("bins", "10"));
    }
    double[] p = csv.numbers(probColumn);
    int[] y = csv.binary(labelColumn);
    if (p.length == 0) throw new AnalyzeError(args.required("csv") + " has no data rows");
    for (int i = 0; i < p.length; i++) {
      if (p[i] < 0 || p[i] > 1) {
        throw new AnalyzeError(args.required("csv") + " row " + (i + 2) + " column '" + probColumn + "': " + p[i]
            + " is not a probability in [0, 1]");
      }
    }
    var report = Calibration.report(p, y, (int) binsArg);
    List<Map<String, Object>> bins = new ArrayList<>();
    for (var b : report.bins()) {
      var row = new LinkedHashMap<String, Object>();
      row.put("low", b.lower());
      row.put("high", b.upper());
      row.put("count", b.count());
      row.put("mean_prob", b.count() == 0 ? null : b.meanPredicted());
      row.put("frequency", b.count() == 0 ? null : b.observedRate());
      bins.add(row);
    }
    var out = new LinkedHashMap<String, Object>();
    out.put("ece", report.ece());
    out.put("brier", report.brier());
    out.put("bins", bins);
    return out;
  }
}
