package io.hireloop.personal;

import com.typesafe.config.Config;
import java.util.List;

/**
 * The objectives of a user's strategy as functions of their decisions (pure): applications per week {@code a}, minimum
 * fit score {@code f} and the reach/target/safety mix {@code m}. With {@code p_c(f)} the interview probability of an
 * application of category c at the mean fit of the jobs at or above f ({@link InterviewCurve}):
 * <ul>
 *   <li>interviews per week {@code I = a · Σ m_c · p_c(f)};
 *   <li>time to offer, weeks: {@code 1 / (I · q) + lag}, with q the user's offer rate per interview (Beta posterior) and
 *       lag the weeks from application to offer (response time plus {@code offer-process-weeks}), at most
 *       {@code max-weeks};
 *   <li>effort, hours per week: {@code a · Σ m_c · (h_c + search · r / (share_c · s(f))))} — preparing the application
 *       (h_c) plus finding it, which grows as the minimum fit leaves fewer jobs: s(f) is the share of jobs at fit ≥ f
 *       (fit ~ Normal(job-fit-mean, job-fit-sd)), share_c the category's share of jobs, and r normalises a target job
 *       at fit 60 to {@code search-hours}.
 * </ul>
 */
public record StrategyModel(InterviewCurve curve, double offerPerInterview, double lagWeeks, Params params) {

  /** hireloop.personal.strategy; see hireloop.conf. */
  public record Params(double[] hoursPerApplication, double[] marketShare, double searchHours, double jobFitMean, double jobFitSd,
      double offerProcessWeeks, double maxWeeks, double priorOfferRate, double[] priorInterviewRate, double fitSlope,
      double maxApplicationsPerWeek, double minFit, double maxFit, double effortBudgetHours, int population, int evaluations,
      long seed) {

    public static Params from(Config c) {
      return new Params(triple(c.getConfig("hours-per-application")), triple(c.getConfig("market-share")), c.getDouble("search-hours"),
          c.getDouble("job-fit-mean"), c.getDouble("job-fit-sd"), c.getDouble("offer-process-weeks"), c.getDouble("max-weeks"),
          c.getDouble("prior-offer-rate"), triple(c.getConfig("prior-interview-rate")), c.getDouble("fit-slope"),
          c.getDouble("max-applications-per-week"), c.getDouble("min-fit"), c.getDouble("max-fit"), c.getDouble("effort-budget-hours"),
          c.getInt("population"), c.getInt("evaluations"), c.getLong("seed"));
    }

    private static double[] triple(Config c) {
      return UserEvidence.CATEGORIES.stream().mapToDouble(c::getDouble).toArray();
    }
  }

  /** A point of the decision space; the mix sums to 1. */
  public record Decision(double applicationsPerWeek, double minFitScore, double[] mix) {}

  /** The objectives at a decision. */
  public record Objectives(double interviewsPerWeek, double weeksToOffer, double effortHoursPerWeek) {
    /** As NSGA-II minimises them. */
    double[] minimised() {
      return new double[] {-interviewsPerWeek, weeksToOffer, effortHoursPerWeek};
    }
  }

  public Objectives evaluate(Decision d) {
    double perApp = 0, effortPerApp = 0;
    double sf = share(d.minFitScore());
    double ref = params.marketShare()[1] * share(60);
    for (int c = 0; c < 3; c++) {
      if (d.mix()[c] == 0) continue;
      perApp += d.mix()[c] * curve.probability(c, expectedFit(d.minFitScore()));
      effortPerApp += d.mix()[c] * (params.hoursPerApplication()[c] + params.searchHours() * ref / (params.marketShare()[c] * sf));
    }
    double interviews = d.applicationsPerWeek() * perApp;
    double offers = interviews * offerPerInterview;
    double weeks = offers <= 0 ? params.maxWeeks() : Math.min(params.maxWeeks(), 1 / offers + lagWeeks);
    return new Objectives(interviews, weeks, d.applicationsPerWeek() * effortPerApp);
  }

  /** s(f): the share of jobs at fit ≥ f. */
  double share(double f) {
    return Math.max(1e-6, 1 - normalCdf((f - params.jobFitMean()) / params.jobFitSd()));
  }

  /** The mean fit of jobs at fit ≥ f (a truncated normal's mean), capped at 100. */
  double expectedFit(double f) {
    double z = (f - params.jobFitMean()) / params.jobFitSd();
    double tail = Math.max(1e-12, 1 - normalCdf(z));
    return Math.min(100, params.jobFitMean() + params.jobFitSd() * normalPdf(z) / tail);
  }

  static double normalPdf(double z) {
    return Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
  }

  /** Φ by the complementary error function (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
  static double normalCdf(double z) {
    double x = Math.abs(z) / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * x);
    double erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
    return z >= 0 ? 1 - erfc / 2 : erfc / 2;
  }

  /**
   * Interview probability by category and fit on a grid of fit scores (linear in between, constant beyond the ends):
   * from the champion model's predictions for the user's typical application, or, without a champion, from the user's
   * own outcomes ({@link #fromEvidence}).
   */
  public record InterviewCurve(String source, double[] fits, double[][] probabilities) {
    public static final double[] GRID = {30, 40, 50, 60, 70, 80, 90, 100};

    public double probability(int category, double fit) {
      var p = probabilities[category];
      if (fit <= fits[0]) return p[0];
      for (int i = 1; i < fits.length; i++) {
        if (fit <= fits[i]) {
          double t = (fit - fits[i - 1]) / (fits[i] - fits[i - 1]);
          return p[i - 1] + t * (p[i] - p[i - 1]);
        }
      }
      return p[p.length - 1];
    }

    /**
     * From the user's outcomes: per category the Beta posterior of the interview rate (prior: {@code prior-interview-rate}
     * worth {@code priorStrength} applications) at the user's mean fit score, moved along the fit scale by
     * {@code fit-slope} log-odds per 10 points.
     */
    public static InterviewCurve fromEvidence(UserEvidence ev, Params p, double priorStrength) {
      var labelled = ev.labelled();
      double meanFit = labelled.isEmpty() ? 70 : labelled.stream().mapToDouble(UserEvidence.Application::fitScore).average().orElse(70);
      var counts = ev.byCategory();
      var probs = new double[3][GRID.length];
      int c = 0;
      for (var cat : UserEvidence.CATEGORIES) {
        var n = counts.get(cat);
        double rate = Shrinkage.rate(n[1], n[0], p.priorInterviewRate()[c], priorStrength);
        double logit = Math.log(rate / (1 - rate));
        for (int i = 0; i < GRID.length; i++) probs[c][i] = 1 / (1 + Math.exp(-(logit + p.fitSlope() * (GRID[i] - meanFit) / 10)));
        c++;
      }
      return new InterviewCurve("the user's outcomes (" + labelled.size() + " applications with an outcome)", GRID, probs);
    }

    /** From a model's probabilities for the grid, category-major (reach's grid, target's, safety's). */
    public static InterviewCurve fromPredictions(String source, List<Double> predictions) {
      var probs = new double[3][GRID.length];
      for (int c = 0; c < 3; c++) for (int i = 0; i < GRID.length; i++) probs[c][i] = predictions.get(c * GRID.length + i);
      return new InterviewCurve(source, GRID, probs);
    }
  }
}
