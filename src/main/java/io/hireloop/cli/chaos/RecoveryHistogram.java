package io.hireloop.cli.chaos;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's {@code hireloop_user_recovery_seconds} as its GET /metrics exposes it (cumulative buckets, count, sum):
 * read before and after a fault, the difference is how long the users' entities that started meanwhile took to load
 * their key and replay their journal — the part of a fail-over that is the entities' own.
 */
record RecoveryHistogram(TreeMap<Double, Double> buckets, double count, double sum) {
  static final String NAME = "hireloop_user_recovery_seconds";
  static final RecoveryHistogram EMPTY = new RecoveryHistogram(new TreeMap<>(), 0, 0);

  /** Parses the exposition text; a node without the metric yet reads as empty. */
  static RecoveryHistogram parse(String exposition) {
    var buckets = new TreeMap<Double, Double>();
    double count = 0;
    double sum = 0;
    for (var line : exposition.split("\n")) {
      if (!line.startsWith(NAME)) continue;
      double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      if (line.startsWith(NAME + "_bucket{")) {
        int le = line.indexOf("le=\"");
        var bound = line.substring(le + 4, line.indexOf('"', le + 4));
        buckets.put(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound), value);
      } else if (line.startsWith(NAME + "_count ")) {
        count = value;
      } else if (line.startsWith(NAME + "_sum ")) {
        sum = value;
      }
    }
    return new RecoveryHistogram(buckets, count, sum);
  }

  RecoveryHistogram plus(RecoveryHistogram other) {
    var merged = new TreeMap<>(buckets);
    other.buckets.forEach((le, c) -> merged.merge(le, c, Double::sum));
    return new RecoveryHistogram(merged, count + other.count, sum + other.sum);
  }

  /** What was recorded after {@code before} (the same node's earlier reading). */
  RecoveryHistogram minus(RecoveryHistogram before) {
    var diff = new TreeMap<Double, Double>();
    for (Map.Entry<Double, Double> e : buckets.entrySet()) diff.put(e.getKey(), e.getValue() - before.buckets.getOrDefault(e.getKey(), 0.0));
    return new RecoveryHistogram(diff, count - before.count, sum - before.sum);
  }

  /** The smallest bucket bound that holds every recovery: the slowest took at most this. */
  double slowestAtMost() {
    for (var e : buckets.entrySet()) if (e.getValue() >= count) return e.getKey();
    return Double.POSITIVE_INFINITY;
  }

  String describe() {
    if (count <= 0) return "no user's entity started on the survivors";
    return String.format(Locale.ROOT, "%.0f user entities started on the survivors: mean %.2f s (key, snapshot, events), the slowest <= %s s",
        count, sum / count, slowestAtMost() == Double.POSITIVE_INFINITY ? "+Inf" : String.valueOf(slowestAtMost()));
  }
}
