package io.hireloop.cli.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.platform.Metrics;
import org.junit.jupiter.api.Test;

class NodeHeapTest {
  @Test
  void sumsTheHeapPoolsAfterTheirLastCollection() {
    var metrics = """
        # HELP jvm_memory_pool_collection_used_bytes Used bytes after last collection of a given JVM memory pool.
        # TYPE jvm_memory_pool_collection_used_bytes gauge
        jvm_memory_pool_collection_used_bytes{pool="G1 Eden Space",} 0.0
        jvm_memory_pool_collection_used_bytes{pool="G1 Old Gen",} 4.194304E7
        jvm_memory_pool_collection_used_bytes{pool="G1 Survivor Space",} 1048576.0
        jvm_memory_pool_used_bytes{pool="G1 Old Gen",} 9.9E9
        jvm_memory_pool_collection_used_bytes{pool="Metaspace",} 7.0E7
        """;
    assertEquals(42_991_616.0, NodeHeap.heapAfterGcBytes(metrics));
  }

  @Test
  void theNodesOwnMetricsCarryTheHeapAfterCollection() {
    System.gc(); // every heap pool has a last collection to report
    assertTrue(NodeHeap.heapAfterGcBytes(Metrics.scrape()) > 0, "jvm_memory_pool_collection_used_bytes in GET /metrics");
  }
}
