package io.hireloop.experiment;

import io.hireloop.experiment.Experiment.Spec;
import io.hireloop.experiment.ExposureProjection.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The split (weight per variant, definition order) an exposed user was assigned under, for the sample-ratio
 * check ({@link AdaptiveSrm}). Pure.
 *
 * <ul>
 *   <li>{@code fixed} mode: the weights of the slice holding the user's traffic point ({@link Allocation}): slices
 *       are frozen, so this is exactly the split the user was drawn from, whenever they were exposed. Ramps alone
 *       do not change the split (a new slice gets the current weights); only an allocation change followed by a
 *       ramp does.</li>
 *   <li>{@code thompson} mode: the weights in force at the user's {@code exposed_at} (every weight change is an
 *       {@link Experiment.AllocationChanged} with its time; ramps never change the split, since new users of every
 *       traffic point get the current weights).</li>
 * </ul>
 */
@FunctionalInterface
public interface ExpectedShares {

  /** The weights (definition order) {@code row}'s user was assigned under. */
  List<Double> of(Row row);

  /** Weights that changed at {@code at} (an {@link Experiment.AllocationChanged}). */
  record Change(Instant at, List<Double> weights) {}

  /** The same split for everyone (no change, or the caller knows the overall shares). */
  static ExpectedShares constant(List<Double> shares) {
    var s = List.copyOf(shares);
    return row -> s;
  }

  /** {@code fixed} mode: the slice at the user's traffic point. */
  static ExpectedShares fixed(Spec spec, Allocation allocation) {
    var fallback = allocation.expectedShares(); // a user outside every slice cannot have been exposed; be safe
    return row -> {
      var w = allocation.weightsAt(Assignment.trafficPoint(spec, allocation, row.userId()), false);
      return w == null ? fallback : w;
    };
  }

  /** {@code thompson} mode: {@code initial} (the definition's) until the first change, then each change from its time on. */
  static ExpectedShares timeline(List<Double> initial, List<Change> changes) {
    var sorted = new ArrayList<>(changes);
    sorted.sort(Comparator.comparing(Change::at));
    var at = sorted.stream().map(Change::at).toArray(Instant[]::new);
    var first = List.copyOf(initial);
    return row -> {
      int lo = 0, hi = at.length; // first change after exposed_at
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (at[mid].isAfter(row.exposedAt())) hi = mid;
        else lo = mid + 1;
      }
      return lo == 0 ? first : sorted.get(lo - 1).weights();
    };
  }

  /** What the check expects for an experiment: {@code changes} are its allocation changes (read only for thompson). */
  static ExpectedShares of(Spec spec, Allocation allocation, List<Change> changes) {
    if ("thompson".equals(spec.allocationMode())) {
      return timeline(spec.variants().stream().map(Experiment.Variant::allocation).toList(), changes);
    }
    return allocation == null ? null : fixed(spec, allocation);
  }
}
