package io.hireloop.cli.analyze;

import io.hireloop.stats.Nsga2;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code pareto --problem zdt1|zdt2|zdt3 [--evaluations 25000] [--seed 1]}: NSGA-II with a population
 * of 100; hypervolume of the final non-dominated front w.r.t. the reference point (1, 1).
 */
final class ParetoAnalysis {
  static final int POPULATION = 100;

  private ParetoAnalysis() {}

  static Map<String, Object> run(Analyze.Args args) {
    String name = args.required("problem");
    if (!name.equals("zdt1") && !name.equals("zdt2") && !name.equals("zdt3")) {
      throw new AnalyzeError("--problem must be zdt1, zdt2 or zdt3, got '" + name + "'");
    }
    double evaluations = args.number("evaluations", 25_000);
    if (evaluations < 2 * POPULATION || evaluations != Math.rint(evaluations) || evaluations > 10_000_000) {
      throw new AnalyzeError("--evaluations must be a whole number from " + 2 * POPULATION + " to 10000000, got "
          + args.get("evaluations", ""));
    }
    double seed = args.number("seed", 1);
    if (seed != Math.rint(seed)) throw new AnalyzeError("--seed must be a whole number, got " + args.get("seed", ""));
    var front = new Nsga2(Nsga2.zdt(name), POPULATION, (long) seed).run((int) evaluations);
    var out = new LinkedHashMap<String, Object>();
    out.put("hypervolume", Nsga2.Hypervolume.ofFront(front, 1, 1));
    out.put("front_size", front.size());
    return out;
  }
}
