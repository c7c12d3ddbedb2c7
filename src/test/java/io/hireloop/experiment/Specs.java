package io.hireloop.experiment;

import io.hireloop.experiment.Experiment.Spec;
import io.hireloop.experiment.Experiment.Variant;
import java.util.List;

/** Valid experiment definitions for tests. */
final class Specs {
  private Specs() {}

  /** Passes every ethics check: baseline 0.10, +20% expected, 4,000 users per variant (3,841 needed). */
  static Spec valid(String id) {
    return new Spec(id, "Lower fit bar", "More applications at fit 55 raise interviews", "job_discovery",
        "min_fit_score_to_apply",
        List.of(new Variant("control", "60", "60", 0.5, null, null), new Variant("low", "55", "55", 0.5, -0.1, 0.2)),
        "interview_rate", List.of("offer_rate"), 4000, 30, 14, 0.20, "revert min_fit_score_to_apply to 60", "default", "fixed",
        0.10, id);
  }

  /** {@link #valid} in a named layer (exclusive with the layer's other experiments) and allocation mode. */
  static Spec inLayer(String id, String layer, String mode) {
    var s = valid(id);
    return new Spec(s.experimentId(), s.name(), s.hypothesis(), s.component(), s.parameter(), s.variants(), s.successMetric(),
        s.guardrailMetrics(), s.minimumSampleSize(), s.maximumDurationDays(), s.attributionWindowDays(),
        s.expectedImprovement(), s.rollbackPlan(), layer, mode, s.baselineRate(), s.salt());
  }

  static Spec withVariants(Spec s, List<Variant> variants) {
    return new Spec(s.experimentId(), s.name(), s.hypothesis(), s.component(), s.parameter(), variants, s.successMetric(),
        s.guardrailMetrics(), s.minimumSampleSize(), s.maximumDurationDays(), s.attributionWindowDays(),
        s.expectedImprovement(), s.rollbackPlan(), s.layer(), s.allocationMode(), s.baselineRate(), s.salt());
  }

  static Spec with(Spec s, long minimumSampleSize, double expectedImprovement, String rollbackPlan) {
    return new Spec(s.experimentId(), s.name(), s.hypothesis(), s.component(), s.parameter(), s.variants(), s.successMetric(),
        s.guardrailMetrics(), minimumSampleSize, s.maximumDurationDays(), s.attributionWindowDays(),
        expectedImprovement, rollbackPlan, s.layer(), s.allocationMode(), s.baselineRate(), s.salt());
  }
}
