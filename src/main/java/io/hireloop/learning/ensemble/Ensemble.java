package io.hireloop.learning.ensemble;

import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.learning.features.FeaturePipeline;
import io.hireloop.platform.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A trained ensemble: the fitted feature pipeline, its members, the blend (a logistic regression on the
 * members' logits, non-negative weights), the calibrator, and the spread of the interval.
 *
 * <p>Prediction: {@code z = intercept + Σ w_m·logit_m(x)}, {@code p = calibrator(z)}. The explanation is
 * on the blended logit {@code z} (before calibration, which is monotone): feature f contributes
 * {@code Σ_m w_m·φ_{m,f}} from the base {@code intercept + Σ_m w_m·base_m}, where φ are the members' own
 * attributions summed over the feature's columns; base + Σ contributions = z exactly.
 *
 * <p>Interval, on the logit of the calibrated probability: {@code logit(p) ± z·√(τ² + s²)}, where s is the
 * standard deviation of the members' logits (their disagreement: what the models do not agree on) and τ the
 * spread of the users' own log-odds around the model (what no feature shows: ability, luck with one recruiter),
 * estimated by {@link EnsembleTrainer} on the calibration users; z is the normal quantile of the level. The
 * interval is for the application's interview probability, not for its outcome.
 */
public final class Ensemble {
  private static final int MAGIC = 0x484C454E; // "HLEN"
  private static final int FORMAT_VERSION = 1;

  /**
   * What the blend, the calibration and the interval learned; stored as JSON beside the members' bytes.
   *
   * @param heterogeneity τ, the users' spread around the model on the logit scale (see the class comment)
   * @param setQuantile the split-conformal quantile of the outcome sets (see {@link #outcomeSet})
   */
  public record Blend(List<String> families, double[] weights, double intercept, Calibrator calibrator, double level,
      double heterogeneity, double threshold, double setQuantile) {}

  public record Interval(double low, double high, double level) {}

  public record MemberProbability(String model, double probability) {}

  public record Contribution(String feature, String value, double contribution) {}

  /**
   * @param baseValue the explanation's base on the blended logit; {@code baseValue + Σ contribution (all features)}
   *     = {@code logit}, the explanation lists the largest only
   */
  public record Prediction(double probability, Interval interval, List<MemberProbability> members, double disagreement,
      double logit, double baseValue, List<Contribution> explanation, OutcomeSet outcomeSet) {}

  /**
   * The outcomes that the split-conformal set at {@code level} keeps: {@value #POSITIVE} (the model's event happens: an
   * interview, an offer) and/or {@value #NEGATIVE}.
   */
  public record OutcomeSet(List<String> outcomes, double level) {}

  public static final String POSITIVE = "positive";
  public static final String NEGATIVE = "negative";

  private final FeaturePipeline pipeline;
  private final List<Member> members;
  private final Blend blend;
  private final String[] columnFeatures;
  /** The normal quantile of the interval's level. */
  private final double intervalZ;

  public Ensemble(FeaturePipeline pipeline, List<Member> members, Blend blend) {
    if (members.size() != blend.families().size()) throw new IllegalArgumentException("members and blend weights differ");
    this.pipeline = pipeline;
    this.members = List.copyOf(members);
    this.blend = blend;
    this.columnFeatures = pipeline.columnNames().stream().map(FeaturePipeline::featureOf).toArray(String[]::new);
    this.intervalZ = NORMAL.inverseCumulativeProbability((1 + blend.level()) / 2);
  }

  public FeaturePipeline pipeline() {
    return pipeline;
  }

  public List<Member> members() {
    return members;
  }

  public Blend blend() {
    return blend;
  }

  /** The members' logits for encoded rows: [member][row]. */
  double[][] memberLogits(float[][] x) {
    var out = new double[members.size()][];
    for (int m = 0; m < members.size(); m++) out[m] = members.get(m).logits(x);
    return out;
  }

  double blendLogit(double[][] memberLogits, int row) {
    double z = blend.intercept();
    for (int m = 0; m < members.size(); m++) z += blend.weights()[m] * memberLogits[m][row];
    return z;
  }

  /** Calibrated probabilities only (training, evaluation, bulk scoring). */
  public double[] probabilities(float[][] x) {
    var logits = memberLogits(x);
    var out = new double[x.length];
    for (int i = 0; i < x.length; i++) out[i] = blend.calibrator().apply(blendLogit(logits, i));
    return out;
  }

  public double[] probabilities(List<ApplicationSnapshot> snapshots) {
    return probabilities(encode(snapshots));
  }

  public float[][] encode(List<ApplicationSnapshot> snapshots) {
    var x = new float[snapshots.size()][];
    for (int i = 0; i < x.length; i++) x[i] = pipeline.encode(snapshots.get(i));
    return x;
  }

  /** Full predictions (interval, members, explanation with the {@code top} largest contributions) for many rows at once. */
  /**
   * @param top features in each explanation, largest |contribution| first; 0 = no explanation at all (the members'
   *     attributions, most of a prediction's cost, are then not computed: {@code explanation} is empty and
   *     {@code baseValue} NaN)
   */
  public List<Prediction> predict(List<ApplicationSnapshot> snapshots, int top) {
    var x = encode(snapshots);
    var logits = memberLogits(x);
    var attributions = new Member.Attribution[members.size()][];
    if (top > 0) {
      for (int m = 0; m < members.size(); m++) if (blend.weights()[m] != 0) attributions[m] = members.get(m).attribute(x);
    }
    var out = new ArrayList<Prediction>(x.length);
    for (int i = 0; i < x.length; i++) out.add(predictRow(snapshots.get(i), attributions, logits, i, top));
    return out;
  }

  /** Predictions in the order given; {@code order}: their indexes by probability, highest first. */
  public record Ranked(List<Prediction> predictions, List<Integer> order) {}

  /**
   * Scores every snapshot, ranks them by probability, and explains only the {@code explainTop} highest (every
   * feature; 0: none): a ranked list shows its reasons where a person looks first, and the members' attributions
   * are most of a prediction's cost.
   */
  public Ranked rank(List<ApplicationSnapshot> snapshots, int explainTop) {
    var predictions = new ArrayList<>(predict(snapshots, 0));
    var order = new ArrayList<Integer>(predictions.size());
    for (int i = 0; i < predictions.size(); i++) order.add(i);
    order.sort(Comparator.comparingDouble((Integer i) -> -predictions.get(i).probability()));
    var explained = order.subList(0, Math.min(Math.max(explainTop, 0), order.size()));
    if (!explained.isEmpty()) {
      var full = predict(explained.stream().map(snapshots::get).toList(), Integer.MAX_VALUE);
      for (int k = 0; k < explained.size(); k++) predictions.set(explained.get(k), full.get(k));
    }
    return new Ranked(List.copyOf(predictions), List.copyOf(order));
  }

  public Prediction predict(ApplicationSnapshot snapshot, int top) {
    return predict(List.of(snapshot), top).get(0);
  }

  /** @param attributions per member, every row's attribution; null for a member of weight 0 */
  private Prediction predictRow(ApplicationSnapshot snapshot, Member.Attribution[][] attributions, double[][] logits, int i, int top) {
    double z = blendLogit(logits, i);
    double p = blend.calibrator().apply(z);
    var memberProbabilities = new ArrayList<MemberProbability>(members.size());
    var probs = new double[members.size()];
    for (int m = 0; m < members.size(); m++) {
      probs[m] = LogisticMember.sigmoid(logits[m][i]);
      memberProbabilities.add(new MemberProbability(members.get(m).family(), probs[m]));
    }
    double sigma = disagreement(probs);
    var interval = interval(p, logitSpread(logits, i));
    var set = outcomeSet(p);
    if (top <= 0) return new Prediction(p, interval, memberProbabilities, sigma, z, Double.NaN, List.of(), set);
    double base = blend.intercept();
    var byFeature = new LinkedHashMap<String, Double>();
    for (int m = 0; m < members.size(); m++) {
      double w = blend.weights()[m];
      if (w == 0) continue;
      var a = attributions[m][i];
      base += w * a.base();
      for (int j = 0; j < a.contributions().length; j++) {
        if (a.contributions()[j] == 0) continue;
        byFeature.merge(columnFeatures[j], w * a.contributions()[j], Double::sum);
      }
    }
    var values = pipeline.displayValues(snapshot);
    var explanation = byFeature.entrySet().stream()
        .sorted(Comparator.comparingDouble((java.util.Map.Entry<String, Double> e) -> -Math.abs(e.getValue())))
        .limit(top)
        .map(e -> new Contribution(e.getKey(), values.getOrDefault(e.getKey(), ""), e.getValue()))
        .toList();
    return new Prediction(p, interval, memberProbabilities, sigma, z, base, explanation, set);
  }

  /**
   * The split-conformal outcome set (Sadinle, Lei and Wasserman's least ambiguous set): keeps an outcome y when its
   * nonconformity 1 − P(y) is at most the quantile fitted on the calibration users, so that the set holds the real
   * outcome for at least {@code level} of new applications exchangeable with those. Empty when neither is plausible
   * enough, both when the model cannot tell.
   */
  OutcomeSet outcomeSet(double p) {
    var outcomes = new ArrayList<String>(2);
    if (1 - p <= blend.setQuantile()) outcomes.add(POSITIVE);
    if (p <= blend.setQuantile()) outcomes.add(NEGATIVE);
    return new OutcomeSet(List.copyOf(outcomes), blend.level());
  }

  Interval interval(double p, double memberLogitSpread) {
    double half = intervalZ * Math.sqrt(blend.heterogeneity() * blend.heterogeneity() + memberLogitSpread * memberLogitSpread);
    double l = Math.log(p / (1 - p));
    return new Interval(LogisticMember.sigmoid(l - half), LogisticMember.sigmoid(l + half), blend.level());
  }

  /** Standard deviation of the members' logits for one row, each weighted equally; 0 with one member. */
  static double logitSpread(double[][] memberLogits, int row) {
    var z = new double[memberLogits.length];
    for (int m = 0; m < z.length; m++) z[m] = memberLogits[m][row];
    return disagreement(z);
  }

  private static final org.hipparchus.distribution.continuous.NormalDistribution NORMAL =
      new org.hipparchus.distribution.continuous.NormalDistribution(0, 1);

  /** Population standard deviation of the values (the members' probabilities or logits); 0 with one member. */
  static double disagreement(double[] probs) {
    if (probs.length < 2) return 0;
    double mean = 0;
    for (double v : probs) mean += v;
    mean /= probs.length;
    double ss = 0;
    for (double v : probs) ss += (v - mean) * (v - mean);
    return Math.sqrt(ss / probs.length);
  }

  /** Envelope: magic, version, pipeline JSON, blend JSON, then each member's family and bytes. */
  public byte[] toBytes() {
    try {
      var bytes = new ByteArrayOutputStream();
      var out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeInt(FORMAT_VERSION);
      writeBlock(out, Json.write(pipeline).getBytes(StandardCharsets.UTF_8));
      writeBlock(out, Json.write(blend).getBytes(StandardCharsets.UTF_8));
      out.writeInt(members.size());
      for (var m : members) {
        out.writeUTF(m.family());
        writeBlock(out, m.toBytes());
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Ensemble fromBytes(byte[] bytes) {
    try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != MAGIC) throw new IllegalArgumentException("not a Hireloop ensemble model");
      int version = in.readInt();
      if (version != FORMAT_VERSION) throw new IllegalArgumentException("unsupported ensemble format version " + version);
      var pipeline = Json.MAPPER.readValue(readBlock(in), FeaturePipeline.class);
      if (!pipeline.version().equals(FeaturePipeline.VERSION)) {
        throw new IllegalArgumentException("model uses feature pipeline " + pipeline.version() + ", this build has " + FeaturePipeline.VERSION);
      }
      var blend = Json.MAPPER.readValue(readBlock(in), Blend.class);
      int n = in.readInt();
      var members = new ArrayList<Member>(n);
      for (int i = 0; i < n; i++) {
        var family = in.readUTF();
        members.add(Members.fromBytes(family, readBlock(in)));
      }
      return new Ensemble(pipeline, members, blend);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read ensemble bytes: " + e.getMessage(), e);
    }
  }

  /** A copy with one member replaced (online updates of the logistic member). */
  public Ensemble withMember(int index, Member member) {
    var copy = new ArrayList<>(members);
    copy.set(index, member);
    return new Ensemble(pipeline, copy, blend);
  }

  private static void writeBlock(DataOutputStream out, byte[] block) throws IOException {
    out.writeInt(block.length);
    out.write(block);
  }

  private static byte[] readBlock(DataInputStream in) throws IOException {
    var block = new byte[in.readInt()];
    in.readFully(block);
    return block;
  }
}
