package io.hireloop.learning.ensemble;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Gradient-boosted trees (XGBoost, {@code binary:logistic}, histogram tree method) as an ensemble member.
 *
 * <p>Rounds are numbered from 1 in {@link #history()} and in progress reports: round {@code r} is the model
 * with {@code r} trees. {@code best_iteration} in {@link #hyperParameters()} follows XGBoost and counts from
 * 0, so the member predicts with {@code best_iteration + 1} trees. With validation rows and
 * {@code earlyStoppingRounds > 0} the best iteration is the one with the lowest validation log loss and
 * training stops {@code earlyStoppingRounds} rounds after it; otherwise every round is used. The trees after the
 * best iteration stay in the booster but take no part in {@link #logits}, {@link #attribute} or
 * {@link #importance}.
 *
 * <p>{@link #attribute} is TreeSHAP (XGBoost's {@code pred_contribs}); its base is XGBoost's bias term, which
 * holds the intercept ({@code base_score}) and the expected tree output.
 *
 * <p>Thread safety: prediction on a tree booster, DMatrix-based (SHAP included) and in-place, is documented
 * thread-safe in XGBoost since 1.4 (doc/prediction.rst, "Thread Safety"), and the 3.4 Java wrapper no longer
 * serialises {@code Booster.predict} (dmlc/xgboost#11746). What XGBoost does not allow is changing the booster
 * (parameters, training) while predicting, so the booster is configured once before this object is published
 * and never touched again; no lock is taken here. The booster's native memory is released by its finalizer
 * when the member becomes unreachable.
 */
public final class BoostedTrees implements Member {
  public static final String FAMILY = "boosted_trees";

  /** "HBT\0": guards {@link #fromBytes} against bytes of another family. */
  private static final int MAGIC = 0x48425400;
  private static final int FORMAT_VERSION = 1;
  private static final String MODEL_FORMAT = "ubj";
  private static final Pattern SPLIT = Pattern.compile("\\[f(\\d+)[<\\]].*?gain=([^,\\s]+)");

  /**
   * XGBoost hyper-parameters. {@code earlyStoppingRounds == 0} turns early stopping off; {@code threads} is
   * XGBoost's {@code nthread}, for training and prediction.
   */
  public record Params(int rounds, int maxDepth, double eta, double lambda, double subsample, double colsampleByTree,
      int minChildWeight, int earlyStoppingRounds, long seed, int threads) {
    public Params {
      if (rounds < 1) throw new IllegalArgumentException("rounds must be >= 1, was " + rounds);
      if (maxDepth < 1 || maxDepth > 32) throw new IllegalArgumentException("maxDepth must be in [1, 32], was " + maxDepth);
      if (!(eta > 0 && eta <= 1)) throw new IllegalArgumentException("eta must be in (0, 1], was " + eta);
      if (!(lambda >= 0 && Double.isFinite(lambda))) {
        throw new IllegalArgumentException("lambda must be finite and >= 0, was " + lambda);
      }
      if (!(subsample > 0 && subsample <= 1)) throw new IllegalArgumentException("subsample must be in (0, 1], was " + subsample);
      if (!(colsampleByTree > 0 && colsampleByTree <= 1)) {
        throw new IllegalArgumentException("colsampleByTree must be in (0, 1], was " + colsampleByTree);
      }
      if (minChildWeight < 0) throw new IllegalArgumentException("minChildWeight must be >= 0, was " + minChildWeight);
      if (earlyStoppingRounds < 0) {
        throw new IllegalArgumentException("earlyStoppingRounds must be >= 0 (0 = off), was " + earlyStoppingRounds);
      }
      if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, was " + threads);
    }

    /** For ~1e3–1e6 rows of ~60 mostly one-hot columns; one thread. */
    public static Params defaults() {
      return new Params(300, 4, 0.1, 1.0, 0.8, 0.8, 1, 20, 42L, 1);
    }

    public Params withRounds(int r) {
      return new Params(r, maxDepth, eta, lambda, subsample, colsampleByTree, minChildWeight, earlyStoppingRounds, seed, threads);
    }

    public Params withTree(int depth, double learningRate) {
      return new Params(rounds, depth, learningRate, lambda, subsample, colsampleByTree, minChildWeight, earlyStoppingRounds, seed, threads);
    }

    public Params withEarlyStoppingRounds(int e) {
      return new Params(rounds, maxDepth, eta, lambda, subsample, colsampleByTree, minChildWeight, e, seed, threads);
    }

    public Params withSeed(long s) {
      return new Params(rounds, maxDepth, eta, lambda, subsample, colsampleByTree, minChildWeight, earlyStoppingRounds, s, threads);
    }

    public Params withThreads(int t) {
      return new Params(rounds, maxDepth, eta, lambda, subsample, colsampleByTree, minChildWeight, earlyStoppingRounds, seed, t);
    }

    Map<String, Object> xgboost() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("objective", "binary:logistic");
      m.put("eval_metric", "logloss");
      m.put("tree_method", "hist");
      m.put("max_depth", maxDepth);
      m.put("eta", eta);
      m.put("lambda", lambda);
      m.put("subsample", subsample);
      m.put("colsample_bytree", colsampleByTree);
      m.put("min_child_weight", minChildWeight);
      m.put("seed", seed);
      m.put("nthread", threads);
      return m;
    }
  }

  private final Booster booster;
  private final int columns;
  private final int bestIteration;
  private final List<Round> history;
  private final Params params;
  private final double[] importance;

  private BoostedTrees(Booster booster, int columns, int bestIteration, List<Round> history, Params params) {
    this.booster = booster;
    this.columns = columns;
    this.bestIteration = bestIteration;
    this.history = List.copyOf(history);
    this.params = params;
    this.importance = totalGain(booster, columns, bestIteration + 1);
  }

  /**
   * Fits on {@code data.x()} and evaluates XGBoost's log loss on the training and validation rows after every
   * round. Deterministic for a given seed, thread count and input order.
   */
  public static BoostedTrees train(TrainingData data, Params p, Progress progress) {
    int n = data.x().length;
    if (n == 0) throw new IllegalArgumentException("no training rows");
    if (data.columns() < 1) throw new IllegalArgumentException("no columns");
    checkLabels(data.y(), "training");
    checkLabels(data.validationY(), "validation");
    boolean validate = data.validationX().length > 0;
    boolean earlyStopping = validate && p.earlyStoppingRounds() > 0;

    DMatrix train = null;
    DMatrix validation = null;
    Booster trainer = null;
    try {
      train = matrix(data.x(), data.columns());
      train.setLabel(data.y());
      Map<String, DMatrix> watches = new LinkedHashMap<>();
      watches.put("train", train);
      if (validate) {
        validation = matrix(data.validationX(), data.columns());
        validation.setLabel(data.validationY());
        watches.put("validation", validation);
      }
      DMatrix[] evalMatrices = watches.values().toArray(new DMatrix[0]);
      String[] evalNames = watches.keySet().toArray(new String[0]);
      // zero rounds: an untrained booster with the parameters and the evaluation matrices cached
      trainer = XGBoost.train(train, p.xgboost(), 0, watches, null, null);

      List<Round> history = new ArrayList<>();
      int best = 0;
      double bestLoss = Double.POSITIVE_INFINITY;
      float[] metrics = new float[evalMatrices.length];
      for (int iteration = 0; iteration < p.rounds(); iteration++) {
        trainer.update(train, iteration);
        trainer.evalSet(evalMatrices, evalNames, iteration, metrics);
        double trainLoss = metrics[0];
        double validationLoss = validate ? metrics[1] : Double.NaN;
        history.add(new Round(iteration + 1, trainLoss, validationLoss));
        progress.onRound(iteration + 1, p.rounds(), trainLoss, validationLoss);
        if (!earlyStopping) {
          best = iteration;
        } else {
          if (validationLoss < bestLoss) {
            bestLoss = validationLoss;
            best = iteration;
          }
          if (iteration - best >= p.earlyStoppingRounds()) break;
        }
      }
      // Reloading drops the training caches (and the references they hold on the matrices) and makes the
      // trained member the same object that fromBytes gives back.
      byte[] model = trainer.toByteArray(MODEL_FORMAT);
      return new BoostedTrees(load(model, p.threads()), data.columns(), best, history, p);
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
    } finally {
      if (trainer != null) trainer.dispose();
      if (validation != null) validation.dispose();
      if (train != null) train.dispose();
    }
  }

  @Override
  public String family() {
    return FAMILY;
  }

  /** Raw margins (log-odds) of the first {@code best_iteration + 1} trees. */
  @Override
  public double[] logits(float[][] x) {
    if (x.length == 0) return new double[0];
    float[] flat = flatten(x, columns);
    try {
      float[][] margins = booster.inplace_predict(flat, x.length, columns, Float.NaN,
          new int[] {0, bestIteration + 1}, Booster.PredictionType.kMargin, null);
      double[] z = new double[x.length];
      for (int i = 0; i < z.length; i++) z[i] = margins[i][0];
      return z;
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
    }
  }

  /** TreeSHAP over the first {@code best_iteration + 1} trees; XGBoost's bias column is the base. */
  @Override
  public Attribution attribute(float[] x) {
    return attribute(new float[][] {x})[0];
  }

  /** One DMatrix and one TreeSHAP call for all rows: XGBoost's per-call cost is paid once, not per row. */
  @Override
  public Attribution[] attribute(float[][] rows) {
    if (rows.length == 0) return new Attribution[0];
    DMatrix m = null;
    try {
      m = matrix(rows, columns);
      float[][] contribs = booster.predictContrib(m, bestIteration + 1);
      var out = new Attribution[rows.length];
      for (int i = 0; i < rows.length; i++) {
        float[] row = contribs[i];
        if (row.length != columns + 1) {
          throw new IllegalStateException("XGBoost returned " + row.length + " contributions for " + columns + " columns");
        }
        double[] contributions = new double[columns];
        for (int j = 0; j < columns; j++) contributions[j] = row[j];
        out[i] = new Attribution(row[columns], contributions);
      }
      return out;
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost attribution failed: " + e.getMessage(), e);
    } finally {
      if (m != null) m.dispose();
    }
  }

  @Override
  public Map<String, Double> hyperParameters() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("rounds", (double) params.rounds());
    m.put("max_depth", (double) params.maxDepth());
    m.put("eta", params.eta());
    m.put("lambda", params.lambda());
    m.put("subsample", params.subsample());
    m.put("colsample_bytree", params.colsampleByTree());
    m.put("min_child_weight", (double) params.minChildWeight());
    m.put("early_stopping_rounds", (double) params.earlyStoppingRounds());
    m.put("seed", (double) params.seed());
    m.put("threads", (double) params.threads());
    m.put("best_iteration", (double) bestIteration);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public List<Round> history() {
    return history;
  }

  /** Total split gain per column over the trees in use; 0 for columns no such tree splits on. */
  @Override
  public double[] importance() {
    return importance.clone();
  }

  public Params params() {
    return params;
  }

  /** XGBoost's best iteration, from 0; the member uses {@code bestIteration() + 1} trees. */
  public int bestIteration() {
    return bestIteration;
  }

  /** Rounds actually trained (trees in the booster), which early stopping may make fewer than {@code rounds}. */
  public int roundsTrained() {
    return history.size();
  }

  /**
   * Envelope: magic, format version, columns, best iteration, params, history, then the booster in XGBoost's
   * UBJSON model format.
   */
  @Override
  public byte[] toBytes() {
    try {
      byte[] model = booster.toByteArray(MODEL_FORMAT);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(model.length + 64 + history.size() * 20);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeInt(columns);
      out.writeInt(bestIteration);
      out.writeInt(params.rounds());
      out.writeInt(params.maxDepth());
      out.writeDouble(params.eta());
      out.writeDouble(params.lambda());
      out.writeDouble(params.subsample());
      out.writeDouble(params.colsampleByTree());
      out.writeInt(params.minChildWeight());
      out.writeInt(params.earlyStoppingRounds());
      out.writeLong(params.seed());
      out.writeInt(params.threads());
      out.writeInt(history.size());
      for (Round r : history) {
        out.writeInt(r.round());
        out.writeDouble(r.trainLoss());
        out.writeDouble(r.validationLoss());
      }
      out.writeInt(model.length);
      out.write(model);
      out.flush();
      return bytes.toByteArray();
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost could not save the model: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads {@link #toBytes()}; refuses other families and format versions it does not know. */
  public static BoostedTrees fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IllegalArgumentException(String.format("not a boosted_trees member (magic 0x%08x, expected 0x%08x)", magic, MAGIC));
      }
      int version = in.readInt();
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException("boosted_trees format version " + version + " is not supported (this build reads version "
            + FORMAT_VERSION + ")");
      }
      int columns = in.readInt();
      int bestIteration = in.readInt();
      Params p = new Params(in.readInt(), in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
          in.readInt(), in.readInt(), in.readLong(), in.readInt());
      int rounds = in.readInt();
      if (rounds < 1 || rounds > p.rounds() || bestIteration < 0 || bestIteration >= rounds || columns < 1) {
        throw new IllegalArgumentException("corrupt boosted_trees member: " + rounds + " rounds of " + p.rounds()
            + ", best iteration " + bestIteration + ", " + columns + " columns");
      }
      List<Round> history = new ArrayList<>(rounds);
      for (int i = 0; i < rounds; i++) history.add(new Round(in.readInt(), in.readDouble(), in.readDouble()));
      byte[] model = new byte[in.readInt()];
      in.readFully(model);
      if (in.read() != -1) throw new IllegalArgumentException("corrupt boosted_trees member: trailing bytes");
      return new BoostedTrees(load(model, p.threads()), columns, bestIteration, history, p);
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt boosted_trees member: " + e, e);
    } catch (XGBoostError e) {
      throw new IllegalArgumentException("XGBoost could not load the boosted_trees model: " + e.getMessage(), e);
    }
  }

  private static Booster load(byte[] model, int threads) throws XGBoostError {
    Booster b;
    try {
      b = XGBoost.loadModel(model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    b.setParam("nthread", threads);
    return b;
  }

  private static double[] totalGain(Booster booster, int columns, int trees) {
    String[] dump;
    try {
      dump = booster.getModelDump("", true);
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost could not dump the model: " + e.getMessage(), e);
    }
    double[] gain = new double[columns];
    for (int t = 0; t < Math.min(trees, dump.length); t++) {
      Matcher m = SPLIT.matcher(dump[t]);
      while (m.find()) gain[Integer.parseInt(m.group(1))] += Double.parseDouble(m.group(2));
    }
    return gain;
  }

  private static DMatrix matrix(float[][] rows, int columns) throws XGBoostError {
    return new DMatrix(flatten(rows, columns), rows.length, columns, Float.NaN);
  }

  private static float[] flatten(float[][] rows, int columns) {
    long size = (long) rows.length * columns;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(rows.length + " rows × " + columns + " columns exceed one float array");
    }
    float[] flat = new float[(int) size];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != columns) {
        throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " columns, expected " + columns);
      }
      System.arraycopy(rows[i], 0, flat, i * columns, columns);
    }
    return flat;
  }

  private static void checkLabels(float[] y, String which) {
    for (int i = 0; i < y.length; i++) {
      if (y[i] != 0f && y[i] != 1f) throw new IllegalArgumentException(which + " label " + i + " is " + y[i] + ", expected 0 or 1");
    }
  }
}
