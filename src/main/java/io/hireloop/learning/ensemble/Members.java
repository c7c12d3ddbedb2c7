package io.hireloop.learning.ensemble;

/** Reads a member back from {@link Member#toBytes()} by its family name. */
public final class Members {
  private Members() {}

  public static Member fromBytes(String family, byte[] bytes) {
    return switch (family) {
      case LogisticMember.FAMILY -> LogisticMember.fromBytes(bytes);
      case BoostedTrees.FAMILY -> BoostedTrees.fromBytes(bytes);
      case NetworkMember.FAMILY -> NetworkMember.fromBytes(bytes);
      default -> throw new IllegalArgumentException("unknown member family '" + family + "'");
    };
  }
}
