package io.hireloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hireloop.cli.PaceTrace.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaceTraceTest {

  @Test
  void perSecondOfThePhaseTheLargestPaceTheEventsAcceptedAndTheWorstLag() {
    var samples = List.of(
        new Sample(500, 999, 0, 0), // before the phase
        new Sample(1_000, -1, 0.9, 100),
        new Sample(1_500, -1, 1.2, 400),
        new Sample(2_000, 250, 1.5, 600),
        new Sample(2_500, 262, 1.3, 700),
        new Sample(3_000, -1, 1.1, 820),
        new Sample(3_500, 300, 0, 830)); // after the phase
    assertEquals("paced in 2 of 5 samples, largest pace 262; second -> pace/accepted/read-side lag s: "
            + "0: -/300/1.20, 1: 262/300/1.50, 2: -/120/1.10",
        PaceTrace.summary(samples, 1_000, 3_500));
  }

  @Test
  void aPhaseNeverPacedSaysSo() {
    var samples = List.of(new Sample(0, -1, 1.0, 0), new Sample(500, -1, 1.0, 50));
    assertEquals("paced in 0 of 2 samples, largest pace -; second -> pace/accepted/read-side lag s: 0: -/50/1.00",
        PaceTrace.summary(samples, 0, 1_000));
    assertEquals("no samples", PaceTrace.summary(samples, 5_000, 6_000));
  }
}
