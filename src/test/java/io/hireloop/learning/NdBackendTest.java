package io.hireloop.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J backend on the test classpath is the one the Maven profile chose: surefire passes
 * {@code hireloop.expected.backend} ("cpu" by default, "cuda" under {@code -Pcuda}).
 */
class NdBackendTest {
  @Test
  void backendMatchesTheActiveProfile() {
    String expected = System.getProperty("hireloop.expected.backend", "cpu");
    assertEquals(expected, Backend.name(),
        "ND4J loaded " + Nd4j.getBackend().getClass().getName() + ", the profile expects " + expected);
  }
}
