package io.hireloop.experiment;

import io.hireloop.experiment.Experiment.Spec;
import io.hireloop.platform.serialization.HireloopSerializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Who of the user population takes part in an experiment, and with which variant weights. Part of the
 * experiment's state, changed only by its events (ramps, allocation changes, the layer range at start).
 *
 * <p>A user has two independent points in [0, 1): the <em>traffic point</em> {@code t} (from the layer's hash
 * when the experiment runs in a layer, else from a hash of the salt and the user) and the <em>variant point</em>
 * (the salt's hash, {@link Assignment#bucket}). The user is in the experiment iff {@code t < traffic}; growing
 * the traffic only adds users. Once started, {@code [0, traffic)} is cut into {@link Slice}s, each frozen with
 * the weights it was opened with: a ramp opens a new slice with the current {@code weights}, and an allocation
 * change only replaces {@code weights}, i.e. applies to traffic not yet ramped in. So in {@code fixed} mode no
 * change can move a user that could already have been exposed.
 *
 * @param traffic share of the experiment's population that is in it, (0, 1]
 * @param slices frozen slices of {@code [0, traffic)} once started (upper bounds increasing); empty in draft
 * @param weights per variant (definition order) for traffic ramped in later; in {@code thompson} mode the
 *     weights for users not exposed yet
 * @param layer the layer whose range the experiment holds (null: no layer, no mutual exclusion)
 * @param layerFrom start of the held range of the layer's hash space
 * @param layerTo end (exclusive) of the held range
 */
public record Allocation(double traffic, List<Slice> slices, List<Double> weights, String layer, double layerFrom,
    double layerTo) implements HireloopSerializable {

  /** Users whose traffic point is below {@code upTo} (and above the previous slice's) get {@code weights}. */
  public record Slice(double upTo, List<Double> weights) implements HireloopSerializable {}

  /** A new definition: all traffic, the defined allocations, no layer range yet. */
  public static Allocation initial(Spec spec) {
    return new Allocation(1.0, List.of(), spec.variants().stream().map(Experiment.Variant::allocation).toList(),
        null, Double.NaN, Double.NaN);
  }

  /** Layer names that mean "no layer": the experiment may share users with any other. */
  public static boolean isNamedLayer(String layer) {
    return layer != null && !layer.isBlank() && !layer.equals("default");
  }

  Allocation started() {
    return new Allocation(traffic, List.of(new Slice(traffic, weights)), weights, layer, layerFrom, layerTo);
  }

  /** {@code frozen}: the experiment has started, so the new traffic is a new slice with the current weights. */
  Allocation ramped(double newTraffic, boolean frozen) {
    if (!frozen) return new Allocation(newTraffic, slices, weights, layer, layerFrom, layerTo);
    var s = new ArrayList<>(slices);
    if (newTraffic > traffic) s.add(new Slice(newTraffic, weights));
    return new Allocation(newTraffic, List.copyOf(s), weights, layer, layerFrom, layerTo);
  }

  Allocation reweighted(List<Double> newWeights) {
    return new Allocation(traffic, slices, List.copyOf(newWeights), layer, layerFrom, layerTo);
  }

  Allocation inLayer(String layerName, double from, double to) {
    return new Allocation(traffic, slices, weights, layerName, from, to);
  }

  /**
   * The share of each variant expected among users in the experiment in {@code fixed} mode: each slice's
   * weights by its width of the traffic (for the sample-ratio check after a mid-flight allocation change).
   */
  public List<Double> expectedShares() {
    if (slices.isEmpty()) return weights;
    var shares = new ArrayList<Double>();
    for (int i = 0; i < weights.size(); i++) shares.add(0.0);
    double from = 0;
    for (var s : slices) {
      for (int i = 0; i < shares.size(); i++) shares.set(i, shares.get(i) + (s.upTo() - from) * s.weights().get(i) / traffic);
      from = s.upTo();
    }
    return shares;
  }

  public boolean layered() {
    return layer != null;
  }

  /**
   * The weights that decide a not yet exposed user's variant at traffic point {@code t}; null when the user
   * is outside the traffic. {@code current}: use the current weights ({@code thompson}) instead of the slice's.
   */
  public List<Double> weightsAt(double t, boolean current) {
    if (!(t >= 0 && t < traffic)) return null;
    if (current || slices.isEmpty()) return weights;
    for (var s : slices) {
      if (t < s.upTo()) return s.weights();
    }
    return weights;
  }
}
