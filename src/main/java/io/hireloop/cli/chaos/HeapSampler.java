package io.hireloop.cli.chaos;

import io.hireloop.platform.HeapAfterGc;

/** The heap of this JVM after each garbage collection ({@link HeapAfterGc}) in MiB, as the in-process scenarios read it. */
final class HeapSampler implements AutoCloseable {
  private final HeapAfterGc heap = new HeapAfterGc();

  /** MiB in use after the latest collection; the current usage before the first one. */
  double afterGcMib() {
    return heap.bytes() / (1024.0 * 1024.0);
  }

  long collections() {
    return heap.collections();
  }

  /** -Xmx in MiB. */
  static double maxMib() {
    return Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0);
  }

  @Override
  public void close() {
    heap.close();
  }
}
