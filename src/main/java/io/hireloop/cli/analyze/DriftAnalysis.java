package io.hireloop.cli.analyze;

import io.hireloop.stats.Drift;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code drift --reference A.csv --current B.csv}: for every column present in both files whose cells
 * are all numeric in both, the two-sample KS statistic and p-value and the PSI (deciles of the
 * reference). A column is {@code drifted} when p < 0.01 or PSI > 0.25 (the "major shift" end of the PSI
 * rule of thumb). Columns with no numeric cell in either file (ids, categories) are skipped; a column
 * with some numeric and some other cells is an error naming the cell, and so is having no numeric
 * column in common.
 */
final class DriftAnalysis {
  static final double P_THRESHOLD = 0.01;
  static final double PSI_THRESHOLD = 0.25;

  private DriftAnalysis() {}

  static Map<String, Object> run(Analyze.Args args) {
    var reference = Csv.read(args.required("reference"));
    var current = Csv.read(args.required("current"));
    var common = reference.header().stream().filter(current::has).toList();
    reference.load(common, List.of());
    current.load(common, List.of());
    if (reference.size() == 0) throw new AnalyzeError(args.required("reference") + " has no data rows");
    if (current.size() == 0) throw new AnalyzeError(args.required("current") + " has no data rows");
    List<Map<String, Object>> columns = new ArrayList<>();
    for (String column : common) {
      if (reference.textual(column) && current.textual(column)) continue; // an id or category column
      double[] a = reference.numbers(column); // a mixed column is an error naming the bad cell
      double[] b = current.numbers(column);
      var ks = Drift.ks(a, b);
      double psi = Drift.psi(a, b);
      var row = new LinkedHashMap<String, Object>();
      row.put("column", column);
      row.put("statistic", ks.statistic());
      row.put("p_value", ks.pValue());
      row.put("psi", psi);
      row.put("drifted", ks.pValue() < P_THRESHOLD || psi > PSI_THRESHOLD);
      columns.add(row);
    }
    if (columns.isEmpty()) {
      throw new AnalyzeError("no numeric column is present in both files (reference: " + String.join(", ", reference.header())
          + "; current: " + String.join(", ", current.header()) + ")");
    }
    return Map.of("columns", columns);
  }
}
