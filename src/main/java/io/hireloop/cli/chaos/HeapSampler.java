package io.hireloop.cli.chaos;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap this JVM held right after each garbage collection (young ones included), summed over the heap pools:
 * what stays alive, unlike the current usage, which also counts garbage not yet collected. Listens to the
 * collectors' notifications, so measuring never forces a collection (that would change what is measured).
 */
final class HeapSampler implements AutoCloseable {
  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP).map(java.lang.management.MemoryPoolMXBean::getName).collect(Collectors.toSet());
  private final AtomicLong last = new AtomicLong(-1);
  private final AtomicLong collections = new AtomicLong();
  private final NotificationListener listener = (notification, handback) -> {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) return;
    var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    long bytes = 0;
    for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) bytes += e.getValue().getUsed();
    }
    last.set(bytes);
    collections.incrementAndGet();
  };

  HeapSampler() {
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) emitter.addNotificationListener(listener, null, null);
    }
  }

  /** MiB in use after the latest collection; the current usage before the first one. */
  double afterGcMib() {
    long bytes = last.get();
    if (bytes < 0) bytes = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return bytes / (1024.0 * 1024.0);
  }

  long collections() {
    return collections.get();
  }

  /** -Xmx in MiB. */
  static double maxMib() {
    return Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0);
  }

  @Override
  public void close() {
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        try {
          emitter.removeNotificationListener(listener);
        } catch (javax.management.ListenerNotFoundException ignored) {
          // never added to this one
        }
      }
    }
  }
}
