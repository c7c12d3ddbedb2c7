package io.hireloop.platform;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.exporter.common.TextFormat;
import io.prometheus.client.hotspot.DefaultExports;
import java.io.IOException;
import java.io.StringWriter;

/** Prometheus collectors of the node, exposed as text on GET /metrics. Static: one registry per JVM. */
public final class Metrics {
  private Metrics() {}

  static {
    DefaultExports.initialize();
  }

  private static final HeapAfterGc HEAP_AFTER_GC = new HeapAfterGc();

  static {
    new io.prometheus.client.Collector() {
      @Override
      public java.util.List<MetricFamilySamples> collect() {
        return java.util.List.of(new io.prometheus.client.GaugeMetricFamily("hireloop_jvm_heap_after_gc_bytes",
            "Heap in use right after the latest garbage collection, young ones included: what stays alive (a rising floor is a leak).",
            HEAP_AFTER_GC.bytes()));
      }
    }.register();
  }

  public static final Counter HTTP_REQUESTS = Counter.build("hireloop_http_requests_total", "HTTP requests by route and status.")
      .labelNames("route", "status").register();
  public static final Histogram HTTP_LATENCY = Histogram.build("hireloop_http_request_seconds", "HTTP request latency by route.")
      .labelNames("route").buckets(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10).register();
  /** Requests answered by the request timeout (the route's own late answer is dropped, yet counted above when it ends). */
  public static final Counter HTTP_TIMEOUTS = Counter.build("hireloop_http_request_timeouts_total",
          "HTTP requests answered 503 by the request timeout, by route.")
      .labelNames("route").register();
  public static final Counter EVENTS_INGESTED = Counter.build("hireloop_events_ingested_total", "Events by ingest result.")
      .labelNames("result").register();
  public static final Histogram PROJECTION_LAG = Histogram.build("hireloop_projection_lag_seconds",
          "Time from an event's journal write to its projection handler finishing.")
      .labelNames("projection").buckets(0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 15, 30, 60, 300).register();
  public static final Gauge PROJECTION_LAST_LAG = Gauge.build("hireloop_projection_last_lag_seconds",
          "Lag of the last envelope handled, per projection instance.")
      .labelNames("projection", "key").register();
  public static final Gauge INGEST_PACE = Gauge.build("hireloop_ingest_pace_events_per_second",
          "Events/s this node paces ingest to, set once its read side falls behind (-1: unpaced).").register();
  public static final Gauge INGEST_READ_SIDE_LAG = Gauge.build("hireloop_ingest_read_side_lag_seconds",
          "Worst recent projection lag on this node: what the ingest pace follows.").register();
  public static final Counter INGEST_PACED = Counter.build("hireloop_ingest_paced_total",
          "Ingest batches by pacing outcome (immediate, delayed, refused).")
      .labelNames("outcome").register();
  public static final Histogram USER_RECOVERY = Histogram.build("hireloop_user_recovery_seconds",
          "A user's entity starting on this node: its data key loaded, snapshot and events replayed, until it takes commands.")
      .buckets(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 20).register();
  public static final Counter PERSONAL_EVENTS_READ = Counter.build("hireloop_personal_journal_events_read_total",
          "Journal events read to recompute personal configs (each user's journal is followed, not re-read).").register();
  public static final Counter TRAININGS = Counter.build("hireloop_model_trainings_total", "Model trainings by model and result.")
      .labelNames("model", "result").register();
  public static final Histogram TRAINING_SECONDS = Histogram.build("hireloop_model_training_seconds", "Training duration.")
      .labelNames("model").buckets(0.5, 1, 2, 5, 10, 30, 60, 120, 300).register();

  public static final Gauge MODEL_LIVE = Gauge.build("hireloop_model_live",
          "Live quality of a model version over its window of labelled predictions (metric: auc, ece, log_loss, labelled).")
      .labelNames("model", "version", "metric").register();
  public static final Counter MODEL_ALERTS = Counter.build("hireloop_model_alerts_total",
          "Model monitoring alerts by kind (auc, ece, drift, page_hinkley) and severity (warning, critical).")
      .labelNames("model", "kind", "severity").register();
  public static final Gauge MODEL_DRIFT = Gauge.build("hireloop_model_drift",
          "Drift of a served feature against the champion's training rows (statistic: ks, chi2, p_value, psi).")
      .labelNames("model", "feature", "statistic").register();
  public static final Counter PREDICTION_LOG = Counter.build("hireloop_prediction_log_total",
          "Sampled predictions by what happened to their prediction_log row (written, failed, rate_limited).")
      .labelNames("result").register();
  public static final Counter RANKING_LOG = Counter.build("hireloop_ranking_log_total",
          "Served re-rankings by what happened to their ranking_log row (written, failed).")
      .labelNames("result").register();

  public static final Counter REMINDERS = Counter.build("hireloop_reminders_total",
          "Due follow-up reminders by what the user's entity did with them (sent, duplicate, answered, stale, not_due, unknown).")
      .labelNames("outcome").register();

  public static final Gauge CLUSTER_MEMBERS = Gauge.build("hireloop_cluster_members",
          "Cluster members as the scraped node sees them, by member status (up, joining, leaving, exiting, down, ...); set at scrape time.")
      .labelNames("status").register();

  /** Sets {@link #CLUSTER_MEMBERS} from {@code system}'s current view of the cluster (every status it knows, 0 for none). */
  public static void clusterMembers(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    var counts = new java.util.TreeMap<String, Integer>();
    for (var s : java.util.List.of("joining", "weaklyup", "up", "leaving", "exiting", "down", "removed")) counts.put(s, 0);
    for (var m : org.apache.pekko.cluster.Cluster.get(system).state().getMembers()) {
      counts.merge(m.status().toString().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
    }
    counts.forEach((status, n) -> CLUSTER_MEMBERS.labels(status).set(n));
  }

  public static String scrape() {
    var w = new StringWriter();
    try {
      TextFormat.write004(w, CollectorRegistry.defaultRegistry.metricFamilySamples());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return w.toString();
  }
}
