package io.hireloop.experiment;

import io.hireloop.experiment.Experiment.Spec;
import io.hireloop.experiment.ExposureProjection.Row;
import io.hireloop.stats.HypothesisTests;
import io.hireloop.stats.MultipleTesting;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The analysis of {@code GET /experiments/{id}/results}, from the exposure rows: pure, so it is tested
 * without a cluster. Only users whose attribution window has fully elapsed count, with outcomes inside the
 * window ({@link OutcomeMetric}); with a window of 0 every exposed user counts with every outcome so far.
 *
 * <p>Success metric: per treatment vs control ({@link MetricComparison}), Holm across treatments, CUPED
 * ({@link Cuped}). Guardrails: each guardrail metric per treatment; breached when the treatment is worse
 * with a one-sided p &lt; {@link #GUARDRAIL_ALPHA}. SRM (chi-square, p &lt; 0.001) blocks every decision.
 * A time-to-event metric (time to first interview) is censored data ({@link TimeToEvent}): every eligible user
 * counts, the log-rank p-value and the RMST difference take the place of the t test's p and difference.
 */
public final class Results {
  private Results() {}

  public static final double ALPHA = MetricComparison.ALPHA;
  /** One-sided level at which a guardrail counts as breached (treatment worse). */
  public static final double GUARDRAIL_ALPHA = 0.025;

  /**
   * One variant's users for one metric: exposed, eligible, values (users with a value) and their covariates.
   * For a {@link OutcomeMetric#timeToEvent} metric every eligible user has a value, the observed time, and
   * {@code events} says which times are events (the others are censored); null for other metrics.
   */
  record Arm(String variantId, long exposed, long eligible, double[] values, double[] covariates, boolean[] events) {}

  public static ExperimentResults compute(Spec spec, String status, List<Row> rows, Instant now) {
    return compute(spec, status, rows, now, (ExpectedShares) null);
  }

  /**
   * {@code expectedShares}: each variant's expected share of exposures, in the spec's variant order, for the
   * sample-ratio check (after a mid-flight allocation change they differ from the definition's split:
   * {@link Allocation#expectedShares()}); null means the definition's allocations.
   */
  public static ExperimentResults compute(Spec spec, String status, List<Row> rows, Instant now, List<Double> expectedShares) {
    return compute(spec, status, rows, now, expectedShares == null ? null : ExpectedShares.constant(expectedShares));
  }

  /**
   * {@code expectedShares}: the split each exposed user was assigned under (weights change over time with
   * {@code thompson}, and per traffic slice in {@code fixed} mode); null means the definition's allocations.
   * The sample-ratio check is then {@link AdaptiveSrm}.
   */
  public static ExperimentResults compute(Spec spec, String status, List<Row> rows, Instant now, ExpectedShares expectedShares) {
    var window = OutcomeMetric.window(spec.attributionWindowDays());
    var metric = OutcomeMetric.of(spec.successMetric());
    var arms = arms(spec, metric, rows, window, now);
    double tau = metric.timeToEvent ? TimeToEvent.tau(window, arms) : Double.NaN;

    var variants = arms.stream().map(a -> new VariantResult(a.variantId(), a.exposed(), a.eligible(),
        metric.timeToEvent ? TimeToEvent.arm(a, tau) : MetricComparison.arm(metric, a.values()))).toList();
    var srm = srm(spec, expectedShares, arms, rows);

    var control = arms.get(0);
    var treatments = arms.subList(1, arms.size());
    var tests = new ArrayList<MetricComparison>();
    var cuped = new ArrayList<Cuped.Adjusted>();
    var fit = Cuped.fit(concat(arms, Arm::values), concat(arms, Arm::covariates));
    double baseline = metric == OutcomeMetric.INTERVIEW_RATE ? spec.baselineRate() : MetricComparison.mean(control.values());
    for (var t : treatments) {
      if (!MetricComparison.comparable(control.values(), t.values())) {
        tests.add(null);
        cuped.add(null);
        continue;
      }
      tests.add(compare(metric, control, t, baseline, spec, tau));
      cuped.add(metric.timeToEvent ? Cuped.Adjusted.notApplicable(TimeToEvent.NO_CUPED)
          : Cuped.compare(fit, control.values(), control.covariates(), t.values(), t.covariates()));
    }
    // Holm across the treatments that could be tested
    var holm = new Double[tests.size()];
    var testable = tests.stream().filter(c -> c != null).mapToDouble(MetricComparison::pValue).toArray();
    var adjusted = testable.length == 0 ? new double[0] : MultipleTesting.holm(testable);
    for (int i = 0, k = 0; i < tests.size(); i++) {
      if (tests.get(i) != null) holm[i] = adjusted[k++];
    }
    var comparisons = new ArrayList<ExperimentResults.TreatmentComparison>();
    for (int i = 0; i < treatments.size(); i++) {
      comparisons.add(new ExperimentResults.TreatmentComparison(treatments.get(i).variantId(), tests.get(i), cuped.get(i), holm[i]));
    }
    var guardrails = guardrails(spec, rows, window, now);
    var decision = new Decision(spec, control, treatments, tests, holm, guardrails, srm.mismatch()).decide();
    return new ExperimentResults(spec.experimentId(), status, metric, spec.attributionWindowDays(), now, variants, srm, comparisons,
        guardrails, decision, null);
  }

  private static MetricComparison compare(OutcomeMetric metric, Arm control, Arm t, double baseline, Spec spec, double tau) {
    return metric.timeToEvent ? TimeToEvent.compare(metric, control, t, tau)
        : MetricComparison.of(metric, control.values(), t.values(), baseline, spec.expectedImprovement());
  }

  /** Control first, then the treatments in definition order. */
  static List<Arm> arms(Spec spec, OutcomeMetric metric, List<Row> rows, Duration window, Instant now) {
    var byVariant = new LinkedHashMap<String, List<Row>>();
    spec.variants().stream().map(Experiment.Variant::variantId).sorted((a, b) -> a.equals("control") ? -1 : b.equals("control") ? 1 : 0)
        .forEach(v -> byVariant.put(v, new ArrayList<>()));
    for (var r : rows) {
      var list = byVariant.get(r.variantId());
      if (list != null) list.add(r); // a variant no longer in the definition: not analysable
    }
    var arms = new ArrayList<Arm>();
    byVariant.forEach((id, list) -> {
      var values = new ArrayList<Double>();
      var covariates = new ArrayList<Double>();
      var events = new ArrayList<Boolean>();
      long eligible = 0;
      for (var r : list) {
        if (!OutcomeMetric.eligible(r, window, now)) continue;
        eligible++;
        if (metric.timeToEvent) {
          var o = metric.observation(r, window, now);
          values.add(o.days());
          events.add(o.event());
          covariates.add(OutcomeMetric.preExposureInterviewRate(r));
          continue;
        }
        var v = metric.value(r, window, now);
        if (v == null) continue;
        values.add(v);
        covariates.add(OutcomeMetric.preExposureInterviewRate(r));
      }
      var e = new boolean[events.size()];
      for (int i = 0; i < e.length; i++) e[i] = events.get(i);
      arms.add(new Arm(id, list.size(), eligible, unbox(values), unbox(covariates), metric.timeToEvent ? e : null));
    });
    return arms;
  }

  /**
   * Sample-ratio mismatch on exposures against the split each user was assigned under ({@link AdaptiveSrm}:
   * Pearson's χ² when everyone had the same split); {@link SrmCheck#mismatch} blocks decisions.
   */
  private static SrmCheck srm(Spec spec, ExpectedShares expectedShares, List<Arm> arms, List<Row> rows) {
    var variants = spec.variants();
    var index = new LinkedHashMap<String, Integer>();
    for (var a : arms) index.put(a.variantId(), index.size());
    var order = new int[arms.size()]; // arm position → definition position
    for (int i = 0; i < variants.size(); i++) order[index.get(variants.get(i).variantId())] = i;
    var definition = variants.stream().map(Experiment.Variant::allocation).toList();
    var splits = new LinkedHashMap<List<Double>, Long>();
    for (var r : rows) {
      if (!index.containsKey(r.variantId())) continue; // not analysable (see arms)
      splits.merge(expectedShares == null ? definition : expectedShares.of(r), 1L, Long::sum);
    }
    var split = new ArrayList<AdaptiveSrm.Split>();
    splits.forEach((w, n) -> {
      var shares = new double[arms.size()];
      for (int a = 0; a < shares.length; a++) shares[a] = w.get(order[a]);
      split.add(new AdaptiveSrm.Split(shares, n));
    });
    long[] observed = arms.stream().mapToLong(Arm::exposed).toArray();
    var s = AdaptiveSrm.test(observed, split);
    boolean any = Arrays.stream(observed).sum() > 0;
    var expected = new LinkedHashMap<String, Double>();
    for (int a = 0; a < arms.size(); a++) expected.put(arms.get(a).variantId(), Math.round(s.expected()[a] * 10) / 10.0);
    return new SrmCheck(any && Double.isFinite(s.chi2()) ? s.chi2() : null, any ? s.pValue() : null, s.mismatch(),
        HypothesisTests.SRM_THRESHOLD, expected, splits.size());
  }

  /** Every guardrail metric for every treatment; {@code breached} when the treatment is significantly worse. */
  static List<GuardrailCheck> guardrails(Spec spec, List<Row> rows, Duration window, Instant now) {
    var out = new ArrayList<GuardrailCheck>();
    for (var name : spec.guardrailMetrics()) {
      var metric = OutcomeMetric.of(name);
      var arms = arms(spec, metric, rows, window, now);
      var control = arms.get(0);
      double baseline = MetricComparison.mean(control.values());
      double tau = metric.timeToEvent ? TimeToEvent.tau(window, arms) : Double.NaN;
      for (var t : arms.subList(1, arms.size())) {
        if (!MetricComparison.comparable(control.values(), t.values())) {
          out.add(GuardrailCheck.notEvaluated(metric, t.variantId()));
          continue;
        }
        var c = compare(metric, control, t, baseline, spec, tau);
        var tte = c.timeToEvent(); // RMSTs up to τ; the p-value is the log-rank test's
        out.add(new GuardrailCheck(metric, t.variantId(), c, tte != null ? tte.rmst().group0().estimate() : baseline,
            tte != null ? tte.rmst().group1().estimate() : MetricComparison.mean(t.values()), tau));
      }
    }
    return out;
  }

  private static double[] concat(List<Arm> arms, java.util.function.Function<Arm, double[]> f) {
    return arms.stream().flatMapToDouble(a -> Arrays.stream(f.apply(a))).toArray();
  }

  private static double[] unbox(List<Double> l) {
    return l.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
