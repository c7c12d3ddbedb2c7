package io.hireloop.experiment;

import io.hireloop.experiment.Experiment.Spec;
import io.hireloop.experiment.ExposureProjection.Row;
import io.hireloop.stats.HypothesisTests;
import io.hireloop.stats.Intervals;
import io.hireloop.stats.MultipleTesting;
import io.hireloop.stats.Power;
import io.hireloop.stats.SequentialTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analysis of {@code GET /experiments/{id}/results}, from the exposure rows: pure, so it is tested
 * without a cluster. Only users whose attribution window has fully elapsed count (conversions inside the
 * window); with a window of 0 every exposed user counts with every conversion so far.
 */
public final class Results {
  private Results() {}

  public static final double ALPHA = 0.05;

  public record Arm(String variantId, long exposed, long eligible, long conversions) {
    double rate() {
      return eligible == 0 ? 0 : (double) conversions / eligible;
    }
  }

  public static Map<String, Object> compute(Spec spec, String status, List<Row> rows, Instant now) {
    var window = Duration.ofMillis(Math.round(spec.attributionWindowDays() * 86_400_000L));
    var arms = new LinkedHashMap<String, long[]>(); // exposed, eligible, conversions
    for (var v : spec.variants()) arms.put(v.variantId(), new long[3]);
    for (var r : rows) {
      var a = arms.get(r.variantId());
      if (a == null) continue; // a variant no longer in the definition: not analysable
      a[0]++;
      var windowEnd = r.exposedAt().plus(window);
      boolean eligible = window.isZero() || !windowEnd.isAfter(now);
      if (!eligible) continue;
      a[1]++;
      if (r.convertedAt() != null && (window.isZero() || !r.convertedAt().isAfter(windowEnd))) a[2]++;
    }
    var list = new ArrayList<Arm>();
    arms.forEach((id, a) -> list.add(new Arm(id, a[0], a[1], a[2])));

    var out = new LinkedHashMap<String, Object>();
    out.put("experiment_id", spec.experimentId());
    out.put("status", status);
    out.put("success_metric", spec.successMetric());
    out.put("attribution_window_days", spec.attributionWindowDays());
    out.put("as_of", now.toString());
    var variants = new ArrayList<Map<String, Object>>();
    for (var a : list) {
      var m = new LinkedHashMap<String, Object>();
      m.put("variant_id", a.variantId());
      m.put("exposed_users", a.exposed());
      m.put("eligible_users", a.eligible());
      m.put("conversions", a.conversions());
      m.put("rate", a.eligible() == 0 ? null : a.rate());
      if (a.eligible() > 0) {
        var ci = Intervals.wilson(a.conversions(), a.eligible());
        m.put("ci", List.of(ci.low(), ci.high()));
      } else {
        m.put("ci", null);
      }
      variants.add(m);
    }
    out.put("variants", variants);

    // sample-ratio mismatch on exposures against the allocations
    long[] observed = list.stream().mapToLong(Arm::exposed).toArray();
    double[] shares = spec.variants().stream().mapToDouble(Experiment.Variant::allocation).toArray();
    var srm = new LinkedHashMap<String, Object>();
    boolean srmMismatch = false;
    if (java.util.Arrays.stream(observed).sum() > 0) {
      var s = HypothesisTests.srm(observed, shares);
      srmMismatch = s.mismatch();
      srm.put("chi2", s.chi2());
      srm.put("p_value", s.pValue());
    } else {
      srm.put("chi2", null);
      srm.put("p_value", null);
    }
    srm.put("mismatch", srmMismatch);
    srm.put("threshold", HypothesisTests.SRM_THRESHOLD);
    out.put("srm", srm);

    var control = list.stream().filter(a -> a.variantId().equals("control")).findFirst().orElseThrow();
    var treatments = list.stream().filter(a -> !a.variantId().equals("control")).toList();
    var comparisons = new ArrayList<Map<String, Object>>();
    var raw = new ArrayList<Double>();
    for (var t : treatments) {
      var m = new LinkedHashMap<String, Object>();
      m.put("variant_id", t.variantId());
      if (control.eligible() < 2 || t.eligible() < 2) {
        m.put("problem", "not enough eligible users yet");
        comparisons.add(m);
        raw.add(null);
        continue;
      }
      var test = HypothesisTests.proportions(control.conversions(), control.eligible(), t.conversions(), t.eligible(), ALPHA);
      m.put("absolute_difference", test.difference());
      m.put("relative_difference", control.rate() == 0 ? null : test.difference() / control.rate());
      m.put("ci", List.of(test.ciLow(), test.ciHigh()));
      m.put("p_value", test.pValue());
      m.put("effect_size_cohens_h", test.effectSize());
      m.put("achieved_power", achievedPower(control, t));
      double mde = spec.baselineRate() * spec.expectedImprovement();
      var seq = new SequentialTest(Math.max(mde * mde, 1e-6), ALPHA);
      m.put("always_valid_p_value", seq.lookProportions(control.conversions(), control.eligible(), t.conversions(), t.eligible()).pValue());
      comparisons.add(m);
      raw.add(Double.isNaN(test.pValue()) ? 1.0 : test.pValue());
    }
    // Holm across the treatments that could be tested
    var testable = raw.stream().filter(p -> p != null).mapToDouble(Double::doubleValue).toArray();
    var adjusted = testable.length == 0 ? new double[0] : MultipleTesting.holm(testable);
    for (int i = 0, k = 0; i < comparisons.size(); i++) {
      if (raw.get(i) != null) comparisons.get(i).put("p_value_holm", adjusted[k++]);
    }
    out.put("comparisons", comparisons);
    out.put("cuped", "not computed: needs each user's pre-exposure interview rate (not in the read model yet)");
    decide(spec, control, treatments, comparisons, srmMismatch, out);
    return out;
  }

