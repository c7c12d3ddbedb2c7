package io.hireloop.cli;

import io.hireloop.learning.ensemble.Ensemble;
import io.hireloop.learning.ensemble.EnsembleTrainer;
import io.hireloop.learning.ensemble.LabelledSnapshot;
import io.hireloop.learning.ensemble.MemberTrainers;
import io.hireloop.platform.Json;
import io.hireloop.ranking.FacetEntropy;
import io.hireloop.ranking.RankingPolicy;
import io.hireloop.ranking.RankingPolicy.Candidate;
import io.hireloop.stats.Intervals;
import io.hireloop.stats.OffPolicy;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code bin/hireloop rerank-study}: does re-ranking by the model raise the interview rate of the top 10 over the
 * order the jobs came in, and what do diversity and exploration cost? One planted world ({@link ModelScenarios#generate}:
 * every application with its true interview probability): the ensemble is trained on its first rows, the rows after
 * them are cut into requests of {@code jobs} candidates in the order generated (the incoming order, unrelated to the
 * truth). Each request is ranked by the incoming order, the model's order (λ 0, ε 0), MMR alone (the serving λ, ε 0),
 * the serving policy (λ, ε) and the truth's order (the ceiling). A policy's value is the interview rate of its top k if
 * the user applies to all of them: its expected value is the mean true probability of the top k (exactly, over the
 * exploration draws, from the top-k inclusion probabilities), its simulated value one Bernoulli draw per top job.
 *
 * <p>Off-policy check: the serving policy logs each request (its propensities, one draw per shown job); OffPolicy's
 * IPS, SNIPS and DR estimates of the model's order from that log are set against the model order's on-policy
 * simulated value (fresh draws) and its expected value.
 */
final class RerankStudy {
  private RerankStudy() {}

  /** The study's knobs; {@link #defaults} are the command's. */
  record Settings(int trainRows, int requests, int jobs, int topK, double diversityLambda, double explorationRate, long seed) {
    static Settings defaults() {
      return new Settings(20_000, 2_000, 100, 10, 0.3, 0.1, 7);
    }
  }

  /** A ranking policy's value over the requests: expected (mean true p of the top k) and simulated (draws), top-k entropy. */
  record PolicyValue(String policy, double expected, double simulated, double simulatedLow, double simulatedHigh, double topEntropyBits) {}

  /** A paired difference of simulated values over requests (a − b), with its normal 95 % interval. */
  record Difference(String of, double value, double low, double high) {}

  /** The off-policy estimates of the model's order from the serving policy's log, with its on-policy values. */
  record OffPolicyCheck(OffPolicy.Estimates estimates, double onPolicySimulated, double onPolicySimulatedSe, double expected,
      boolean simulatedInsideEveryInterval) {}

  record Result(Settings settings, int trainRows, double holdoutAuc, List<PolicyValue> values, List<Difference> differences,
      OffPolicyCheck offPolicy, double seconds) {

    PolicyValue value(String policy) {
      return values.stream().filter(v -> v.policy().equals(policy)).findFirst().orElseThrow();
    }

    Difference difference(String of) {
      return differences.stream().filter(d -> d.of().equals(of)).findFirst().orElseThrow();
    }

    /** The command's JSON (BENCHMARKS.md quotes it). */
    Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("train_rows", trainRows);
      m.put("holdout_auc", holdoutAuc);
      m.put("requests", settings.requests());
      m.put("jobs_per_request", settings.jobs());
      m.put("top_k", settings.topK());
      m.put("diversity_lambda", settings.diversityLambda());
      m.put("exploration_rate", settings.explorationRate());
      m.put("seed", settings.seed());
      var v = new LinkedHashMap<String, Object>();
      for (var p : values) {
        var e = new LinkedHashMap<String, Object>();
        e.put("expected_interview_rate", p.expected());
        e.put("simulated_interview_rate", p.simulated());
        e.put("simulated_ci95", List.of(p.simulatedLow(), p.simulatedHigh()));
        e.put("top_k_facet_entropy_bits", p.topEntropyBits());
        v.put(p.policy(), e);
      }
      m.put("policies", v);
      var d = new LinkedHashMap<String, Object>();
      for (var x : differences) d.put(x.of(), Map.of("value", x.value(), "ci95", List.of(x.low(), x.high())));
      m.put("simulated_differences", d);
      var o = new LinkedHashMap<String, Object>();
      var e = offPolicy.estimates();
      o.put("logging_policy", "serving (λ " + settings.diversityLambda() + ", ε " + settings.explorationRate() + ")");
      o.put("evaluated_policy", "model_order (λ 0, ε 0)");
      o.put("on_policy_simulated", offPolicy.onPolicySimulated());
      o.put("on_policy_simulated_se", offPolicy.onPolicySimulatedSe());
      o.put("on_policy_expected", offPolicy.expected());
      for (var est : List.of(Map.entry("ips", e.ips()), Map.entry("snips", e.snips()), Map.entry("dr", e.doublyRobust()))) {
        o.put(est.getKey(), Map.of("value", est.getValue().value(), "ci95", List.of(est.getValue().low(), est.getValue().high())));
      }
      o.put("logging_observed", e.observed().value());
      o.put("effective_sample_size", e.effectiveSampleSize());
      o.put("on_policy_inside_every_ci", offPolicy.simulatedInsideEveryInterval());
      m.put("off_policy", o);
      m.put("seconds", seconds);
      return m;
    }
  }

  static int run(Cli.Options o, PrintStream out) {
    var d = Settings.defaults();
    var s = new Settings(o.integer("train-rows", d.trainRows()), o.integer("requests", d.requests()), o.integer("jobs", d.jobs()),
        o.integer("top-k", d.topK()), d.diversityLambda(), d.explorationRate(), o.integer("seed", (int) d.seed()));
    if (s.trainRows() < 2_000 || s.requests() < 50 || s.jobs() < 2 || s.topK() < 1 || s.topK() >= s.jobs()) {
      throw new Cli.UsageException("--train-rows ≥ 2000, --requests ≥ 50, --jobs ≥ 2 and 1 ≤ --top-k < --jobs");
    }
    var r = study(s, out);
    out.printf("%n%-16s %10s %10s %18s %10s%n", "policy", "expected", "simulated", "95 % CI", "entropy");
    for (var v : r.values()) {
      out.printf("%-16s %10.4f %10.4f   [%.4f, %.4f] %8.3f b%n", v.policy(), v.expected(), v.simulated(), v.simulatedLow(),
          v.simulatedHigh(), v.topEntropyBits());
    }
    for (var x : r.differences()) out.printf("%-34s %+.4f [%+.4f, %+.4f]%n", x.of(), x.value(), x.low(), x.high());
    var e = r.offPolicy().estimates();
    out.printf("off-policy (model order from the serving log): IPS %.4f [%.4f, %.4f], SNIPS %.4f [%.4f, %.4f], DR %.4f [%.4f, %.4f];"
            + " on-policy simulated %.4f (expected %.4f): inside every CI: %s%n", e.ips().value(), e.ips().low(), e.ips().high(),
        e.snips().value(), e.snips().low(), e.snips().high(), e.doublyRobust().value(), e.doublyRobust().low(),
        e.doublyRobust().high(), r.offPolicy().onPolicySimulated(), r.offPolicy().expected(), r.offPolicy().simulatedInsideEveryInterval());
    out.println(Json.write(r.toJson()));
    return 0;
  }

  static final String INCOMING = "incoming_order", MODEL = "model_order", MMR = "mmr_only", SERVING = "serving", TRUTH = "truth_order";

  static Result study(Settings s, PrintStream out) {
    long t0 = System.nanoTime();
    var data = ModelScenarios.generate(s.trainRows() + s.requests() * s.jobs(), s.seed(), Instant.now());
    var train = data.rows().subList(0, s.trainRows());
    var trained = new EnsembleTrainer(MemberTrainers.of(MemberTrainers.ALL, s.seed()))
        .train(train, EnsembleTrainer.Settings.defaults(), (phase, detail) -> {});
    Ensemble ensemble = trained.ensemble();
    double auc = trained.report().holdout().auc();
    out.printf("[rerank-study] ensemble trained on %,d rows (holdout AUC %.3f); %,d requests of %d jobs%n", s.trainRows(), auc,
        s.requests(), s.jobs());
    int k = s.topK();
    var model = new RankingPolicy.Settings(0, 0, k);
    var mmr = new RankingPolicy.Settings(s.diversityLambda(), 0, k);
    var serving = new RankingPolicy.Settings(s.diversityLambda(), s.explorationRate(), k);
    String[] names = {INCOMING, MODEL, MMR, SERVING, TRUTH};
    int n = s.requests();
    var expected = new double[names.length][n];
    var simulated = new double[names.length][n];
    var entropy = new double[names.length][n];
    var rnd = new SplittableRandom(s.seed() * 31 + 1);
    var logged = new ArrayList<OffPolicy.Ranking>(n);
    var onPolicy = new double[n];
    for (int q = 0; q < n; q++) {
      var rows = data.rows().subList(s.trainRows() + q * s.jobs(), s.trainRows() + (q + 1) * s.jobs());
      var truth = new double[rows.size()];
      for (int j = 0; j < truth.length; j++) truth[j] = data.truth().get(rows.get(j));
      var ranked = ensemble.rank(rows.stream().map(LabelledSnapshot::snapshot).toList(), 0);
      var candidates = new ArrayList<Candidate>(rows.size());
      for (int j = 0; j < rows.size(); j++) {
        var job = rows.get(j).snapshot().context().jobCharacteristics();
        candidates.add(new Candidate("job-" + j, ranked.predictions().get(j).probability(),
            Arrays.asList(job.industry(), job.company(), job.seniority(), job.location())));
      }
      var truthCandidates = new ArrayList<Candidate>(rows.size());
      for (int j = 0; j < rows.size(); j++) truthCandidates.add(new Candidate("job-" + j, truth[j], candidates.get(j).facets()));
      var incoming = new double[rows.size()];
      for (int j = 0; j < k; j++) incoming[j] = 1;
      double[][] inclusion = {incoming, RankingPolicy.inclusion(candidates, model), RankingPolicy.inclusion(candidates, mmr),
          RankingPolicy.inclusion(candidates, serving), RankingPolicy.inclusion(truthCandidates, model)};
      long seed = rnd.nextLong();
      for (int p = 0; p < names.length; p++) {
        // the served top k: the serving policy draws its exploration from the request's seed; the others are fixed
        var top = p == 3 ? topOf(RankingPolicy.rank(candidates, serving, seed)) : topOf(inclusion[p], k);
        double e = 0, sim = 0;
        for (int j = 0; j < truth.length; j++) e += inclusion[p][j] * truth[j];
        for (int j : top) sim += rnd.nextDouble() < truth[j] ? 1 : 0;
        expected[p][q] = e / k;
        simulated[p][q] = sim / k;
        var facets = new ArrayList<List<String>>(k);
        for (int j : top) facets.add(candidates.get(j).facets());
        entropy[p][q] = FacetEntropy.of(facets).mean();
      }
      // the serving policy's log of this request, and the model order's on-policy value (fresh draws)
      var served = RankingPolicy.rank(candidates, serving, seed);
      var items = new ArrayList<OffPolicy.Item>(rows.size());
      var shown = new boolean[rows.size()];
      var mu = new double[rows.size()];
      for (var placed : served.placed()) {
        shown[placed.index()] = placed.position() <= k;
        mu[placed.index()] = placed.propensity();
      }
      for (int j = 0; j < rows.size(); j++) {
        double reward = shown[j] && rnd.nextDouble() < truth[j] ? 1 : 0;
        items.add(new OffPolicy.Item(shown[j], mu[j], inclusion[1][j], candidates.get(j).probability(), reward));
        if (inclusion[1][j] == 1) onPolicy[q] += (rnd.nextDouble() < truth[j] ? 1.0 : 0.0) / k;
      }
      logged.add(new OffPolicy.Ranking(k, items));
    }
    var values = new ArrayList<PolicyValue>();
    for (int p = 0; p < names.length; p++) {
      double successes = Arrays.stream(simulated[p]).sum() * k;
      var ci = Intervals.wilson(Math.round(successes), (long) n * k);
      values.add(new PolicyValue(names[p], Intervals.mean(expected[p]), Intervals.mean(simulated[p]), ci.low(), ci.high(),
          Intervals.mean(entropy[p])));
    }
    var differences = List.of(
        paired("model_order − incoming_order", simulated[1], simulated[0]),
        paired("serving − incoming_order", simulated[3], simulated[0]),
        paired("diversity cost: model − mmr_only", simulated[1], simulated[2]),
        paired("exploration cost: mmr − serving", simulated[2], simulated[3]));
    var e = OffPolicy.estimate(logged, 0.95);
    double on = Intervals.mean(onPolicy);
    double onSe = sd(onPolicy) / Math.sqrt(n);
    boolean inside = true;
    for (var est : List.of(e.ips(), e.snips(), e.doublyRobust())) inside &= est.low() <= on && on <= est.high();
    var check = new OffPolicyCheck(e, on, onSe, Intervals.mean(expected[1]), inside);
    return new Result(s, s.trainRows(), auc, List.copyOf(values), differences, check, (System.nanoTime() - t0) / 1e9);
  }

  /** The indexes with inclusion 1 (a policy without exploration puts exactly k jobs there). */
  private static int[] topOf(double[] inclusion, int k) {
    var out = new int[k];
    int c = 0;
    for (int j = 0; j < inclusion.length && c < k; j++) if (inclusion[j] == 1) out[c++] = j;
    return Arrays.copyOf(out, c);
  }

  private static int[] topOf(RankingPolicy.Ranking ranking) {
    return ranking.placed().stream().filter(p -> p.position() <= ranking.topK()).mapToInt(RankingPolicy.Placed::index).toArray();
  }

  private static Difference paired(String of, double[] a, double[] b) {
    var d = new double[a.length];
    for (int i = 0; i < d.length; i++) d[i] = a[i] - b[i];
    double mean = Intervals.mean(d);
    double se = sd(d) / Math.sqrt(d.length);
    return new Difference(of, mean, mean - 1.96 * se, mean + 1.96 * se);
  }

  private static double sd(double[] x) {
    double m = Intervals.mean(x), ss = 0;
    for (double t : x) ss += (t - m) * (t - m);
    return Math.sqrt(ss / (x.length - 1));
  }
}
