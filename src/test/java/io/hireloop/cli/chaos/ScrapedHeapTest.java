package io.hireloop.cli.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.platform.Metrics;
import org.junit.jupiter.api.Test;

/** The heap gauges as GET /metrics exposes them, read back the way the overload scenario reads a child node's. */
class ScrapedHeapTest {
  @Test
  void readsHeapAfterGcAndMaxFromTheExposition() {
    var text = Metrics.scrape();
    var afterGc = ScrapedHeap.value(text, "hireloop_jvm_heap_after_gc_bytes").orElseThrow();
    var max = ScrapedHeap.value(text, "jvm_memory_bytes_max{area=\"heap\"").orElseThrow();
    // the heap pools' maximum (-Xmx); Runtime's figure may leave a survivor space out
    assertEquals(Runtime.getRuntime().maxMemory(), max, 0.1 * max);
    assertTrue(afterGc > 0 && afterGc < max, afterGc + " of " + max);
  }

  @Test
  void aLongerNameOrAnotherLabelIsNotTaken() {
    var text = "# HELP x\nfoo_total 3.0\nfoo 2.5\njvm_memory_bytes_max{area=\"nonheap\",} 9.0\njvm_memory_bytes_max{area=\"heap\",} 1.0E9\n";
    assertEquals(2.5, ScrapedHeap.value(text, "foo").orElseThrow());
    assertEquals(1.0E9, ScrapedHeap.value(text, "jvm_memory_bytes_max{area=\"heap\"").orElseThrow());
    assertTrue(ScrapedHeap.value(text, "bar").isEmpty());
  }
}
