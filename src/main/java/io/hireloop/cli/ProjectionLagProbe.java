package io.hireloop.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyProjections;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * The benchmark's view of the journey projections during an ingest run: every envelope every projection
 * handled, attributed to a phase by the user-id prefix of its persistence id. Gives exact lag percentiles
 * per phase (journal write to handler done), the delivery share of it (journal write to the group reaching
 * the handler: consistency delay, polling, grouping, queueing), and, against the journal's highest sequence
 * number of each user, how many events a projection never handled.
 */
final class ProjectionLagProbe implements AutoCloseable {
  /** Lag percentiles of one phase, over every registered projection. */
  record Lag(int samples, double p50Ms, double p99Ms, double maxMs, double deliveryP50Ms, double deliveryP99Ms) {}

  private final JourneyProjections projections;
  private final Map<String, ConcurrentLinkedQueue<long[]>> byPrefix = new ConcurrentHashMap<>();
  /** projection name + '|' + user id → sequence numbers handled. */
  private final Map<String, BitSet> seen = new ConcurrentHashMap<>();

  ProjectionLagProbe(ActorSystem<?> system, Collection<String> prefixes) {
    this.projections = JourneyProjections.get(system);
    for (var p : prefixes) byPrefix.put(p, new ConcurrentLinkedQueue<>());
    projections.recordEnvelopes((name, env, received, done) -> {
      var user = JobSeeker.userIdOf(env.persistenceId());
      for (var e : byPrefix.entrySet()) {
        if (!user.startsWith(e.getKey())) continue;
        e.getValue().add(new long[] {done - env.timestamp(), received - env.timestamp()});
        var bits = seen.computeIfAbsent(name + '|' + user, k -> new BitSet());
        synchronized (bits) {
          bits.set((int) env.sequenceNr());
        }
      }
    });
  }

  /** Lag over the users of the given prefixes (phases). */
  Lag lag(String... prefixes) {
    var rows = Arrays.stream(prefixes).flatMap(p -> byPrefix.get(p).stream()).toArray(long[][]::new);
    long[] total = Arrays.stream(rows).mapToLong(r -> r[0]).sorted().toArray();
    long[] delivery = Arrays.stream(rows).mapToLong(r -> r[1]).sorted().toArray();
    return new Lag(total.length, pct(total, 0.50), pct(total, 0.99), total.length == 0 ? 0 : total[total.length - 1],
        pct(delivery, 0.50), pct(delivery, 0.99));
  }

  /** The highest journal sequence number of each user (one driver query per user). */
  static Map<String, Long> journalHighest(CqlSession session, String messagesTable, Collection<String> users) {
    var select = session.prepare("SELECT max(sequence_nr) FROM " + messagesTable + " WHERE persistence_id = ? AND partition_nr = 0");
    var out = new ConcurrentHashMap<String, Long>();
    var futures = new ArrayList<CompletableFuture<?>>();
    for (var user : users) {
      var pid = PersistenceId.of(JobSeeker.ENTITY_KEY.name(), user).id();
      futures.add(session.executeAsync(select.bind(pid)).toCompletableFuture()
          .thenAccept(rs -> out.put(user, rs.one().getLong(0))));
      if (futures.size() % 256 == 0) CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    return out;
  }

  /** Events of {@code highest} (user → last sequence number, from 1) that projection {@code name} has not handled. */
  long missing(String name, Map<String, Long> highest) {
    long missing = 0;
    for (var e : highest.entrySet()) {
      var bits = seen.get(name + '|' + e.getKey());
      int last = e.getValue().intValue();
      if (bits == null) {
        missing += last;
        continue;
      }
      synchronized (bits) {
        missing += last - bits.get(1, last + 1).cardinality();
      }
    }
    return missing;
  }

  /** Registered projection names. */
  List<String> names() {
    return projections.names();
  }

  @Override
  public void close() {
    projections.recordEnvelopes(null);
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) return 0;
    return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  }
}
