package io.hireloop.cli.analyze;

import io.hireloop.platform.Json;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code bin/hireloop analyze <kind> [--options]}: statistics on CSV exports, one JSON object on stdout.
 * Each kind is a function from its options to the result map; bad input is an {@link AnalyzeError}
 * (stderr, exit 2).
 */
public final class Analyze {
  /** Parsed {@code --name value} options of one analysis. */
  public record Args(Map<String, String> values) {
    public String required(String name) {
      var v = values.get(name);
      if (v == null || v.equals("true")) throw new AnalyzeError("--" + name + " is required");
      return v;
    }

    public String get(String name, String fallback) {
      return values.getOrDefault(name, fallback);
    }

    public double number(String name, double fallback) {
      var v = values.get(name);
      if (v == null) return fallback;
      double d = Csv.parse(v.trim());
      if (Double.isNaN(d)) throw new AnalyzeError("--" + name + " must be a number, got '" + v + "'");
      return d;
    }

    public double requiredNumber(String name) {
      required(name);
      return number(name, Double.NaN);
    }

    public double[] numbers(String name) {
      var parts = required(name).split(",");
      var out = new double[parts.length];
      for (int i = 0; i < parts.length; i++) {
        out[i] = Csv.parse(parts[i].trim());
        if (Double.isNaN(out[i])) throw new AnalyzeError("--" + name + " must be comma-separated numbers, got '" + parts[i] + "'");
      }
      return out;
    }
  }

  /** The analyses by name; each feature adds its own line. */
  static final Map<String, Function<Args, Map<String, Object>>> KINDS = new LinkedHashMap<>();

  static {
    KINDS.put("test", TestAnalysis::run);
    KINDS.put("power", PowerAnalysis::run);
    KINDS.put("srm", SrmAnalysis::run);
    KINDS.put("drift", DriftAnalysis::run);
    KINDS.put("calibration", CalibrationAnalysis::run);
    KINDS.put("timeseries", TimeSeriesAnalysis::run);
    KINDS.put("pareto", ParetoAnalysis::run);
    KINDS.put("causal", CausalAnalysis::run);
  }

  private Analyze() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || !KINDS.containsKey(args[0])) {
      err.println("hireloop analyze: " + (args.length == 0 ? "which analysis?" : "unknown analysis '" + args[0] + "'")
          + " — one of " + KINDS.keySet());
      return 2;
    }
    var values = new LinkedHashMap<String, String>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        err.println("hireloop analyze: unexpected argument '" + args[i] + "'");
        return 2;
      }
      var name = args[i].substring(2);
      values.put(name, i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true");
    }
    try {
      out.println(Json.write(KINDS.get(args[0]).apply(new Args(values))));
      return 0;
    } catch (AnalyzeError | IllegalArgumentException e) {
      err.println("hireloop analyze " + args[0] + ": " + e.getMessage());
      return 2;
    } catch (OutOfMemoryError e) {
      // the columns were streamed into primitive arrays; what is left is the data itself: say how to get room
      err.println("hireloop analyze " + args[0] + ": out of memory holding the data (Java heap "
          + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB); pass fewer rows or columns, or raise the heap, "
          + "e.g. JAVA_OPTS=-Xmx4g");
      return 2;
    } catch (RuntimeException e) {
      // not an input problem we anticipated, but still one line and the input-error code, never a stack trace
      err.println("hireloop analyze " + args[0] + ": failed: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      return 2;
    }
  }
}
