package io.hireloop.learning.ensemble;

import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.learning.features.FeaturePipeline;
import io.hireloop.learning.monitoring.DriftReference;
import io.hireloop.stats.ClassificationMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains an {@link Ensemble} from labelled snapshots:
 * <ol>
 *   <li>{@link Split} by user and time (train / blend / calibration / holdout);</li>
 *   <li>the {@link FeaturePipeline} fitted on the training rows only;</li>
 *   <li>each member fitted on the training rows, early-stopped on the blend rows;</li>
 *   <li>the blend: a logistic regression of the label on the members' logits over the blend rows, refitted
 *       without any member whose weight comes out negative (a negative weight is overfitting, not signal);</li>
 *   <li>the {@link Calibrator} and the users' heterogeneity τ on the calibration rows;</li>
 *   <li>every figure of the report on the holdout rows, which nothing above has seen.</li>
 * </ol>
 *
 * <p>Heterogeneity τ (the interval's spread beyond the members' disagreement): a user's log-odds sit u above the
 * model's, u ~ (0, τ²). For a user i of the calibration rows, S_i = Σ_j (y_ij − p_ij) and V_i = Σ_j p_ij(1 − p_ij);
 * to first order in u, Var(S_i) = V_i + τ²·V_i², so τ² = max(0, Σ_i (S_i² − V_i) / Σ_i V_i²) (a moment estimator
 * of the random-intercept variance). It is identified only because users have several applications.
 */
public final class EnsembleTrainer {
  /** Fewer labelled rows than this, or fewer than 5 of each class in a split, cannot give trustworthy figures. */
  public static final int MIN_ROWS = 100;

  @FunctionalInterface
  public interface MemberTrainer {
    Member train(TrainingData data, Member.Progress progress);
  }

  public interface Progress {
    void phase(String phase, Map<String, Object> detail);

    Progress NONE = (phase, detail) -> {};
  }

  /**
   * @param level the interval's nominal coverage
   * @param threshold the serving threshold of the confusion matrix; NaN = the training base rate
   */
  public record Settings(Split.Settings split, double level, double threshold, int explanationSample) {
    public Settings {
      if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1), was " + level);
    }

