package io.hireloop.learning.ensemble;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits rows by user and by time, never by row: the holdout is every row created in the last
 * {@code holdoutDays} (when the data spans at least three times that) plus every row of a seeded share of the
 * users; of the remaining users a seeded share validates (half of them fit the blend weights, the other half
 * the calibration and the interval's spread) and the rest train. So no user's rows are in both training and
 * validation or holdout, and no training row is later than a holdout row of the time split.
 *
 * @param cutoff rows created at or after it are held out; null when the data is too short for a time split
 */
public record Split(List<LabelledSnapshot> train, List<LabelledSnapshot> blend, List<LabelledSnapshot> calibration,
    List<LabelledSnapshot> holdout, Instant cutoff) {

  public record Settings(double holdoutUsers, double validationUsers, int holdoutDays, long seed) {
    public Settings {
      if (!(holdoutUsers > 0 && validationUsers > 0 && holdoutUsers + validationUsers < 0.9)) {
        throw new IllegalArgumentException("holdout and validation user shares must be > 0 and leave >= 10 % to train, were "
            + holdoutUsers + " and " + validationUsers);
      }
      if (holdoutDays < 0) throw new IllegalArgumentException("holdoutDays must be >= 0, was " + holdoutDays);
    }

    public static Settings defaults() {
      return new Settings(0.15, 0.2, 7, 42);
    }
  }

  public static Split of(List<LabelledSnapshot> rows, Settings s) {
    Instant first = null;
    Instant last = null;
    for (var r : rows) {
      var at = r.snapshot().appliedAt();
      if (at == null) continue;
      if (first == null || at.isBefore(first)) first = at;
      if (last == null || at.isAfter(last)) last = at;
    }
    var window = Duration.ofDays(s.holdoutDays());
    Instant cutoff = first != null && s.holdoutDays() > 0 && Duration.between(first, last).compareTo(window.multipliedBy(3)) >= 0
        ? last.minus(window) : null;
    var train = new ArrayList<LabelledSnapshot>();
    var blend = new ArrayList<LabelledSnapshot>();
    var calibration = new ArrayList<LabelledSnapshot>();
    var holdout = new ArrayList<LabelledSnapshot>();
    for (var r : rows) {
      double u = userPoint(r.userId(), s.seed());
      var at = r.snapshot().appliedAt();
      if (u < s.holdoutUsers() || (cutoff != null && at != null && !at.isBefore(cutoff))) holdout.add(r);
      else if (u < s.holdoutUsers() + s.validationUsers() / 2) blend.add(r);
      else if (u < s.holdoutUsers() + s.validationUsers()) calibration.add(r);
      else train.add(r);
    }
    return new Split(train, blend, calibration, holdout, cutoff);
  }

  /** The first and last creation time of some rows (null when none has one) and how many users they belong to. */
  public record Span(Instant from, Instant to, int users) {
    public static <T> Span of(List<T> rows, java.util.function.Function<T, String> user,
        java.util.function.Function<T, io.hireloop.learning.features.ApplicationSnapshot> snapshot) {
      Instant from = null, to = null;
      var users = new java.util.HashSet<String>();
      for (var r : rows) {
        users.add(user.apply(r));
        var at = snapshot.apply(r).appliedAt();
        if (at == null) continue;
        if (from == null || at.isBefore(from)) from = at;
        if (to == null || at.isAfter(to)) to = at;
      }
      return new Span(from, to, users.size());
    }
  }

  /** A user's fixed point in [0, 1) for this seed (SplitMix64 of the id's hash): the same user always lands on the same side. */
  static double userPoint(String userId, long seed) {
    long z = userId.hashCode() * 0x9E3779B97F4A7C15L + seed;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }
}
