package io.hireloop.learning;

import io.hireloop.stats.ClassificationMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Trains the interview-probability model: a small DL4J network (features → hidden ReLU → 1 sigmoid, or
 * plain logistic regression when hiddenSize is 0) with binary cross-entropy and Adam, evaluated on a
 * held-out split with {@link ClassificationMetrics}.
 *
 * <p>Deterministic for a given seed and input order: the split, the per-epoch shuffles and the weight
 * initialisation all derive from {@link Settings#seed()}.
 */
public final class InterviewModelTrainer {

  /** Below this the held-out metrics are noise and a model would only add false confidence. */
  public static final int MIN_EXAMPLES = 20;

  /**
   * @param hiddenSize units in the single hidden layer; 0 = logistic regression
   * @param holdoutFraction share of each class kept out of training for evaluation, in (0, 1)
   */
  public record Settings(long seed, int epochs, double learningRate, int hiddenSize, double holdoutFraction, int batchSize) {
    public Settings {
      if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
      if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be > 0, was " + learningRate);
      if (hiddenSize < 0) throw new IllegalArgumentException("hiddenSize must be >= 0, was " + hiddenSize);
      if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
        throw new IllegalArgumentException("holdoutFraction must be in (0, 1), was " + holdoutFraction);
      }
      if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }

    public static Settings defaults() {
      return new Settings(42L, 20, 0.01, 16, 0.2, 64);
    }

    public Settings withSeed(long s) { return new Settings(s, epochs, learningRate, hiddenSize, holdoutFraction, batchSize); }
    public Settings withEpochs(int e) { return new Settings(seed, e, learningRate, hiddenSize, holdoutFraction, batchSize); }
    public Settings withHiddenSize(int h) { return new Settings(seed, epochs, learningRate, h, holdoutFraction, batchSize); }
  }

  @FunctionalInterface
  public interface ProgressListener {
    /** Called after each epoch (1-based) with the mean minibatch training loss of that epoch. */
    void onEpoch(int epoch, int epochs, double loss);

    ProgressListener NONE = (epoch, epochs, loss) -> {};
  }

  public TrainedModel train(List<TrainingExample> examples, Settings s, ProgressListener listener) {
    if (examples == null || examples.size() < MIN_EXAMPLES) {
      throw new IllegalArgumentException("need at least " + MIN_EXAMPLES + " training examples, got "
          + (examples == null ? 0 : examples.size()));
    }
    List<Integer> positives = new ArrayList<>();
    List<Integer> negatives = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) (examples.get(i).interview() ? positives : negatives).add(i);
    // Two per class so that both the training and the held-out split contain each class (AUC needs both).
    if (positives.size() < 2 || negatives.size() < 2) {
      throw new IllegalArgumentException("need at least 2 interviews and 2 non-interviews, got "
          + positives.size() + " and " + negatives.size() + ": a single-class set cannot be learned from");
    }

    // Stratified split: the held-out base rate matches the training one even for small or skewed sets.
    Random random = new Random(s.seed());
    List<Integer> train = new ArrayList<>();
    List<Integer> holdout = new ArrayList<>();
    for (List<Integer> cls : List.of(positives, negatives)) {
      Collections.shuffle(cls, random);
      int k = (int) Math.round(cls.size() * s.holdoutFraction());
      k = Math.max(1, Math.min(cls.size() - 1, k));
      holdout.addAll(cls.subList(0, k));
      train.addAll(cls.subList(k, cls.size()));
    }

    float[][] x = new float[examples.size()][];
    float[] y = new float[examples.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = InterviewFeatures.asFloats(InterviewFeatures.of(examples.get(i).context()));
      y[i] = examples.get(i).interview() ? 1f : 0f;
    }

    MultiLayerNetwork network = new MultiLayerNetwork(configuration(s));
    network.init();
    double[] epochLoss = new double[2]; // sum, count of minibatch scores in the current epoch
    network.setListeners(new BaseTrainingListener() {
      @Override
      public void iterationDone(Model model, int iteration, int epoch) {
        epochLoss[0] += model.score();
        epochLoss[1]++;
      }
    });

    for (int epoch = 1; epoch <= s.epochs(); epoch++) {
      if (Thread.currentThread().isInterrupted()) throw new CancellationException("training interrupted");
      Collections.shuffle(train, random);
      epochLoss[0] = 0;
      epochLoss[1] = 0;
      // Minibatches built by hand: DataSet.batchBy copies the whole set and runs out of heap on large data.
      network.fit(new ListDataSetIterator<>(batches(train, x, y, s.batchSize()), 1));
      listener.onEpoch(epoch, s.epochs(), epochLoss[1] == 0 ? Double.NaN : epochLoss[0] / epochLoss[1]);
    }
    network.setListeners(); // the listener holds per-run state; the stored model needs none

    TrainedModel model = new TrainedModel(network, null, train.size()); // only to score the holdout
    double[] p = model.output(features(holdout, x));
    int[] labels = new int[holdout.size()];
    int positiveCount = 0;
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (int) y[holdout.get(i)];
      positiveCount += labels[i];
    }
    ModelMetrics metrics = new ModelMetrics(
        ClassificationMetrics.auc(p, labels),
        ClassificationMetrics.logLoss(p, labels),
        ClassificationMetrics.brier(p, labels),
        ClassificationMetrics.expectedCalibrationError(p, labels, 10),
        labels.length,
        (double) positiveCount / labels.length);
    return new TrainedModel(network, metrics, train.size());
  }

  private static org.deeplearning4j.nn.conf.MultiLayerConfiguration configuration(Settings s) {
    int n = InterviewFeatures.SIZE;
    NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
        .seed(s.seed())
        .weightInit(WeightInit.XAVIER)
        .updater(new Adam(s.learningRate()))
        .list();
    int outputIn = n;
    if (s.hiddenSize() > 0) {
      layers.layer(new DenseLayer.Builder().nIn(n).nOut(s.hiddenSize()).activation(Activation.RELU).build());
      outputIn = s.hiddenSize();
    }
    layers.layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
        .nIn(outputIn).nOut(1).activation(Activation.SIGMOID).build());
    return layers.build();
  }

  private static List<DataSet> batches(List<Integer> rows, float[][] x, float[] y, int batchSize) {
    List<DataSet> out = new ArrayList<>((rows.size() + batchSize - 1) / batchSize);
    for (int from = 0; from < rows.size(); from += batchSize) {
      List<Integer> part = rows.subList(from, Math.min(rows.size(), from + batchSize));
      float[][] labels = new float[part.size()][1];
      for (int i = 0; i < labels.length; i++) labels[i][0] = y[part.get(i)];
      out.add(new DataSet(features(part, x), Nd4j.create(labels)));
    }
    return out;
  }

  private static INDArray features(List<Integer> rows, float[][] x) {
    float[][] m = new float[rows.size()][];
    for (int i = 0; i < m.length; i++) m[i] = x[rows.get(i)];
    return Nd4j.create(m);
  }
}
