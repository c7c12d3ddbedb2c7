package io.hireloop.cli;

import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.context.DriverContext;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.session.Request;
import com.datastax.oss.driver.api.core.tracker.RequestTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;

/**
 * The benchmark's view of the Cassandra driver: every request any session of the node made, with its
 * latency as the driver saw it (sent to response decoded), by session and statement kind ("SELECT tag_views",
 * "INSERT user_performance"). Installed through the driver's {@code advanced.request-tracker.classes}; tells
 * whether a slow projection handler waited on Cassandra or on the node itself.
 */
public final class DriverLatencyProbe implements RequestTracker {
  /** The config value that installs the probe in every driver session of a node. */
  public static final String CLASS_NAME = DriverLatencyProbe.class.getName();

  private record Sample(String session, String kind, long endMillis, long latencyNanos) {}

  private static final ConcurrentLinkedQueue<Sample> SAMPLES = new ConcurrentLinkedQueue<>();
  private static final Pattern TABLE = Pattern.compile("(?i)\\b(?:from|into|update)\\s+(?:\"?\\w+\"?\\.)?\"?(\\w+)");
  private static volatile boolean recording;

  private final String session;

  /** Called by the driver, once per session. */
  public DriverLatencyProbe(DriverContext context) {
    this.session = context.getSessionName();
  }

  /** Starts (emptied) or stops recording for every session. */
  static void recording(boolean on) {
    if (on) SAMPLES.clear();
    recording = on;
  }

  @Override
  public void onSuccess(Request request, long latencyNanos, DriverExecutionProfile profile, Node node, String prefix) {
    if (recording) SAMPLES.add(new Sample(session, kind(request), System.currentTimeMillis(), latencyNanos));
  }

  @Override
  public void onError(Request request, Throwable error, long latencyNanos, DriverExecutionProfile profile, Node node,
      String prefix) {
    if (recording) SAMPLES.add(new Sample(session, kind(request) + " (failed)", System.currentTimeMillis(), latencyNanos));
  }

  @Override
  public void close() {}

  static String kind(Request request) {
    String cql;
    if (request instanceof BoundStatement b) cql = b.getPreparedStatement().getQuery();
    else if (request instanceof SimpleStatement s) cql = s.getQuery();
    else if (request instanceof BatchStatement) return "BATCH";
    else return request.getClass().getSimpleName();
    var verb = cql.strip().split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT);
    var m = TABLE.matcher(cql);
    return m.find() ? verb + " " + m.group(1) : verb;
  }

  /**
   * One line per session and statement kind recorded between {@code fromMillis} and {@code toMillis}
   * (request end, epoch ms): "session kind: n, p50 / p99 / max ms", most requests first.
   */
  static List<String> summary(long fromMillis, long toMillis) {
    var byKind = new TreeMap<String, List<Long>>();
    for (var s : SAMPLES) {
      if (s.endMillis() < fromMillis || s.endMillis() > toMillis) continue;
      byKind.computeIfAbsent(s.session() + " " + s.kind(), k -> new ArrayList<>()).add(s.latencyNanos());
    }
    var lines = new ArrayList<Map.Entry<String, List<Long>>>(byKind.entrySet());
    lines.sort((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()));
    var out = new ArrayList<String>();
    for (var e : lines) {
      long[] v = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
      out.add(String.format("%s: n %d, p50 %.1f / p99 %.1f / max %.1f ms", e.getKey(), v.length, pct(v, 0.5) / 1e6,
          pct(v, 0.99) / 1e6, v[v.length - 1] / 1e6));
    }
    return out;
  }

  /** Requests (all sessions, failed ones included) that ended between {@code fromMillis} and {@code toMillis}. */
  static long count(long fromMillis, long toMillis) {
    long n = 0;
    for (var s : SAMPLES) if (s.endMillis() >= fromMillis && s.endMillis() <= toMillis) n++;
    return n;
  }

  /** Per second since {@code fromMillis}: how many requests took longer than {@code slowMillis} (only seconds with some). */
  static String slowSeconds(long slowMillis, long fromMillis, long toMillis) {
    var seconds = new TreeMap<Long, Integer>();
    for (var s : SAMPLES) {
      if (s.endMillis() < fromMillis || s.endMillis() > toMillis || s.latencyNanos() <= slowMillis * 1_000_000) continue;
      seconds.merge((s.endMillis() - fromMillis) / 1000, 1, Integer::sum);
    }
    return seconds.toString();
  }

  private static long pct(long[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  }
}
