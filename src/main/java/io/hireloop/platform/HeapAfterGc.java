package io.hireloop.platform;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.prometheus.client.Gauge;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Keeps a gauge at the heap this JVM held right after its latest garbage collection (young ones included), summed
 * over the heap pools: what stays alive, unlike the current usage, which also counts garbage not yet collected. Fed
 * by the collectors' notifications, so measuring never forces a collection.
 */
final class HeapAfterGc {
  private HeapAfterGc() {}

  static void feed(Gauge gauge) {
    Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    gauge.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()); // until the first collection
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!(gc instanceof NotificationEmitter emitter)) continue;
      emitter.addNotificationListener((notification, handback) -> {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) return;
        var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long bytes = 0;
        for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
          if (heapPools.contains(e.getKey())) bytes += e.getValue().getUsed();
        }
        gauge.set(bytes);
      }, null, null);
    }
  }
}
