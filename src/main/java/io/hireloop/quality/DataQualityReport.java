package io.hireloop.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.hipparchus.stat.descriptive.rank.Percentile;

/**
 * {@code GET /api/v1/analytics/data-quality}: validation failures by rule, completeness of optional fields
 * and outcome reporting delay, cluster-wide (summed over the rows of every user and the rejection counters).
 */
public final class DataQualityReport {
  /** Upper bounds (seconds) of the delay histogram in the report; the last bucket is open. */
  static final long[] DELAY_BUCKETS = {60, 3600, 86400, 3 * 86400, 7 * 86400, 30 * 86400};

  private final DataQualityProjection projection;
  private final RejectionCounter rejections;

  public DataQualityReport(DataQualityProjection projection, RejectionCounter rejections) {
    this.projection = projection;
    this.rejections = rejections;
  }

  public CompletionStage<Map<String, Object>> build() {
    return rejections.totals().thenCombine(projection.all(), DataQualityReport::render);
  }

  static Map<String, Object> render(Map<String, Long> failures, List<DataQualityState> users) {
    var out = new LinkedHashMap<String, Object>();
    var v = new LinkedHashMap<String, Object>();
    v.put("total", failures.values().stream().mapToLong(Long::longValue).sum());
    v.put("by_rule", failures);
    out.put("validation_failures", v);
    out.put("completeness", completeness(users));
    out.put("outcome_reporting_delay", delays(users));
    return out;
  }

  static Map<String, Object> completeness(List<DataQualityState> users) {
    var events = new TreeMap<String, Integer>();
    var present = new TreeMap<String, Map<String, Integer>>();
    for (var u : users) {
      u.events().forEach((type, n) -> events.merge(type, n, Integer::sum));
      u.present().forEach((type, fields) -> fields.forEach((f, n) ->
          present.computeIfAbsent(type, t -> new TreeMap<>()).merge(f, n, Integer::sum)));
    }
    var out = new LinkedHashMap<String, Object>();
    events.forEach((type, n) -> {
      var fields = new LinkedHashMap<String, Object>();
      present.getOrDefault(type, Map.of()).forEach((f, has) -> fields.put(f, (double) has / n));
      var m = new LinkedHashMap<String, Object>();
      m.put("events", n);
      m.put("present_fraction", fields);
      out.put(type, m);
    });
    return out;
  }

  static Map<String, Object> delays(List<DataQualityState> users) {
    var all = new ArrayList<Long>();
    users.forEach(u -> all.addAll(u.delaysMillis()));
    var m = new LinkedHashMap<String, Object>();
    m.put("count", all.size());
    double[] seconds = all.stream().mapToDouble(ms -> ms / 1000.0).sorted().toArray();
    if (seconds.length == 0) {
      for (var k : List.of("mean_seconds", "p50_seconds", "p90_seconds", "p99_seconds", "max_seconds")) m.put(k, null);
    } else {
      var p = new Percentile();
      p.setData(seconds);
      m.put("mean_seconds", java.util.Arrays.stream(seconds).average().orElse(0));
      m.put("p50_seconds", p.evaluate(50));
      m.put("p90_seconds", p.evaluate(90));
      m.put("p99_seconds", p.evaluate(99));
      m.put("max_seconds", seconds[seconds.length - 1]);
    }
    var histogram = new ArrayList<Map<String, Object>>();
    int i = 0;
    for (int b = 0; b <= DELAY_BUCKETS.length; b++) {
      int count = 0;
      while (i < seconds.length && (b == DELAY_BUCKETS.length || seconds[i] <= DELAY_BUCKETS[b])) {
        count++;
        i++;
      }
      var bucket = new LinkedHashMap<String, Object>();
      bucket.put("le_seconds", b == DELAY_BUCKETS.length ? null : DELAY_BUCKETS[b]);
      bucket.put("count", count);
      histogram.add(bucket);
    }
    m.put("histogram", histogram);
    return m;
  }
}
