package io.hireloop.coldstart;

import io.hireloop.coldstart.ColdStartReport.Basis;
import io.hireloop.coldstart.ColdStartReport.Benchmark;
import io.hireloop.coldstart.ColdStartReport.FirstAction;
import io.hireloop.coldstart.ColdStartReport.Prediction;
import io.hireloop.coldstart.ColdStartReport.Segment;
import io.hireloop.coldstart.ColdStartReport.Strong;
import io.hireloop.coldstart.ColdStartReport.StrongValue;
import io.hireloop.journey.Domain;
import io.hireloop.learning.attribution.AttributionReport;
import io.hireloop.learning.attribution.FactorEffect;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import org.hipparchus.distribution.continuous.BetaDistribution;

/**
 * The cold start of one user (pure): the segment of the most similar peers (at least k; widened, then everyone, when
 * the similar ones are fewer), what the segment says (strong roles, industries, locations; its interview rate), and the
 * user's predicted interview rate: the segment's rate as a Beta prior worth {@code priorPseudoCount} applications,
 * updated with the user's own outcomes, so the prior's weight m / (m + n) falls as their own sample n grows.
 */
public final class ColdStart {
  private ColdStart() {}

  static final double Z95 = 1.959963984540054;

  public static ColdStartReport compute(String userId, Domain.Profile profile, int ownApplications, int ownInterviews,
      Population population, AttributionReport attribution) {
    var s = population.settings();
    var notes = new ArrayList<String>();
    var neighbours = population.neighbours(userId, profile);
    boolean anyAnswer = false;
    for (var f : ProfileField.values()) anyAnswer |= f.answered(profile);
    Basis basis;
    List<Population.Neighbour> segment;
    var similar = neighbours.stream().filter(n -> n.similarity() >= s.minSimilarity()).limit(s.segmentSize()).toList();
    var near = neighbours.stream().filter(n -> n.similarity() > 0).limit(s.segmentSize()).toList();
    if (neighbours.size() < s.k()) {
      basis = Basis.INSUFFICIENT_DATA;
      segment = List.of();
      notes.add("fewer than " + s.k() + " users with at least " + s.minApplications()
          + " applications: no segment; the prediction is the user's own data under a uniform prior");
    } else if (!anyAnswer) {
      basis = Basis.ALL_USERS;
      segment = neighbours;
      notes.add("the profile is empty: the segment is every user; answer the onboarding questions to narrow it");
    } else if (similar.size() >= s.k()) {
      basis = Basis.SIMILAR_USERS;
      segment = similar;
    } else if (near.size() >= s.k()) {
      basis = Basis.WIDENED;
      segment = near;
      notes.add("fewer than " + s.k() + " users at similarity >= " + s.minSimilarity() + ": widened to the nearest "
          + near.size() + " with any similarity");
    } else {
      basis = Basis.ALL_USERS;
      segment = neighbours;
      notes.add("fewer than " + s.k() + " users share any answered field: the segment is every user");
    }

    double priorRate;
    double pseudo;
    Segment seg = null;
    Benchmark benchmark = null;
    Strong strong = null;
    if (basis == Basis.INSUFFICIENT_DATA) {
      priorRate = 0.5;
      pseudo = 2; // Beta(1, 1)
    } else {
      long a = 0, i = 0;
      int successful = 0;
      double simSum = 0;
      for (var n : segment) {
        a += n.peer().applications();
        i += n.peer().interviews();
        if (n.peer().interviews() > 0) successful++;
        simSum += n.similarity();
      }
      double rate = (double) i / a;
      var weights = new LinkedHashMap<String, Double>();
      for (var f : ProfileField.values()) weights.put(f.json, round(population.weight(f)));
      seg = new Segment(segment.size(), (int) a, successful, round(segment.get(segment.size() - 1).similarity()),
          round(simSum / segment.size()), weights);
      double half = Z95 * clusteredStdError(segment, rate);
      benchmark = new Benchmark(round(rate), round(Math.max(0, rate - half)), round(Math.min(1, rate + half)), segment.size(),
          (int) a, round(population.rate()));
      strong = new Strong(strong(ProfileField.TARGET_ROLES, segment, rate, s), strong(ProfileField.INDUSTRIES, segment, rate, s),
          strong(ProfileField.LOCATIONS, segment, rate, s));
      priorRate = rate;
      pseudo = s.priorPseudoCount();
    }
    var prediction = blend(priorRate, pseudo, ownApplications, ownInterviews);
    var actions = firstActions(attribution, notes);
    return new ColdStartReport(userId, basis, notes, seg, strong, benchmark, prediction, actions);
  }

