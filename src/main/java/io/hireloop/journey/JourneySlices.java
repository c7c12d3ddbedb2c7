package io.hireloop.journey;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;

/**
 * How the JobSeeker journal is cut into slices for the read side: a user belongs to slice
 * {@code floorMod(userId.hashCode(), count)} and every event of theirs is tagged {@code journey-<slice>}, so one
 * read-side instance sees all of a user's events, in order. The slice count bounds read-side parallelism (one
 * instance per slice, spread over the cluster), so it is sized for the largest cluster, not for one node.
 *
 * <p>A journal keeps the tags it was written with. {@code earlier} lists the slice counts the journal was
 * written with before {@code count}, oldest first (recorded in Cassandra, see {@link SliceHistory}); each divides
 * the next (and {@code count}), so a user's slice under an earlier count is their slice now modulo that count. A
 * user's events written under an earlier count are read from that count's tag, keeping only this slice's users;
 * see {@link SliceSource}.
 */
public record JourneySlices(int count, List<Integer> earlier) {
  public static final String COUNT_PATH = "hireloop.journey.slices";
  public static final int DEFAULT_COUNT = 32;

  public JourneySlices {
    if (count < 1) throw new IllegalArgumentException(COUNT_PATH + " must be at least 1: " + count);
    earlier = List.copyOf(earlier);
    int next = count;
    for (int i = earlier.size() - 1; i >= 0; i--) {
      int c = earlier.get(i);
      if (c < 1 || next % c != 0) {
        throw new IllegalArgumentException("earlier journey slice counts " + earlier + " with " + COUNT_PATH + " = " + count
            + ": each earlier slice count must divide the next one (e.g. 4 -> 32, 32 -> 128)");
      }
      next = c;
    }
  }

  /** The configured count with no earlier ones: what a node runs with until {@link SliceHistory} read the journal's. */
  public static JourneySlices of(Config config) {
    return new JourneySlices(configuredCount(config), List.of());
  }

  public static int configuredCount(Config config) {
    return config.hasPath(COUNT_PATH) ? config.getInt(COUNT_PATH) : DEFAULT_COUNT;
  }

  public int sliceOf(String userId) {
    return sliceOf(userId, count);
  }

  static int sliceOf(String userId, int count) {
    return Math.floorMod(userId.hashCode(), count);
  }

  public String tagFor(String userId) {
    return tag(sliceOf(userId));
  }

  public static String tag(int slice) {
    return "journey-" + slice;
  }

  /** The tags of the current count, slice 0 first. */
  public List<String> tags() {
    var tags = new ArrayList<String>(count);
    for (int i = 0; i < count; i++) tags.add(tag(i));
    return List.copyOf(tags);
  }

  /**
   * The earlier tags that hold events of {@code slice}'s users, oldest count first, without the slice's own tag
   * (a tag named like the slice's holds its users' earlier events too, and is read anyway).
   */
  public List<String> earlierTags(int slice) {
    var tags = new ArrayList<String>();
    for (int c : earlier) {
      var t = tag(slice % c);
      if (!t.equals(tag(slice)) && !tags.contains(t)) tags.add(t);
    }
    return List.copyOf(tags);
  }
}
