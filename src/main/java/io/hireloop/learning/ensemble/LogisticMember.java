package io.hireloop.learning.ensemble;

import io.hireloop.stats.ClassificationMetrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.CholeskyDecomposition;

/**
 * L2-regularised logistic regression, fitted by Newton's method (IRLS) on the penalised log-likelihood
 * {@code Σ log p(y|x) − λ/2·|β|²} (the intercept is not penalised). Rows are mostly one-hot, so the
 * Hessian is accumulated over each row's non-zero columns only: one iteration costs O(n·nnz²), not O(n·d²).
 *
 * <p>Explanation is exact: the logit is linear, so column j contributes {@code β_j·(x_j − mean_j)} from the
 * base {@code β_0 + Σ β_j·mean_j} (the logit of the training mean), and the contributions sum to the logit.
 *
 * <p>The coefficients may move after training through {@link #updated} (one stochastic gradient step per
 * labelled outcome), which returns a new member: instances stay immutable.
 */
public final class LogisticMember implements Member {
  public static final String FAMILY = "logistic";
  private static final int MAGIC = 0x484C4C52; // "HLLR"
  private static final int FORMAT_VERSION = 1;

  /**
   * @param lambda L2 penalty on the coefficients (not the intercept), in units of the log-likelihood sum
   * @param maxIterations Newton iterations at most
   */
  public record Params(double lambda, int maxIterations) {
    public Params {
      if (!(lambda >= 0)) throw new IllegalArgumentException("lambda must be >= 0, was " + lambda);
      if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be >= 1, was " + maxIterations);
    }

    public static Params defaults() {
      return new Params(1.0, 25);
    }
  }

  private final double intercept;
  private final double[] beta;
  private final double[] mean;
  private final Params params;
  private final List<Round> history;
  private final long updates;

  private LogisticMember(double intercept, double[] beta, double[] mean, Params params, List<Round> history, long updates) {
    this.intercept = intercept;
    this.beta = beta;
    this.mean = mean;
    this.params = params;
    this.history = List.copyOf(history);
    this.updates = updates;
  }

  public static LogisticMember train(TrainingData d, Params p, Progress progress) {
    int n = d.x().length;
    int k = d.columns();
    if (n == 0) throw new IllegalArgumentException("no training rows");
    int[][] nz = new int[n][];
    for (int i = 0; i < n; i++) nz[i] = nonZero(d.x()[i]);
    double[] mean = new double[k];
    for (var row : d.x()) for (int j = 0; j < k; j++) mean[j] += row[j];
    for (int j = 0; j < k; j++) mean[j] /= n;

    double[] b = new double[k + 1]; // b[0] intercept, b[j + 1] column j
    double[] eta = new double[n];
    var history = new ArrayList<Round>();
    double penalised = penalisedLogLik(d.x(), d.y(), nz, b, p.lambda(), eta);
    for (int iter = 1; iter <= p.maxIterations(); iter++) {
      if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException("training interrupted");
      double[] grad = new double[k + 1];
      double[][] hess = new double[k + 1][k + 1];
      for (int i = 0; i < n; i++) {
        double pr = sigmoid(eta[i]);
        double w = Math.max(pr * (1 - pr), 1e-12);
        double r = d.y()[i] - pr;
        float[] row = d.x()[i];
        int[] cols = nz[i];
        grad[0] += r;
        hess[0][0] += w;
        for (int a = 0; a < cols.length; a++) {
          int ja = cols[a] + 1;
          double xa = row[cols[a]];
          grad[ja] += r * xa;
          hess[ja][0] += w * xa;
          for (int c = 0; c <= a; c++) hess[ja][cols[c] + 1] += w * xa * row[cols[c]];
        }
      }
      for (int j = 1; j <= k; j++) {
        grad[j] -= p.lambda() * b[j];
        hess[j][j] += p.lambda() + 1e-9; // the tiny ridge keeps never-seen columns solvable
      }
      for (int a = 0; a <= k; a++) for (int c = 0; c < a; c++) hess[c][a] = hess[a][c];
      double[] step = new CholeskyDecomposition(new Array2DRowRealMatrix(hess, false), 1e-14, 1e-14)
          .getSolver().solve(new ArrayRealVector(grad, false)).toArray();
      double scale = 1;
      double[] next = new double[k + 1];
      double nextPenalised = Double.NEGATIVE_INFINITY;
      double[] nextEta = new double[n];
      for (int half = 0; half < 30; half++) {
        for (int j = 0; j <= k; j++) next[j] = b[j] + scale * step[j];
        nextPenalised = penalisedLogLik(d.x(), d.y(), nz, next, p.lambda(), nextEta);
        if (nextPenalised >= penalised - 1e-9) break;
        scale /= 2;
      }
      double change = 0;
      for (int j = 0; j <= k; j++) change = Math.max(change, Math.abs(next[j] - b[j]));
      double gain = nextPenalised - penalised;
      b = next.clone();
      eta = nextEta;
      penalised = nextPenalised;
      double trainLoss = meanLogLoss(eta, d.y());
      double validLoss = d.validationX().length == 0 ? Double.NaN
          : meanLogLoss(logits(d.validationX(), b[0], slice(b)), d.validationY());
      history.add(new Round(iter, trainLoss, validLoss));
      progress.onRound(iter, p.maxIterations(), trainLoss, validLoss);
      if (change < 1e-7 || Math.abs(gain) < 1e-10 * (1 + Math.abs(penalised))) break;
    }
    return new LogisticMember(b[0], slice(b), mean, p, history, 0);
  }

