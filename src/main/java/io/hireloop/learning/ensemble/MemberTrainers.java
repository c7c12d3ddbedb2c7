package io.hireloop.learning.ensemble;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The member families an ensemble can be built from, by name, with their default settings. */
public final class MemberTrainers {
  private MemberTrainers() {}

  public static final List<String> ALL = List.of(LogisticMember.FAMILY, BoostedTrees.FAMILY, NetworkMember.FAMILY);

  /** Trainers for {@code families} (in that order), seeded with {@code seed}. */
  public static Map<String, EnsembleTrainer.MemberTrainer> of(List<String> families, long seed) {
    var out = new LinkedHashMap<String, EnsembleTrainer.MemberTrainer>();
    for (var f : families) {
      out.put(f, switch (f) {
        case LogisticMember.FAMILY -> (data, progress) -> LogisticMember.train(data, LogisticMember.Params.defaults(), progress);
        case BoostedTrees.FAMILY -> (data, progress) -> BoostedTrees.train(data, BoostedTrees.Params.defaults().withSeed(seed), progress);
        case NetworkMember.FAMILY -> (data, progress) -> NetworkMember.train(data, NetworkMember.Params.defaults().withSeed(seed), progress);
        default -> throw new IllegalArgumentException("unknown ensemble member '" + f + "'; known: " + ALL);
      });
    }
    return out;
  }
}
