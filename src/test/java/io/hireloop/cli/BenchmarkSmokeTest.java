package io.hireloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.platform.Json;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the benchmark at its smallest sizes: bench.json is written and every figure is positive. */
class BenchmarkSmokeTest {
  @Test
  void quickBenchmarkWritesPositiveFigures(@TempDir Path out) throws Exception {
    // the plumbing, not the numbers: on the loaded test machine ingest pacing could stretch the run for minutes
    var conf = Files.writeString(out.resolve("smoke.conf"), "hireloop.ingest.pacing.enabled = off\n");
    var printed = new java.io.ByteArrayOutputStream();
    var args = new String[] {"--quick", "--smoke", "--warmup-users", "60", "--out", out.toString(), "--config", conf.toString()};
    int exit = Benchmark.run(Cli.Options.parse(args, 0),
        new PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    var text = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
    System.out.print(text);
    assertEquals(0, exit);
    // the driver's request tracker is installed in the node's sessions: journal writes and read-model writes are seen
    assertTrue(text.matches("(?s).*note: Cassandra requests at max rate, s\\d+ INSERT messages: n [1-9].*"), "journal writes timed");
    assertTrue(text.matches("(?s).*note: Cassandra requests at max rate, s\\d+ INSERT user_performance: n [1-9].*"), "read-model writes timed");
    assertTrue(text.matches("(?s).*note: max rate: second of the phase -> envelopes handled > 2 s after their journal write: \\{.*"),
        "the late seconds are listed");
    var dataDir = java.util.regex.Pattern.compile("data dir (\\S+);").matcher(text);
    assertTrue(dataDir.find(), "the data dir is printed");
    assertTrue(!Files.exists(Path.of(dataDir.group(1))), "the run's data dir is removed: " + dataDir.group(1));
    var json = Json.read(Files.readString(out.resolve("bench.json")));
    assertTrue(json.path("projection_lag_warmup_samples").asLong() > 0, "the warm-up's lag is reported");
    assertEquals(0, json.path("projection_missed_events").asLong(-1), "every event reached every projection");
    json.fields().forEachRemaining(f -> {
      if (f.getKey().endsWith("_batches_paced") || f.getKey().endsWith("_batches_refused") || f.getKey().equals("paced_refusals_at_half_rate")) {
        assertEquals(0, f.getValue().asLong(-1), "pacing off: nothing paced, " + f.getKey());
      } else if (f.getKey().equals("sustained_events_per_s")) {
        assertTrue(f.getValue().asDouble() >= 0, "0 when neither run kept lag p99 under 2 s");
      } else if (f.getValue().isNumber() && !f.getKey().equals("projection_missed_events")) {
        assertTrue(f.getValue().asDouble() > 0, f.getKey() + " = " + f.getValue());
      }
    });
    assertTrue(json.path("ingest_ratio").isNumber() && json.path("fanout_p99_ms").isNumber() && json.path("memory_bytes_per_entity").isNumber());
    for (var key : java.util.List.of("cassandra_ops_per_event", "node_cpu_ms_per_event", "cassandra_cpu_ms_per_event",
        "long_history_ingest_ratio", "sustained_events_per_s", "paced_refusals_at_half_rate")) {
      assertTrue(json.path(key).isNumber(), key + " is reported");
    }
  }
}
