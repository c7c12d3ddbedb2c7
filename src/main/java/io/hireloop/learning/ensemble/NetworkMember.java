package io.hireloop.learning.ensemble;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The network member: a small multi-layer perceptron, {@code Dense(hidden1, ReLU) → Dense(hidden2, ReLU) → 1 unit},
 * trained by DL4J with Adam, L2 and optional dropout on binary cross-entropy. A hidden layer of size 0 is left out
 * (both 0 gives logistic regression).
 *
 * <p><b>Training</b> uses an {@code OutputLayer} with a sigmoid activation and the XENT loss (DL4J M2.1 has no
 * identity-output / sigmoid-cross-entropy loss for {@code MultiLayerNetwork}). <b>Scoring</b> does not go through
 * {@code MultiLayerNetwork.output}: after training, the weights are copied into a {@link Mlp}, an immutable
 * double-precision forward pass that stops before the sigmoid, so {@link #logits} is the exact pre-sigmoid
 * activation. Inverting a float sigmoid would saturate near |logit| ≈ 16 and lose precision well before. The copy
 * also makes scoring lock-free and thread-safe ({@code MultiLayerNetwork.output} reuses layer state and
 * workspaces) and makes {@link #logits} and {@link #attribute} use identical arithmetic. The DL4J network is
 * kept only to be written by {@link #toBytes}.
 *
 * <p>Dropout (a drop probability; 0 = none) is applied to the inputs of the layers after the first, i.e. to hidden
 * activations, never to the raw features.
 */
public final class NetworkMember implements Member {
  public static final String FAMILY = "network";

  private static final int MAGIC = 0x484C4E4D; // "HLNM"
  private static final int FORMAT_VERSION = 1;
  private static final int IMPORTANCE_SAMPLE = 500;

  /**
   * @param hidden1 units of the first hidden layer (ReLU); 0 = no such layer
   * @param hidden2 units of the second hidden layer (ReLU); 0 = no such layer
   * @param epochs at most this many passes over the training rows
   * @param learningRate Adam's step size
   * @param l2 L2 penalty on the weights (not the biases)
   * @param dropout probability of dropping a hidden unit during training, in [0, 1); 0 = no dropout
   * @param batchSize rows per minibatch
   * @param patience epochs without a better validation loss before training stops
   * @param seed weight initialisation, dropout masks and per-epoch shuffles derive from it
   */
  public record Params(int hidden1, int hidden2, int epochs, double learningRate, double l2, double dropout,
                       int batchSize, int patience, long seed) {
    public Params {
      if (hidden1 < 0) throw new IllegalArgumentException("hidden1 must be >= 0, was " + hidden1);
      if (hidden2 < 0) throw new IllegalArgumentException("hidden2 must be >= 0, was " + hidden2);
      if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
      if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
        throw new IllegalArgumentException("learningRate must be finite and > 0, was " + learningRate);
      }
      if (!(l2 >= 0) || Double.isInfinite(l2)) throw new IllegalArgumentException("l2 must be finite and >= 0, was " + l2);
      if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), was " + dropout);
      if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
      if (patience < 1) throw new IllegalArgumentException("patience must be >= 1, was " + patience);
    }

    public static Params defaults() {
      return new Params(32, 16, 30, 0.005, 1e-4, 0.0, 256, 4, 42L);
    }

    public Params withSeed(long s) { return new Params(hidden1, hidden2, epochs, learningRate, l2, dropout, batchSize, patience, s); }
    public Params withEpochs(int e) { return new Params(hidden1, hidden2, e, learningRate, l2, dropout, batchSize, patience, seed); }
    public Params withLearningRate(double lr) { return new Params(hidden1, hidden2, epochs, lr, l2, dropout, batchSize, patience, seed); }
    public Params withHidden(int h1, int h2) { return new Params(h1, h2, epochs, learningRate, l2, dropout, batchSize, patience, seed); }
    public Params withPatience(int p) { return new Params(hidden1, hidden2, epochs, learningRate, l2, dropout, batchSize, p, seed); }
    public Params withBatchSize(int b) { return new Params(hidden1, hidden2, epochs, learningRate, l2, dropout, b, patience, seed); }
    public Params withL2(double v) { return new Params(hidden1, hidden2, epochs, learningRate, v, dropout, batchSize, patience, seed); }
    public Params withDropout(double d) { return new Params(hidden1, hidden2, epochs, learningRate, l2, d, batchSize, patience, seed); }
  }

  private final MultiLayerNetwork network;
  private final Mlp mlp;
  private final Params params;
  private final int columns;
  private final float[] baseline;
  private final double baseLogit;
  private final double[] basePre;
  private final List<Round> history;
  private final int bestEpoch;
  private final double[] importance;

  private NetworkMember(MultiLayerNetwork network, Params params, int columns, float[] baseline,
                        List<Round> history, int bestEpoch, double[] importance) {
    this.network = network;
    this.mlp = Mlp.of(network);
    if (mlp.inputs() != columns) {
      throw new IllegalArgumentException("network takes " + mlp.inputs() + " inputs, member has " + columns + " columns");
    }
    this.params = params;
    this.columns = columns;
    this.baseline = baseline;
    this.basePre = mlp.firstPreActivation(toDouble(baseline));
    this.baseLogit = mlp.logit(toDouble(baseline));
    this.history = List.copyOf(history);
    this.bestEpoch = bestEpoch;
    this.importance = importance;
  }

  /**
   * Fits the network on {@code d.x()} and stops early on the validation log loss of {@code d.validationX()}: after
   * {@code patience} epochs without a lower validation loss, training stops and the parameters of the best epoch
   * are kept. With no validation rows all epochs run and the last epoch is kept.
   *
   * <p>Deterministic for a given seed and row order. Each {@link Round} holds the full-pass log loss on the
   * training rows and on the validation rows (NaN when there are none) with the parameters at the end of that
   * epoch, without the L2 term.
   *
   * @throws CancellationException when the calling thread is interrupted (checked between minibatches)
   */
  public static NetworkMember train(TrainingData d, Params p, Progress progress) {
    if (d.columns() < 1) throw new IllegalArgumentException("need at least one column");
    if (d.x().length == 0) throw new IllegalArgumentException("need at least one training row");
    checkLabels(d.y(), "training");
    checkLabels(d.validationY(), "validation");

    double[][] x = toDouble(d.x());
    double[][] vx = toDouble(d.validationX());
    boolean validate = vx.length > 0;

    MultiLayerNetwork network = new MultiLayerNetwork(configuration(d.columns(), p));
    network.init();
    // Dropout masks come from ND4J's per-thread generator; seeding it here makes them part of the seed's output.
    Nd4j.getRandom().setSeed(p.seed());

    Random random = new Random(p.seed());
    List<Integer> order = new ArrayList<>(x.length);
    for (int i = 0; i < x.length; i++) order.add(i);

    Thread owner = Thread.currentThread();
    List<Round> history = new ArrayList<>();
    INDArray bestParams = null;
    double bestLoss = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    for (int epoch = 1; epoch <= p.epochs(); epoch++) {
      if (owner.isInterrupted()) throw new CancellationException("network training interrupted");
      Collections.shuffle(order, random);
      network.fit(new InterruptibleIterator(batches(order, d.x(), d.y(), p.batchSize()), owner));
      if (owner.isInterrupted()) throw new CancellationException("network training interrupted");

      Mlp now = Mlp.of(network);
      double trainLoss = now.logLoss(x, d.y());
      double validationLoss = validate ? now.logLoss(vx, d.validationY()) : Double.NaN;
      history.add(new Round(epoch, trainLoss, validationLoss));
      progress.onRound(epoch, p.epochs(), trainLoss, validationLoss);

      if (!validate) {
        bestEpoch = epoch;
        continue;
      }
      if (validationLoss < bestLoss) {
        bestLoss = validationLoss;
        bestEpoch = epoch;
        bestParams = network.params().dup();
      } else if (epoch - bestEpoch >= p.patience()) {
        break;
      }
    }
    if (bestParams != null) network.setParams(bestParams);

    float[] baseline = columnMeans(x, d.columns());
    NetworkMember provisional = new NetworkMember(network, p, d.columns(), baseline, history, bestEpoch, new double[d.columns()]);
    double[] importance = provisional.meanAbsoluteAttribution(d.x(), new Random(p.seed() ^ 0x5DEECE66DL));
    return new NetworkMember(network, p, d.columns(), baseline, history, bestEpoch, importance);
  }

  @Override
  public String family() {
    return FAMILY;
  }

  @Override
  public double[] logits(float[][] x) {
    double[] out = new double[x.length];
    double[] row = new double[columns];
    for (int i = 0; i < x.length; i++) {
      checkWidth(x[i]);
      for (int j = 0; j < columns; j++) row[j] = x[i][j];
      out[i] = mlp.logit(row);
    }
    return out;
  }

  /**
   * A path attribution from the baseline (the per-column mean of the training rows, see {@link #baseline()}) to
   * {@code x}: the columns are switched from their baseline value to their value in {@code x} one at a time, and
   * each column is credited
   * with the change in logit its switch causes. The credit depends on the order of the switches when the network
   * has interactions, so it is averaged over two orders: column order and reverse column order. Each order's
   * credits telescope to {@code logit(x) − logit(baseline)}, so the average does too: {@code base + Σ contributions
   * == logit(x)} holds by construction (to double rounding), with {@code base = logit(baseline)}.
   *
   * <p>A column whose value in {@code x} equals the baseline is never switched and gets exactly 0; a column the
   * network does not use changes no logit and gets 0. For a network that is linear in a column, the column's credit
   * is its exact linear term. Along each order, the first layer's pre-activation moves by one column's weights per
   * switch and the second layer's pre-activation by the rows of the first-layer units whose ReLU output changed (units
   * inactive before and after cost nothing), in the same arithmetic as {@link #logits}, so a switch that changes no
   * unit's output changes the logit by exactly 0.
   */
  @Override
  public Attribution attribute(float[] x) {
    checkWidth(x);
    int[] switched = new int[columns];
    int k = 0;
    for (int j = 0; j < columns; j++) if (x[j] != baseline[j]) switched[k++] = j;
    double[] contributions = new double[columns];
    if (k == 0) return new Attribution(baseLogit, contributions);
    Mlp.Walk walk = mlp.walk();
    for (int order = 0; order < 2; order++) {
      walk.reset(basePre);
      double previous = baseLogit;
      for (int i = 0; i < k; i++) {
        int col = switched[order == 0 ? i : k - 1 - i];
        double z = walk.move(col, (double) x[col] - baseline[col]);
        contributions[col] += 0.5 * (z - previous);
        previous = z;
      }
    }
    return new Attribution(baseLogit, contributions);
  }
  @Override
  public Map<String, Double> hyperParameters() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("hidden1", (double) params.hidden1());
    m.put("hidden2", (double) params.hidden2());
    m.put("epochs", (double) params.epochs());
    m.put("learning_rate", params.learningRate());
    m.put("l2", params.l2());
    m.put("dropout", params.dropout());
    m.put("batch_size", (double) params.batchSize());
    m.put("patience", (double) params.patience());
    m.put("seed", (double) params.seed());
    m.put("best_epoch", (double) bestEpoch);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public List<Round> history() {
    return history;
  }

  /** Mean |contribution| per column over up to 500 training rows, computed when training ended. */
  @Override
  public double[] importance() {
    return importance.clone();
  }

  public Params params() {
    return params;
  }

  /** The epoch whose parameters were kept (1-based). */
  public int bestEpoch() {
    return bestEpoch;
  }

  /**
   * The DL4J network that {@link #toBytes} writes. Scoring never reads it after construction, so changing it does
   * not change this member, only the bytes it writes; tests in this package use that to plant weights.
   */
  MultiLayerNetwork network() {
    return network;
  }

  /**
   * Per-column mean of the training rows, rounded to float like every input row (so a row can sit exactly on it):
   * the point attributions start from.
   */
  public float[] baseline() {
    return baseline.clone();
  }

  /**
   * Envelope: magic, format version, columns, params, best epoch, baseline, history, importance, then the DL4J zip
   * written by {@link ModelSerializer} without updater state (a stored member is for scoring).
   */
  @Override
  public byte[] toBytes() {
    try {
      ByteArrayOutputStream zip = new ByteArrayOutputStream();
      synchronized (network) {
        ModelSerializer.writeModel(network, zip, false);
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(zip.size() + 64 + 12 * columns + 20 * history.size());
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeInt(columns);
      out.writeInt(params.hidden1());
      out.writeInt(params.hidden2());
      out.writeInt(params.epochs());
      out.writeDouble(params.learningRate());
      out.writeDouble(params.l2());
      out.writeDouble(params.dropout());
      out.writeInt(params.batchSize());
      out.writeInt(params.patience());
      out.writeLong(params.seed());
      out.writeInt(bestEpoch);
      for (float v : baseline) out.writeFloat(v);
      out.writeInt(history.size());
      for (Round r : history) {
        out.writeInt(r.round());
        out.writeDouble(r.trainLoss());
        out.writeDouble(r.validationLoss());
      }
      for (double v : importance) out.writeDouble(v);
      out.writeInt(zip.size());
      zip.writeTo(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize network member", e);
    }
  }

  /** Reads {@link #toBytes()}; refuses other data and other format versions. */
  public static NetworkMember fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IllegalArgumentException(String.format(
            "not a network member: magic 0x%08X, expected 0x%08X", magic, MAGIC));
      }
      int version = in.readInt();
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException("unsupported network member format version " + version
            + " (this build reads version " + FORMAT_VERSION + ")");
      }
      int columns = in.readInt();
      if (columns < 1) throw new IllegalArgumentException("corrupt network member: " + columns + " columns");
      Params params = new Params(in.readInt(), in.readInt(), in.readInt(), in.readDouble(), in.readDouble(),
          in.readDouble(), in.readInt(), in.readInt(), in.readLong());
      int bestEpoch = in.readInt();
      float[] baseline = new float[columns];
      for (int j = 0; j < columns; j++) baseline[j] = in.readFloat();
      int rounds = in.readInt();
      if (rounds < 0 || rounds > params.epochs()) {
        throw new IllegalArgumentException("corrupt network member: " + rounds + " rounds for " + params.epochs() + " epochs");
      }
      List<Round> history = new ArrayList<>(rounds);
      for (int i = 0; i < rounds; i++) history.add(new Round(in.readInt(), in.readDouble(), in.readDouble()));
      double[] importance = new double[columns];
      for (int j = 0; j < columns; j++) importance[j] = in.readDouble();
      int zipLength = in.readInt();
      if (zipLength < 0 || zipLength > in.available()) {
        throw new IllegalArgumentException("corrupt network member: network of " + zipLength + " bytes, "
            + in.available() + " left");
      }
      byte[] zip = new byte[zipLength];
      in.readFully(zip);
      MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), false);
      return new NetworkMember(network, params, columns, baseline, history, bestEpoch, importance);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read network member bytes", e);
    }
  }

  private double[] meanAbsoluteAttribution(float[][] rows, Random random) {
    int n = Math.min(IMPORTANCE_SAMPLE, rows.length);
    List<Integer> sample = new ArrayList<>(rows.length);
    for (int i = 0; i < rows.length; i++) sample.add(i);
    if (rows.length > n) Collections.shuffle(sample, random);
    double[] sum = new double[columns];
    for (int s = 0; s < n; s++) {
      double[] c = attribute(rows[sample.get(s)]).contributions();
      for (int j = 0; j < columns; j++) sum[j] += Math.abs(c[j]);
    }
    for (int j = 0; j < columns; j++) sum[j] /= n;
    return sum;
  }

  private void checkWidth(float[] row) {
    if (row.length != columns) throw new IllegalArgumentException("row has " + row.length + " columns, expected " + columns);
  }

  private static MultiLayerConfiguration configuration(int columns, Params p) {
    NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
        .seed(p.seed())
        .weightInit(WeightInit.XAVIER)
        .updater(new Adam(p.learningRate()))
        .l2(p.l2())
        .list();
    int in = columns;
    boolean first = true;
    for (int units : new int[] {p.hidden1(), p.hidden2()}) {
      if (units == 0) continue;
      DenseLayer.Builder dense = new DenseLayer.Builder().nIn(in).nOut(units).activation(Activation.RELU);
      if (!first && p.dropout() > 0) dense.dropOut(new Dropout(1 - p.dropout())); // DL4J takes the keep probability
      layers.layer(dense.build());
      in = units;
      first = false;
    }
    OutputLayer.Builder output = new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
        .nIn(in).nOut(1).activation(Activation.SIGMOID);
    if (!first && p.dropout() > 0) output.dropOut(new Dropout(1 - p.dropout()));
    layers.layer(output.build());
    return layers.build();
  }

  private static List<DataSet> batches(List<Integer> rows, float[][] x, float[] y, int batchSize) {
    List<DataSet> out = new ArrayList<>((rows.size() + batchSize - 1) / batchSize);
    for (int from = 0; from < rows.size(); from += batchSize) {
      List<Integer> part = rows.subList(from, Math.min(rows.size(), from + batchSize));
      float[][] features = new float[part.size()][];
      float[][] labels = new float[part.size()][1];
      for (int i = 0; i < features.length; i++) {
        features[i] = x[part.get(i)];
        labels[i][0] = y[part.get(i)];
      }
      out.add(new DataSet(Nd4j.create(features), Nd4j.create(labels)));
    }
    return out;
  }

  private static void checkLabels(float[] y, String what) {
    for (int i = 0; i < y.length; i++) {
      if (y[i] != 0f && y[i] != 1f) throw new IllegalArgumentException(what + " label " + i + " is " + y[i] + ", expected 0 or 1");
    }
  }

  private static double[][] toDouble(float[][] x) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = new double[x[i].length];
      for (int j = 0; j < x[i].length; j++) out[i][j] = x[i][j];
    }
    return out;
  }

  private static float[] columnMeans(double[][] x, int columns) {
    double[] sum = new double[columns];
    for (double[] row : x) for (int j = 0; j < columns; j++) sum[j] += row[j];
    float[] mean = new float[columns];
    for (int j = 0; j < columns; j++) mean[j] = (float) (sum[j] / x.length);
    return mean;
  }

  private static double[] toDouble(float[] x) {
    double[] out = new double[x.length];
    for (int j = 0; j < x.length; j++) out[j] = x[j];
    return out;
  }

  /** Ends an epoch early once the training thread is interrupted; the caller then throws. */
  private static final class InterruptibleIterator extends ListDataSetIterator<DataSet> {
    private final Thread owner;

    InterruptibleIterator(Collection<DataSet> batches, Thread owner) {
      super(batches, 1);
      this.owner = owner;
    }

    @Override
    public synchronized boolean hasNext() {
      return !owner.isInterrupted() && super.hasNext();
    }
  }

  /**
   * The trained weights in double precision: {@code a = relu(a·W + b)} per hidden layer, and the output unit's
   * pre-sigmoid activation {@code a·w + b} as the logit. Immutable; every method allocates its own buffers.
   */
  static final class Mlp {
    private final double[][][] weights; // per layer: [in][out]
    private final double[][] biases; // per layer: [out]

    private Mlp(double[][][] weights, double[][] biases) {
      this.weights = weights;
      this.biases = biases;
    }

    static Mlp of(MultiLayerNetwork network) {
      synchronized (network) {
        int n = network.getnLayers();
        double[][][] w = new double[n][][];
        double[][] b = new double[n][];
        for (int l = 0; l < n; l++) {
          Layer layer = network.getLayer(l);
          w[l] = layer.getParam(DefaultParamInitializer.WEIGHT_KEY).toDoubleMatrix();
          b[l] = layer.getParam(DefaultParamInitializer.BIAS_KEY).toDoubleVector();
        }
        if (b[n - 1].length != 1) throw new IllegalArgumentException("network has " + b[n - 1].length + " outputs, expected 1");
        return new Mlp(w, b);
      }
    }

    int inputs() {
      return weights[0].length;
    }

    double logit(double[] x) {
      return fromFirst(firstPreActivation(x));
    }

    double[] firstPreActivation(double[] x) {
      double[][] w = weights[0];
      double[] a = biases[0].clone();
      for (int i = 0; i < x.length; i++) {
        double v = x[i];
        if (v == 0) continue;
        double[] wi = w[i];
        for (int o = 0; o < a.length; o++) a[o] += v * wi[o];
      }
      return a;
    }

    Walk walk() {
      return new Walk();
    }

    /**
     * A point moving one input column at a time: the first layer's pre-activation, its ReLU, and (with two or more
     * layers) the second layer's pre-activation, each updated by the change alone. Not thread-safe: one per call.
     */
    final class Walk {
      private final double[] pre1 = new double[biases[0].length];
      private final double[] h1 = new double[pre1.length];
      private final double[] pre2 = weights.length > 1 ? new double[biases[1].length] : null;

      void reset(double[] firstPreActivation) {
        System.arraycopy(firstPreActivation, 0, pre1, 0, pre1.length);
        if (pre2 == null) return;
        System.arraycopy(biases[1], 0, pre2, 0, pre2.length);
        double[][] w = weights[1];
        for (int u = 0; u < pre1.length; u++) {
          h1[u] = Math.max(pre1[u], 0);
          if (h1[u] == 0) continue;
          double[] wu = w[u];
          for (int o = 0; o < pre2.length; o++) pre2[o] += h1[u] * wu[o];
        }
      }

      /** Moves column {@code col} by {@code delta}; answers the logit there. */
      double move(int col, double delta) {
        double[] w0 = weights[0][col];
        if (pre2 == null) {
          pre1[0] += delta * w0[0];
          return pre1[0];
        }
        double[][] w = weights[1];
        for (int u = 0; u < pre1.length; u++) {
          pre1[u] += delta * w0[u];
          double h = Math.max(pre1[u], 0);
          double change = h - h1[u];
          if (change == 0) continue;
          h1[u] = h;
          double[] wu = w[u];
          for (int o = 0; o < pre2.length; o++) pre2[o] += change * wu[o];
        }
        return fromSecond(pre2);
      }
    }

    /** The logit from the second layer's pre-activation (the logit itself with two layers). */
    private double fromSecond(double[] pre2) {
      if (weights.length == 2) return pre2[0];
      double[] a = pre2;
      for (int l = 2; l < weights.length - 1; l++) {
        double[][] w = weights[l];
        double[] next = biases[l].clone();
        for (int i = 0; i < a.length; i++) {
          double v = a[i];
          if (v <= 0) continue;
          double[] wi = w[i];
          for (int o = 0; o < next.length; o++) next[o] += v * wi[o];
        }
        a = next;
      }
      double[][] w = weights[weights.length - 1];
      double z = biases[weights.length - 1][0];
      for (int i = 0; i < a.length; i++) if (a[i] > 0) z += a[i] * w[i][0];
      return z;
    }

    private double fromFirst(double[] pre) {
      double[] a = pre;
      for (int l = 1; l < weights.length; l++) {
        double[][] w = weights[l];
        double[] next = biases[l].clone();
        for (int i = 0; i < a.length; i++) {
          double v = a[i];
          if (v <= 0) continue; // ReLU of the layer below: a non-positive unit contributes nothing
          double[] wi = w[i];
          for (int o = 0; o < next.length; o++) next[o] += v * wi[o];
        }
        a = next;
      }
      return a[0];
    }

    /** Mean binary cross-entropy, from the logit: log(1 + e^z) − y·z, stable for large |z|. */
    double logLoss(double[][] x, float[] y) {
      double sum = 0;
      for (int i = 0; i < x.length; i++) {
        double z = logit(x[i]);
        double softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
        sum += softplus - y[i] * z;
      }
      return sum / x.length;
    }
  }
}
