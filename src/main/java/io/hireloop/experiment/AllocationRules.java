package io.hireloop.experiment;

import io.hireloop.experiment.Experiment.State;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What may change in an experiment's {@link Allocation}, and why not. The rule behind both checks: a change
 * may never move a user who could already have been exposed to another variant (it would bias the results),
 * so once started traffic only grows and {@code fixed} weights change only for traffic not ramped in yet.
 */
final class AllocationRules {
  private AllocationRules() {}

  static final Set<String> ENDED = Set.of("completed", "rolled_out", "rolled_back");
  static final Set<String> MODES = Set.of("manual", "thompson");

  /** {@code code}: {@code conflict} (409) or {@code bad_request} (400). */
  record Refusal(String code, String message) {}

  static Refusal ramp(State s, double traffic) {
    if (!(traffic > 0 && traffic <= 1)) return new Refusal("bad_request", "traffic must be in (0, 1], got " + traffic);
    if (ENDED.contains(s.status())) return new Refusal("conflict", "cannot ramp an experiment that is " + s.status());
    double now = s.allocation().traffic();
    if (!"draft".equals(s.status()) && traffic < now) {
      return new Refusal("conflict", "cannot lower traffic from " + share(now) + " to " + share(traffic) + " while the experiment is "
          + s.status() + ": users already exposed would leave their variant; pause the experiment to stop exposures instead");
    }
    return null;
  }

  static Refusal reweight(State s, List<Double> weights, String mode) {
    if (!MODES.contains(mode)) return new Refusal("bad_request", "mode must be one of " + MODES);
    int n = s.spec().variants().size();
    if (weights.size() != n) return new Refusal("bad_request", "need one allocation per variant (" + n + "), got " + weights.size());
    double sum = 0;
    for (double w : weights) {
      if (!(w >= 0 && w <= 1)) return new Refusal("bad_request", "allocations must be in [0, 1]");
      sum += w;
    }
    if (Math.abs(sum - 1) > 1e-6) return new Refusal("bad_request", "allocations must sum to 1, got " + sum);
    if (ENDED.contains(s.status())) return new Refusal("conflict", "cannot change allocations of an experiment that is " + s.status());
    boolean thompson = "thompson".equals(s.spec().allocationMode());
    if (mode.equals("thompson") && !thompson) {
      return new Refusal("conflict", "experiment " + s.spec().experimentId() + " has allocation_mode fixed, not thompson");
    }
    if (!"draft".equals(s.status()) && !thompson && s.allocation().traffic() >= 1) {
      return new Refusal("conflict", "cannot change allocations while the experiment is " + s.status() + " at 100% traffic: every user"
          + " of it may already be exposed and would move to another variant, which biases the results. Allowed only into"
          + " traffic not yet assigned: ramp below 100% first (before start), then the new allocation applies to traffic added by later ramps");
    }
    return null;
  }

  static String share(double x) {
    return Math.round(x * 10000) / 100.0 + "%";
  }

  static String weights(List<Double> w) {
    return w.stream().map(AllocationRules::share).collect(Collectors.joining("/"));
  }
}
