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
  record Lag(int samples, double p50Ms, double p99Ms, double maxMs, double deliveryP50Ms, double deliveryP99Ms,
      double afterAckP50Ms, double afterAckP99Ms, double writeToAckP50Ms, double writeToAckP99Ms) {}

  /** One handled envelope: user, sequence number, journal write, group received, handler done (epoch ms). */
  private record Sample(int node, String projection, String user, long seqNr, long written, long received, long done) {}

  private final List<JourneyProjections> projections;
  private final Map<String, ConcurrentLinkedQueue<Sample>> byPrefix = new ConcurrentHashMap<>();
  /** user → epoch ms at which each of its events (in order, i.e. by sequence number) was acknowledged. */
  private final Map<String, List<Long>> acks = new ConcurrentHashMap<>();
  /** projection name + '|' + user id → sequence numbers handled. */
  private final Map<String, BitSet> seen = new ConcurrentHashMap<>();

  ProjectionLagProbe(ActorSystem<?> system, Collection<String> prefixes) {
    this(List.of(system), prefixes);
  }

  /** Records what the read side of every one of {@code systems} (the nodes of one cluster) handled. */
  ProjectionLagProbe(List<? extends ActorSystem<?>> systems, Collection<String> prefixes) {
    this.projections = systems.stream().map(JourneyProjections::get).toList();
    for (var p : prefixes) byPrefix.put(p, new ConcurrentLinkedQueue<>());
    for (int i = 0; i < projections.size(); i++) {
      int node = i;
      projections.get(i).recordEnvelopes((name, env, received, done) -> {
        var user = JobSeeker.userIdOf(env.persistenceId());
        for (var e : byPrefix.entrySet()) {
          if (!user.startsWith(e.getKey())) continue;
          e.getValue().add(new Sample(node, name, user, env.sequenceNr(), env.timestamp(), received, done));
          var bits = seen.computeIfAbsent(name + '|' + user, k -> new BitSet());
          synchronized (bits) {
            bits.set((int) env.sequenceNr());
          }
        }
      });
    }
  }

  /**
   * Per node of the cluster: the journey slices whose events it handled in the phases, the envelopes it handled
   * (all read models) and their lag p50 / p99 (journal write to handler done).
   */
  List<String> perNode(String... prefixes) {
    var slices = projections.get(0).slices();
    var lines = new ArrayList<String>();
    for (int node = 0; node < projections.size(); node++) {
      int n = node;
      var samples = Arrays.stream(prefixes).flatMap(p -> byPrefix.get(p).stream()).filter(s -> s.node() == n).toList();
      var hosted = samples.stream().map(s -> slices.sliceOf(s.user())).distinct().count();
      var lag = sorted(samples.stream().mapToLong(s -> s.done() - s.written()));
      lines.add(String.format("node %d: %d slices, %d envelopes, lag p50 %.0f / p99 %.0f ms", node + 1, hosted, samples.size(),
          pct(lag, 0.5), pct(lag, 0.99)));
    }
    return lines;
  }

  /** How many slices node {@code node} (from 0) handled events of in the phases. */
  long slicesHandled(int node, String... prefixes) {
    var slices = projections.get(0).slices();
    return Arrays.stream(prefixes).flatMap(p -> byPrefix.get(p).stream()).filter(s -> s.node() == node)
        .map(s -> slices.sliceOf(s.user())).distinct().count();
  }

  /**
   * Called by the load generator when a batch was acknowledged (200: every event journaled). A user's
   * events are sent in order by one client, so the n-th acknowledgement of a user is its sequence number n
   * (the benchmark's users start with empty journals and every event is accepted).
   */
  void acknowledged(List<Map<String, Object>> batch, long ackMillis) {
    for (var e : batch) {
      var list = acks.computeIfAbsent((String) e.get("user_id"), u -> new ArrayList<>());
      synchronized (list) {
        list.add(ackMillis);
      }
    }
  }

  /** Lag over the users of the given prefixes (phases). */
  Lag lag(String... prefixes) {
    var rows = Arrays.stream(prefixes).flatMap(p -> byPrefix.get(p).stream()).toList();
    long[] total = sorted(rows.stream().mapToLong(r -> r.done() - r.written()));
    long[] delivery = sorted(rows.stream().mapToLong(r -> r.received() - r.written()));
    var acked = rows.stream().filter(r -> ack(r) != null).toList();
    long[] afterAck = sorted(acked.stream().mapToLong(r -> r.done() - ack(r)));
    long[] writeToAck = sorted(acked.stream().mapToLong(r -> ack(r) - r.written()));
    return new Lag(total.length, pct(total, 0.50), pct(total, 0.99), total.length == 0 ? 0 : total[total.length - 1],
        pct(delivery, 0.50), pct(delivery, 0.99), pct(afterAck, 0.50), pct(afterAck, 0.99), pct(writeToAck, 0.50),
        pct(writeToAck, 0.99));
  }

  /**
   * Per projection, over the users of the given prefixes: "name: p50/p99 total, p99 delivery, p99 handler" in ms —
   * which read model holds the tail.
   */
  List<String> perProjection(String... prefixes) {
    var rows = Arrays.stream(prefixes).flatMap(p -> byPrefix.get(p).stream()).toList();
    var out = new ArrayList<String>();
    for (var name : new java.util.TreeSet<>(rows.stream().map(Sample::projection).toList())) {
      var mine = rows.stream().filter(r -> r.projection().equals(name)).toList();
      long[] total = sorted(mine.stream().mapToLong(r -> r.done() - r.written()));
      long[] delivery = sorted(mine.stream().mapToLong(r -> r.received() - r.written()));
      long[] handler = sorted(mine.stream().mapToLong(r -> r.done() - r.received()));
      out.add(String.format("%s: total p50 %.0f / p99 %.0f ms, delivery p99 %.0f ms, handler p50 %.0f / p99 %.0f ms",
          name, pct(total, 0.5), pct(total, 0.99), pct(delivery, 0.99), pct(handler, 0.5), pct(handler, 0.99)));
    }
    return out;
  }

  /**
   * The seconds (since the first sample of the phases, whose wall-clock time is given to line them up with the
   * Cassandra node's log or a thread sampler) in which some handler took more than {@code slowMillis}: stalls that
   * hit every projection at once point at a periodic job rather than at one read model.
   */
  String slowSeconds(long slowMillis, String... prefixes) {
    return seconds(Sample::received, r -> r.done() - r.received() > slowMillis, prefixes);
  }

  /**
   * The seconds (of journal write time, since the first write of the phases) whose events some projection
   * handled more than {@code lagMillis} after the write: "second=events" — one stall or a spread tail.
   */
  String lateSeconds(long lagMillis, String... prefixes) {
    return seconds(Sample::written, r -> r.done() - r.written() > lagMillis, prefixes);
  }

  /** "{second=count}" of the samples that match, by {@code at} (epoch ms) since the earliest {@code at} of the phases. */
  private String seconds(java.util.function.ToLongFunction<Sample> at, java.util.function.Predicate<Sample> match, String... prefixes) {
    var rows = Arrays.stream(prefixes).flatMap(p -> byPrefix.get(p).stream()).toList();
    long first = rows.stream().mapToLong(at).min().orElse(0);
    var seconds = new java.util.TreeMap<Long, Integer>();
    for (var r : rows) if (match.test(r)) seconds.merge((at.applyAsLong(r) - first) / 1000, 1, Integer::sum);
    return seconds + " (second 0 = " + java.time.Instant.ofEpochMilli(first) + ")";
  }

  private Long ack(Sample s) {
    var list = acks.get(s.user());
    if (list == null) return null;
    synchronized (list) {
      return s.seqNr() <= list.size() ? list.get((int) s.seqNr() - 1) : null;
    }
  }

  private static long[] sorted(java.util.stream.LongStream values) {
    return values.sorted().toArray();
  }

  /** The highest journal sequence number of each user (one driver query per user, at most 32 in flight). */
  static Map<String, Long> journalHighest(CqlSession session, String messagesTable, Collection<String> users) {
    var select = session.prepare("SELECT max(sequence_nr) FROM " + messagesTable + " WHERE persistence_id = ? AND partition_nr = 0");
    var out = new ConcurrentHashMap<String, Long>();
    var futures = new ArrayList<CompletableFuture<?>>();
    for (var user : users) {
      var pid = PersistenceId.of(JobSeeker.ENTITY_KEY.name(), user).id();
      futures.add(session.executeAsync(select.bind(pid)).toCompletableFuture()
          .thenAccept(rs -> out.put(user, rs.one().getLong(0))));
      if (futures.size() % 32 == 0) CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    return out;
  }

  /** Events of {@code highest} (user → last sequence number, from 1) that projection {@code name} has not handled. */
  long missing(String name, Map<String, Long> highest) {
    long missing = 0;
    for (var e : highest.entrySet()) missing += unhandled(name, e.getKey(), e.getValue().intValue());
    return missing;
  }

  /** Sequence numbers 1..last of the user that projection {@code name} has not handled. */
  private long unhandled(String name, String user, int last) {
    var bits = seen.get(name + '|' + user);
    if (bits == null) return last;
    synchronized (bits) {
      return last - bits.get(1, last + 1).cardinality();
    }
  }

  /**
   * Acknowledged events of {@code users} (the first n sequence numbers of a user with n acknowledgements) that
   * projection {@code name} has not handled yet: a wait on this needs no Cassandra query, so it does not load
   * the node while the end of a run is still being projected.
   */
  long unhandledAcknowledged(String name, Collection<String> users) {
    long missing = 0;
    for (var user : users) {
      var list = acks.get(user);
      if (list == null) continue;
      int acked;
      synchronized (list) {
        acked = list.size();
      }
      missing += unhandled(name, user, acked);
    }
    return missing;
  }

  /** Registered projection names. */
  List<String> names() {
    return projections.get(0).names();
  }

  @Override
  public void close() {
    projections.forEach(p -> p.recordEnvelopes(null));
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) return 0;
    return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  }
}
