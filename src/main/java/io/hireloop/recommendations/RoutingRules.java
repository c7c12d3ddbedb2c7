package io.hireloop.recommendations;

import com.typesafe.config.Config;
import io.hireloop.recommendations.Recommendation.CausalConfidence;
import io.hireloop.recommendations.Recommendation.Risk;
import io.hireloop.recommendations.Recommendation.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides a recommendation's route from its evidence and risk (pure: no actor system, settings in
 * {@code hireloop.recommendations.rules}). In order:
 * <ol>
 *   <li>Evidence that is confounded, or whose {@code causal_confidence} is LOW or missing (a causal finding without a
 *   model behind it), is never applied by the rules: it goes to {@code low-confidence-route}
 *   ({@code manual_review} by default, or {@code a_b_test} when the change can be tested).</li>
 *   <li>{@code auto_apply} when auto-apply is enabled, the risk is at most {@code auto-apply.max-risk}, and the evidence
 *   is strong: for a model, its confidence reaches {@code auto-apply.min-model-confidence}; for a causal finding,
 *   {@code causal_confidence} reaches {@code auto-apply.min-causal-confidence}, the estimate's interval excludes zero,
 *   the sample has at least {@code auto-apply.min-sample-size} and the expected impact's interval is above zero.</li>
 *   <li>{@code a_b_test} when enabled, the risk is at most {@code a-b-test.max-risk} and the change sets exactly one
 *   parameter (an experiment tests one).</li>
 *   <li>{@code manual_review} otherwise.</li>
 * </ol>
 */
public final class RoutingRules {

  /** The route and every reason that decided it, in the order checked. */
  public record Routing(Route route, List<String> reasons) {}

  public record Settings(boolean autoApply, Risk autoMaxRisk, CausalConfidence minCausalConfidence, long minSampleSize,
      double minModelConfidence, boolean abTest, Risk abMaxRisk, Route lowConfidenceRoute) {

    public Settings {
      if (lowConfidenceRoute == Route.AUTO_APPLY) throw new IllegalArgumentException("low-confidence-route may not be auto_apply");
    }

    /** {@code c}: {@code hireloop.recommendations.rules}. */
    public static Settings from(Config c) {
      return new Settings(c.getBoolean("auto-apply.enabled"), enumOf(Risk.class, c.getString("auto-apply.max-risk")),
          enumOf(CausalConfidence.class, c.getString("auto-apply.min-causal-confidence")), c.getLong("auto-apply.min-sample-size"),
          c.getDouble("auto-apply.min-model-confidence"), c.getBoolean("a-b-test.enabled"),
          enumOf(Risk.class, c.getString("a-b-test.max-risk")), enumOf(Route.class, c.getString("low-confidence-route")));
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String name) {
      return Enum.valueOf(type, name.toUpperCase(Locale.ROOT));
    }
  }

  private final Settings settings;

  public RoutingRules(Settings settings) {
    this.settings = settings;
  }

  public Routing route(RecommendationDraft d) {
    var reasons = new ArrayList<String>();
    var e = d.evidence();
    boolean testable = d.change().keys().size() == 1;
    boolean model = e.model() != null;
    if (!model && (e.confounded() || e.causalConfidence() == null || e.causalConfidence() == CausalConfidence.LOW)) {
      reasons.add(e.confounded() ? "the evidence is confounded (a refuter or the balance check failed): never applied by the rules"
          : "causal_confidence " + (e.causalConfidence() == null ? "missing" : "LOW") + ": never applied by the rules");
      var route = settings.lowConfidenceRoute();
      if (route == Route.A_B_TEST && !(settings.abTest() && testable && atMost(d.risk(), settings.abMaxRisk()))) {
        reasons.add("not testable as one experiment within the a_b_test rules");
        route = Route.MANUAL_REVIEW;
      }
      return new Routing(route, List.copyOf(reasons));
    }
    boolean strong = model ? strongModel(e.model(), reasons) : strongCause(d, reasons);
    boolean lowRisk = atMost(d.risk(), settings.autoMaxRisk());
    if (!lowRisk) reasons.add("risk " + d.risk().wire() + " above auto_apply's " + settings.autoMaxRisk().wire());
    if (settings.autoApply() && strong && lowRisk) return new Routing(Route.AUTO_APPLY, List.copyOf(reasons));
    if (!settings.autoApply()) reasons.add("auto_apply is disabled");
    if (!settings.abTest()) {
      reasons.add("a_b_test is disabled");
    } else if (!testable) {
      reasons.add("the change sets " + d.change().keys().size() + " parameters; an experiment tests one");
    } else if (!atMost(d.risk(), settings.abMaxRisk())) {
      reasons.add("risk " + d.risk().wire() + " above a_b_test's " + settings.abMaxRisk().wire());
    } else {
      return new Routing(Route.A_B_TEST, List.copyOf(reasons));
    }
    return new Routing(Route.MANUAL_REVIEW, List.copyOf(reasons));
  }

  private boolean strongModel(Recommendation.ModelEvidence m, List<String> reasons) {
    boolean ok = m.confidence() >= settings.minModelConfidence();
    reasons.add(String.format(Locale.ROOT, "model confidence %.3f %s %.3f", m.confidence(), ok ? ">=" : "<", settings.minModelConfidence()));
    return ok;
  }

  private boolean strongCause(RecommendationDraft d, List<String> reasons) {
    var e = d.evidence();
    boolean confident = e.causalConfidence().ordinal() <= settings.minCausalConfidence().ordinal(); // HIGH is ordinal 0
    reasons.add("causal_confidence " + e.causalConfidence().wire() + (confident ? " reaches " : " below ") + settings.minCausalConfidence().wire());
    boolean significant = e.significant();
    reasons.add(significant ? "the estimate's interval excludes 0" : "the estimate's interval includes 0 (or is missing)");
    long n = e.sampleSize() == null ? 0 : e.sampleSize();
    boolean enough = n >= settings.minSampleSize();
    reasons.add("sample size " + n + (enough ? " >= " : " < ") + settings.minSampleSize());
    boolean helps = d.impact().low() > 0;
    reasons.add(String.format(Locale.ROOT, "expected impact interval [%.4f, %.4f] %s", d.impact().low(), d.impact().high(),
        helps ? "above 0" : "reaches 0 or below"));
    return confident && significant && enough && helps;
  }

  /** {@code risk} is at most {@code max} (LOW < MEDIUM < HIGH). */
  private static boolean atMost(Risk risk, Risk max) {
    return risk.ordinal() <= max.ordinal();
  }
}
