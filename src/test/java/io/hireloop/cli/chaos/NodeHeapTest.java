package io.hireloop.cli.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.platform.Metrics;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeHeapTest {
  @Test
  void readsTheHeapAfterGcGaugeOfAScrape() {
    var metrics = """
        # HELP hireloop_jvm_heap_after_gc_bytes Heap in use right after the latest garbage collection.
        # TYPE hireloop_jvm_heap_after_gc_bytes gauge
        hireloop_jvm_heap_after_gc_bytes 4.194304E7
        jvm_memory_bytes_used{area="heap",} 9.9E9
        """;
    assertEquals(41_943_040.0, NodeHeap.heapAfterGcBytes(metrics));
    assertTrue(Double.isNaN(NodeHeap.heapAfterGcBytes("jvm_memory_bytes_used{area=\"heap\",} 9.9E9\n")));
  }

  @Test
  void theNodesMetricsCarryTheHeapAfterTheLatestCollection() {
    var first = NodeHeap.heapAfterGcBytes(Metrics.scrape());
    assertTrue(first > 0, "hireloop_jvm_heap_after_gc_bytes in GET /metrics: " + first);
    // a collection with 64 MiB kept alive raises the floor; after dropping it, the next collection lowers it again
    var kept = new byte[64][];
    for (int i = 0; i < kept.length; i++) kept[i] = new byte[1 << 20];
    System.gc(); // the collectors' notifications arrive asynchronously: wait for the gauge to show it
    await().atMost(Duration.ofSeconds(30)).until(() -> NodeHeap.heapAfterGcBytes(Metrics.scrape()) >= 64 * 1048576.0);
    var withKept = NodeHeap.heapAfterGcBytes(Metrics.scrape());
    assertTrue(kept[63].length == 1 << 20);
    kept = null;
    System.gc();
    await().atMost(Duration.ofSeconds(30)).until(() -> NodeHeap.heapAfterGcBytes(Metrics.scrape()) < withKept - 32 * 1048576.0);
  }
}
