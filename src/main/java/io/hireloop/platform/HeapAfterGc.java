package io.hireloop.platform;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap this JVM held right after its latest garbage collection (young ones included), summed over the heap pools:
 * what stays alive, unlike the current usage, which also counts garbage not yet collected — the curve that shows a
 * leak. Listens to the collectors' notifications, so reading it never forces a collection. (The pools' own
 * "collection usage" does not serve: G1 updates its old generation's only on mixed and full collections.)
 */
public final class HeapAfterGc implements AutoCloseable {
  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
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

  public HeapAfterGc() {
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) emitter.addNotificationListener(listener, null, null);
    }
  }

  /** Bytes in use after the latest collection; the current usage before the first one. */
  public long bytes() {
    long bytes = last.get();
    return bytes >= 0 ? bytes : ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  public long collections() {
    return collections.get();
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
