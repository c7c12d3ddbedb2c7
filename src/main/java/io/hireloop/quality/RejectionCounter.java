package io.hireloop.quality;

import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.platform.ReadModelStore;
import io.prometheus.client.Counter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts rejected ingest problems by {@link RuleNames rule}: on this node's {@code /metrics} and, for the
 * cluster-wide view, in the Cassandra counter table {@code data_quality_rejections}. Best effort: a failed
 * counter write is logged, never fails the request.
 */
public final class RejectionCounter {
  private static final Logger log = LoggerFactory.getLogger(RejectionCounter.class);
  static final Counter FAILURES = Counter.build("hireloop_validation_failures_total",
      "Problems of rejected ingest requests by validation rule (schema and entity rules).").labelNames("rule").register();
  private static final int SCOPE = 0;

  private final ReadModelStore store;

  public RejectionCounter(ReadModelStore store) {
    this.store = store;
  }

  public void rejected(List<FieldProblem> problems) {
    var byRule = new TreeMap<String, Long>();
    for (var p : problems) byRule.merge(RuleNames.of(p), 1L, Long::sum);
    byRule.forEach((rule, n) -> {
      FAILURES.labels(rule).inc(n);
      store.session().executeWrite("UPDATE " + store.table("data_quality_rejections") + " SET failures = failures + ? WHERE scope = ? AND rule = ?",
              n, SCOPE, rule)
          .exceptionally(e -> {
            log.warn("could not count rejections of rule {}: {}", rule, e.toString());
            return null;
          });
    });
  }

  /** Cluster-wide failures by rule. */
  public CompletionStage<Map<String, Long>> totals() {
    return store.session().selectAll("SELECT rule, failures FROM " + store.table("data_quality_rejections") + " WHERE scope = ?", SCOPE)
        .thenApply(rows -> {
          var m = new TreeMap<String, Long>();
          rows.forEach(r -> m.put(r.getString("rule"), r.getLong("failures")));
          return m;
        });
  }
}
