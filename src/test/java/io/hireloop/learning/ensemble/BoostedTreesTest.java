package io.hireloop.learning.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hireloop.stats.ClassificationMetrics;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class BoostedTreesTest {
  /** x0..x3 ~ N(0,1), x4 and x5 are 0/1, x6..x8 are noise, x9 is constant. */
  static final int COLUMNS = 10;

  /** Logit with a linear part, an interaction (x1·x2) and a threshold (x3 > 0.5). */
  static double trueLogit(float[] r) {
    return -0.5 + 0.8 * r[0] + 1.5 * r[1] * r[2] + (r[3] > 0.5 ? 1.2 : 0.0) + 0.7 * r[4] - 0.6 * r[5];
  }

  record Planted(float[][] x, float[] y, double[] p) {
    int[] labels() {
      int[] l = new int[y.length];
      for (int i = 0; i < l.length; i++) l[i] = (int) y[i];
      return l;
    }
  }

  static Planted planted(int n, Random rnd) {
    float[][] x = new float[n][COLUMNS];
    float[] y = new float[n];
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      float[] r = x[i];
      for (int j = 0; j < 4; j++) r[j] = (float) rnd.nextGaussian();
      r[4] = rnd.nextDouble() < 0.3 ? 1f : 0f;
      r[5] = rnd.nextDouble() < 0.4 ? 1f : 0f;
      for (int j = 6; j < 9; j++) r[j] = (float) rnd.nextGaussian();
      r[9] = 0f;
      p[i] = 1 / (1 + Math.exp(-trueLogit(r)));
      y[i] = rnd.nextDouble() < p[i] ? 1f : 0f;
    }
    return new Planted(x, y, p);
  }

  static Planted train;
  static Planted validation;
  static Planted fresh;
  static BoostedTrees trees;
  static List<double[]> progressCalls = new ArrayList<>();

  @BeforeAll
  static void fit() {
    Random rnd = new Random(20240611L);
    train = planted(20_000, rnd);
    validation = planted(5_000, rnd);
    fresh = planted(20_000, rnd);
    trees = BoostedTrees.train(new TrainingData(train.x, train.y, validation.x, validation.y, COLUMNS),
        BoostedTrees.Params.defaults(), (round, rounds, tl, vl) -> progressCalls.add(new double[] {round, rounds, tl, vl}));
  }

  @Test
  void reachesTheTrueProbabilityAucAndBeatsALinearScorerOnTheInteraction() {
    double oracle = ClassificationMetrics.auc(fresh.p, fresh.labels());
    double boosted = ClassificationMetrics.auc(trees.logits(fresh.x), fresh.labels());
    double[] beta = logisticRegression(train.x, train.y);
    double[] linearScores = new double[fresh.x.length];
    for (int i = 0; i < linearScores.length; i++) linearScores[i] = dot(beta, fresh.x[i]);
    double linear = ClassificationMetrics.auc(linearScores, fresh.labels());
    System.out.printf("AUC on fresh rows: true probability %.4f, boosted trees %.4f, linear %.4f; %d rounds trained, best iteration %d%n",
        oracle, boosted, linear, trees.roundsTrained(), trees.bestIteration());
    assertTrue(boosted > oracle - 0.02, "boosted AUC " + boosted + " vs true " + oracle);
    assertTrue(boosted > linear + 0.03, "boosted AUC " + boosted + " vs linear " + linear);
  }

  @Test
  void contributionsSumToTheMargin() {
    float[][] rows = Arrays.copyOf(fresh.x, 300);
    double[] z = trees.logits(rows);
    double base = Double.NaN;
    for (int i = 0; i < rows.length; i++) {
      Member.Attribution a = trees.attribute(rows[i]);
      assertEquals(COLUMNS, a.contributions().length);
      assertEquals(z[i], a.logit(), 1e-4, "row " + i);
      assertEquals(0.0, a.contributions()[9], "a constant column contributes nothing");
      if (i == 0) base = a.base();
      assertEquals(base, a.base(), 1e-6, "TreeSHAP's base is the same for every row");
    }
  }

  @Test
  void importanceIsTotalGainPerColumn() {
    double[] imp = trees.importance();
    assertEquals(COLUMNS, imp.length);
    assertEquals(0.0, imp[9], "never split on the constant column");
    for (int signal : new int[] {0, 1, 2, 3}) {
      for (int noise = 6; noise < 9; noise++) {
        assertTrue(imp[signal] > imp[noise], "column " + signal + " (" + imp[signal] + ") vs noise " + noise + " (" + imp[noise] + ")");
      }
    }
  }

  @Test
  void historyAndProgressReportEveryRound() {
    List<Member.Round> h = trees.history();
    assertEquals(trees.roundsTrained(), h.size());
    assertEquals(h.size(), progressCalls.size());
    for (int i = 0; i < h.size(); i++) {
      Member.Round r = h.get(i);
      double[] call = progressCalls.get(i);
      assertEquals(i + 1, r.round());
      assertEquals(r.round(), (int) call[0]);
      assertEquals(300, (int) call[1]);
      assertEquals(r.trainLoss(), call[2]);
      assertEquals(r.validationLoss(), call[3]);
      assertTrue(r.trainLoss() > 0 && r.validationLoss() > 0);
    }
    assertTrue(h.get(h.size() - 1).trainLoss() < h.get(0).trainLoss());
    assertEquals(trees.bestIteration(), trees.hyperParameters().get("best_iteration").doubleValue());
    assertEquals(0.1, trees.hyperParameters().get("eta").doubleValue());
  }

  @Test
  void bytesRoundTripGivesTheSameMember() {
    byte[] bytes = trees.toBytes();
    Member back = Members.fromBytes(BoostedTrees.FAMILY, bytes);
    assertEquals(BoostedTrees.FAMILY, back.family());
    assertArrayEquals(trees.logits(fresh.x), back.logits(fresh.x), 0.0);
    Member.Attribution a = trees.attribute(fresh.x[7]);
    Member.Attribution b = back.attribute(fresh.x[7]);
    assertEquals(a.base(), b.base(), 0.0);
    assertArrayEquals(a.contributions(), b.contributions(), 0.0);
    assertEquals(trees.history(), back.history());
    assertEquals(trees.hyperParameters(), back.hyperParameters());
    assertArrayEquals(trees.importance(), back.importance(), 0.0);
    assertArrayEquals(bytes, back.toBytes());
  }

  @Test
  void bytesOfAnotherVersionOrFamilyAreRefused() {
    byte[] bytes = trees.toBytes();
    byte[] future = bytes.clone();
    ByteBuffer.wrap(future).putInt(4, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BoostedTrees.fromBytes(future));
    assertEquals("boosted_trees format version 2 is not supported (this build reads version 1)", e.getMessage());
    byte[] other = bytes.clone();
    other[0] = 'X';
    e = assertThrows(IllegalArgumentException.class, () -> Members.fromBytes(BoostedTrees.FAMILY, other));
    assertTrue(e.getMessage().startsWith("not a boosted_trees member"), e.getMessage());
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 10);
    e = assertThrows(IllegalArgumentException.class, () -> BoostedTrees.fromBytes(truncated));
    assertTrue(e.getMessage().startsWith("corrupt boosted_trees member"), e.getMessage());
  }

  @Test
  void sameSeedSameLogitsOtherSeedOtherLogits() {
    Random rnd = new Random(7);
    Planted t = planted(3_000, rnd);
    Planted v = planted(1_000, rnd);
    TrainingData data = new TrainingData(t.x, t.y, v.x, v.y, COLUMNS);
    BoostedTrees.Params p = BoostedTrees.Params.defaults().withRounds(60).withThreads(2);
    double[] a = BoostedTrees.train(data, p, Member.Progress.NONE).logits(fresh.x);
    double[] b = BoostedTrees.train(data, p, Member.Progress.NONE).logits(fresh.x);
    double[] c = BoostedTrees.train(data, p.withSeed(p.seed() + 1), Member.Progress.NONE).logits(fresh.x);
    assertArrayEquals(a, b, 0.0);
    assertFalse(Arrays.equals(a, c), "subsampling depends on the seed");
  }

  @Test
  void earlyStoppingStopsWhenTheValidationLossRisesAndPredictsWithTheBestIteration() {
    Random rnd = new Random(11);
    // Bernoulli labels of a model with AUC ~0.83 are noisy enough for depth-8 trees at eta 0.5 to overfit 3,000 rows
    Planted t = planted(3_000, rnd);
    Planted v = planted(3_000, rnd);
    TrainingData data = new TrainingData(t.x, t.y, v.x, v.y, COLUMNS);
    BoostedTrees.Params p = BoostedTrees.Params.defaults().withRounds(300).withTree(8, 0.5).withEarlyStoppingRounds(10);
    BoostedTrees m = BoostedTrees.train(data, p, Member.Progress.NONE);
    List<Member.Round> h = m.history();
    int best = m.bestIteration();
    System.out.printf("early stopping: %d of %d rounds, best iteration %d%n", h.size(), p.rounds(), best);
    assertTrue(h.size() < p.rounds(), "stopped after " + h.size() + " rounds");
    assertTrue(best > 0, "the loss first falls");
    assertEquals(best + 1 + p.earlyStoppingRounds(), h.get(h.size() - 1).round());
    double bestLoss = h.get(best).validationLoss();
    for (Member.Round r : h) assertTrue(r.validationLoss() >= bestLoss);
    assertTrue(h.get(h.size() - 1).validationLoss() > bestLoss);

    // the same seed draws the same first trees, so a model of exactly best + 1 rounds predicts identically
    BoostedTrees truncated = BoostedTrees.train(data, p.withRounds(best + 1).withEarlyStoppingRounds(0), Member.Progress.NONE);
    assertEquals(best, truncated.bestIteration());
    assertArrayEquals(truncated.logits(fresh.x), m.logits(fresh.x), 0.0);
    assertArrayEquals(truncated.importance(), m.importance(), 1e-9);
  }

  @Test
  void withoutValidationRowsEveryRoundIsUsed() {
    Random rnd = new Random(3);
    Planted t = planted(2_000, rnd);
    TrainingData data = new TrainingData(t.x, t.y, new float[0][], new float[0], COLUMNS);
    BoostedTrees m = BoostedTrees.train(data, BoostedTrees.Params.defaults().withRounds(25), Member.Progress.NONE);
    assertEquals(25, m.history().size());
    assertEquals(24, m.bestIteration());
    for (Member.Round r : m.history()) assertTrue(Double.isNaN(r.validationLoss()));
  }

  @Test
  void predictsConcurrentlyFromSeveralThreads() throws Exception {
    float[][] rows = Arrays.copyOf(fresh.x, 2_000);
    double[] expected = trees.logits(rows);
    Member.Attribution[] expectedAttributions = new Member.Attribution[20];
    for (int i = 0; i < 20; i++) expectedAttributions[i] = trees.attribute(rows[i]);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          for (int k = 0; k < 25; k++) {
            assertArrayEquals(expected, trees.logits(rows), 0.0);
            int i = k % 20;
            Member.Attribution a = trees.attribute(rows[i]);
            assertArrayEquals(expectedAttributions[i].contributions(), a.contributions(), 0.0);
          }
        }));
      }
      for (Future<?> f : futures) f.get();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void paramsAreValidated() {
    BoostedTrees.Params d = BoostedTrees.Params.defaults();
    expectInvalid("rounds", () -> new BoostedTrees.Params(0, 4, 0.1, 1, 0.8, 0.8, 1, 20, 1, 1));
    expectInvalid("maxDepth", () -> new BoostedTrees.Params(10, 0, 0.1, 1, 0.8, 0.8, 1, 20, 1, 1));
    expectInvalid("eta", () -> new BoostedTrees.Params(10, 4, 0, 1, 0.8, 0.8, 1, 20, 1, 1));
    expectInvalid("eta", () -> new BoostedTrees.Params(10, 4, Double.NaN, 1, 0.8, 0.8, 1, 20, 1, 1));
    expectInvalid("lambda", () -> new BoostedTrees.Params(10, 4, 0.1, -1, 0.8, 0.8, 1, 20, 1, 1));
    expectInvalid("subsample", () -> new BoostedTrees.Params(10, 4, 0.1, 1, 1.5, 0.8, 1, 20, 1, 1));
    expectInvalid("colsampleByTree", () -> new BoostedTrees.Params(10, 4, 0.1, 1, 0.8, 0, 1, 20, 1, 1));
    expectInvalid("minChildWeight", () -> new BoostedTrees.Params(10, 4, 0.1, 1, 0.8, 0.8, -1, 20, 1, 1));
    expectInvalid("earlyStoppingRounds", () -> new BoostedTrees.Params(10, 4, 0.1, 1, 0.8, 0.8, 1, -1, 1, 1));
    expectInvalid("threads", () -> d.withThreads(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BoostedTrees.train(
        new TrainingData(new float[][] {{1f}}, new float[] {2f}, new float[0][], new float[0], 1), d, Member.Progress.NONE));
    assertEquals("training label 0 is 2.0, expected 0 or 1", e.getMessage());
  }

  /** On demand: {@code -Dtest=BoostedTreesTest#trainingSpeed -Dbench.rows=1000000}. */
  @Test
  @Tag("bench")
  void trainingSpeed() {
    int rows = Integer.getInteger("bench.rows", 200_000);
    int validationRows = Math.max(1_000, rows / 10);
    Random rnd = new Random(5);
    float[][] x = new float[rows][];
    float[] y = new float[rows];
    float[][] vx = new float[validationRows][];
    float[] vy = new float[validationRows];
    for (int i = 0; i < rows; i++) y[i] = benchRow(rnd, x, i);
    for (int i = 0; i < validationRows; i++) vy[i] = benchRow(rnd, vx, i);
    BoostedTrees.Params p = BoostedTrees.Params.defaults().withThreads(2);
    long start = System.nanoTime();
    BoostedTrees m = BoostedTrees.train(new TrainingData(x, y, vx, vy, 60), p, Member.Progress.NONE);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("boosted trees: %,d rows × 60 columns (+%,d validation), %d rounds (best %d), 2 threads: %.1f s, %,.0f rows·rounds/s, %,.0f rows/s%n",
        rows, validationRows, m.roundsTrained(), m.bestIteration(), seconds, rows * (double) m.roundsTrained() / seconds, rows / seconds);
  }

  /** 55 one-hot columns in 5 groups of 11, then 5 numeric columns. */
  private static float benchRow(Random rnd, float[][] x, int i) {
    float[] r = new float[60];
    double z = -1;
    for (int g = 0; g < 5; g++) {
      int level = rnd.nextInt(11);
      r[g * 11 + level] = 1f;
      z += (level - 5) * 0.05 * (g + 1);
    }
    for (int j = 55; j < 60; j++) r[j] = (float) rnd.nextGaussian();
    z += 0.5 * r[55] + 0.8 * r[56] * r[57] + (r[58] > 1 ? 1 : 0);
    x[i] = r;
    return rnd.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1f : 0f;
  }

  private static void expectInvalid(String field, Executable construct) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct);
    assertTrue(e.getMessage().startsWith(field + " must be"), e.getMessage());
  }

  private static double dot(double[] beta, float[] r) {
    double z = beta[0];
    for (int j = 0; j < r.length; j++) z += beta[j + 1] * r[j];
    return z;
  }

  /** Newton–Raphson logistic regression with an intercept and a tiny ridge (the constant column has no signal). */
  private static double[] logisticRegression(float[][] x, float[] y) {
    int d = x[0].length + 1;
    double[] beta = new double[d];
    for (int iter = 0; iter < 25; iter++) {
      double[] g = new double[d];
      double[][] h = new double[d][d];
      for (int i = 0; i < x.length; i++) {
        double[] f = new double[d];
        f[0] = 1;
        for (int j = 1; j < d; j++) f[j] = x[i][j - 1];
        double p = 1 / (1 + Math.exp(-dot(beta, x[i])));
        double w = p * (1 - p);
        for (int a = 0; a < d; a++) {
          g[a] += (y[i] - p) * f[a];
          for (int b = 0; b < d; b++) h[a][b] += w * f[a] * f[b];
        }
      }
      for (int a = 0; a < d; a++) {
        h[a][a] += 1e-6;
        g[a] -= 1e-6 * beta[a];
      }
      double[] step = solve(h, g);
      for (int a = 0; a < d; a++) beta[a] += step[a];
    }
    return beta;
  }

  private static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      m[i] = Arrays.copyOf(a[i], n + 1);
      m[i][n] = b[i];
    }
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
      double[] tmp = m[c];
      m[c] = m[pivot];
      m[pivot] = tmp;
      for (int r = c + 1; r < n; r++) {
        double f = m[r][c] / m[c][c];
        for (int k = c; k <= n; k++) m[r][k] -= f * m[c][k];
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = m[r][n];
      for (int k = r + 1; k < n; k++) s -= m[r][k] * x[k];
      x[r] = s / m[r][r];
    }
    return x;
  }
}
