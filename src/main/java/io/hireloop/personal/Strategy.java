package io.hireloop.personal;

import io.hireloop.personal.StrategyModel.Decision;
import io.hireloop.personal.StrategyModel.Objectives;
import io.hireloop.stats.Nsga2;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's personal strategy ({@code GET /api/v1/users/{id}/strategy}, pure): NSGA-II ({@link Nsga2}) over applications
 * per week, minimum fit and the reach/target/safety mix (three weights in [0, 1], normalised; all zero = even), with the
 * three objectives of {@link StrategyModel}. The Pareto front comes back sorted by interviews per week; the recommended
 * point is the front's point with the most interviews per week among those within the effort budget (ties: the shorter
 * time to offer); when none is, the least effort. Deterministic: the seed is {@code strategy.seed} mixed with the user
 * id, so the same journal gives the same answer.
 */
public final class Strategy {
  private Strategy() {}

  /** A decision with its objectives. */
  public record Point(Decision decision, Objectives objectives) {
    Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("applications_per_week", round(decision.applicationsPerWeek(), 10));
      m.put("min_fit_score", round(decision.minFitScore(), 10));
      var mix = new LinkedHashMap<String, Object>();
      for (int c = 0; c < 3; c++) mix.put(UserEvidence.CATEGORIES.get(c), round(decision.mix()[c], 1000));
      m.put("category_mix", mix);
      m.put("expected_interviews_per_week", round(objectives.interviewsPerWeek(), 1000));
      m.put("expected_weeks_to_offer", round(objectives.weeksToOffer(), 10));
      m.put("effort_hours_per_week", round(objectives.effortHoursPerWeek(), 10));
      return m;
    }
  }

  /** The answer: the front (by interviews per week), the recommended point, the user's current point and what they rest on. */
  public record Result(String userId, long asOfSeqNr, Instant computedAt, String curveSource, double offerPerInterview, double lagWeeks,
      double effortBudgetHours, long seed, int evaluations, List<Point> front, Point recommended, Point current, String currentSource) {

    /** The document of {@code GET /api/v1/users/{id}/strategy} (docs/API.md). */
    public Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("user_id", userId);
      m.put("as_of_seq_nr", asOfSeqNr);
      m.put("computed_at", computedAt.toString());
      var model = new LinkedHashMap<String, Object>();
      model.put("interview_probability", curveSource);
      model.put("offer_per_interview", round(offerPerInterview, 1000));
      model.put("lag_weeks", round(lagWeeks, 100));
      m.put("model", model);
      var opt = new LinkedHashMap<String, Object>();
      opt.put("algorithm", "nsga2");
      opt.put("seed", seed);
      opt.put("evaluations", evaluations);
      opt.put("objectives", List.of("max expected_interviews_per_week", "min expected_weeks_to_offer", "min effort_hours_per_week"));
      m.put("optimisation", opt);
      var rec = new LinkedHashMap<String, Object>(recommended.toJson());
      rec.put("rule", "most expected interviews per week with effort <= " + effortBudgetHours + " h/week (ties: shorter time to offer); "
          + "none within the budget: the least effort");
      m.put("recommended", rec);
      var cur = new LinkedHashMap<String, Object>(current.toJson());
      cur.put("source", currentSource);
      m.put("current", cur);
      m.put("pareto_front", front.stream().map(Point::toJson).toList());
      return m;
    }
  }

  /**
   * @param current the user's decisions now (their pace, fit floor and mix; the global values where they have none)
   */
  public static Result optimise(UserEvidence ev, StrategyModel model, Decision current, String currentSource, Instant now) {
    var p = model.params();
    long seed = p.seed() ^ io.hireloop.ranking.RankingPolicy.seedOf(ev.userId() == null ? "" : ev.userId());
    var problem = new Nsga2.Problem("strategy", new double[] {1, p.minFit(), 0, 0, 0},
        new double[] {p.maxApplicationsPerWeek(), p.maxFit(), 1, 1, 1}, x -> model.evaluate(decision(x)).minimised());
    var raw = new Nsga2(problem, p.population(), seed).run(p.evaluations());
    var front = new ArrayList<Point>();
    var seen = new java.util.HashSet<String>();
    for (var s : raw) {
      var d = decision(s.x());
      var point = new Point(d, model.evaluate(d));
      if (seen.add(point.toJson().toString())) front.add(point);
    }
    front.sort(Comparator.comparingDouble((Point x) -> x.objectives().interviewsPerWeek()));
    return new Result(ev.userId(), ev.asOfSeqNr(), now, model.curve().source(), model.offerPerInterview(), model.lagWeeks(),
        p.effortBudgetHours(), seed, p.evaluations(), List.copyOf(front), recommend(front, p.effortBudgetHours()),
        new Point(current, model.evaluate(current)), currentSource);
  }

  /** The recommendation rule (class comment). */
  static Point recommend(List<Point> front, double budget) {
    var within = front.stream().filter(x -> x.objectives().effortHoursPerWeek() <= budget).toList();
    if (within.isEmpty()) return front.stream().min(Comparator.comparingDouble(x -> x.objectives().effortHoursPerWeek())).orElseThrow();
    return within.stream().max(Comparator.comparingDouble((Point x) -> x.objectives().interviewsPerWeek())
        .thenComparing(Comparator.comparingDouble((Point x) -> x.objectives().weeksToOffer()).reversed())).orElseThrow();
  }

  /** The decision of an NSGA-II vector: a, f and three mix weights (normalised; all zero = even). */
  static Decision decision(double[] x) {
    double sum = x[2] + x[3] + x[4];
    var mix = sum <= 0 ? new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0} : new double[] {x[2] / sum, x[3] / sum, x[4] / sum};
    return new Decision(x[0], x[1], mix);
  }

  /** Whether a's objectives are at least as good as b's everywhere and better somewhere. */
  public static boolean dominates(Objectives a, Objectives b) {
    var x = a.minimised();
    var y = b.minimised();
    boolean better = false;
    for (int i = 0; i < x.length; i++) {
      if (x[i] > y[i]) return false;
      if (x[i] < y[i]) better = true;
    }
    return better;
  }

  static double round(double v, double per) {
    return Shrinkage.round(v, per);
  }
}