  @Override
  public String family() {
    return FAMILY;
  }

  @Override
  public double[] logits(float[][] x) {
    return logits(x, intercept, beta);
  }

  @Override
  public Attribution attribute(float[] x) {
    double base = intercept;
    var contributions = new double[beta.length];
    for (int j = 0; j < beta.length; j++) {
      base += beta[j] * mean[j];
      contributions[j] = beta[j] * (x[j] - mean[j]);
    }
    return new Attribution(base, contributions);
  }

  @Override
  public Map<String, Double> hyperParameters() {
    var m = new LinkedHashMap<String, Double>();
    m.put("lambda", params.lambda());
    m.put("max_iterations", (double) params.maxIterations());
    m.put("iterations", (double) history.size());
    m.put("online_updates", (double) updates);
    return m;
  }

  @Override
  public List<Round> history() {
    return history;
  }

  /** |β_j| times the column's standard deviation on a 0/1 or unit scale: the typical logit swing of the column. */
  @Override
  public double[] importance() {
    var out = new double[beta.length];
    for (int j = 0; j < beta.length; j++) out[j] = Math.abs(beta[j]) * Math.sqrt(Math.max(mean[j] * (1 - Math.min(mean[j], 1)), 0) + 1e-12);
    return out;
  }

  /** Labelled outcomes folded in since training by {@link #updated}. */
  public long onlineUpdates() {
    return updates;
  }

  /**
   * One stochastic gradient step of the penalised log-likelihood for a newly labelled row, at learning rate
   * {@code rate}; answers a new member (this one is unchanged).
   */
  public LogisticMember updated(float[] x, boolean label, double rate) {
    double p = sigmoid(logits(new float[][] {x})[0]);
    double r = (label ? 1 : 0) - p;
    var b = beta.clone();
    for (int j = 0; j < b.length; j++) b[j] += rate * (r * x[j] - params.lambda() * b[j] / 10_000.0);
    return new LogisticMember(intercept + rate * r, b, mean, params, history, updates + 1);
  }

  @Override
  public byte[] toBytes() {
    try {
      var bytes = new ByteArrayOutputStream();
      var out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeInt(beta.length);
      out.writeDouble(intercept);
      for (double v : beta) out.writeDouble(v);
      for (double v : mean) out.writeDouble(v);
      out.writeDouble(params.lambda());
      out.writeInt(params.maxIterations());
      out.writeLong(updates);
      out.writeInt(history.size());
      for (var r : history) {
        out.writeInt(r.round());
        out.writeDouble(r.trainLoss());
        out.writeDouble(r.validationLoss());
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static LogisticMember fromBytes(byte[] bytes) {
    try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != MAGIC) throw new IllegalArgumentException("not a logistic member");
      int version = in.readInt();
      if (version != FORMAT_VERSION) throw new IllegalArgumentException("unsupported logistic member format " + version);
      int k = in.readInt();
      double intercept = in.readDouble();
      var beta = new double[k];
      for (int j = 0; j < k; j++) beta[j] = in.readDouble();
      var mean = new double[k];
      for (int j = 0; j < k; j++) mean[j] = in.readDouble();
      var params = new Params(in.readDouble(), in.readInt());
      long updates = in.readLong();
      int rounds = in.readInt();
      var history = new ArrayList<Round>(rounds);
      for (int r = 0; r < rounds; r++) history.add(new Round(in.readInt(), in.readDouble(), in.readDouble()));
      return new LogisticMember(intercept, beta, mean, params, history, updates);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read logistic member bytes", e);
    }
  }

  double intercept() {
    return intercept;
  }

  double[] coefficients() {
    return beta.clone();
  }

  private static double[] logits(float[][] x, double intercept, double[] beta) {
    var out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double z = intercept;
      float[] row = x[i];
      for (int j = 0; j < beta.length; j++) if (row[j] != 0) z += beta[j] * row[j];
      out[i] = z;
    }
    return out;
  }

  private static double penalisedLogLik(float[][] x, float[] y, int[][] nz, double[] b, double lambda, double[] etaOut) {
    double ll = 0;
    for (int i = 0; i < x.length; i++) {
      double z = b[0];
      for (int j : nz[i]) z += b[j + 1] * x[i][j];
      etaOut[i] = z;
      // log σ(z) = −log(1 + e^−z), written to stay finite for large |z|
      ll += y[i] > 0.5 ? -softplus(-z) : -softplus(z);
    }
    double pen = 0;
    for (int j = 1; j < b.length; j++) pen += b[j] * b[j];
    return ll - lambda / 2 * pen;
  }

  static double meanLogLoss(double[] logits, float[] y) {
    var p = new double[logits.length];
    var labels = new int[logits.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = sigmoid(logits[i]);
      labels[i] = y[i] > 0.5 ? 1 : 0;
    }
    return ClassificationMetrics.logLoss(p, labels);
  }

  private static double softplus(double z) {
    return z > 30 ? z : Math.log1p(Math.exp(z));
  }

  static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }

  private static double[] slice(double[] b) {
    var out = new double[b.length - 1];
    System.arraycopy(b, 1, out, 0, out.length);
    return out;
  }

  private static int[] nonZero(float[] row) {
    int count = 0;
    for (float v : row) if (v != 0) count++;
    var out = new int[count];
    int at = 0;
    for (int j = 0; j < row.length; j++) if (row[j] != 0) out[at++] = j;
    return out;
  }
}
