package io.hireloop.learning.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.learning.features.ApplicationSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** The sampling and the hand-off of {@link PredictionLog}, without Cassandra: the writes are never run here. */
class PredictionLogTest {

  @Test
  void samplesAtTheRateAndCapsRowsPerSecond() {
    var sampled = new PredictionLog(null, 0.1, 1_000_000, Runnable::run).sample(20_000);
    // binomial(20,000, 0.1): 2,000 ± 42 (sd); 5 sd either way
    assertTrue(Math.abs(sampled.size() - 2000) < 215, "sampled " + sampled.size());
    var capped = new PredictionLog(null, 1.0, 50, Runnable::run).sample(10_000);
    assertTrue(capped.size() >= 50 && capped.size() <= 100, "at most 50 a second (the call may straddle a second): " + capped.size());
    assertEquals(0, new PredictionLog(null, 0, 50, Runnable::run).sample(1000).size());
  }

  @Test
  void offerHandsEncodingAndWritingToTheExecutorAndReturns() {
    var tasks = new ArrayList<Runnable>();
    var log = new PredictionLog(null, 1.0, 1000, tasks::add);
    // the store and the ensemble are only touched by the task, which this test never runs
    log.offer("interview", 1, "u-1", null, Collections.nCopies(10, (ApplicationSnapshot) null), new double[10]);
    assertEquals(1, tasks.size(), "one task per request, run later");
    new PredictionLog(null, 0.0, 1000, tasks::add).offer("interview", 1, null, null, Collections.nCopies(10, (ApplicationSnapshot) null),
        new double[10]);
    assertEquals(1, tasks.size(), "nothing sampled, nothing handed off");
  }
}
