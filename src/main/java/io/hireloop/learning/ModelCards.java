package io.hireloop.learning;

import io.hireloop.learning.ensemble.EnsembleTrainer;
import io.hireloop.learning.features.FeaturePipeline;
import java.time.Instant;

/** The registry's card of a trained model, from its training report. */
final class ModelCards {
  private ModelCards() {}

  static ModelCard of(String name, int version, String jobId, double seconds, EnsembleTrainer.Report r) {
    var w = r.dataWindow();
    return new ModelCard(name, version, Instant.now(), jobId, Backend.name(), seconds, FeaturePipeline.VERSION,
        new ModelCard.DataWindow(w.from(), w.to(), w.trainRows(), w.blendRows() + w.calibrationRows(), w.holdoutRows(), w.users()),
        metrics(r.holdout()),
        r.calibrationCurve().stream()
            .map(b -> new ModelCard.CalibrationBin(b.lower(), b.upper(), b.meanPredicted(), b.observedRate(), b.count())).toList(),
        new ModelCard.Confusion(r.confusion().threshold(), r.confusion().tp(), r.confusion().fp(), r.confusion().tn(), r.confusion().fn()),
        r.calibration(),
        r.members().stream().map(m -> new ModelCard.Member(m.model(), m.weight(), metrics(m.metrics()), m.hyperParameters(),
            m.history().stream().map(h -> new ModelCard.Round(h.round(), h.trainLoss(), h.validationLoss())).toList())).toList(),
        r.featureImportance().stream().map(f -> new ModelCard.FeatureImportance(f.feature(), f.importance())).toList(),
        new ModelCard.Interval(r.level(), r.heterogeneity(), r.outcomeSets().quantile(), r.outcomeSets().holdoutCoverage(),
            r.outcomeSets().holdoutMeanSize()), null, r.driftReference());
  }

  /** The card of a response-time model: no calibration curve, confusion, members or interval. */
  static ModelCard ofResponseTime(int version, String jobId, double seconds, ResponseTimeTrainer.Report r) {
    return new ModelCard(ResponseTimeModel.NAME, version, Instant.now(), jobId, "cpu", seconds, FeaturePipeline.VERSION, r.dataWindow(),
        r.holdout(), java.util.List.of(), null, "none", java.util.List.of(), r.featureImportance(), null, r.survival(), null);
  }

  private static ModelCard.Metrics metrics(EnsembleTrainer.Metrics m) {
    return new ModelCard.Metrics(m.auc(), m.logLoss(), m.brier(), m.ece(), m.count(), m.positiveRate());
  }
}
