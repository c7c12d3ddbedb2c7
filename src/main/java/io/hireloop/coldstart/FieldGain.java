package io.hireloop.coldstart;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * What knowing one profile field tells about a user's interview rate, over weighted peers: the expected reduction in
 * the variance of the predicted rate when the answer becomes known, Σ_v P(v)·(μ_v − μ)² (law of total variance: the
 * prediction moves from μ to μ_v). A peer with several values counts 1/|values| for each; peers who did not answer the
 * field are left out (P(v) is the answer distribution among those who did). μ_v is the value's pooled interview rate
 * shrunk toward μ by {@code pseudoCount} applications, so that rare values do not pass noise for information.
 *
 * @param options the most frequent values, most frequent first, with their share among the answers
 * @param valueShifts per value, μ_v − μ: where knowing it moves the prediction
 */
public record FieldGain(ProfileField field, double gain, int answeredPeers, List<Option> options,
    java.util.Map<String, Double> valueShifts) {

  public record Option(String value, double share) {}

  /** @param weights one per peer (similarity to the user, or 1) */
  public static FieldGain of(ProfileField field, List<Peer> peers, double[] weights, double pseudoCount, int maxOptions) {
    var byValue = new LinkedHashMap<String, double[]>(); // value -> {mass, applications, interviews}
    double apps = 0, interviews = 0, mass = 0;
    int answered = 0;
    for (int i = 0; i < peers.size(); i++) {
      var peer = peers.get(i);
      var values = field.values(peer.profile());
      if (values.isEmpty() || weights[i] <= 0) continue;
      answered++;
      double w = weights[i] / values.size();
      for (var v : values) {
        var acc = byValue.computeIfAbsent(v, k -> new double[3]);
        acc[0] += w;
        acc[1] += w * peer.applications();
        acc[2] += w * peer.interviews();
      }
      mass += weights[i];
      apps += weights[i] * peer.applications();
      interviews += weights[i] * peer.interviews();
    }
    if (apps <= 0) return new FieldGain(field, 0, answered, List.of(), java.util.Map.of());
    double mu = interviews / apps;
    double gain = 0;
    var shifts = new java.util.HashMap<String, Double>();
    for (var e : byValue.entrySet()) {
      var acc = e.getValue();
      double muV = (acc[2] + pseudoCount * mu) / (acc[1] + pseudoCount);
      gain += acc[0] / mass * (muV - mu) * (muV - mu);
      shifts.put(e.getKey(), muV - mu);
    }
    var options = new ArrayList<Option>();
    double total = mass;
    byValue.entrySet().stream()
        .sorted(Comparator.comparingDouble((java.util.Map.Entry<String, double[]> e) -> -e.getValue()[0]).thenComparing(java.util.Map.Entry::getKey))
        .limit(maxOptions)
        .forEach(e -> options.add(new Option(e.getKey(), e.getValue()[0] / total)));
    return new FieldGain(field, gain, answered, options, shifts);
  }
}
