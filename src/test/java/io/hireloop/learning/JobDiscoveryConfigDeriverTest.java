package io.hireloop.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.Domain.ApplicationContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobDiscoveryConfigDeriverTest {
  private final JobDiscoveryConfigDeriver deriver = new JobDiscoveryConfigDeriver();
  private final List<ApplicationContext> reference = PlantedData.planted(300, 21).contexts();

  @Test
  void thresholdRisesWithTheTarget() {
    TrainedModel model = PlantedData.sharedModel();
    Map<String, Object> low = deriver.derive(model, reference, 0.25);
    Map<String, Object> high = deriver.derive(model, reference, 0.40);
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
    Map<String, Object> config = deriver.derive(PlantedData.sharedModel(), reference, 0.99);
    assertEquals(100, config.get(JobDiscoveryConfigDeriver.MIN_FIT_SCORE));
    assertTrue((Double) config.get(JobDiscoveryConfigDeriver.EXPECTED_RATE) < 0.99);
  }

  @Test
  void rejectsBadArguments() {
    TrainedModel model = PlantedData.sharedModel();
    assertThrows(IllegalArgumentException.class, () -> deriver.derive(model, List.of(), 0.3));
    assertThrows(IllegalArgumentException.class, () -> deriver.derive(model, reference, 1.0));
  }

  @Test
  void confidenceGrowsWithAucAndSampleSize() {
    ModelMetrics chance = new ModelMetrics(0.5, 0.6, 0.2, 0.01, 100, 0.3);
    ModelMetrics fair = new ModelMetrics(0.65, 0.6, 0.2, 0.01, 100, 0.3);
    ModelMetrics good = new ModelMetrics(0.8, 0.5, 0.15, 0.01, 100, 0.3);
    assertEquals(0.0, JobDiscoveryConfigDeriver.confidence(chance, 10_000));
    assertEquals(0.0, JobDiscoveryConfigDeriver.confidence(good, 0));
    // (0.65 − 0.5) / 0.3 = 0.5; 250 / (250 + 250) = 0.5 → 0.25
    assertEquals(0.25, JobDiscoveryConfigDeriver.confidence(fair, 250), 1e-12);
    assertTrue(JobDiscoveryConfigDeriver.confidence(good, 250) > JobDiscoveryConfigDeriver.confidence(fair, 250));
    assertTrue(JobDiscoveryConfigDeriver.confidence(good, 3000) > JobDiscoveryConfigDeriver.confidence(good, 250));
    assertTrue(JobDiscoveryConfigDeriver.confidence(good, Integer.MAX_VALUE) <= 1.0);
  }
}
