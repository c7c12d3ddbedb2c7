package io.hireloop.cli.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassHistogramTest {
  private static final String BEFORE = """
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:         10000         800000  [B (java.base@17.0.12)
         2:          5000         120000  java.lang.String (java.base@17.0.12)
         3:            10            640  io.hireloop.journey.JobSeeker$State
      Total         15010         920640
      """;
  private static final String AFTER = """
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:         30000        2400000  [B (java.base@17.0.12)
         2:          5000         120000  java.lang.String (java.base@17.0.12)
         3:           110           7040  io.hireloop.journey.JobSeeker$State
         4:             1             16  io.hireloop.Fresh
      Total         35111        2527056
      """;

  @Test
  void parsesTheDiagnosticCommandsTable() {
    var h = ClassHistogram.parse(BEFORE);
    assertEquals(920640, h.totalBytes());
    assertEquals(new ClassHistogram.Entry("[B", 10000, 800000), h.byClass().get("[B"));
    assertEquals(3, h.byClass().size());
  }

  @Test
  void growthIsOrderedByBytesAndCountsNewClassesFromZero() {
    var grown = ClassHistogram.parse(AFTER).grownSince(ClassHistogram.parse(BEFORE), 3);
    assertEquals(new ClassHistogram.Growth("[B", 20000, 1600000), grown.get(0));
    assertEquals(new ClassHistogram.Growth("io.hireloop.journey.JobSeeker$State", 100, 6400), grown.get(1));
    assertEquals(new ClassHistogram.Growth("io.hireloop.Fresh", 1, 16), grown.get(2));
  }

  @Test
  void thisJvmsHistogramHasLiveStrings() {
    var h = ClassHistogram.takeLive();
    assertTrue(h.totalBytes() > 0);
    assertTrue(h.byClass().get("java.lang.String").instances() > 100);
  }
}
