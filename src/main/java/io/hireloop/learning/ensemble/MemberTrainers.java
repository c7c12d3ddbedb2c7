package io.hireloop.learning.ensemble;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The member families an ensemble can be built from, by name, with their default settings. */
public final class MemberTrainers {
  private MemberTrainers() {}

  public static final List<String> ALL = List.of(LogisticMember.FAMILY, BoostedTrees.FAMILY, NetworkMember.FAMILY);

  /** Rows from which XGBoost uses every core: below, one thread is as fast and the member stays single-threaded. */
  static final int PARALLEL_ROWS = 50_000;
  /** Minibatches per epoch at most: DL4J's cost per minibatch, not per row, bounds an epoch of a small network. */
  static final int MAX_BATCHES_PER_EPOCH = 512;

  static int threadsFor(int rows) {
    return rows >= PARALLEL_ROWS ? Runtime.getRuntime().availableProcessors() : 1;
  }

  static int batchSizeFor(int rows) {
    int batch = NetworkMember.Params.defaults().batchSize();
    return Math.max(batch, (rows + MAX_BATCHES_PER_EPOCH - 1) / MAX_BATCHES_PER_EPOCH);
  }

  /** Trainers for {@code families} (in that order), seeded with {@code seed}. */
  public static Map<String, EnsembleTrainer.MemberTrainer> of(List<String> families, long seed) {
    var out = new LinkedHashMap<String, EnsembleTrainer.MemberTrainer>();
    for (var f : families) {
      out.put(f, switch (f) {
        case LogisticMember.FAMILY -> (data, progress) -> LogisticMember.train(data, LogisticMember.Params.defaults(), progress);
        case BoostedTrees.FAMILY -> (data, progress) -> BoostedTrees.train(data,
            BoostedTrees.Params.defaults().withSeed(seed).withThreads(threadsFor(data.x().length)), progress);
        case NetworkMember.FAMILY -> (data, progress) -> NetworkMember.train(data,
            NetworkMember.Params.defaults().withSeed(seed).withBatchSize(batchSizeFor(data.x().length)), progress);
        default -> throw new IllegalArgumentException("unknown ensemble member '" + f + "'; known: " + ALL);
      });
    }
    return out;
  }
}