  /** The Beta posterior of the prior (rate, pseudo-count) after the user's own applications. */
  static Prediction blend(double priorRate, double pseudo, int n, int x) {
    double alpha = priorRate * pseudo + x;
    double beta = (1 - priorRate) * pseudo + (n - x);
    double mean = alpha / (alpha + beta);
    double lo = 0, hi = 1;
    if (alpha > 0 && beta > 0) {
      var dist = new BetaDistribution(alpha, beta);
      lo = dist.inverseCumulativeProbability(0.025);
      hi = dist.inverseCumulativeProbability(0.975);
    }
    return new Prediction(round(mean), round(lo), round(hi), round(priorRate), pseudo, round(pseudo / (pseudo + n)), n, x);
  }

  /** Standard error of a pooled rate Σx/Σn when applications are clustered by user (ratio estimator). */
  static double clusteredStdError(List<Population.Neighbour> segment, double rate) {
    int m = segment.size();
    if (m < 2) return 0;
    double sum = 0, apps = 0;
    for (var n : segment) {
      double r = n.peer().interviews() - rate * n.peer().applications();
      sum += r * r;
      apps += n.peer().applications();
    }
    return Math.sqrt(sum * m / (m - 1.0)) / apps;
  }

  /** The field's values held by at least k members, by their pooled rate shrunk toward the segment's; the best three. */
  private static List<StrongValue> strong(ProfileField field, List<Population.Neighbour> segment, double segmentRate,
      ColdStartSettings s) {
    var byValue = new LinkedHashMap<String, long[]>(); // value -> {users, applications, interviews}
    for (var n : segment) {
      for (var v : field.values(n.peer().profile())) {
        var acc = byValue.computeIfAbsent(v, k -> new long[3]);
        acc[0]++;
        acc[1] += n.peer().applications();
        acc[2] += n.peer().interviews();
      }
    }
    var out = new ArrayList<StrongValue>();
    byValue.forEach((v, acc) -> {
      if (acc[0] < s.k()) return;
      double p = (acc[2] + s.priorPseudoCount() * segmentRate) / (acc[1] + s.priorPseudoCount());
      out.add(new StrongValue(v, round(p), (int) acc[0]));
    });
    out.sort(Comparator.comparingDouble(StrongValue::interviewProbability).reversed().thenComparing(StrongValue::value));
    return out.size() > 3 ? List.copyOf(out.subList(0, 3)) : out;
  }

  /**
   * The edit and the timing level with the largest positive effect in the latest attribution, preferring those whose
   * CI excludes zero. The attribution is a within-user estimate over every user: it is not split by segment.
   */
  static List<FirstAction> firstActions(AttributionReport report, List<String> notes) {
    if (report == null) {
      notes.add("no attribution report yet: no first actions");
      return List.of();
    }
    var out = new ArrayList<FirstAction>();
    best(report.edits()).ifPresent(e -> out.add(action("resume_edit", e, report)));
    best(report.timing()).ifPresent(e -> out.add(action("timing", e, report)));
    if (out.isEmpty()) notes.add("the latest attribution found no edit or timing with a positive effect");
    return out;
  }

  private static java.util.Optional<FactorEffect> best(List<FactorEffect> effects) {
    return effects.stream().filter(e -> e.estimate() > 0)
        .max(Comparator.comparing((FactorEffect e) -> e.ciLow() > 0).thenComparingDouble(FactorEffect::estimate));
  }

  private static FirstAction action(String kind, FactorEffect e, AttributionReport report) {
    return new FirstAction(kind, e.factor(), e.level(), round(e.estimate()), round(e.ciLow()), round(e.ciHigh()),
        e.causalConfidence().name().toLowerCase(java.util.Locale.ROOT), "all_users_within_user", report.runId());
  }

  static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }
}