    public static Settings defaults() {
      return new Settings(Split.Settings.defaults(), 0.9, Double.NaN, 500);
    }
  }

  public record Metrics(double auc, double logLoss, double brier, double ece, int count, double positiveRate) {
    static Metrics of(double[] p, int[] y) {
      int pos = 0;
      for (int v : y) pos += v;
      return new Metrics(ClassificationMetrics.auc(p, y), ClassificationMetrics.logLoss(p, y), ClassificationMetrics.brier(p, y),
          ClassificationMetrics.expectedCalibrationError(p, y, 10), y.length, y.length == 0 ? 0 : (double) pos / y.length);
    }
  }

  public record MemberReport(String model, double weight, Metrics metrics, Map<String, Double> hyperParameters,
      List<Member.Round> history, double trainingSeconds) {}

  public record DataWindow(Instant from, Instant to, Instant holdoutFrom, int trainRows, int blendRows, int calibrationRows,
      int holdoutRows, int users) {}

  public record Confusion(double threshold, int tp, int fp, int tn, int fn) {}

  public record FeatureImportance(String feature, double importance) {}

  /**
   * Every figure of one training, measured on the holdout unless named otherwise. {@code driftReference}: the
   * feature distribution of the training rows (what serving is compared with).
   */
  public record Report(DataWindow dataWindow, Metrics holdout, List<ClassificationMetrics.ReliabilityBin> calibrationCurve,
      Confusion confusion, String calibration, double level, double heterogeneity, double holdoutIntervalWidth,
      List<MemberReport> members, List<FeatureImportance> featureImportance, DriftReference driftReference, OutcomeSets outcomeSets) {}

  /** The split-conformal outcome sets: their quantile, and on the holdout the share holding the real outcome and their mean size. */
  public record OutcomeSets(double level, double quantile, double holdoutCoverage, double holdoutMeanSize) {}

  public record Trained(Ensemble ensemble, Report report) {}

  private final Map<String, MemberTrainer> trainers;

  /** @param trainers by family, in the order the members are trained and blended */
  public EnsembleTrainer(Map<String, MemberTrainer> trainers) {
    if (trainers.isEmpty()) throw new IllegalArgumentException("an ensemble needs at least one member");
    this.trainers = new LinkedHashMap<>(trainers);
  }

  /** Why {@link #train} would refuse these rows ({@link #MIN_ROWS}, 5 of each class per split), or null when it would not. */
  public static String insufficient(List<LabelledSnapshot> rows, Settings s) {
    if (rows.size() < MIN_ROWS) return "need at least " + MIN_ROWS + " labelled applications, got " + rows.size();
    var split = Split.of(rows, s.split());
    var parts = new LinkedHashMap<String, List<LabelledSnapshot>>();
    parts.put("training", split.train());
    parts.put("blend", split.blend());
    parts.put("calibration", split.calibration());
    parts.put("holdout", split.holdout());
    for (var e : parts.entrySet()) {
      long pos = e.getValue().stream().filter(LabelledSnapshot::label).count();
      long neg = e.getValue().size() - pos;
      if (pos < 5 || neg < 5) {
        return "the " + e.getKey() + " split has " + pos + " positive and " + neg
            + " negative rows; each split needs at least 5 of each: more labelled outcomes (or more users) are needed";
      }
    }
    return null;
  }

  public Trained train(List<LabelledSnapshot> rows, Settings s, Progress progress) {
    var refused = insufficient(rows, s);
    if (refused != null) throw new IllegalArgumentException(refused);
    var split = Split.of(rows, s.split());
    progress.phase("features", Map.of("train", split.train().size(), "blend", split.blend().size(),
        "calibration", split.calibration().size(), "holdout", split.holdout().size()));

    double baseRate = rate(split.train());
    var pipeline = FeaturePipeline.fit(split.train().stream().map(LabelledSnapshot::snapshot).toList(), baseRate);
    var xTrain = encode(pipeline, split.train());
    var xBlend = encode(pipeline, split.blend());
    var xCal = encode(pipeline, split.calibration());
    var xHold = encode(pipeline, split.holdout());
    var data = new TrainingData(xTrain, labels(split.train()), xBlend, labels(split.blend()), pipeline.columns());

    var members = new ArrayList<Member>();
    var seconds = new ArrayList<Double>();
    for (var e : trainers.entrySet()) {
      var family = e.getKey();
      progress.phase("member", Map.of("model", family));
      long t0 = System.nanoTime();
      members.add(e.getValue().train(data, (round, rounds, trainLoss, validLoss) -> progress.phase("member_round",
          Map.of("model", family, "round", round, "rounds", rounds, "train_loss", trainLoss, "validation_loss", validLoss))));
      seconds.add((System.nanoTime() - t0) / 1e9);
    }

    progress.phase("blend", Map.of());
    var blendLogits = logitsOf(members, xBlend);
    var weights = blendWeights(blendLogits, intLabels(split.blend()));
    var provisional = new Ensemble(pipeline, members,
        new Ensemble.Blend(families(members), weights.weights, weights.intercept, null, s.level(), 0, 0, 0));

    progress.phase("calibration", Map.of());
    var calMemberLogits = provisional.memberLogits(xCal);
    var calZ = new double[xCal.length];
    for (int i = 0; i < calZ.length; i++) calZ[i] = provisional.blendLogit(calMemberLogits, i);
    int[] calY = intLabels(split.calibration());
    var calibrator = Calibrator.fit(calZ, calY);
    var calP = new double[calZ.length];
    for (int i = 0; i < calZ.length; i++) calP[i] = calibrator.apply(calZ[i]);
    double tau = heterogeneity(split.calibration(), calP, calY);
    double setQuantile = setQuantile(calP, calY, s.level());
    double threshold = Double.isNaN(s.threshold()) ? baseRate : s.threshold();
    var ensemble = new Ensemble(pipeline, members,
        new Ensemble.Blend(families(members), weights.weights, weights.intercept, calibrator, s.level(), tau, threshold, setQuantile));

    var holdY = intLabels(split.holdout());
    var holdP = ensemble.probabilities(xHold);
    var holdMemberLogits = ensemble.memberLogits(xHold);
    var memberReports = new ArrayList<MemberReport>();
    for (int m = 0; m < members.size(); m++) {
      var p = new double[xHold.length];
      for (int i = 0; i < p.length; i++) p[i] = LogisticMember.sigmoid(holdMemberLogits[m][i]);
      var member = members.get(m);
      memberReports.add(new MemberReport(member.family(), weights.weights[m], Metrics.of(p, holdY), member.hyperParameters(),
          member.history(), seconds.get(m)));
    }
    double width = 0;
    int covered = 0;
    int setSizes = 0;
    for (int i = 0; i < xHold.length; i++) {
      var interval = ensemble.interval(holdP[i], Ensemble.logitSpread(holdMemberLogits, i));
      width += interval.high() - interval.low();
      var set = ensemble.outcomeSet(holdP[i]).outcomes();
      setSizes += set.size();
      if (set.contains(holdY[i] == 1 ? Ensemble.POSITIVE : Ensemble.NEGATIVE)) covered++;
    }
    var sets = new OutcomeSets(s.level(), setQuantile, (double) covered / Math.max(1, xHold.length),
        (double) setSizes / Math.max(1, xHold.length));
    var report = new Report(window(split, rows), Metrics.of(holdP, holdY), ClassificationMetrics.reliabilityBins(holdP, holdY, 10),
        confusion(holdP, holdY, threshold), calibrator.method(), s.level(), tau, width / Math.max(1, xHold.length), memberReports,
        importance(ensemble, split.holdout(), s.explanationSample()), DriftReference.of(pipeline.columnNames(), xTrain), sets);
    return new Trained(ensemble, report);
  }

  private record Weights(double[] weights, double intercept) {}

  /** Logistic regression on the members' logits; members with a negative weight are dropped (weight 0) and the rest refitted. */
  static Weights blendWeights(double[][] memberLogits, int[] y) {
    int k = memberLogits.length;
    var active = new boolean[k];
    Arrays.fill(active, true);
    while (true) {
      var cols = new ArrayList<Integer>();
      for (int m = 0; m < k; m++) if (active[m]) cols.add(m);
      var x = new float[y.length][cols.size()];
      var yf = new float[y.length];
      for (int i = 0; i < y.length; i++) {
        for (int c = 0; c < cols.size(); c++) x[i][c] = (float) memberLogits[cols.get(c)][i];
        yf[i] = y[i];
      }
      var fit = LogisticMember.train(new TrainingData(x, yf, new float[0][], new float[0], cols.size()),
          new LogisticMember.Params(1e-3, 50), Member.Progress.NONE);
      var beta = fit.coefficients();
      int worst = -1;
      for (int c = 0; c < cols.size(); c++) if (beta[c] < 0 && (worst < 0 || beta[c] < beta[worst])) worst = c;
      if (worst >= 0 && cols.size() > 1) {
        active[cols.get(worst)] = false;
        continue;
      }
      var weights = new double[k];
      for (int c = 0; c < cols.size(); c++) weights[cols.get(c)] = Math.max(beta[c], 0);
      return new Weights(weights, fit.intercept());
    }
  }

  /**
   * Split conformal on the calibration rows: nonconformity 1 − P(real outcome); the quantile is the ⌈(n+1)·level⌉-th
   * smallest (1 when that rank exceeds n: every set then holds both outcomes).
   */
  static double setQuantile(double[] p, int[] y, double level) {
    int n = p.length;
    var scores = new double[n];
    for (int i = 0; i < n; i++) scores[i] = y[i] == 1 ? 1 - p[i] : p[i];
    Arrays.sort(scores);
    int rank = (int) Math.ceil((n + 1) * level);
    return rank > n ? 1 : scores[rank - 1];
  }

  static double heterogeneity(List<LabelledSnapshot> rows, double[] p, int[] y) {
    var s = new java.util.HashMap<String, double[]>();
    for (int i = 0; i < p.length; i++) {
      var acc = s.computeIfAbsent(rows.get(i).userId(), k -> new double[2]);
      acc[0] += y[i] - p[i];
      acc[1] += p[i] * (1 - p[i]);
    }
    double num = 0, den = 0;
    for (var acc : s.values()) {
      num += acc[0] * acc[0] - acc[1];
      den += acc[1] * acc[1];
    }
    return den == 0 ? 0 : Math.sqrt(Math.max(0, num / den));
  }

  private static List<FeatureImportance> importance(Ensemble ensemble, List<LabelledSnapshot> rows, int sample) {
    var totals = new LinkedHashMap<String, Double>();
    int n = Math.min(sample, rows.size());
    if (n == 0) return List.of();
    var snapshots = new ArrayList<ApplicationSnapshot>(n);
    for (int i = 0; i < n; i++) snapshots.add(rows.get((int) ((long) i * rows.size() / n)).snapshot());
    for (var p : ensemble.predict(snapshots, Integer.MAX_VALUE)) {
      for (var c : p.explanation()) totals.merge(c.feature(), Math.abs(c.contribution()) / n, Double::sum);
    }
    return totals.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .map(e -> new FeatureImportance(e.getKey(), e.getValue()))
        .toList();
  }

  private static Confusion confusion(double[] p, int[] y, double threshold) {
    int tp = 0, fp = 0, tn = 0, fn = 0;
    for (int i = 0; i < p.length; i++) {
      boolean predicted = p[i] >= threshold;
      if (predicted && y[i] == 1) tp++;
      else if (predicted) fp++;
      else if (y[i] == 1) fn++;
      else tn++;
    }
    return new Confusion(threshold, tp, fp, tn, fn);
  }

  private static DataWindow window(Split split, List<LabelledSnapshot> rows) {
    var span = Split.Span.of(rows, LabelledSnapshot::userId, LabelledSnapshot::snapshot);
    return new DataWindow(span.from(), span.to(), split.cutoff(), split.train().size(), split.blend().size(), split.calibration().size(),
        split.holdout().size(), span.users());
  }

  private static double[] memberProbabilities(double[][] memberLogits, int row) {
    var out = new double[memberLogits.length];
    for (int m = 0; m < out.length; m++) out[m] = LogisticMember.sigmoid(memberLogits[m][row]);
    return out;
  }

  private static double[][] logitsOf(List<Member> members, float[][] x) {
    var out = new double[members.size()][];
    for (int m = 0; m < members.size(); m++) out[m] = members.get(m).logits(x);
    return out;
  }

  private static List<String> families(List<Member> members) {
    return members.stream().map(Member::family).toList();
  }

  private static double rate(List<LabelledSnapshot> rows) {
    return rows.stream().filter(LabelledSnapshot::label).count() / (double) Math.max(1, rows.size());
  }

  static float[][] encode(FeaturePipeline pipeline, List<LabelledSnapshot> rows) {
    var x = new float[rows.size()][];
    for (int i = 0; i < x.length; i++) x[i] = pipeline.encode(rows.get(i).snapshot());
    return x;
  }

  private static float[] labels(List<LabelledSnapshot> rows) {
    var y = new float[rows.size()];
    for (int i = 0; i < y.length; i++) y[i] = rows.get(i).label() ? 1 : 0;
    return y;
  }

  private static int[] intLabels(List<LabelledSnapshot> rows) {
    var y = new int[rows.size()];
    for (int i = 0; i < y.length; i++) y[i] = rows.get(i).label() ? 1 : 0;
    return y;
  }
}