  private static Double achievedPower(Arm control, Arm t) {
    double p0 = control.rate();
    double d = t.rate() - p0;
    try {
      return Power.powerProportions(p0, d, Math.min(control.eligible(), t.eligible()), ALPHA);
    } catch (IllegalArgumentException e) {
      return null; // rate of 0 or 1, or no difference: power undefined
    }
  }

  private static void decide(Spec spec, Arm control, List<Arm> treatments, List<Map<String, Object>> comparisons,
      boolean srm, Map<String, Object> out) {
    boolean enough = control.eligible() >= spec.minimumSampleSize()
        && treatments.stream().allMatch(t -> t.eligible() >= spec.minimumSampleSize());
    // harm: a treatment significantly worse than control (after Holm)
    String harmful = null;
    Map<String, Object> best = null;
    for (var c : comparisons) {
      if (!c.containsKey("p_value_holm")) continue;
      double p = (double) c.get("p_value_holm");
      double diff = (double) c.get("absolute_difference");
      if (p < ALPHA && diff < 0 && harmful == null) harmful = (String) c.get("variant_id");
      if (diff > 0 && (best == null || diff > (double) best.get("absolute_difference"))) best = c;
    }
    var checks = new ArrayList<Map<String, Object>>();
    checks.add(check("sample_size", enough, "every variant has at least minimum_sample_size = " + spec.minimumSampleSize()
        + " eligible users"));
    boolean significant = best != null && (double) best.get("p_value_holm") < ALPHA;
    checks.add(check("p_value", significant, "the best treatment's Holm-adjusted p < " + ALPHA));
    Object rel = best == null ? null : best.get("relative_difference");
    boolean meaningful = rel instanceof Double r && r >= Ethics.MIN_EXPECTED_IMPROVEMENT;
    checks.add(check("meaningful_effect", meaningful, "relative lift ≥ " + Ethics.MIN_EXPECTED_IMPROVEMENT));
    @SuppressWarnings("unchecked")
    boolean ciAboveZero = best != null && ((List<Double>) best.get("ci")).get(0) > 0;
    checks.add(check("ci_lower_bound", ciAboveZero, "the difference's CI lower bound > 0"));
    checks.add(check("no_srm", !srm, "sample-ratio mismatch p ≥ " + HypothesisTests.SRM_THRESHOLD));
    checks.add(check("guardrails", harmful == null,
        "no treatment significantly worse on the success metric (guardrail_metrics themselves are not evaluated yet)"));
    String decision;
    if (srm) decision = "continue_test"; // SRM blocks every decision: the assignment itself is suspect
    else if (harmful != null) decision = "stop_for_harm";
    else if (!enough) decision = "continue_test";
    else if (checks.stream().allMatch(c -> (boolean) c.get("pass"))) decision = "roll_out_winner";
    else decision = "no_significant_difference";
    out.put("decision", decision);
    out.put("winner", decision.equals("roll_out_winner") ? best.get("variant_id") : null);
    out.put("harmful_variant", harmful);
    out.put("checks", checks);
  }

  private static Map<String, Object> check(String name, boolean pass, String rule) {
    var m = new LinkedHashMap<String, Object>();
    m.put("name", name);
    m.put("pass", pass);
    m.put("rule", rule);
    return m;
  }
}
