package io.hireloop.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.journey.Domain;
import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import io.hireloop.learning.ResponseTimeTrainer;
import io.hireloop.learning.attribution.Attribution;
import io.hireloop.learning.ensemble.Ensemble;
import io.hireloop.learning.ensemble.EnsembleTrainer;
import io.hireloop.learning.ensemble.LabelledSnapshot;
import io.hireloop.learning.ensemble.MemberTrainers;
import io.hireloop.learning.ensemble.Split;
import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.learning.features.ExampleRow;
import io.hireloop.learning.features.TrainingFold;
import io.hireloop.learning.features.UserHistory;
import io.hireloop.platform.Json;
import io.hireloop.stats.ClassificationMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The learning-quality report ({@code bin/hireloop evaluate}) on a simulated data set: everything the
 * learning loop would see is rebuilt offline from {@code events.jsonl}, and compared with the planted truth
 * in {@code ground_truth.json} and {@code truth.jsonl}.
 *
 * <ul>
 *   <li><b>Examples</b>: one per application, mirroring {@code learning.TrainingSetProjection}: its
 *       {@code APPLICATION_CREATED} context; labelled positive once a {@code STATUS_CHANGED} reaches an interview
 *       status ({@link Domain#INTERVIEW_STATUSES}), negative once it reaches rejected/ghosted/withdrawn without
 *       an interview; applications with neither by the end of the run are unlabelled and left out.</li>
 *   <li><b>Split</b>: by user (a seeded shuffle of the users; {@link #HOLDOUT_USERS} of them held out), so no
 *       user's applications are on both sides. The model is the ensemble trained by {@link EnsembleTrainer} (default
 *       settings, the given seed) on the training users only.</li>
 *   <li><b>Model vs oracle</b>: AUC and ECE (10 bins) of the model's predictions on the held-out applications,
 *       and of the true probabilities ({@code truth.jsonl} {@code p}) on the same applications and labels.</li>
 *   <li><b>Naive effects</b>: an edit type is "active" on an application when a {@code RESUME_REWRITTEN} event of
 *       the same user listing it in {@code edit_types} precedes the application in the file (edits accumulate on
 *       the resume and are never removed, as in the simulator). The naive effect is the interview rate of the
 *       labelled applications sent with the edit active minus the rate of those sent without it (also given in
 *       log-odds, the scale of the true effects). The same for applying on a Tuesday (UTC), whose true effect is 0.</li>
 *   <li><b>Offer model</b>: the offer-given-interview ensemble on the interviewed applications with a known offer
 *       outcome, same split settings; holdout AUC and ECE.</li>
 *   <li><b>Response-time model</b>: the Weibull AFT model on the applications with a known first-response time
 *       (ghosted/withdrawn first = censored), same split settings; holdout Harrell's C and horizon calibration.</li>
 * </ul>
 */
public final class Evaluation {
  public static final double HOLDOUT_USERS = 0.2;
  static final Set<String> NEGATIVE_OUTCOMES = Set.of("rejected", "ghosted", "withdrawn");

  private Evaluation() {}

  /** Unusable input: missing files, no labelled applications, a file that is not what it should be. */
  public static final class BadInput extends RuntimeException {
    public BadInput(String message) {
      super(message);
    }
  }

  private static final class App {
    final String userId;
    final ApplicationContext context;
    final int editMask;
    final boolean tuesday;
    boolean label;
    boolean labelled;
    ExampleRow row;

    App(String userId, ApplicationContext context, int editMask, boolean tuesday) {
      this.userId = userId;
      this.context = context;
      this.editMask = editMask;
      this.tuesday = tuesday;
    }
  }

  /** The report, as an ordered map ready to be written as one JSON object. */
  public static Map<String, Object> run(Path dir, long seed) throws IOException {
    return run(dir, seed, MemberTrainers.ALL);
  }

  /** @param families the ensemble's members (MemberTrainers names) */
  public static Map<String, Object> run(Path dir, long seed, List<String> families) throws IOException {
    var eventsFile = dir.resolve("events.jsonl");
    var gtFile = dir.resolve("ground_truth.json");
    var truthFile = dir.resolve("truth.jsonl");
    for (var f : List.of(eventsFile, gtFile, truthFile)) {
      if (!Files.isRegularFile(f)) {
        throw new BadInput(f + " not found: --data must be a directory written by bin/hireloop simulate"
            + " (events.jsonl, ground_truth.json, truth.jsonl)");
      }
    }
    JsonNode gt;
    try {
      gt = Json.read(Files.readString(gtFile));
    } catch (IllegalArgumentException e) {
      throw new BadInput(gtFile + ": " + e.getMessage());
    }
    if (!gt.path("edit_effects").isObject()) throw new BadInput(gtFile + " has no edit_effects: not a simulator ground truth");
    List<String> editTypes = new ArrayList<>();
    gt.path("edit_effects").fieldNames().forEachRemaining(editTypes::add);

    var apps = readEvents(eventsFile, editTypes);
    var labelled = new ArrayList<Map.Entry<String, App>>();
    for (var e : apps.entrySet()) if (e.getValue().labelled) labelled.add(e);
    if (labelled.isEmpty()) throw new BadInput(eventsFile + " holds no labelled application (no APPLICATION_CREATED followed by an outcome)");
    var truthP = readTruth(truthFile, apps);

    var rows = new ArrayList<LabelledSnapshot>();
    for (var e : labelled) rows.add(new LabelledSnapshot(e.getValue().userId, e.getValue().row.snapshot(), e.getValue().label));
    var settings = EnsembleTrainer.Settings.defaults();
    settings = new EnsembleTrainer.Settings(new Split.Settings(settings.split().holdoutUsers(), settings.split().validationUsers(),
        settings.split().holdoutDays(), seed), settings.level(), settings.threshold(), settings.explanationSample());
    EnsembleTrainer.Trained trained;
    long t0 = System.nanoTime();
    try {
      trained = new EnsembleTrainer(MemberTrainers.of(families, seed)).train(rows, settings, EnsembleTrainer.Progress.NONE);
    } catch (IllegalArgumentException e) {
      throw new BadInput("cannot train on this data set: " + e.getMessage());
    }
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    var split = Split.of(rows, settings.split());
    var test = split.holdout();
    int[] y = test.stream().mapToInt(r -> r.label() ? 1 : 0).toArray();
    var snapshots = test.stream().map(LabelledSnapshot::snapshot).toList();
    var predictions = trained.ensemble().predict(snapshots, 0);
    double[] predicted = predictions.stream().mapToDouble(Ensemble.Prediction::probability).toArray();
    double[] oracle = new double[test.size()];
    var byRow = new java.util.IdentityHashMap<ApplicationSnapshot, String>();
    for (var e : labelled) byRow.put(e.getValue().row.snapshot(), e.getKey());
    int covered = 0;
    for (int i = 0; i < oracle.length; i++) {
      var appId = byRow.get(test.get(i).snapshot());
      Double p = truthP.get(appId);
      if (p == null) throw new BadInput(truthFile + " has no line for application " + appId);
      oracle[i] = p;
      var interval = predictions.get(i).interval();
      if (p >= interval.low() && p <= interval.high()) covered++;
    }
    long heldOutUsers = test.stream().map(LabelledSnapshot::userId).distinct().count();
    int testPositives = java.util.Arrays.stream(y).sum();

    var report = new LinkedHashMap<String, Object>();
    report.put("data", dir.toString());
    report.put("seed", seed);
    var counts = new LinkedHashMap<String, Object>();
    counts.put("applications", apps.size());
    counts.put("labelled", labelled.size());
    counts.put("interview_rate", round((double) labelled.stream().filter(e -> e.getValue().label).count() / labelled.size()));
    counts.put("users", labelled.stream().map(e -> e.getValue().userId).distinct().count());
    counts.put("train_examples", split.train().size());
    counts.put("blend_examples", split.blend().size());
    counts.put("calibration_examples", split.calibration().size());
    counts.put("heldout_users", heldOutUsers);
    counts.put("heldout_examples", test.size());
    counts.put("heldout_from", split.cutoff() == null ? null : split.cutoff().toString());
    counts.put("heldout_interview_rate", round((double) testPositives / y.length));
    report.put("examples", counts);
    var m = new LinkedHashMap<String, Object>();
    m.put("auc", round(ClassificationMetrics.auc(predicted, y)));
    m.put("ece", round(ClassificationMetrics.expectedCalibrationError(predicted, y, 10)));
    m.put("log_loss", round(ClassificationMetrics.logLoss(predicted, y)));
    m.put("brier", round(ClassificationMetrics.brier(predicted, y)));
    m.put("calibration", trained.report().calibration());
    m.put("train_seconds", Math.round(trainSeconds * 10) / 10.0);
    var members = new LinkedHashMap<String, Object>();
    for (var mr : trained.report().members()) {
      var mm = new LinkedHashMap<String, Object>();
      mm.put("weight", round(mr.weight()));
      mm.put("auc", round(mr.metrics().auc()));
      mm.put("ece", round(mr.metrics().ece()));
      mm.put("log_loss", round(mr.metrics().logLoss()));
      mm.put("train_seconds", Math.round(mr.trainingSeconds() * 10) / 10.0);
      members.put(mr.model(), mm);
    }
    m.put("members", members);
    var interval = new LinkedHashMap<String, Object>();
    interval.put("level", settings.level());
    interval.put("heterogeneity", round(trained.report().heterogeneity()));
    interval.put("coverage_of_true_probability", round((double) covered / oracle.length));
    interval.put("mean_width", round(trained.report().holdoutIntervalWidth()));
    // by how much of the user's history the model had: where the truth sits relative to the prediction
    int[] edges = {0, 1, 5, 20, Integer.MAX_VALUE};
    var byHistory = new ArrayList<Map<String, Object>>();
    for (int b = 0; b + 1 < edges.length; b++) {
      int n = 0, in = 0;
      double dev = 0;
      for (int i = 0; i < oracle.length; i++) {
        int prior = test.get(i).snapshot().priorLabelled();
        if (prior < edges[b] || prior >= edges[b + 1]) continue;
        n++;
        var iv = predictions.get(i).interval();
        if (oracle[i] >= iv.low() && oracle[i] <= iv.high()) in++;
        dev += Math.pow(logit(oracle[i]) - logit(predicted[i]), 2);
      }
      var row = new LinkedHashMap<String, Object>();
      row.put("prior_labelled", edges[b] + (edges[b + 1] == Integer.MAX_VALUE ? "+" : "-" + (edges[b + 1] - 1)));
      row.put("applications", n);
      row.put("rms_logit_error_vs_truth", n == 0 ? null : round(Math.sqrt(dev / n)));
      row.put("coverage", n == 0 ? null : round((double) in / n));
      byHistory.add(row);
    }
    interval.put("by_history", byHistory);
    m.put("interval", interval);
    var sets = trained.report().outcomeSets();
    var outcomeSets = new LinkedHashMap<String, Object>();
    outcomeSets.put("level", sets.level());
    outcomeSets.put("quantile", round(sets.quantile()));
    outcomeSets.put("coverage_of_outcomes", round(sets.holdoutCoverage()));
    outcomeSets.put("mean_size", round(sets.holdoutMeanSize()));
    m.put("outcome_sets", outcomeSets);
    m.put("top_features", trained.report().featureImportance().stream().limit(8)
        .map(f -> f.feature() + " " + round(f.importance())).toList());
    report.put("model", m);
    var o = new LinkedHashMap<String, Object>();
    o.put("auc", round(ClassificationMetrics.auc(oracle, y)));
    o.put("ece", round(ClassificationMetrics.expectedCalibrationError(oracle, y, 10)));
    o.put("log_loss", round(ClassificationMetrics.logLoss(oracle, y)));
    o.put("brier", round(ClassificationMetrics.brier(oracle, y)));
    o.put("auc_all_applications", gt.path("oracle_auc").asDouble(Double.NaN));
    report.put("oracle", o);
    report.put("auc_gap", round(ClassificationMetrics.auc(oracle, y) - ClassificationMetrics.auc(predicted, y)));

    report.put("offer_model", offerModel(apps, settings, families, seed));
    report.put("response_time_model", responseTimeModel(apps, settings));

    var effects = new LinkedHashMap<String, Object>();
    for (int e = 0; e < editTypes.size(); e++) {
      int bit = 1 << e;
      effects.put(editTypes.get(e), effect(labelled, a -> (a.editMask & bit) != 0, gt.path("edit_effects").path(editTypes.get(e)).asDouble()));
    }
    report.put("edit_effects", effects);
    report.put("attribution", attribution(rows, gt));
    report.put("tuesday_effect", effect(labelled, a -> a.tuesday, gt.path("tuesday_effect").asDouble(0)));
    report.put("definitions", Map.of(
        "naive_rate_difference", "interview rate of labelled applications sent with the edit on the resume minus without it",
        "naive_log_odds", "logit(rate with) - logit(rate without): the naive effect on the scale of true_log_odds",
        "true_log_odds", "the planted causal effect (ground_truth.json), log-odds of an interview",
        "bias", "naive_log_odds - true_log_odds: what confounding adds (able, organised users edit more and apply on Tuesdays)"));
    return report;
  }

  /**
   * The interview-labelled snapshots of a simulated data set, built with the node's fold (the rows the models and
   * {@link Attribution} see), without training anything.
   */
  public static List<LabelledSnapshot> labelledSnapshots(Path dir) throws IOException {
    JsonNode gt = Json.read(Files.readString(dir.resolve("ground_truth.json")));
    List<String> editTypes = new ArrayList<>();
    gt.path("edit_effects").fieldNames().forEachRemaining(editTypes::add);
    var rows = new ArrayList<LabelledSnapshot>();
    for (var a : readEvents(dir.resolve("events.jsonl"), editTypes).values()) {
      if (a.labelled) rows.add(new LabelledSnapshot(a.userId, a.row.snapshot(), a.label));
    }
    rows.sort(java.util.Comparator.comparing((LabelledSnapshot r) -> r.snapshot().appliedAt()).thenComparing(LabelledSnapshot::userId));
    return rows;
  }

  /**
   * The attribution (edits, timing, strategy) next to the planted truth: for each edit the planted log-odds and the
   * planted effect on the treated in probability (ground_truth.json), whether the CI covers them; for Tuesday, whether
   * the CI covers the planted zero while the naive difference is positive.
   */
  static Map<String, Object> attribution(List<LabelledSnapshot> rows, JsonNode gt) {
    var report = Attribution.run(rows, Attribution.Settings.defaults(), Attribution.Progress.NONE);
    var out = new LinkedHashMap<String, Object>();
    var edits = new LinkedHashMap<String, Object>();
    for (var e : report.edits()) {
      var m = new LinkedHashMap<String, Object>();
      double truth = gt.path("edit_effects").path(e.factor()).asDouble(Double.NaN);
      double att = gt.path("edit_effects_att_probability_labelled").path(e.factor()).asDouble(Double.NaN);
      m.put("method", e.primaryMethod());
      m.put("log_odds", round(e.logOdds()));
      m.put("ci_log_odds", List.of(round(e.logOddsCiLow()), round(e.logOddsCiHigh())));
      m.put("true_log_odds", round(truth));
      m.put("ci_covers_true_log_odds", e.logOddsCiLow() <= truth && truth <= e.logOddsCiHigh());
      m.put("risk_difference", round(e.estimate()));
      m.put("ci_risk_difference", List.of(round(e.ciLow()), round(e.ciHigh())));
      m.put("true_risk_difference", round(att));
      m.put("error_risk_difference", round(e.estimate() - att));
      m.put("naive_log_odds", round(e.naiveLogOdds()));
      m.put("naive_difference", round(e.naiveDifference()));
      m.put("causal_confidence", e.causalConfidence().name());
      var methods = new LinkedHashMap<String, Object>();
      e.methodEstimates().forEach((name, me) -> methods.put(name, round(me.estimate())));
      m.put("method_risk_differences", methods);
      edits.put(e.factor(), m);
    }
    out.put("edits", edits);
    var tue = report.timing("weekday", "Tuesday");
    if (tue != null) {
      var m = new LinkedHashMap<String, Object>();
      m.put("log_odds", round(tue.logOdds()));
      m.put("ci_log_odds", List.of(round(tue.logOddsCiLow()), round(tue.logOddsCiHigh())));
      m.put("true_log_odds", gt.path("tuesday_effect").asDouble(0));
      m.put("ci_covers_zero", tue.logOddsCiLow() <= 0 && 0 <= tue.logOddsCiHigh());
      m.put("p_value_adjusted", round(tue.pValueAdjusted()));
      m.put("naive_difference", round(tue.naiveDifference()));
      m.put("causal_confidence", tue.causalConfidence().name());
      out.put("tuesday", m);
    }
    var strategy = new LinkedHashMap<String, Object>();
    for (var e : report.strategy()) {
      strategy.put(e.factor() + "=" + e.level(), Map.of("log_odds", round(e.logOdds()), "ci_log_odds",
          List.of(round(e.logOddsCiLow()), round(e.logOddsCiHigh())), "naive_difference", round(e.naiveDifference()),
          "causal_confidence", e.causalConfidence().name()));
    }
    out.put("strategy", strategy);
    out.put("seconds", report.durationMs() / 1000.0);
    return out;
  }

  /** The offer-given-interview ensemble on the interviewed applications with a known offer outcome, as the learning loop trains it. */
  private static Map<String, Object> offerModel(Map<String, App> apps, EnsembleTrainer.Settings settings, List<String> families, long seed) {
    var rows = new ArrayList<LabelledSnapshot>();
    for (var a : apps.values()) if (a.row.label() && a.row.offerLabelled()) rows.add(new LabelledSnapshot(a.userId, a.row.snapshot(), a.row.offer()));
    var m = new LinkedHashMap<String, Object>();
    m.put("examples", rows.size());
    m.put("offer_rate", rows.isEmpty() ? null : round(rows.stream().filter(LabelledSnapshot::label).count() / (double) rows.size()));
    var refused = EnsembleTrainer.insufficient(rows, settings);
    if (refused != null) {
      m.put("skipped", refused);
      return m;
    }
    long t0 = System.nanoTime();
    var trained = new EnsembleTrainer(MemberTrainers.of(families, seed)).train(rows, settings, EnsembleTrainer.Progress.NONE);
    var h = trained.report().holdout();
    m.put("heldout_examples", h.count());
    m.put("auc", round(h.auc()));
    m.put("ece", round(h.ece()));
    m.put("log_loss", round(h.logLoss()));
    m.put("brier", round(h.brier()));
    m.put("calibration", trained.report().calibration());
    m.put("train_seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
    m.put("note", "the simulator draws an offer after an interview at random (0.6 x 0.35 of interviewed applications),"
        + " independent of every feature: an AUC near 0.5 is the truth, not a defect");
    return m;
  }

  /** The response-time survival model on the applications with a known first-response time (answered or censored). */
  private static Map<String, Object> responseTimeModel(Map<String, App> apps, EnsembleTrainer.Settings ensembleSettings) {
    var rows = new ArrayList<ResponseTimeTrainer.Row>();
    for (var a : apps.values()) {
      var r = a.row;
      if (r.responseDays() != null) rows.add(new ResponseTimeTrainer.Row(a.userId, r.snapshot(), r.responseDays(), r.responded(),
          r.labelled() ? r.label() : null));
    }
    var defaults = ResponseTimeTrainer.Settings.defaults();
    var settings = new ResponseTimeTrainer.Settings(ensembleSettings.split(), defaults.l2Grid(), defaults.horizonDays());
    var m = new LinkedHashMap<String, Object>();
    m.put("examples", rows.size());
    m.put("responded", rows.stream().filter(ResponseTimeTrainer.Row::responded).count());
    var refused = ResponseTimeTrainer.insufficient(rows, settings);
    if (refused != null) {
      m.put("skipped", refused);
      return m;
    }
    long t0 = System.nanoTime();
    var trained = ResponseTimeTrainer.train(rows, settings);
    var sv = trained.report().survival();
    var h = trained.report().holdout();
    m.put("heldout_examples", h.count());
    m.put("concordance", round(sv.concordance()));
    m.put("calibration_gap", round(h.ece()));
    m.put("brier_14_days", round(h.brier()));
    var horizons = new LinkedHashMap<String, Object>();
    for (var hz : sv.horizons()) horizons.put(String.valueOf(hz.days()), Map.of("predicted", round(hz.meanPredicted()), "observed_km", round(hz.observed())));
    m.put("p_response_within", horizons);
    m.put("median_predicted_days", round(sv.medianPredictedDays()));
    m.put("median_observed_days_km", sv.medianObservedDays() == null ? null : round(sv.medianObservedDays()));
    m.put("weibull_scale", round(sv.scale()));
    m.put("l2", sv.l2());
    m.put("train_seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
    m.put("top_features", trained.report().featureImportance().stream().limit(5).map(f -> f.feature() + " " + round(f.importance())).toList());
    return m;
  }

  private static Map<String, Object> effect(List<Map.Entry<String, App>> labelled, java.util.function.Predicate<App> treated,
      double trueLogOdds) {
    long n1 = 0, k1 = 0, n0 = 0, k0 = 0;
    for (var e : labelled) {
      var a = e.getValue();
      if (treated.test(a)) {
        n1++;
        if (a.label) k1++;
      } else {
        n0++;
        if (a.label) k0++;
      }
    }
    double r1 = n1 == 0 ? Double.NaN : (double) k1 / n1;
    double r0 = n0 == 0 ? Double.NaN : (double) k0 / n0;
    double naiveLogOdds = logit(r1) - logit(r0);
    var m = new LinkedHashMap<String, Object>();
    m.put("applications_with", n1);
    m.put("applications_without", n0);
    m.put("rate_with", round(r1));
    m.put("rate_without", round(r0));
    m.put("naive_rate_difference", round(r1 - r0));
    m.put("naive_log_odds", round(naiveLogOdds));
    m.put("true_log_odds", trueLogOdds);
    m.put("bias", round(naiveLogOdds - trueLogOdds));
    return m;
  }

  private static double logit(double p) {
    if (Double.isNaN(p)) return Double.NaN;
    double q = Math.min(1 - 1e-6, Math.max(1e-6, p));
    return Math.log(q / (1 - q));
  }

  /** NaN and infinities are not JSON: they become null. */
  private static Object round(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) return null;
    return Math.round(v * 10000) / 10000.0;
  }

  private static Map<String, App> readEvents(Path file, List<String> editTypes) throws IOException {
    var apps = new HashMap<String, App>();
    var masks = new HashMap<String, Integer>();
    var histories = new HashMap<String, UserHistory>();
    var seqs = new HashMap<String, Long>();
    long lineNo = 0;
    try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) continue;
        JsonNode ev;
        try {
          ev = Json.read(line);
        } catch (IllegalArgumentException e) {
          throw new BadInput(file + " line " + lineNo + ": " + e.getMessage());
        }
        var user = ev.path("user_id").asText();
        long seq = seqs.merge(user, 1L, Long::sum);
        var history = histories.getOrDefault(user, UserHistory.EMPTY);
        Instant at;
        try {
          at = Instant.parse(ev.path("timestamp").asText());
        } catch (java.time.format.DateTimeParseException e) {
          throw new BadInput(file + " line " + lineNo + ": unreadable timestamp");
        }
        switch (ev.path("event_type").asText()) {
          case "RESUME_REWRITTEN" -> {
            int mask = masks.getOrDefault(user, 0);
            for (var t : ev.path("edit_types")) {
              int i = editTypes.indexOf(t.asText());
              if (i >= 0) mask |= 1 << i;
            }
            masks.put(user, mask);
            var edits = new ArrayList<String>();
            for (var t : ev.path("edit_types")) edits.add(t.asText());
            histories.put(user, TrainingFold.resume(history, edits, ev.path("user_accepted").asBoolean(true), seq));
          }
          case "SUGGESTION_ACCEPTED", "SUGGESTION_EDITED", "SUGGESTION_REJECTED" ->
              histories.put(user, TrainingFold.suggestion(history, ev.path("suggested_content"), seq));
          case "APPLICATION_CREATED" -> {
            var c = ev.path("context");
            var j = c.path("job_characteristics");
            var ctx = new ApplicationContext(text(c, "strategy_mode"), c.path("fit_score").asDouble(Double.NaN), text(c, "category"),
                j.isObject() ? new JobCharacteristics(text(j, "title"), text(j, "company"), text(j, "seniority"), text(j, "location"),
                    text(j, "industry")) : null,
                c.path("resume_score").asDouble(Double.NaN), c.path("tailoring_applied").asBoolean(false));
            boolean tuesday = at.atZone(ZoneOffset.UTC).getDayOfWeek() == DayOfWeek.TUESDAY;
            var app = new App(user, ctx, masks.getOrDefault(user, 0), tuesday);
            var step = TrainingFold.created(history, ExampleRow.NONE, ctx, at, seq);
            app.row = step.row();
            histories.put(user, step.history());
            apps.put(ev.path("application_id").asText(), app);
          }
          case "STATUS_CHANGED" -> {
            var a = apps.get(ev.path("application_id").asText());
            if (a == null) continue; // an outcome of an application created before the data set began
            var status = ev.path("outcome").path("status").asText();
            var days = ev.path("outcome").path("days_to_response");
            var step = TrainingFold.status(history, a.row, status, null, at, days.isNumber() ? days.asInt() : null, seq);
            a.row = step.row();
            histories.put(user, step.history());
            if (Domain.INTERVIEW_STATUSES.contains(status)) {
              a.label = true;
              a.labelled = true;
            } else if (NEGATIVE_OUTCOMES.contains(status) && !a.labelled) {
              a.labelled = true;
            }
          }
          default -> { }
        }
      }
    }
    if (lineNo == 0) throw new BadInput(file + " is empty");
    return apps;
  }

  private static String text(JsonNode n, String field) {
    var v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Map<String, Double> readTruth(Path file, Map<String, App> apps) throws IOException {
    var p = new HashMap<String, Double>(apps.size() * 2);
    try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) continue;
        // fixed layout written by the simulator: {"application_id":"…",…,"p":0.123,…}
        var n = Json.read(line);
        var id = n.path("application_id").asText();
        if (apps.containsKey(id)) p.put(id, n.path("p").asDouble());
      }
    } catch (IllegalArgumentException e) {
      throw new BadInput(file + ": " + e.getMessage());
    }
    return p;
  }
}
