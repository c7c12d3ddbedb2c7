package io.hireloop.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.ranking.RankingPolicy.Candidate;
import io.hireloop.ranking.RankingPolicy.Settings;
import io.hireloop.stats.OffPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A synthetic logging policy with a known reward model: requests of 12 jobs, each with a true chance of an
 * interview t_j (what a user who sees it gets from it) and a model probability p_j = t_j seen through noise. Rankings
 * are logged by the serving policy (λ .5, ε .3, k 4) with its propensities and rewards drawn from t for the shown jobs.
 * The estimate of a different policy (the model's order, no exploration) must agree with that policy's true value,
 * and its value simulated on-policy, within its interval; the logging policy's own observed value must not (so the
 * estimators are what finds the difference).
 */
class OffPolicySimulationTest {
  static final int REQUESTS = 4000, JOBS = 12, K = 4;
  static final String[] INDUSTRIES = {"software", "finance", "health"};
  static final String[] COMPANIES = {"Acme", "Beta", "Corp", "Delta"};
  static final String[] LEVELS = {"junior", "mid", "senior"};
  static final String[] PLACES = {"Berlin", "Remote", "London"};

  record Request(List<Candidate> candidates, double[] truth) {}

  static Request request(SplittableRandom rnd) {
    var candidates = new ArrayList<Candidate>();
    var truth = new double[JOBS];
    for (int j = 0; j < JOBS; j++) {
      int industry = rnd.nextInt(3);
      double z = -2.2 + 1.2 * rnd.nextGaussian() + (industry == 1 ? 0.3 : 0);
      truth[j] = sigmoid(z);
      double p = sigmoid(z + 0.6 * rnd.nextGaussian());
      candidates.add(new Candidate("j" + j, p, List.of(INDUSTRIES[industry], COMPANIES[rnd.nextInt(4)], LEVELS[rnd.nextInt(3)],
          PLACES[rnd.nextInt(3)])));
    }
    return new Request(candidates, truth);
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  @Test
  void theOffPolicyEstimateOfTheModelOrderAgreesWithItsOnPolicyValue() {
    var rnd = new SplittableRandom(2026);
    var logging = new Settings(0.5, 0.3, K);
    var target = new Settings(0, 0, K);
    var data = new ArrayList<OffPolicy.Ranking>();
    double trueValue = 0, onPolicy = 0;
    for (int i = 0; i < REQUESTS; i++) {
      var req = request(rnd);
      var served = RankingPolicy.rank(req.candidates(), logging, rnd.nextLong());
      var pi = RankingPolicy.inclusion(req.candidates(), target);
      var items = new ArrayList<OffPolicy.Item>();
      var shown = new boolean[JOBS];
      var mu = new double[JOBS];
      for (var p : served.placed()) {
        shown[p.index()] = p.position() <= K;
        mu[p.index()] = p.propensity();
      }
      for (int j = 0; j < JOBS; j++) {
        double reward = shown[j] && rnd.nextDouble() < req.truth()[j] ? 1 : 0;
        items.add(new OffPolicy.Item(shown[j], mu[j], pi[j], req.candidates().get(j).probability(), reward));
        // the target's value: its top k's mean true chance, and one on-policy draw of it
        if (pi[j] == 1) {
          trueValue += req.truth()[j] / K;
          onPolicy += (rnd.nextDouble() < req.truth()[j] ? 1.0 : 0.0) / K;
        }
      }
      data.add(new OffPolicy.Ranking(K, items));
    }
    trueValue /= REQUESTS;
    onPolicy /= REQUESTS;
    var e = OffPolicy.estimate(data, 0.95);
    var observed = e.observed();
    for (var est : List.of(e.ips(), e.snips(), e.doublyRobust())) {
      assertTrue(est.low() <= trueValue && trueValue <= est.high(), "true value " + trueValue + " outside " + est);
      // the on-policy simulation has its own sampling noise (√(v/n) ≈ 0.004): the intervals hold it with that margin
      assertTrue(est.low() - 0.01 <= onPolicy && onPolicy <= est.high() + 0.01, "on-policy value " + onPolicy + " outside " + est);
    }
    assertTrue(Math.abs(observed.value() - trueValue) > 3 * observed.standardError(),
        "the logging policy's own value " + observed + " must differ from the target's " + trueValue);
    assertTrue(e.doublyRobust().standardError() < e.ips().standardError(), "the reward model lowers the variance: " + e);
    assertEquals(0, e.unsupportedShare(), 1e-12, "ε > 0 reaches every job");
  }
}
