package io.hireloop.quality;

import io.hireloop.journey.JourneyEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One user's contribution to the data-quality read model: ingested events by type, how many of them had
 * each optional field, and the outcome reporting delays (journal write time minus event timestamp of each
 * STATUS_CHANGED, in milliseconds, clamped at 0 for the allowed clock skew). {@code asOfSeqNr} makes
 * redelivery a no-op. Stored as JSON.
 */
public record DataQualityState(long asOfSeqNr, Map<String, Integer> events, Map<String, Map<String, Integer>> present,
    List<Long> delaysMillis) {

  public static final DataQualityState EMPTY = new DataQualityState(0, Map.of(), Map.of(), List.of());

  /** What folding one event added, for the node's Prometheus metrics. */
  record Change(String eventType, Map<String, Boolean> fields, Long delayMillis) {}

  DataQualityState apply(long seqNr, JourneyEvent e, long writtenAtMillis, List<Change> changes) {
    if (seqNr <= asOfSeqNr) return this;
    var fields = OptionalFields.of(e);
    boolean ingested = !fields.isEmpty();
    if (!ingested) return new DataQualityState(seqNr, events, present, delaysMillis);
    var events2 = new HashMap<>(events);
    events2.merge(e.eventType(), 1, Integer::sum);
    var present2 = new HashMap<>(present);
    var forType = new HashMap<>(present.getOrDefault(e.eventType(), Map.of()));
    fields.forEach((field, has) -> forType.merge(field, has ? 1 : 0, Integer::sum));
    present2.put(e.eventType(), Map.copyOf(forType));
    var delays = delaysMillis;
    Long delay = null;
    if (e instanceof JourneyEvent.StatusChanged) {
      delay = Math.max(0, writtenAtMillis - e.timestamp().toEpochMilli());
      var d2 = new ArrayList<>(delaysMillis);
      d2.add(delay);
      delays = List.copyOf(d2);
    }
    changes.add(new Change(e.eventType(), fields, delay));
    return new DataQualityState(seqNr, Map.copyOf(events2), Map.copyOf(present2), delays);
  }
}
