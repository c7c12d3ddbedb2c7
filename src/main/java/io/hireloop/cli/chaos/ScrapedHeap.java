package io.hireloop.cli.chaos;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * The heap of a node's JVM as its GET /metrics reports it: {@code hireloop_jvm_heap_after_gc_bytes} (what stayed alive
 * after the latest collection) and {@code jvm_memory_bytes_max{area="heap"}} (-Xmx). Read over HTTP, so it is the
 * node's own JVM that is measured, wherever the node runs. A scrape the node does not answer in time is counted as
 * missed and the last value kept.
 */
final class ScrapedHeap {
  private static final double MIB = 1024.0 * 1024.0;
  private final String metricsUrl;
  private final ChaosHttp http = new ChaosHttp(Duration.ofSeconds(2));
  private double afterGcMib = -1;
  private double maxMib = -1;
  private long missed;

  ScrapedHeap(String nodeUrl) {
    this.metricsUrl = nodeUrl + "/metrics";
  }

  /** Scrapes once; false when the node did not answer (the previous values stay). */
  boolean sample() {
    var reply = http.get(metricsUrl, null);
    if (!reply.ok()) {
      missed++;
      return false;
    }
    var afterGc = value(reply.body(), "hireloop_jvm_heap_after_gc_bytes");
    var max = value(reply.body(), "jvm_memory_bytes_max{area=\"heap\"");
    if (afterGc.isEmpty() || max.isEmpty()) throw new IllegalStateException(metricsUrl + " has no heap gauges");
    afterGcMib = afterGc.getAsDouble() / MIB;
    maxMib = max.getAsDouble() / MIB;
    return true;
  }

  /** MiB in use after the node's latest collection (-1 before the first answered scrape). */
  double afterGcMib() {
    return afterGcMib;
  }

  /** The node's -Xmx in MiB (-1 before the first answered scrape). */
  double maxMib() {
    return maxMib;
  }

  long missed() {
    return missed;
  }

  /** The value of the first sample line starting with {@code name} (labels included in it, if any). */
  static OptionalDouble value(String exposition, String name) {
    for (var line : exposition.split("\n")) {
      if (!line.startsWith(name)) continue;
      var rest = line.substring(name.length());
      if (!rest.startsWith(" ") && !rest.startsWith(",") && !rest.startsWith("}")) continue; // a longer name
      return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
    }
    return OptionalDouble.empty();
  }
}
