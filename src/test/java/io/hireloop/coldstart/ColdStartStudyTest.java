package io.hireloop.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The measured claim of the cold start (BENCHMARKS.md), on a population small enough for the suite. */
class ColdStartStudyTest {

  @Test
  void profileAloneBeatsTheGlobalAverageByFivePercentLogLossOnHeldOutUsers(@TempDir Path tmp) throws Exception {
    var r = ColdStartStudy.run(1200, 12, 7, 4, ColdStartSettings.DEFAULTS, tmp);
    assertEquals(300, r.heldOutUsers());
    assertTrue(r.heldOutApplications() > 3_000, "held-out applications: " + r.heldOutApplications());
    assertTrue(r.improvement() >= 0.05, "log loss " + r.logLossColdStart() + " vs global " + r.logLossGlobal());
    assertTrue(r.logLossColdStart() < r.logLossGlobal());
  }
}
