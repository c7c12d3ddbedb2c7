package io.hireloop.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sample-ratio check of the exposures ({@link AdaptiveSrm}); {@code mismatch} blocks every decision.
 * {@code chi2} and {@code pValue} are null before any exposure ({@code chi2} also when a variant got exposures
 * that no split gave any weight: then {@code pValue} is 0). {@code expectedUsers}: per variant, in arm order.
 */
public record SrmCheck(Double chi2, Double pValue, boolean mismatch, double threshold, Map<String, Double> expectedUsers, int splits) {

  public SrmCheck {
    expectedUsers = Collections.unmodifiableMap(new LinkedHashMap<>(expectedUsers));
  }

  public Map<String, Object> toJson() {
    var m = new LinkedHashMap<String, Object>();
    m.put("chi2", chi2);
    m.put("p_value", pValue);
    m.put("mismatch", mismatch);
    m.put("threshold", threshold);
    m.put("expected_users", new LinkedHashMap<>(expectedUsers));
    m.put("splits", splits);
    return m;
  }
}
