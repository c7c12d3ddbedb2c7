package io.hireloop.personal;

import com.typesafe.config.Config;
import io.hireloop.personal.PersonalConfig.Evidence;
import io.hireloop.personal.PersonalConfig.Mix;
import io.hireloop.personal.PersonalConfig.Posterior;
import io.hireloop.personal.PersonalConfig.Scalar;
import io.hireloop.personal.PersonalConfig.Setting;
import io.hireloop.personal.PersonalConfig.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A user's {@link PersonalConfig} from their {@link UserEvidence} and the global values (pure). Every setting goes
 * through the one {@link Shrinkage.Rule}: the user's own estimate, shrunk toward the global value by n / (n + k), and
 * only once n reaches the setting's minimum sample size. The estimates (hireloop.conf {@code hireloop.personal}
 * documents the parameters):
 * <ul>
 *   <li>{@code min_fit_score}: the {@code fit-quantile} (20 %) quantile of the fit scores of the user's interview-reaching
 *       applications — below it the user got only that share of their interviews; n = interviews.
 *   <li>{@code category_mix}: the global mix re-weighted by the user's per-category interview rates (Beta posteriors
 *       centred on the user's overall rate, {@code group-prior-strength}), renormalised; n = applications with an outcome.
 *   <li>{@code applications_per_week}: the user's own pace, applications per week since their first; n = weeks.
 *   <li>{@code follow_up_after_days}: the {@code follow-up-quantile} (median) of the user's reported response times;
 *       n = responses.
 *   <li>{@code exploration_rate}: ε · sqrt(min / n), floored at {@code exploration-floor}: the more outcomes are known,
 *       the less the user's list needs exploring; n = applications with an outcome.
 *   <li>{@code diversity_lambda}: λ · 2 · (1 − spread), clipped to [0, 1], where spread = (highest − lowest) / highest
 *       of the per-industry interview-rate posteriors: success spread evenly over industries doubles λ (diversity costs
 *       little), success in one industry only takes it toward 0; needs outcomes in two industries; n = applications
 *       with an outcome and an industry.
 * </ul>
 */
public final class PersonalConfigRule {

  /** The global values the settings fall back to (the live configs and the re-ranker's settings). */
  public record Globals(double minFitScore, double[] categoryMix, double applicationsPerWeek, double followUpAfterDays,
      double explorationRate, double diversityLambda) {}

  /** hireloop.personal; see hireloop.conf. */
  public record Params(double priorStrength, double priorStrengthWeeks, double groupPriorStrength, int minApplications,
      int minInterviews, int minResponses, int minWeeks, double fitQuantile, double followUpQuantile, double explorationFloor) {

    public static Params from(Config c) {
      return new Params(c.getDouble("prior-strength"), c.getDouble("prior-strength-weeks"), c.getDouble("group-prior-strength"),
          c.getInt("min-applications"), c.getInt("min-interviews"), c.getInt("min-responses"), c.getInt("min-weeks"),
          c.getDouble("fit-quantile"), c.getDouble("follow-up-quantile"), c.getDouble("exploration-floor"));
    }

    Shrinkage.Rule rule(int minSample) {
      return new Shrinkage.Rule(priorStrength, minSample);
    }
  }

  private PersonalConfigRule() {}

  public static PersonalConfig compute(UserEvidence ev, Globals g, Params p, Instant now) {
    var settings = List.of(minFit(ev, g, p), categoryMix(ev, g, p), pace(ev, g, p, now), followUp(ev, g, p), exploration(ev, g, p),
        diversity(ev, g, p));
    return new PersonalConfig(ev.userId(), ev.asOfSeqNr(), now, settings);
  }

