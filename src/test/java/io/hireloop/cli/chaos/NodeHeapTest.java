package io.hireloop.cli.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.platform.Metrics;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeHeapTest {
  private static double heapAfterGc() {
    return ScrapedHeap.value(Metrics.scrape(), "hireloop_jvm_heap_after_gc_bytes").orElseThrow();
  }

  @Test
  void theNodesMetricsCarryTheHeapAfterTheLatestCollection() {
    var first = heapAfterGc();
    assertTrue(first > 0, "hireloop_jvm_heap_after_gc_bytes in GET /metrics: " + first);
    // a collection with 64 MiB kept alive raises the floor; after dropping it, the next collection lowers it again
    var kept = new byte[64][];
    for (int i = 0; i < kept.length; i++) kept[i] = new byte[1 << 20];
    System.gc(); // the collectors' notifications arrive asynchronously: wait for the gauge to show it
    await().atMost(Duration.ofSeconds(30)).until(() -> heapAfterGc() >= 64 * 1048576.0);
    var withKept = heapAfterGc();
    assertTrue(kept[63].length == 1 << 20);
    kept = null;
    System.gc();
    await().atMost(Duration.ofSeconds(30)).until(() -> heapAfterGc() < withKept - 32 * 1048576.0);
  }
}
