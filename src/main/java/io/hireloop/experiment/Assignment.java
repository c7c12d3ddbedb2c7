package io.hireloop.experiment;

import io.hireloop.experiment.Experiment.Spec;
import io.hireloop.experiment.Experiment.Variant;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

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
    double x = bucket(spec.salt(), userId);
    double cumulative = 0;
    for (var v : spec.variants()) {
      cumulative += v.allocation();
      if (x < cumulative) return v;
    }
    return spec.variants().get(spec.variants().size() - 1); // rounding of allocations that sum to 1
  }

  /** The journal event id of a user's exposure: one per (experiment, user), so the journal dedupes repeats. */
  public static String exposureEventId(String experimentId, String userId) {
    return "exposure:" + experimentId + ":" + userId;
  }
}