  static Setting minFit(UserEvidence ev, Globals g, Params p) {
    var fits = ev.interviews().stream().map(UserEvidence.Application::fitScore).toList();
    double u = Shrinkage.quantile(fits, p.fitQuantile());
    var ci = Shrinkage.quantileInterval(fits, p.fitQuantile());
    var evidence = new Evidence("fit scores of the user's " + fits.size() + " applications that reached an interview",
        "the " + pct(p.fitQuantile()) + " quantile of those fit scores", fits.isEmpty() ? null : new Scalar(u),
        fits.isEmpty() ? null : ci[0], fits.isEmpty() ? null : ci[1], List.of());
    return scalar("min_fit_score", "job_discovery.min_fit_score_to_apply", g.minFitScore(), u, fits.size(), p.minInterviews(),
        "interviews", p.rule(p.minInterviews()), 10, evidence);
  }

  static Setting categoryMix(UserEvidence ev, Globals g, Params p) {
    var labelled = ev.labelled();
    int n = labelled.size();
    // the user's overall interview rate (an interview-reaching application always has an outcome)
    double center = n == 0 ? Double.NaN : ev.interviews().size() / (double) n;
    var posteriors = new ArrayList<Posterior>();
    var estimate = new double[3];
    double sum = 0;
    int i = 0;
    for (var e : ev.byCategory().entrySet()) {
      int apps = e.getValue()[0], interviews = e.getValue()[1];
      double k = p.groupPriorStrength();
      var post = new Posterior(e.getKey(), apps, interviews, interviews + k * center, apps - interviews + k * (1 - center));
      posteriors.add(post);
      estimate[i] = g.categoryMix()[i] * post.mean();
      sum += estimate[i];
      i++;
    }
    boolean known = n > 0 && sum > 0;
    if (known) for (int j = 0; j < 3; j++) estimate[j] /= sum;
    var rule = p.rule(p.minApplications());
    var value = known ? rule.apply(g.categoryMix(), estimate, n) : g.categoryMix().clone();
    var source = known && rule.personal(n) ? Source.PERSONAL : Source.GLOBAL;
    var evidence = new Evidence("interview outcomes of the user's " + n + " applications with an outcome, by category (overall rate "
        + (n == 0 ? "unknown" : String.format(java.util.Locale.ROOT, "%.3f", center)) + ")",
        "the global mix re-weighted by each category's Beta posterior interview rate (prior: the user's overall rate, strength "
            + p.groupPriorStrength() + "), renormalised", known ? Mix.of(Shrinkage.round(estimate, 1000)) : null, null, null,
        known ? posteriors : List.of());
    return new Setting("category_mix", "strategy_engine.category_mix", Mix.of(Shrinkage.round(value, 1000)), Mix.of(g.categoryMix()),
        source, n, p.minApplications(), "applications with an outcome", rule.priorStrength(), source == Source.PERSONAL ? rule.weight(n) : 0,
        evidence);
  }

  static Setting pace(UserEvidence ev, Globals g, Params p, Instant now) {
    var pace = ev.pace(now);
    int weeks = pace.weeks();
    double u = weeks == 0 ? Double.NaN : pace.perWeek();
    double se = pace.standardError();
    var evidence = new Evidence("the user's " + ev.applications().size() + " applications over " + weeks + " weeks since their first",
        "applications per week (mean over the weeks; normal 95 % interval)", weeks == 0 ? null : new Scalar(u),
        weeks < 2 ? null : Math.max(0, u - 1.96 * se), weeks < 2 ? null : u + 1.96 * se, List.of());
    var rule = new Shrinkage.Rule(p.priorStrengthWeeks(), p.minWeeks());
    return scalar("applications_per_week", "strategy_engine.weekly_application_target", g.applicationsPerWeek(), u, weeks,
        p.minWeeks(), "weeks", rule, 10, evidence);
  }

