package io.hireloop.cli.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The heap of the JVM that holds a node, for the scenarios that judge memory: what stays alive after each garbage
 * collection, and which classes hold it. Either this JVM (the node runs in-process) or a node's child JVM, so that a
 * load generator's own bookkeeping is not counted as the node's.
 */
public interface NodeHeap extends AutoCloseable {
  /** MiB alive after the latest collection. */
  double afterGcMib();

  /** The live objects by class, after a full GC: only at the edges of a measurement. */
  ClassHistogram histogram();

  @Override
  void close();

  /** The JVM this runs in. */
  static NodeHeap inProcess() {
    var sampler = new io.hireloop.platform.HeapAfterGc();
    return new NodeHeap() {
      @Override
      public double afterGcMib() {
        return sampler.bytes() / (1024.0 * 1024.0);
      }

      @Override
      public ClassHistogram histogram() {
        return ClassHistogram.takeLive();
      }

      @Override
      public void close() {
        sampler.close();
      }
    };
  }

  /** A node's child JVM: {@code hireloop_jvm_heap_after_gc_bytes} of its {@code GET /metrics}, histograms by {@code jcmd}. */
  static NodeHeap child(String nodeUrl, long pid) {
    var scraped = new ScrapedHeap(nodeUrl);
    return new NodeHeap() {
      @Override
      public double afterGcMib() {
        scraped.sample(); // a scrape the node does not answer keeps the previous value
        return scraped.afterGcMib();
      }

      @Override
      public ClassHistogram histogram() {
        var jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
          var p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
          var text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " GC.class_histogram failed: " + text);
          }
          return ClassHistogram.parse(text);
        } catch (IOException e) {
          throw new IllegalStateException("cannot run " + jcmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while taking a class histogram of " + pid);
        }
      }

      @Override
      public void close() {}
    };
  }
}
