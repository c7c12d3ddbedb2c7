package io.hireloop.learning;

import io.hireloop.journey.Domain.ApplicationContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained interview-probability model: the network plus what is needed to trust it (held-out metrics,
 * training size).
 *
 * <p>Thread-safety: {@code MultiLayerNetwork.output} is not thread-safe (it reuses layer state and
 * workspaces), so {@link #predict} synchronizes on the network. Scoring 100 rows takes well under a
 * millisecond, so a lock is cheaper than cloning the parameters per call; if contention ever matters, load
 * one instance per thread from the same bytes.
 */
public final class TrainedModel {
  private static final int MAGIC = 0x484C494D; // "HLIM"
  private static final int FORMAT_VERSION = 1;

  private final MultiLayerNetwork network;
  private final ModelMetrics metrics;
  private final int trainingExampleCount;

  TrainedModel(MultiLayerNetwork network, ModelMetrics metrics, int trainingExampleCount) {
    this.network = network;
    this.metrics = metrics;
    this.trainingExampleCount = trainingExampleCount;
  }

  public ModelMetrics metrics() {
    return metrics;
  }

  /** Rows the network was fitted to (the held-out rows are not included). */
  public int trainingExampleCount() {
    return trainingExampleCount;
  }

  public double predict(ApplicationContext context) {
    return predict(List.of(context))[0];
  }

  public double[] predict(List<ApplicationContext> contexts) {
    if (contexts.isEmpty()) return new double[0];
    float[][] x = new float[contexts.size()][];
    for (int i = 0; i < x.length; i++) x[i] = InterviewFeatures.asFloats(InterviewFeatures.of(contexts.get(i)));
    return output(Nd4j.create(x));
  }

  double[] output(INDArray features) {
    INDArray out;
    synchronized (network) {
      out = network.output(features, false);
    }
    return out.reshape(out.length()).toDoubleVector();
  }

  /**
   * Envelope: magic, format version, feature count, training size, metrics, then the DL4J zip written by
   * {@link ModelSerializer} (without updater state: a stored model is for scoring; retraining starts fresh).
   * The feature count lets {@link #fromBytes} refuse a model built for a different feature layout.
   */
  public byte[] toBytes() {
    try {
      ByteArrayOutputStream zip = new ByteArrayOutputStream();
      synchronized (network) {
        ModelSerializer.writeModel(network, zip, false);
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(zip.size() + 64);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeInt(InterviewFeatures.SIZE);
      out.writeInt(trainingExampleCount);
      out.writeDouble(metrics.auc());
      out.writeDouble(metrics.logLoss());
      out.writeDouble(metrics.brier());
      out.writeDouble(metrics.expectedCalibrationError());
      out.writeInt(metrics.holdoutCount());
      out.writeDouble(metrics.holdoutPositiveRate());
      out.writeInt(zip.size());
      zip.writeTo(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize model", e);
    }
  }

  public static TrainedModel fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != MAGIC) throw new IllegalArgumentException("not a Hireloop interview model");
      int version = in.readInt();
      if (version != FORMAT_VERSION) throw new IllegalArgumentException("unsupported model format version " + version);
      int features = in.readInt();
      if (features != InterviewFeatures.SIZE) {
        throw new IllegalArgumentException("model expects " + features + " features, this build has " + InterviewFeatures.SIZE);
      }
      int trainingCount = in.readInt();
      ModelMetrics metrics = new ModelMetrics(
          in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readInt(), in.readDouble());
      byte[] zip = new byte[in.readInt()];
      in.readFully(zip);
      MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), false);
      return new TrainedModel(network, metrics, trainingCount);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read model bytes", e);
    }
  }

  /** "cuda" or "cpu": the ND4J backend picked from the classpath (the cuda Maven profile swaps it). */
  public static String backend() {
    String name = Nd4j.getBackend().getClass().getName().toLowerCase(Locale.ROOT);
    return name.contains("cublas") || name.contains("cuda") ? "cuda" : "cpu";
  }
}
