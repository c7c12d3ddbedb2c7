package io.hireloop.learning.ensemble;

import java.util.List;
import java.util.Map;

/**
 * One model family of the ensemble, fitted on a numeric feature matrix (rows × columns of a fitted feature
 * pipeline). Every member answers on the logit scale so that the ensemble can blend members linearly and an
 * explanation of the blend is the same blend of the members' explanations.
 *
 * <p>Implementations are immutable after training and safe to call from several threads.
 */
public interface Member {
  /** {@code logistic}, {@code boosted_trees} or {@code network}: the family's name in the API and the registry. */
  String family();

  /** The member's logit (log-odds of the positive class), one per row. */
  double[] logits(float[][] x);

  /**
   * Per-column contributions for one row, on the logit scale: {@code base + Σ contributions == logits(row)}
   * (to float precision). The method is the family's own (exact for the logistic member, TreeSHAP for the
   * trees, a path attribution for the network) and is documented on the implementation.
   */
  Attribution attribute(float[] x);

  /** {@link #attribute(float[])} of each row, in order; members override it where many rows cost less than one at a time. */
  default Attribution[] attribute(float[][] rows) {
    var out = new Attribution[rows.length];
    for (int i = 0; i < rows.length; i++) out[i] = attribute(rows[i]);
    return out;
  }

  /** Hyper-parameters as trained, for the model card. */
  Map<String, Double> hyperParameters();

  /** Training and validation loss per epoch or boosting round, in order. */
  List<Round> history();

  /** Global importance per column (same length as a feature row), for the model card; larger = more used. */
  double[] importance();

  /** The member alone, as bytes that {@link Members#fromBytes} reads back into an equal member. */
  byte[] toBytes();

  /** Contributions per column and the base value they start from (logit scale). */
  record Attribution(double base, double[] contributions) {
    public double logit() {
      double z = base;
      for (double c : contributions) z += c;
      return z;
    }
  }

  /** One epoch or boosting round: mean log loss on the training and on the validation rows. */
  record Round(int round, double trainLoss, double validationLoss) {}

  /** Called after each epoch or round; training may be long, so callers show progress. */
  @FunctionalInterface
  interface Progress {
    void onRound(int round, int rounds, double trainLoss, double validationLoss);

    Progress NONE = (round, rounds, trainLoss, validationLoss) -> {};
  }
}
