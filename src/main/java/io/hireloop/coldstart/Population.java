package io.hireloop.coldstart;

import io.hireloop.journey.Domain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The peers the cold start learns from (users with at least {@code minApplications} applications) and, once per
 * population, how much each profile field tells about the interview rate ({@link FieldGain} over everyone): the
 * similarity of two profiles weighs each field by that gain, so that neighbours are near on what matters.
 */
public final class Population {
  /** A peer and its similarity to the user asking. */
  public record Neighbour(Peer peer, double similarity) {}

  private final List<Peer> peers;
  private final ColdStartSettings settings;
  private final Map<ProfileField, FieldGain> gains = new EnumMap<>(ProfileField.class);
  private final Map<ProfileField, Double> weights = new EnumMap<>(ProfileField.class);
  /** Per list field, a value's weight in the Jaccard index: its shift of the rate plus a floor (unseen values get it). */
  private final Map<ProfileField, java.util.function.ToDoubleFunction<String>> valueWeights = new EnumMap<>(ProfileField.class);
  private final Map<ProfileField, Double> spreads = new EnumMap<>(ProfileField.class);
  private final long applications;
  private final long interviews;

  public Population(List<Peer> all, ColdStartSettings settings) {
    this.settings = settings;
    this.peers = all.stream().filter(p -> p.applications() >= settings.minApplications()).toList();
    long a = 0, i = 0;
    for (var p : peers) {
      a += p.applications();
      i += p.interviews();
    }
    applications = a;
    interviews = i;
    var ones = new double[peers.size()];
    java.util.Arrays.fill(ones, 1);
    double total = 0;
    for (var f : ProfileField.values()) {
      var g = FieldGain.of(f, peers, ones, settings.priorPseudoCount(), settings.options());
      gains.put(f, g);
      total += g.gain();
    }
    // no field tells anything (or no data): every answered field counts the same
    for (var f : ProfileField.values()) {
      weights.put(f, total > 0 ? gains.get(f).gain() / total : 1.0 / ProfileField.values().length);
      var shifts = gains.get(f).valueShifts();
      // a value that does not move the rate still makes two profiles alike, a tenth as much as an average one
      double floor = 0.1 * shifts.values().stream().mapToDouble(Math::abs).average().orElse(1);
      double safeFloor = floor > 0 ? floor : 1;
      valueWeights.put(f, v -> safeFloor + Math.abs(shifts.getOrDefault(v, 0.0)));
      // the spread of the field's encoding (Σ of its values' shifts) over the peers: 4 standard deviations
      double sum = 0, sq = 0;
      int n = 0;
      for (var p : peers) {
        if (!f.answered(p.profile())) continue;
        double e = encoding(f, p.profile());
        sum += e;
        sq += e * e;
        n++;
      }
      double sd = n < 2 ? 0 : Math.sqrt(Math.max(0, (sq - sum * sum / n) / (n - 1)));
      spreads.put(f, 4 * sd);
    }
  }

  /** Where the field's answer moves the rate: the sum of its values' shifts (0 for values no peer gave). */
  double encoding(ProfileField f, Domain.Profile p) {
    var shifts = gains.get(f).valueShifts();
    double e = 0;
    for (var v : f.values(p)) e += shifts.getOrDefault(v, 0.0);
    return e;
  }

  /**
   * How alike two answers of a field are: half their (value-weighted) overlap, half how close their answers move the
   * rate (1 − |encoding difference| / 4 sd of the encodings); a field with no spread is compared by overlap alone.
   */
  double fieldSimilarity(ProfileField f, Domain.Profile user, Domain.Profile other) {
    double overlap = f.similarity(user, other, valueWeights.get(f));
    double spread = spreads.get(f);
    if (spread <= 0 || !f.answered(other)) return overlap;
    double close = Math.max(0, 1 - Math.abs(encoding(f, user) - encoding(f, other)) / spread);
    return 0.5 * overlap + 0.5 * close;
  }

  public List<Peer> peers() {
    return peers;
  }

  public ColdStartSettings settings() {
    return settings;
  }

  /** The pooled interview rate of every peer; NaN without applications. */
  public double rate() {
    return applications == 0 ? Double.NaN : (double) interviews / applications;
  }

  public FieldGain gain(ProfileField f) {
    return gains.get(f);
  }

  public double weight(ProfileField f) {
    return weights.get(f);
  }

  /** 0..1: the gain-weighted mean of the fields' similarities over the fields {@code user} answered; 0 with none. */
  public double similarity(Domain.Profile user, Domain.Profile other) {
    double num = 0, den = 0;
    for (var f : ProfileField.values()) {
      if (!f.answered(user)) continue;
      num += weights.get(f) * fieldSimilarity(f, user, other);
      den += weights.get(f);
    }
    return den == 0 ? 0 : num / den;
  }

  /** Every peer but {@code userId}, most similar first (ties by user id, so the order is stable). */
  public List<Neighbour> neighbours(String userId, Domain.Profile user) {
    var out = new ArrayList<Neighbour>(peers.size());
    for (var p : peers) if (!p.userId().equals(userId)) out.add(new Neighbour(p, similarity(user, p.profile())));
    out.sort(Comparator.comparingDouble(Neighbour::similarity).reversed().thenComparing(n -> n.peer().userId()));
    return out;
  }
}
