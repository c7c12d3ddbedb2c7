package io.hireloop.cli.analyze;

import io.hireloop.stats.TimeSeries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code timeseries --csv F --value COL [--period P] [--horizon H]}: STL decomposition (period 12 by
 * default), seasonality strength, PELT change points in the level of the seasonally adjusted series
 * ({@link TimeSeries#seasonalChangePoints}: 0-based row index where each new segment starts, default penalty
 * of {@link TimeSeries#pelt(double[])}) and a forecast of H steps (default one period). {@code low}/{@code high}
 * are the 95% interval, {@code low_80}/{@code high_80} the 80% one. Needs at least two full periods of rows;
 * fewer than {@value #MIN_CYCLES} adds a warning.
 */
final class TimeSeriesAnalysis {
  /** Below this many full periods each seasonal position is estimated from two values only. */
  static final int MIN_CYCLES = 3;

  private TimeSeriesAnalysis() {}

  static Map<String, Object> run(Analyze.Args args) {
    var valueColumn = args.required("value");
    var csv = Csv.read(args.required("csv")).load(List.of(valueColumn), List.of());
    double periodArg = args.number("period", 12);
    if (periodArg < 2 || periodArg != Math.rint(periodArg)) {
      throw new AnalyzeError("--period must be a whole number >= 2, got " + args.get("period", "12"));
    }
    int period = (int) periodArg;
    double horizonArg = args.number("horizon", period);
    if (horizonArg < 1 || horizonArg != Math.rint(horizonArg) || horizonArg > 10_000) {
      throw new AnalyzeError("--horizon must be a whole number from 1 to 10000, got " + args.get("horizon", ""));
    }
    double[] y = csv.numbers(valueColumn);
    if (y.length < 2 * period) {
      throw new AnalyzeError("too few rows for period " + period + ": " + y.length + " rows, STL needs at least "
          + 2 * period + " (two full periods)");
    }
    var d = TimeSeries.stl(y, period);
    List<Map<String, Object>> forecast = new ArrayList<>();
    for (var f : TimeSeries.forecast(y, d, (int) horizonArg)) {
      var row = new LinkedHashMap<String, Object>();
      row.put("step", f.step());
      row.put("mean", f.mean());
      row.put("low", f.low95());
      row.put("high", f.high95());
      row.put("low_80", f.low80());
      row.put("high_80", f.high80());
      forecast.add(row);
    }
    var out = new LinkedHashMap<String, Object>();
    out.put("seasonality_strength", TimeSeries.seasonalityStrength(d));
    out.put("trend", d.trend());
    out.put("seasonal", d.seasonal());
    out.put("residual", d.residual());
    out.put("change_points", TimeSeries.seasonalChangePoints(y, d));
    out.put("forecast", forecast);
    var warnings = new ArrayList<String>();
    if (y.length < MIN_CYCLES * period) {
      warnings.add(String.format("too few points per seasonal period: %d rows are %.1f periods of %d (fewer than %d); each "
          + "seasonal position rests on %d value(s), so the seasonal component, the change points and the forecast are "
          + "rough", y.length, (double) y.length / period, period, MIN_CYCLES, y.length / period));
    }
    out.put("warnings", warnings);
    return out;
  }
}
