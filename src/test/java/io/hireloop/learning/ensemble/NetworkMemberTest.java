package io.hireloop.learning.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.stats.ClassificationMetrics;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NetworkMemberTest {

  /** Rows of standard-normal features with labels drawn from sigmoid(truth(row)). */
  record Planted(float[][] x, float[] y, double[] p) {
    int[] labels() {
      int[] out = new int[y.length];
      for (int i = 0; i < y.length; i++) out[i] = (int) y[i];
      return out;
    }
  }

  static Planted planted(int n, int columns, long seed, ToDoubleFunction<float[]> truth) {
    Random r = new Random(seed);
    float[][] x = new float[n][columns];
    float[] y = new float[n];
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < columns; j++) x[i][j] = (float) r.nextGaussian();
      p[i] = 1 / (1 + Math.exp(-truth.applyAsDouble(x[i])));
      y[i] = r.nextDouble() < p[i] ? 1f : 0f;
    }
    return new Planted(x, y, p);
  }

  /** An interaction and a square: no linear model in the raw columns can rank these rows well. */
  static final ToDoubleFunction<float[]> NON_LINEAR = r -> 2.0 * r[0] * r[1] + r[2] * r[2] - 1.0 + 0.5 * r[3];

  static final double[] BETA = {1.5, -1.0, 0.5, 0.0, 2.0};
  static final ToDoubleFunction<float[]> LINEAR = r -> {
    double z = -0.3;
    for (int j = 0; j < BETA.length; j++) z += BETA[j] * r[j];
    return z;
  };

  static TrainingData data(Planted train, Planted validation, int columns) {
    return new TrainingData(train.x(), train.y(), validation.x(), validation.y(), columns);
  }

  static double logLoss(double[] z, float[] y) {
    double sum = 0;
    for (int i = 0; i < z.length; i++) {
      sum += (z[i] > 0 ? z[i] + Math.log1p(Math.exp(-z[i])) : Math.log1p(Math.exp(z[i]))) - y[i] * z[i];
    }
    return sum / z.length;
  }

  static NetworkMember smallMember;
  static Planted smallTrain;

  @BeforeAll
  static void trainSmall() {
    smallTrain = planted(600, 5, 11, NON_LINEAR);
    Planted validation = planted(200, 5, 12, NON_LINEAR);
    smallMember = NetworkMember.train(data(smallTrain, validation, 5),
        NetworkMember.Params.defaults().withEpochs(8).withBatchSize(64), Member.Progress.NONE);
  }

  @Test
  void learnsAPlantedNonLinearLogit() {
    Planted train = planted(4000, 5, 1, NON_LINEAR);
    Planted validation = planted(1000, 5, 2, NON_LINEAR);
    Planted fresh = planted(4000, 5, 3, NON_LINEAR);
    List<Member.Round> seen = new ArrayList<>();
    NetworkMember m = NetworkMember.train(data(train, validation, 5),
        NetworkMember.Params.defaults().withEpochs(60).withLearningRate(0.01).withBatchSize(128).withPatience(6),
        (round, rounds, trainLoss, validationLoss) -> seen.add(new Member.Round(round, trainLoss, validationLoss)));

    double modelAuc = ClassificationMetrics.auc(m.logits(fresh.x()), fresh.labels());
    double trueAuc = ClassificationMetrics.auc(fresh.p(), fresh.labels());
    assertTrue(trueAuc - modelAuc < 0.03, "model AUC " + modelAuc + " vs true-probability AUC " + trueAuc);
    assertEquals(m.history(), seen, "progress is called once per epoch with the history's numbers");
    assertEquals("network", m.family());
    assertEquals((double) m.bestEpoch(), m.hyperParameters().get("best_epoch"));
  }

  @Test
  void logitsArePreSigmoidOfTheDl4jNetwork() {
    float[][] rows = planted(50, 5, 21, NON_LINEAR).x();
    double[] z = smallMember.logits(rows);
    INDArray p = smallMember.network().output(Nd4j.create(rows), false);
    for (int i = 0; i < rows.length; i++) {
      assertEquals(p.getDouble(i, 0), 1 / (1 + Math.exp(-z[i])), 1e-5, "row " + i);
    }
  }

  @Test
  void sameSeedGivesSameModel() {
    Planted train = planted(600, 5, 11, NON_LINEAR);
    Planted validation = planted(200, 5, 12, NON_LINEAR);
    NetworkMember again = NetworkMember.train(data(train, validation, 5),
        NetworkMember.Params.defaults().withEpochs(8).withBatchSize(64), Member.Progress.NONE);
    float[][] rows = planted(100, 5, 13, NON_LINEAR).x();
    assertArrayEquals(smallMember.logits(rows), again.logits(rows), 0.0);
    assertEquals(smallMember.history(), again.history());
    assertArrayEquals(smallMember.importance(), again.importance(), 0.0);

    NetworkMember otherSeed = NetworkMember.train(data(train, validation, 5),
        NetworkMember.Params.defaults().withEpochs(8).withBatchSize(64).withSeed(7), Member.Progress.NONE);
    assertTrue(otherSeed.logits(rows)[0] != again.logits(rows)[0], "a different seed gives a different network");
  }

  @Test
  void bytesRoundTripGivesAnEqualMember() {
    byte[] bytes = smallMember.toBytes();
    Member back = Members.fromBytes("network", bytes);
    assertNotSame(smallMember, back);
    float[][] rows = planted(100, 5, 14, NON_LINEAR).x();
    assertArrayEquals(smallMember.logits(rows), back.logits(rows), 0.0);
    assertEquals(smallMember.history(), back.history());
    assertEquals(smallMember.hyperParameters(), back.hyperParameters());
    assertArrayEquals(smallMember.importance(), back.importance(), 0.0);
    Member.Attribution a = smallMember.attribute(rows[0]);
    Member.Attribution b = back.attribute(rows[0]);
    assertEquals(a.base(), b.base(), 0.0);
    assertArrayEquals(a.contributions(), b.contributions(), 0.0);
    assertArrayEquals(smallMember.logits(rows), Members.fromBytes("network", back.toBytes()).logits(rows), 0.0);
  }

  @Test
  void refusesForeignBytesAndUnknownVersions() {
    byte[] bytes = smallMember.toBytes();
    byte[] wrongMagic = bytes.clone();
    ByteBuffer.wrap(wrongMagic).putInt(0, 0xCAFEBABE);
    var e1 = assertThrows(IllegalArgumentException.class, () -> NetworkMember.fromBytes(wrongMagic));
    assertTrue(e1.getMessage().contains("not a network member"), e1.getMessage());

    byte[] future = bytes.clone();
    ByteBuffer.wrap(future).putInt(4, 99);
    var e2 = assertThrows(IllegalArgumentException.class, () -> NetworkMember.fromBytes(future));
    assertTrue(e2.getMessage().contains("version 99"), e2.getMessage());

    assertThrows(IllegalArgumentException.class, () -> NetworkMember.fromBytes(new byte[] {1, 2}));
  }

  @Test
  void earlyStoppingKeepsTheBestEpoch() {
    // Few rows, many noise columns, a weak signal and a large step size: validation loss turns up quickly.
    ToDoubleFunction<float[]> weak = r -> 0.5 * r[0];
    Planted train = planted(150, 20, 31, weak);
    Planted validation = planted(150, 20, 32, weak);
    int maxEpochs = 200;
    NetworkMember m = NetworkMember.train(data(train, validation, 20),
        NetworkMember.Params.defaults().withEpochs(maxEpochs).withLearningRate(0.05).withBatchSize(16)
            .withPatience(3).withHidden(64, 32).withL2(0),
        Member.Progress.NONE);

    List<Member.Round> h = m.history();
    assertTrue(h.size() < maxEpochs, "stopped after " + h.size() + " epochs");
    int best = 0;
    for (int i = 1; i < h.size(); i++) if (h.get(i).validationLoss() < h.get(best).validationLoss()) best = i;
    assertEquals(h.get(best).round(), m.bestEpoch());
    assertEquals(h.size(), m.bestEpoch() + 3, "stops exactly `patience` epochs after the best");
    double kept = logLoss(m.logits(validation.x()), validation.y());
    assertEquals(h.get(best).validationLoss(), kept, 1e-6);
    assertTrue(Math.abs(h.get(h.size() - 1).validationLoss() - kept) > 1e-3, "the last epoch's parameters were replaced");
  }

  @Test
  void withoutValidationRowsAllEpochsRun() {
    Planted train = planted(200, 5, 41, NON_LINEAR);
    NetworkMember m = NetworkMember.train(new TrainingData(train.x(), train.y(), new float[0][], new float[0], 5),
        NetworkMember.Params.defaults().withEpochs(5).withBatchSize(32), Member.Progress.NONE);
    assertEquals(5, m.history().size());
    assertEquals(5, m.bestEpoch());
    assertTrue(m.history().stream().allMatch(r -> Double.isNaN(r.validationLoss())));
    assertTrue(m.history().stream().allMatch(r -> r.trainLoss() > 0 && r.trainLoss() < 1));
  }

  @Test
  void attributionsSumToTheLogit() {
    float[][] rows = planted(50, 5, 51, NON_LINEAR).x();
    double[] z = smallMember.logits(rows);
    float[][] baselineRow = {smallMember.baseline()};
    for (int i = 0; i < rows.length; i++) {
      Member.Attribution a = smallMember.attribute(rows[i]);
      assertEquals(smallMember.logits(baselineRow)[0], a.base(), 0.0);
      assertEquals(z[i], a.logit(), 1e-4, "row " + i);
    }
    float[] partly = smallMember.baseline();
    partly[2] = 3f;
    Member.Attribution a = smallMember.attribute(partly);
    for (int j = 0; j < 5; j++) if (j != 2) assertEquals(0.0, a.contributions()[j], 0.0, "column " + j + " is at the baseline");
    assertEquals(smallMember.logits(new float[][] {partly})[0] - a.base(), a.contributions()[2], 1e-9);
  }

  @Test
  void aColumnTheNetworkIgnoresGetsNothing() {
    // Cut column 1 out of the first layer; the stored bytes carry the cut into a new member.
    NetworkMember cut = NetworkMember.fromBytes(smallMember.toBytes());
    cut.network().getLayer(0).getParam("W").getRow(1).assign(0);
    NetworkMember ignoring = NetworkMember.fromBytes(cut.toBytes());
    float[][] rows = planted(30, 5, 61, NON_LINEAR).x();
    for (float[] row : rows) {
      Member.Attribution a = ignoring.attribute(row);
      assertEquals(0.0, a.contributions()[1], 0.0);
      assertEquals(ignoring.logits(new float[][] {row})[0], a.logit(), 1e-4);
    }
  }

  @Test
  void anAllZeroTrainingColumnGetsNoImportance() {
    Planted train = planted(300, 5, 71, LINEAR);
    for (float[] row : train.x()) row[2] = 0f;
    Planted validation = planted(100, 5, 72, LINEAR);
    for (float[] row : validation.x()) row[2] = 0f;
    NetworkMember m = NetworkMember.train(data(train, validation, 5),
        NetworkMember.Params.defaults().withEpochs(3).withBatchSize(64), Member.Progress.NONE);
    assertEquals(0.0, m.importance()[2], 0.0);
    assertEquals(0.0, m.baseline()[2], 0.0);
    assertTrue(m.importance()[0] > 0);
  }

  @Test
  void onALinearTruthAttributionsTrackTheLinearTerms() {
    Planted train = planted(3000, 5, 81, LINEAR);
    Planted validation = planted(800, 5, 82, LINEAR);
    NetworkMember m = NetworkMember.train(data(train, validation, 5),
        NetworkMember.Params.defaults().withEpochs(40).withLearningRate(0.01).withBatchSize(128), Member.Progress.NONE);
    float[] baseline = m.baseline();
    float[][] rows = planted(200, 5, 83, LINEAR).x();
    double[] got = new double[rows.length * 5];
    double[] want = new double[rows.length * 5];
    for (int i = 0; i < rows.length; i++) {
      double[] c = m.attribute(rows[i]).contributions();
      for (int j = 0; j < 5; j++) {
        got[i * 5 + j] = c[j];
        want[i * 5 + j] = BETA[j] * (rows[i][j] - baseline[j]);
      }
    }
    double r = pearson(got, want);
    assertTrue(r > 0.95, "correlation " + r);
    double[] importance = m.importance();
    assertTrue(importance[4] > importance[0] && importance[0] > importance[1] && importance[1] > importance[3],
        "importance follows |beta|: " + java.util.Arrays.toString(importance));
  }

  @Test
  void trainingHonoursInterruption() {
    Planted train = planted(100, 5, 91, NON_LINEAR);
    Thread.currentThread().interrupt();
    try {
      assertThrows(CancellationException.class, () -> NetworkMember.train(data(train, train, 5),
          NetworkMember.Params.defaults().withEpochs(3), Member.Progress.NONE));
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void rejectsBadInput() {
    float[][] x = {{1f, 2f}, {3f, 4f}};
    assertThrows(IllegalArgumentException.class, () -> NetworkMember.train(
        new TrainingData(x, new float[] {0f, 2f}, new float[0][], new float[0], 2),
        NetworkMember.Params.defaults(), Member.Progress.NONE));
    assertThrows(IllegalArgumentException.class, () -> NetworkMember.train(
        new TrainingData(new float[0][], new float[0], new float[0][], new float[0], 2),
        NetworkMember.Params.defaults(), Member.Progress.NONE));
    assertThrows(IllegalArgumentException.class, () -> smallMember.logits(x));
    assertThrows(IllegalArgumentException.class, () -> smallMember.attribute(new float[3]));
  }

  @Test
  void paramsAreValidated() {
    NetworkMember.Params d = NetworkMember.Params.defaults();
    assertEquals(new NetworkMember.Params(32, 16, 30, 0.005, 1e-4, 0.0, 256, 4, 42L), d);
    assertThrows(IllegalArgumentException.class, () -> d.withHidden(-1, 16));
    assertThrows(IllegalArgumentException.class, () -> d.withHidden(32, -1));
    assertThrows(IllegalArgumentException.class, () -> d.withEpochs(0));
    assertThrows(IllegalArgumentException.class, () -> d.withLearningRate(0));
    assertThrows(IllegalArgumentException.class, () -> d.withLearningRate(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> d.withLearningRate(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> d.withL2(-1e-3));
    assertThrows(IllegalArgumentException.class, () -> d.withL2(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> d.withDropout(1.0));
    assertThrows(IllegalArgumentException.class, () -> d.withDropout(-0.1));
    assertThrows(IllegalArgumentException.class, () -> d.withBatchSize(0));
    assertThrows(IllegalArgumentException.class, () -> d.withPatience(0));
    d.withHidden(0, 0).withDropout(0.5);
  }

  @Test
  void hiddenLayersOfSizeZeroAreLeftOut() {
    Planted train = planted(400, 5, 101, LINEAR);
    NetworkMember logistic = NetworkMember.train(data(train, train, 5),
        NetworkMember.Params.defaults().withHidden(0, 0).withEpochs(3), Member.Progress.NONE);
    assertEquals(1, logistic.network().getnLayers());
    NetworkMember one = NetworkMember.train(data(train, train, 5),
        NetworkMember.Params.defaults().withHidden(0, 8).withEpochs(3).withDropout(0.2), Member.Progress.NONE);
    assertEquals(2, one.network().getnLayers());
    float[] row = train.x()[0];
    assertEquals(one.logits(new float[][] {row})[0], one.attribute(row).logit(), 1e-9);
    // Linear in the inputs: each contribution is exactly the column's linear term.
    double[] w = logistic.network().getLayer(0).getParam("W").toDoubleVector();
    double[] c = logistic.attribute(row).contributions();
    float[] baseline = logistic.baseline();
    for (int j = 0; j < 5; j++) assertEquals(w[j] * ((double) row[j] - baseline[j]), c[j], 1e-6);
  }

  private static double pearson(double[] a, double[] b) {
    double ma = 0, mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double sab = 0, saa = 0, sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }
}
