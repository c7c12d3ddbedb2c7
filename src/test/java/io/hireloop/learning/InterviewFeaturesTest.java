package io.hireloop.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import org.junit.jupiter.api.Test;

class InterviewFeaturesTest {

  @Test
  void layoutIsStable() {
    assertEquals(15, InterviewFeatures.SIZE);
    assertEquals(InterviewFeatures.SIZE, InterviewFeatures.names().size());
    var c = new ApplicationContext(" Balanced", 80, "safety",
        new JobCharacteristics("Dev", "Acme", "Senior", "Berlin", "software"), 55, true);
    assertArrayEquals(new double[] {0.8, 0.55, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0}, InterviewFeatures.of(c), 1e-12);
  }

  @Test
  void unknownsAndOutOfRangeDoNotFail() {
    var c = new ApplicationContext(null, 130, "dream", null, -5, false);
    assertArrayEquals(new double[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1}, InterviewFeatures.of(c), 1e-12);
  }
}