  static Setting followUp(UserEvidence ev, Globals g, Params p) {
    var days = ev.responseDays();
    double u = Shrinkage.quantile(days, p.followUpQuantile());
    var ci = Shrinkage.quantileInterval(days, p.followUpQuantile());
    var evidence = new Evidence("the user's " + days.size() + " reported response times (days_to_response)",
        "the " + pct(p.followUpQuantile()) + " quantile of the response times: follow up once that share of employers would have answered",
        days.isEmpty() ? null : new Scalar(u), days.isEmpty() ? null : ci[0], days.isEmpty() ? null : ci[1], List.of());
    return scalar("follow_up_after_days", "orchestrator.follow_up_after_days", g.followUpAfterDays(), u, days.size(), p.minResponses(),
        "responses", p.rule(p.minResponses()), 2, evidence);
  }

  static Setting exploration(UserEvidence ev, Globals g, Params p) {
    int n = ev.labelled().size();
    double u = n == 0 ? Double.NaN : Math.max(p.explorationFloor(), g.explorationRate() * Math.sqrt(p.minApplications() / (double) Math.max(n, p.minApplications())));
    var evidence = new Evidence("the user's " + n + " applications with an outcome",
        "ε · sqrt(" + p.minApplications() + " / n), at least " + p.explorationFloor() + ": exploration decays as the user's outcomes accumulate",
        n == 0 ? null : new Scalar(u), null, null, List.of());
    return scalar("exploration_rate", "ranking.exploration_rate", g.explorationRate(), u, n, p.minApplications(),
        "applications with an outcome", p.rule(p.minApplications()), 1000, evidence);
  }

  static Setting diversity(UserEvidence ev, Globals g, Params p) {
    var labelled = ev.labelled().stream().filter(a -> a.industry() != null).toList();
    int n = labelled.size();
    double center = n == 0 ? 0 : labelled.stream().filter(UserEvidence.Application::interviewed).count() / (double) n;
    var counts = new LinkedHashMap<String, int[]>();
    for (var a : labelled) {
      var c = counts.computeIfAbsent(a.industry(), x -> new int[2]);
      c[0]++;
      if (a.interviewed()) c[1]++;
    }
    var posteriors = new ArrayList<Posterior>();
    double hi = 0, lo = Double.POSITIVE_INFINITY;
    for (var e : new java.util.TreeMap<>(counts).entrySet()) {
      double k = p.groupPriorStrength();
      var post = new Posterior(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[1] + k * center,
          e.getValue()[0] - e.getValue()[1] + k * (1 - center));
      posteriors.add(post);
      hi = Math.max(hi, post.mean());
      lo = Math.min(lo, post.mean());
    }
    boolean known = counts.size() >= 2 && hi > 0;
    double spread = known ? (hi - lo) / hi : Double.NaN;
    double u = known ? Math.min(1, Math.max(0, g.diversityLambda() * 2 * (1 - spread))) : Double.NaN;
    var evidence = new Evidence("interview outcomes of the user's " + n + " applications with an outcome, by industry (" + counts.size()
        + " industries)", "λ · 2 · (1 − spread), spread = (highest − lowest) / highest per-industry posterior interview rate"
        + (known ? String.format(java.util.Locale.ROOT, " = %.3f", spread) : " (needs outcomes in two industries)"),
        known ? new Scalar(u) : null, null, null, posteriors);
    return scalar("diversity_lambda", "ranking.diversity_lambda", g.diversityLambda(), u, known ? n : 0, p.minApplications(),
        "applications with an outcome and an industry", p.rule(p.minApplications()), 1000, evidence);
  }

  private static Setting scalar(String name, String appliesTo, double global, double estimate, int n, int min, String unit,
      Shrinkage.Rule rule, double per, Evidence evidence) {
    boolean personal = rule.personal(n) && Double.isFinite(estimate);
    double value = personal ? Shrinkage.round(rule.apply(global, estimate, n), per) : global;
    return new Setting(name, appliesTo, new Scalar(value), new Scalar(global), personal ? Source.PERSONAL : Source.GLOBAL, n, min, unit,
        rule.priorStrength(), personal ? rule.weight(n) : 0, evidence);
  }

  private static String pct(double q) {
    return Math.round(q * 100) + " %";
  }
}
