package io.hireloop.learning.ensemble;

import io.hireloop.learning.features.ApplicationSnapshot;

/**
 * Between retrains, the ensemble's logistic member learns from each labelled outcome: one stochastic gradient step
 * of its penalised log-likelihood per outcome ({@link LogisticMember#updated}). The other members, the blend weights
 * and the calibrator stay as trained, so a step moves the blended logit by the logistic member's weight times its
 * change: small and bounded, which is what a model serving between validated retrains may do. Without a logistic
 * member nothing is learned online.
 *
 * <p>Thread-safe: {@link #learn} and {@link #current} synchronize; the ensembles handed out are immutable.
 */
public final class OnlineLearner {
  private final int logisticIndex;
  private final double rate;
  private Ensemble ensemble;
  private long updates;

  /** @param updates outcomes already learned by {@code ensemble} since training (0 for the version as trained) */
  public OnlineLearner(Ensemble ensemble, long updates, double rate) {
    if (!(rate > 0 && rate < 1)) throw new IllegalArgumentException("online learning rate must be in (0, 1), was " + rate);
    this.ensemble = ensemble;
    this.updates = updates;
    this.rate = rate;
    int index = -1;
    for (int m = 0; m < ensemble.members().size(); m++) if (ensemble.members().get(m) instanceof LogisticMember) index = m;
    this.logisticIndex = index;
  }

  public boolean learns() {
    return logisticIndex >= 0;
  }

  /** Folds one labelled outcome in; answers the outcomes learned so far. */
  public synchronized long learn(ApplicationSnapshot snapshot, boolean label) {
    if (logisticIndex < 0) return updates;
    var member = (LogisticMember) ensemble.members().get(logisticIndex);
    ensemble = ensemble.withMember(logisticIndex, member.updated(ensemble.pipeline().encode(snapshot), label, rate));
    return ++updates;
  }

  public synchronized Ensemble current() {
    return ensemble;
  }

  public synchronized long updates() {
    return updates;
  }
}
