package io.hireloop.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JobDiscoveryConfigDeriverTest {
  private final JobDiscoveryConfigDeriver deriver = new JobDiscoveryConfigDeriver();
  private final List<ApplicationContext> reference = contexts(300, 21);

  /** p = sigmoid(−3 + 4·fit/100 + 1.5·tailoring + (resume/100 − 0.6) + category + seniority): a model whose answer is known. */
  static double plantedProbability(ApplicationContext c) {
    double categoryEffect = switch (c.category()) {
      case "reach" -> -0.5;
      case "safety" -> 0.5;
      default -> 0.0;
    };
    double seniorityEffect = c.jobCharacteristics().seniority().equals("lead") ? -0.5 : 0.0;
    double z = -3 + 4 * c.fitScore() / 100 + (c.tailoringApplied() ? 1.5 : 0) + (c.resumeScore() / 100 - 0.6)
        + categoryEffect + seniorityEffect;
    return 1 / (1 + Math.exp(-z));
  }

  static List<ApplicationContext> contexts(int n, long seed) {
    var r = new Random(seed);
    String[] categories = {"reach", "target", "safety"};
    String[] seniorities = {"junior", "mid", "senior", "lead", "principal"};
    String[] strategies = {"aggressive", "balanced", "conservative", "experimental"};
    var out = new ArrayList<ApplicationContext>(n);
    for (int i = 0; i < n; i++) {
      out.add(new ApplicationContext(strategies[r.nextInt(strategies.length)], Math.round(r.nextDouble() * 1000) / 10.0,
          categories[r.nextInt(categories.length)],
          new JobCharacteristics("Engineer", "Acme " + r.nextInt(50), seniorities[r.nextInt(seniorities.length)], "Remote", "software"),
          30 + r.nextDouble() * 65, r.nextBoolean()));
    }
    return out;
  }

  private Map<String, Object> derive(List<ApplicationContext> sample, double target) {
    return deriver.derive(rows -> rows.stream().mapToDouble(JobDiscoveryConfigDeriverTest::plantedProbability).toArray(), sample,
        JobDiscoveryConfigDeriver::withFitScore, ApplicationContext::fitScore, target).values();
  }

  @Test
  void thresholdRisesWithTheTarget() {
    Map<String, Object> low = derive(reference, 0.25);
    Map<String, Object> high = derive(reference, 0.40);
    System.out.println("target 0.25 → " + low + "; target 0.40 → " + high);
    int lowFit = (Integer) low.get(JobDiscoveryConfigDeriver.MIN_FIT_SCORE);
    int highFit = (Integer) high.get(JobDiscoveryConfigDeriver.MIN_FIT_SCORE);
    assertTrue(highFit > lowFit, lowFit + " → " + highFit);
    assertTrue((Double) low.get(JobDiscoveryConfigDeriver.EXPECTED_RATE) >= 0.25);
    assertTrue((Double) high.get(JobDiscoveryConfigDeriver.EXPECTED_RATE) >= 0.40);

    // planted effect: Δlogit = 0.4 per 10 points; at p ≈ 0.3 that is ≈ 0.4·0.3·0.7 ≈ 0.08 per 10 points
    double weight = (Double) low.get(JobDiscoveryConfigDeriver.FIT_SCORE_WEIGHT);
    assertTrue(weight > 0.03 && weight < 0.15, "fit_score_weight " + weight);
  }

  @Test
  void unreachableTargetGives100() {
    Map<String, Object> config = derive(reference, 0.99);
    assertEquals(100, config.get(JobDiscoveryConfigDeriver.MIN_FIT_SCORE));
    assertTrue((Double) config.get(JobDiscoveryConfigDeriver.EXPECTED_RATE) < 0.99);
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> derive(List.of(), 0.3));
    assertThrows(IllegalArgumentException.class, () -> derive(reference, 1.0));
  }

  @Test
  void confidenceGrowsWithAucAndSampleSize() {
    assertEquals(0.0, JobDiscoveryConfigDeriver.confidence(0.5, 10_000));
    assertEquals(0.0, JobDiscoveryConfigDeriver.confidence(0.8, 0));
    // (0.65 − 0.5) / 0.3 = 0.5; 250 / (250 + 250) = 0.5 → 0.25
    assertEquals(0.25, JobDiscoveryConfigDeriver.confidence(0.65, 250), 1e-12);
    assertTrue(JobDiscoveryConfigDeriver.confidence(0.8, 250) > JobDiscoveryConfigDeriver.confidence(0.65, 250));
    assertTrue(JobDiscoveryConfigDeriver.confidence(0.8, 3000) > JobDiscoveryConfigDeriver.confidence(0.8, 250));
    assertTrue(JobDiscoveryConfigDeriver.confidence(0.8, Integer.MAX_VALUE) <= 1.0);
  }
}
