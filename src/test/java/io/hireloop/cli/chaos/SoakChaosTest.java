package io.hireloop.cli.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.testing.TestNodes;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CI size of {@code bin/hireloop chaos soak}: after 15 s of warm-up, a minute of steady ingest with users coming and
 * going, sampled every 5 s. The live heap (a full GC per sample) and the projection lag of the last third stay near the first third's, every sample's lag was
 * measured (the probe event became visible), and every acknowledged event is stored once.
 */
class SoakChaosTest {
  @Test
  void aMinuteOfSteadyIngestKeepsHeapAndLagFlat() {
    try (var node = TestNodes.startShared("soak", Map.of())) {
      TestNodes.readyHttp(node);
      var settings = new SoakScenario.Settings(Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(5), 2, 10, 5, Duration.ofMillis(100), 50, "soakci");
      var r = SoakScenario.run(settings, "http://127.0.0.1:" + node.httpPort(), NodeHeap.inProcess(), TestNodes.token("svc", "service"),
          TestNodes.token("ops", "admin"), line -> System.out.println("[soak] " + line));
      r.summary().forEach(line -> System.out.println("[soak] " + line));

      assertTrue(r.samples().size() >= 6, "samples " + r.samples());
      assertTrue(r.samples().stream().noneMatch(s -> Double.isNaN(s.lagMillis())), "every probe event became visible: " + r.samples());
      assertTrue(r.eventsAcknowledged() > 0);
      assertTrue(r.live().flat(1.25, 128), "live heap " + r.live());
      assertTrue(r.lag().flat(1.5, 1000), "projection lag " + r.lag());
      assertTrue(r.verdict().exactlyOnce(), r.verdict().toString());
    }
  }
}
