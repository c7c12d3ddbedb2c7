package io.hireloop.experiment;

import io.hireloop.experiment.Experiment.Spec;
import io.hireloop.experiment.Experiment.Variant;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Deterministic, sticky assignment: SHA-256 of (salt, user id) gives a point in [0, 1) that falls into one
 * variant's slice of the cumulative allocations (in definition order). Same salt, user and allocations →
 * same variant on every node and after every restart, with no state.
 */
public final class Assignment {
  private Assignment() {}

  /** A uniform point in [0, 1) for (salt, user); 53 bits of the hash. */
  public static double bucket(String salt, String userId) {
    try {
      var md = MessageDigest.getInstance("SHA-256");
      md.update(salt.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0); // separator: ("ab", "c") and ("a", "bc") must differ
      md.update(userId.getBytes(StandardCharsets.UTF_8));
      long bits = ByteBuffer.wrap(md.digest()).getLong() >>> 11;
      return bits / (double) (1L << 53);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  public static Variant variantFor(Spec spec, String userId) {
    return pick(spec.variants(), spec.variants().stream().map(Variant::allocation).toList(), bucket(spec.salt(), userId));
  }

  /** The variant whose slice of the cumulative {@code weights} (definition order) holds {@code x}. */
  public static Variant pick(List<Variant> variants, List<Double> weights, double x) {
    double cumulative = 0;
    for (int i = 0; i < variants.size(); i++) {
      cumulative += weights.get(i);
      if (x < cumulative) return variants.get(i);
    }
    for (int i = variants.size() - 1; i >= 0; i--) {
      if (weights.get(i) > 0) return variants.get(i); // rounding of weights that sum to 1
    }
    return variants.get(variants.size() - 1);
  }

  /**
   * The user's traffic point in [0, 1) (see {@link Allocation}), independent of the variant point: from the
   * layer's hash rescaled to the experiment's range of the layer, NaN when the user's layer point is outside
   * that range (holdout, another experiment's range, or free); else from a hash of the salt.
   */
  public static double trafficPoint(Spec spec, Allocation a, String userId) {
    if (a.layered()) {
      double l = bucket("layer:" + a.layer(), userId);
      if (l < a.layerFrom() || l >= a.layerTo()) return Double.NaN;
      return (l - a.layerFrom()) / (a.layerTo() - a.layerFrom());
    }
    return bucket(spec.salt() + ":traffic", userId);
  }

  /** The journal event id of a user's exposure: one per (experiment, user), so the journal dedupes repeats. */
  public static String exposureEventId(String experimentId, String userId) {
    return "exposure:" + experimentId + ":" + userId;
  }
}
