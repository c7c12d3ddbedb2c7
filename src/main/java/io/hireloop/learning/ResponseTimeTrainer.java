package io.hireloop.learning;

import io.hireloop.learning.ensemble.EnsembleTrainer;
import io.hireloop.learning.ensemble.LabelledSnapshot;
import io.hireloop.learning.ensemble.Split;
import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.learning.features.FeaturePipeline;
import io.hireloop.stats.ClassificationMetrics;
import io.hireloop.stats.Survival;
import io.hireloop.stats.WeibullAft;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Trains the {@link ResponseTimeModel}: the same {@link Split} by user and time as the ensembles (validation users =
 * its blend and calibration users), the {@link FeaturePipeline} fitted on the training rows, the L2 penalty chosen
 * from {@link Settings#l2Grid} by the validation rows' log-likelihood, the model refitted on training and validation
 * rows with that penalty, and every figure measured on the holdout:
 * <ul>
 *   <li>{@code concordance}: Harrell's C of −η (a shorter predicted time = a sooner answer);</li>
 *   <li>per horizon h of {@link ResponseTimeModel#HORIZONS}: the mean predicted P(answer ≤ h) against 1 − KM(h) of
 *       the holdout (calibration in the large, censoring handled by Kaplan–Meier); the card's {@code ece} is the mean
 *       absolute gap over the horizons;</li>
 *   <li>{@code brier}: at 14 days, over the holdout rows whose state at 14 days is known (answered by then, or
 *       observed beyond it);</li>
 *   <li>{@code log_loss}: the mean negative log-likelihood per holdout row (days scale).</li>
 * </ul>
 */
public final class ResponseTimeTrainer {
  private ResponseTimeTrainer() {}

  /**
   * One application with a known response time: {@code responded} false = censored at {@code days}.
   * {@code interview}: its interview label when known (null otherwise), the base rate of the pipeline's smoothed
   * interview-rate feature.
   */
  public record Row(String userId, ApplicationSnapshot snapshot, double days, boolean responded, Boolean interview) {}

  /** @param horizonDays τ of the restricted mean ({@code expected_days}) */
  public record Settings(Split.Settings split, List<Double> l2Grid, double horizonDays) {
    public Settings {
      if (l2Grid.isEmpty()) throw new IllegalArgumentException("l2Grid is empty");
      if (!(horizonDays > 0)) throw new IllegalArgumentException("horizonDays must be > 0: " + horizonDays);
      l2Grid = List.copyOf(l2Grid);
    }

    public static Settings defaults() {
      return new Settings(Split.Settings.defaults(), List.of(0.1, 1.0, 10.0, 100.0), 60);
    }
  }

  public record Report(ModelCard.DataWindow dataWindow, ModelCard.Metrics holdout, ModelCard.Survival survival,
      List<ModelCard.FeatureImportance> featureImportance) {}

  public record Trained(ResponseTimeModel model, Report report) {}

  /** Why these rows cannot give a trustworthy model, or null when they can. */
  public static String insufficient(List<Row> rows, Settings s) {
    if (rows.size() < EnsembleTrainer.MIN_ROWS) {
      return "only " + rows.size() + " applications with a known response time; the model needs at least " + EnsembleTrainer.MIN_ROWS;
    }
    var split = split(rows, s);
    var parts = new LinkedHashMap<String, List<LabelledSnapshot>>();
    parts.put("training", split.split.train());
    var validation = new ArrayList<>(split.split.blend());
    validation.addAll(split.split.calibration());
    parts.put("validation", validation);
    parts.put("holdout", split.split.holdout());
    for (var e : parts.entrySet()) {
      long events = e.getValue().stream().filter(LabelledSnapshot::label).count();
      if (events < 5) return "the " + e.getKey() + " split has " + events + " answered applications; each split needs at least 5";
    }
    return null;
  }

  private record Rows(Split split, IdentityHashMap<LabelledSnapshot, Row> byRow) {}

  private static Rows split(List<Row> rows, Settings s) {
    var byRow = new IdentityHashMap<LabelledSnapshot, Row>();
    var labelled = new ArrayList<LabelledSnapshot>(rows.size());
    for (var r : rows) {
      var l = new LabelledSnapshot(r.userId(), r.snapshot(), r.responded());
      byRow.put(l, r);
      labelled.add(l);
    }
    return new Rows(Split.of(labelled, s.split()), byRow);
  }

  public static Trained train(List<Row> rows, Settings s) {
    var reason = insufficient(rows, s);
    if (reason != null) throw new IllegalArgumentException(reason);
    var rs = split(rows, s);
    var train = rows(rs, rs.split().train());
    var validation = rows(rs, rs.split().blend());
    validation.addAll(rows(rs, rs.split().calibration()));
    var holdout = rows(rs, rs.split().holdout());
    long knownInterview = train.stream().filter(r -> r.interview() != null).count();
    long interviews = train.stream().filter(r -> Boolean.TRUE.equals(r.interview())).count();
    var pipeline = FeaturePipeline.fit(train.stream().map(Row::snapshot).toList(), knownInterview == 0 ? 0 : (double) interviews / knownInterview);

    var xTrain = encode(pipeline, train);
    var xValid = encode(pipeline, validation);
    double bestL2 = s.l2Grid().get(0);
    double bestLl = Double.NEGATIVE_INFINITY;
    for (double l2 : s.l2Grid()) {
      var fit = WeibullAft.fit(xTrain, times(train), events(train), l2);
      double ll = fit.logLikelihood(xValid, times(validation), events(validation));
      if (ll > bestLl) {
        bestLl = ll;
        bestL2 = l2;
      }
    }
    var all = new ArrayList<>(train);
    all.addAll(validation);
    var xAll = new double[xTrain.length + xValid.length][];
    System.arraycopy(xTrain, 0, xAll, 0, xTrain.length);
    System.arraycopy(xValid, 0, xAll, xTrain.length, xValid.length);
    var fit = WeibullAft.fit(xAll, times(all), events(all), bestL2);
    var model = ResponseTimeModel.of(pipeline, fit, s.horizonDays());

    var xHold = encode(pipeline, holdout);
    double[] tHold = times(holdout);
    boolean[] eHold = events(holdout);
    var eta = new double[holdout.size()];
    var risk = new double[eta.length];
    var medians = new double[eta.length];
    for (int i = 0; i < eta.length; i++) {
      eta[i] = fit.linearPredictor(xHold[i]);
      risk[i] = -eta[i];
      medians[i] = fit.median(eta[i]);
    }
    double concordance = Survival.harrellConcordance(tHold, eHold, risk);
    var km = Survival.kaplanMeier(tHold, eHold);
    var horizons = new ArrayList<ModelCard.Horizon>();
    double gap = 0;
    for (int h : ResponseTimeModel.HORIZONS) {
      double predicted = 0;
      for (double e : eta) predicted += 1 - fit.survival(e, h);
      predicted /= Math.max(1, eta.length);
      double observed = 1 - km.at(h);
      gap += Math.abs(predicted - observed);
      horizons.add(new ModelCard.Horizon(h, predicted, observed));
    }
    double ece = gap / ResponseTimeModel.HORIZONS.size();
    var p14 = new ArrayList<Double>();
    var y14 = new ArrayList<Integer>();
    for (int i = 0; i < eta.length; i++) {
      boolean known = (eHold[i] && tHold[i] <= 14) || tHold[i] > 14;
      if (!known) continue;
      p14.add(1 - fit.survival(eta[i], 14));
      y14.add(eHold[i] && tHold[i] <= 14 ? 1 : 0);
    }
    double brier = p14.isEmpty() ? 0 : ClassificationMetrics.brier(p14.stream().mapToDouble(Double::doubleValue).toArray(),
        y14.stream().mapToInt(Integer::intValue).toArray());
    int events = 0;
    for (boolean e : eHold) if (e) events++;
    double nll = -fit.logLikelihood(xHold, tHold, eHold) / Math.max(1, eta.length);
    var holdoutMetrics = new ModelCard.Metrics(concordance, nll, brier, ece, eta.length, eta.length == 0 ? 0 : (double) events / eta.length);
    Arrays.sort(medians);
    var kmMedian = Survival.median(km, 0.05).estimate();
    int allEvents = 0;
    for (var r : rows) if (r.responded()) allEvents++;
    var survival = new ModelCard.Survival("weibull_aft", concordance, fit.scale(), bestL2, s.horizonDays(), allEvents,
        rows.size() - allEvents, horizons, medians.length == 0 ? 0 : medians[medians.length / 2], Double.isNaN(kmMedian) ? null : kmMedian,
        fit.converged(), fit.iterations());
    return new Trained(model, new Report(window(rs, rows), holdoutMetrics, survival, importance(pipeline, fit, xTrain)));
  }

  /** Per feature: the mean absolute shift of log-time its columns cause relative to the training mean (≤ 2,000 rows). */
  private static List<ModelCard.FeatureImportance> importance(FeaturePipeline pipeline, WeibullAft fit, double[][] x) {
    var names = pipeline.columnNames();
    int n = Math.min(2000, x.length);
    if (n == 0) return List.of();
    var mean = new double[names.size()];
    for (var row : x) for (int j = 0; j < mean.length; j++) mean[j] += row[j] / x.length;
    var totals = new LinkedHashMap<String, Double>();
    for (int k = 0; k < n; k++) {
      var row = x[(int) ((long) k * x.length / n)];
      var byFeature = new LinkedHashMap<String, Double>();
      for (int j = 0; j < mean.length; j++) {
        byFeature.merge(FeaturePipeline.featureOf(names.get(j)), fit.beta()[j] * (row[j] - mean[j]), Double::sum);
      }
      for (var e : byFeature.entrySet()) totals.merge(e.getKey(), Math.abs(e.getValue()) / n, Double::sum);
    }
    return totals.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .map(e -> new ModelCard.FeatureImportance(e.getKey(), e.getValue()))
        .toList();
  }

  private static ModelCard.DataWindow window(Rows rs, List<Row> rows) {
    var span = Split.Span.of(rows, Row::userId, Row::snapshot);
    var sp = rs.split();
    return new ModelCard.DataWindow(span.from(), span.to(), sp.train().size(), sp.blend().size() + sp.calibration().size(), sp.holdout().size(), span.users());
  }

  private static ArrayList<Row> rows(Rows rs, List<LabelledSnapshot> part) {
    var out = new ArrayList<Row>(part.size());
    for (var l : part) out.add(rs.byRow().get(l));
    return out;
  }

  static double[][] encode(FeaturePipeline pipeline, List<Row> rows) {
    var x = new double[rows.size()][];
    for (int i = 0; i < x.length; i++) {
      var f = pipeline.encode(rows.get(i).snapshot());
      var d = new double[f.length];
      for (int j = 0; j < f.length; j++) d[j] = f[j];
      x[i] = d;
    }
    return x;
  }

  static double[] times(List<Row> rows) {
    var t = new double[rows.size()];
    for (int i = 0; i < t.length; i++) t[i] = Math.max(ResponseTimeModel.MIN_DAYS, rows.get(i).days());
    return t;
  }

  static boolean[] events(List<Row> rows) {
    var e = new boolean[rows.size()];
    for (int i = 0; i < e.length; i++) e[i] = rows.get(i).responded();
    return e;
  }
}
