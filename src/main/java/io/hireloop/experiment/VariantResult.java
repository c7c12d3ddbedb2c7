package io.hireloop.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

/** One variant in the results: users exposed, users eligible (attribution window elapsed), its figures on the success metric. */
public record VariantResult(String variantId, long exposedUsers, long eligibleUsers, ArmSummary summary) {

  public Map<String, Object> toJson() {
    var m = new LinkedHashMap<String, Object>();
    m.put("variant_id", variantId);
    m.put("exposed_users", exposedUsers);
    m.put("eligible_users", eligibleUsers);
    m.putAll(summary.toJson());
    return m;
  }
}
