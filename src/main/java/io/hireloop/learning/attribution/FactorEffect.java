package io.hireloop.learning.attribution;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * The attributed effect of one level of one factor on the interview probability of the applications at that level.
 * {@code estimate}, {@code stdError}, {@code ciLow}, {@code ciHigh} are a risk difference (probability points /100) on
 * those applications, from {@code primaryMethod}; {@code logOdds…} the same on the log-odds scale. Rendered to JSON by
 * Jackson with snake_case names (the API's field names).
 *
 * @param group edits, timing or strategy
 * @param factor e.g. the edit type, "weekday", "hour", "strategy_mode", "category"
 * @param level the factor's level ("yes" for an edit made; e.g. "Tuesday"); its effect is against the mean of the
 *     factor's other levels
 * @param pValue two-sided p of the primary estimate; {@code pValueAdjusted} the same after Holm's adjustment over its
 *     family of comparisons (all edit types; the levels of one timing or strategy factor)
 * @param methodEstimates by method name, the primary first
 * @param balance the largest |standardised mean difference| of the covariates after propensity weighting; null where no
 *     weighting method ran
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FactorEffect(String group, String factor, String level, String primaryMethod, double estimate, double stdError,
    double ciLow, double ciHigh, double logOdds, double logOddsCiLow, double logOddsCiHigh, Map<String, MethodEstimate> methodEstimates,
    double naiveDifference, double naiveLogOdds, double pValue, double pValueAdjusted, List<RefuterCheck> refuters, Double balance, int nTreated, int nControl,
    Confidence causalConfidence, List<String> warnings) {

  public FactorEffect {
    methodEstimates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(methodEstimates));
    refuters = List.copyOf(refuters);
    warnings = List.copyOf(warnings);
  }

  /**
   * HIGH: significant after adjustment, every method agrees, every refuter passes, balance reached; MEDIUM: significant
   * and the refuters pass; LOW otherwise.
   */
  public enum Confidence { HIGH, MEDIUM, LOW }

  /**
   * One method's estimate of the same effect, as a risk difference with its 95% CI (log-odds where the method has
   * them). {@code estimand}: att (effect on the treated), late (compliers of an instrument), within_user, …
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record MethodEstimate(String method, String estimand, double estimate, double stdError, double ciLow, double ciHigh,
      Double logOdds) {}

  /**
   * A refuter's verdict: the re-estimated effect (log-odds) under a change that should leave the estimate alone
   * (random common cause, data subset) or send it to zero (placebo treatment, dummy outcome), and the rule it was held to.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record RefuterCheck(String name, double newEstimate, double expected, boolean passed, String rule) {}
}
