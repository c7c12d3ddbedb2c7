package io.hireloop.learning.monitoring;

import io.hireloop.learning.ModelCard;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When live quality is bad enough to take a champion out of service: over at least {@code minLabelled} labelled
 * predictions in its window, live ECE above {@code maxEce}, or live AUC below its card's holdout AUC minus
 * {@code maxAucDrop}. Fewer labels and nothing is judged (a window of 50 swings by more than these margins).
 */
public final class AlertRule {
  private AlertRule() {}

  public static final String WARNING = "warning", CRITICAL = "critical";
  public static final String AUC = "auc", ECE = "ece", DRIFT = "drift", PAGE_HINKLEY = "page_hinkley";

  public record Critical(double maxEce, double maxAucDrop, int minLabelled) {
    public static Critical defaults() {
      return new Critical(0.1, 0.05, 500);
    }
  }

  /** {@code figures}: the numbers behind it, as published; {@code message}: the same in words. */
  public record Alert(String severity, String kind, int version, Map<String, Object> figures, String message) {}

  /** The critical alerts of a version's live figures (none while the window is below {@code minLabelled}). */
  public static List<Alert> critical(LiveMetrics.Snapshot live, ModelCard.Metrics holdout, Critical c) {
    var out = new ArrayList<Alert>();
    if (live.labelled() < c.minLabelled()) return out;
    if (live.ece() > c.maxEce()) {
      var f = figures(live);
      f.put("max_ece", c.maxEce());
      if (holdout != null) f.put("holdout_ece", holdout.ece());
      out.add(new Alert(CRITICAL, ECE, live.version(), f, String.format(Locale.ROOT,
          "live ECE %.4f over %d labelled predictions exceeds %.4f%s", live.ece(), live.labelled(), c.maxEce(),
          holdout == null ? "" : String.format(Locale.ROOT, " (holdout ECE %.4f)", holdout.ece()))));
    }
    if (holdout != null && !Double.isNaN(live.auc()) && live.auc() < holdout.auc() - c.maxAucDrop()) {
      var f = figures(live);
      f.put("holdout_auc", holdout.auc());
      f.put("max_auc_drop", c.maxAucDrop());
      out.add(new Alert(CRITICAL, AUC, live.version(), f, String.format(Locale.ROOT,
          "live AUC %.4f over %d labelled predictions is below holdout AUC %.4f − %.4f", live.auc(), live.labelled(),
          holdout.auc(), c.maxAucDrop())));
    }
    return out;
  }

  private static Map<String, Object> figures(LiveMetrics.Snapshot live) {
    var f = new LinkedHashMap<String, Object>();
    f.put("labelled", live.labelled());
    f.put("auc", Double.isNaN(live.auc()) ? null : live.auc());
    f.put("ece", live.ece());
    f.put("log_loss", live.logLoss());
    return f;
  }
}
