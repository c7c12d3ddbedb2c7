package io.hireloop.platform.serialization;

import io.hireloop.config.ConfigChannel;
import io.hireloop.experiment.Experiment;
import io.hireloop.experiment.ExperimentRollout;
import io.hireloop.journey.Domain;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.learning.ModelRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Instances whose encoding is frozen in src/test/resources/golden/&lt;name&gt;.bin. Add a sample for every
 * persisted class when it is released (and one per evolved version). Names are file names: never rename.
 * Samples must encode deterministically: no HashSet/Set.of of non-Comparable elements (iteration order).
 */
final class GoldenSamples {
  private GoldenSamples() {}

  record Sample(String name, Object instance) {}

  static final Domain.JobCharacteristics JOB =
      new Domain.JobCharacteristics("Senior Backend Engineer", "Acme", "senior", "Berlin", "software");

  static final Instant T0 = Instant.parse("2026-03-02T09:15:00Z");
  static final String CARD_JSON = "{\"name\":\"interview\",\"version\":4,\"trained_at\":\"2026-03-02T09:15:00Z\","
      + "\"job_id\":\"train-4\",\"backend\":\"cpu\",\"training_seconds\":12.5,\"feature_pipeline\":\"v2\","
      + "\"data_window\":{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-03-01T00:00:00Z\",\"train_rows\":8000,"
      + "\"validation_rows\":1000,\"holdout_rows\":1000,\"users\":700},"
      + "\"holdout\":{\"auc\":0.78,\"log_loss\":0.52,\"brier\":0.17,\"ece\":0.03,\"count\":1000,\"positive_rate\":0.22},"
      + "\"calibration_curve\":[{\"lower\":0.0,\"upper\":0.1,\"mean_predicted\":0.05,\"observed_rate\":0.04,\"count\":400}],"
      + "\"confusion\":{\"threshold\":0.5,\"tp\":120,\"fp\":60,\"tn\":720,\"fn\":100},\"calibration\":\"isotonic\","
      + "\"members\":[{\"model\":\"logistic\",\"weight\":1.0,\"metrics\":{\"auc\":0.78,\"log_loss\":0.52,\"brier\":0.17,"
      + "\"ece\":0.03,\"count\":1000,\"positive_rate\":0.22},\"hyper_parameters\":{\"l2\":0.01},"
      + "\"history\":[{\"round\":1,\"train_loss\":0.6,\"validation_loss\":0.61}]}],"
      + "\"feature_importance\":[{\"feature\":\"fit_score\",\"importance\":0.7}],"
      + "\"interval\":{\"level\":0.9,\"heterogeneity\":0.31}}";

  static final Domain.ApplicationContext CONTEXT = new Domain.ApplicationContext("balanced", 72, "target", JOB, 64, true);

  static final io.hireloop.recommendations.RecommendationDraft RECOMMENDATION_DRAFT = new io.hireloop.recommendations.RecommendationDraft(
      "edit:added_metrics:2026-W49", io.hireloop.recommendations.Recommendation.Kind.CAUSAL_EFFECT, "Suggest metrics",
      new io.hireloop.recommendations.Recommendation.Evidence("attribution run 2026-12-06T10:00Z", "ipw_att", 0.22, 0.04, 0.14, 0.30, 5200L,
          io.hireloop.recommendations.Recommendation.CausalConfidence.HIGH, false, null),
      new io.hireloop.recommendations.Recommendation.Impact("interview_rate", 0.12, 0.05, 0.19),
      new io.hireloop.recommendations.Recommendation.ConfigChange("orchestrator", "{\"follow_up_after_days\":5}"),
      io.hireloop.recommendations.Recommendation.Risk.LOW);

  static final List<Sample> ALL = List.of(
      new Sample("domain-job-characteristics", JOB),
      new Sample("domain-job-characteristics-nulls", new Domain.JobCharacteristics("Engineer", null, null, null, null)),
      new Sample("domain-application-context", new Domain.ApplicationContext("explore", 0.82, "target", JOB, 0.71, true)),
      new Sample("domain-application-context-nulls", new Domain.ApplicationContext(null, 0.0, null, null, 0.0, false)),
      new Sample("domain-outcome", new Domain.Outcome("interview", 6, "email")),
      new Sample("domain-outcome-nulls", new Domain.Outcome("ghosted", null, null)),
      new Sample("domain-strategy-metrics", new Domain.StrategyMetrics(0.74, 120, 0.125, 9)),
      new Sample("jdk-instant", Instant.parse("2025-01-15T10:15:30.123456789Z")),
      new Sample("jdk-immutable-collections", List.of(
          List.of(), List.of("a"), List.of("a", "b", "c"),
          Set.of(), Set.of("reach"), Set.of("reach", "target", "safety"),
          Map.of(), Map.of("k", 1), Map.of("b", 2L, "a", 1L, "c", 3L))),

      // ---- journal events and snapshots, release 0.1 ----
      new Sample("journey-application-created", new JourneyEvent.ApplicationRecorded("e-1", "APPLICATION_CREATED", T0, "a-1", "j-1", "r-1", CONTEXT)),
      new Sample("journey-status-changed", new JourneyEvent.StatusChanged("e-2", T0.plusSeconds(86400), "a-1", "j-1", null, null,
          new Domain.Outcome("phone_screen", 3, "email"))),
      new Sample("journey-strategy-changed", new JourneyEvent.StrategyChanged("e-3", "MODE_CHANGED", T0, "balanced", "aggressive",
          "low interview rate", new Domain.StrategyMetrics(62, 40, 0.05, 12))),
      new Sample("journey-resume-changed", new JourneyEvent.ResumeChanged("e-4", "RESUME_REWRITTEN", T0, "r-2", "bullet", 61, 68, 7,
          List.of("metrics"), List.of("added_metrics_to_bullets", "strengthened_action_verbs"), true, true)),
      new Sample("journey-suggestion-feedback", new JourneyEvent.SuggestionFeedback("e-5", "SUGGESTION_REJECTED", T0, "job",
          "{\"job_id\":\"j-9\"}", null, "too junior")),
      new Sample("journey-experiment-exposed", new JourneyEvent.ExperimentExposed("exposure:exp-2", T0, "exp-2", "low")),
      new Sample("journey-state", new JobSeeker.LegacyState(
          Map.of("a-1", new JobSeeker.Application("a-1", "j-1", "r-1", CONTEXT, T0, "phone_screen")),
          Map.of("e-1", 1L, "e-2", 2L),
          List.of(new JobSeeker.ResumeVersion("r-2", 68, T0, true)),
          List.of(new JobSeeker.StrategyStep("balanced", "aggressive", T0)), 2)),
      // ---- preferences: the event and the second State shape (the first is "journey-state", now LegacyState) ----
      new Sample("journey-preferences-changed", new JourneyEvent.PreferencesChanged("preferences:p-1", T0, true, false)),
      new Sample("journey-profile-updated", new JourneyEvent.ProfileUpdated("profile:p-1", T0, new io.hireloop.journey.Domain.Profile(
          List.of("Backend Engineer", "SRE"), "mid", 4.5, List.of("software"), List.of("Berlin", "Remote"), List.of("java", "kafka")))),
      new Sample("journey-state-v2", new JobSeeker.StateV2(
          Map.of("a-1", new JobSeeker.Application("a-1", "j-1", "r-1", CONTEXT, T0, null)),
          Map.of("e-1", 1L, "preferences:p-1", 2L),
          List.of(), List.of(), 2, new JobSeeker.Preferences(true, false, T0))),
      // the same State shape as the states apply() makes: its maps structurally shared (PersistentMap, id 117)
      new Sample("journey-state-v2-persistent", new JobSeeker.StateV2(
          io.hireloop.platform.PersistentMap.<String, JobSeeker.Application>empty()
              .plus("a-1", new JobSeeker.Application("a-1", "j-1", "r-1", CONTEXT, T0, null)),
          io.hireloop.platform.PersistentMap.<String, Long>empty().plus("e-1", 1L).plus("preferences:p-1", 2L),
          List.of(), List.of(), 2, new JobSeeker.Preferences(true, false, T0))),
      // ---- erasure: the State shape with erasedAt (v3, an erased one as snapshots store it) and the USER_ERASED event ----
      new Sample("journey-state-v3", new JobSeeker.State(
          io.hireloop.platform.PersistentMap.<String, JobSeeker.Application>empty()
              .plus("a-1", new JobSeeker.Application("a-1", "j-1", "r-1", CONTEXT, T0, null)),
          io.hireloop.platform.PersistentMap.<String, Long>empty().plus("e-1", 1L).plus("preferences:p-1", 2L),
          List.of(), List.of(), 2, new JobSeeker.Preferences(true, false, T0), null)),
      new Sample("journey-state-v3-erased", new JobSeeker.State(Map.of(), Map.of(), List.of(), List.of(), 7,
          JobSeeker.Preferences.DEFAULT, T0)),
      new Sample("journey-user-erased", new JourneyEvent.UserErased("erasure:job-1", T0, "job-1")),
      new Sample("journey-reminder-sent", new JourneyEvent.ReminderSent("reminder:a-1:2", T0, "a-1", 2, java.time.Duration.ofDays(14))),
      new Sample("model-version-registered", new ModelRegistry.VersionRegistered(new ModelRegistry.ModelVersion(
          "interview", 3, T0, 1200, 0.78, 0.52, 0.17, 0.03, "cpu", "train-1", 2.5))),
      // ---- model registry with cards and aliases: the card is JSON text, so its bytes are a string ----
      new Sample("model-version-registered-v2", new ModelRegistry.VersionRegisteredV2(CARD_JSON)),
      new Sample("model-alias-moved", new ModelRegistry.AliasMoved("champion", 4, 3, "promote", "ops", "reviewed offline", T0)),
      new Sample("model-alias-moved-first", new ModelRegistry.AliasMoved("champion", 1, null, "gate", "system:gate",
          "first version: no champion to compare with", T0)),
      new Sample("model-registry-state-v1", new ModelRegistry.StateV1(List.of(new ModelRegistry.ModelVersion(
          "interview", 1, T0, 1200, 0.78, 0.52, 0.17, 0.03, "cpu", "train-1", 2.5)))),
      new Sample("model-registry-state", new ModelRegistry.State(List.of(CARD_JSON, CARD_JSON.replace("\"version\":4", "\"version\":5")),
          4, 5, List.of(1, 3), List.of(0, 2), List.of(0L, 400L))),
      new Sample("model-revision-recorded", new ModelRegistry.RevisionRecorded(5, 2, 400, T0)),
      new Sample("config-applied", new ConfigChannel.Applied(new ConfigChannel.ConfigVersion(
          "job_discovery", 2, "{\"min_fit_score_to_apply\":55}", "learning", 0.6, T0, "interview model v3"))),
      new Sample("config-proposal-pending", new ConfigChannel.ProposalPending(new ConfigChannel.ConfigVersion(
          "job_discovery", 3, "{\"min_fit_score_to_apply\":50}", "learning", 0.1, T0, "interview model v4"))),
      new Sample("config-applied-once", new ConfigChannel.AppliedOnce(new ConfigChannel.ConfigVersion(
          "job_discovery", 4, "{\"min_fit_score_to_apply\":55,\"rollout_fraction\":0.1}", "experiment", 1.0, T0,
          "experiment exp-1 variant low stage 1/3 (0.1)"), "rollout:exp-1:stage:1:low")),
      new Sample("experiment-created", new Experiment.Created(
          new Experiment.Definition("exp-1", "Lower fit threshold", "more interviews", "job_discovery", "min_fit_score_to_apply"), "admin-1", T0)),
      new Sample("experiment-status-changed", new Experiment.StatusChanged("draft", "running", "admin-1", T0)),
      new Sample("experiment-defined", new Experiment.Defined(new Experiment.Spec("exp-2", "Lower fit threshold", "more interviews",
          "job_discovery", "min_fit_score_to_apply",
          List.of(new Experiment.Variant("control", "60", "60", 0.5, null, null), new Experiment.Variant("low", "55", "55", 0.5, -0.1, 0.2)),
          "interview_rate", List.of("offer_rate"), 4000, 30, 14, 0.2, "revert to 60", "fit", "fixed", 0.1, "exp-2"), "admin-1", T0)),

      // ---- experiment allocation: ramps, weights, layers (exp-assign) ----
      new Sample("experiment-ramped", new Experiment.Ramped(0.1, 0.5, "admin-1", T0)),
      new Sample("experiment-allocation-changed", new Experiment.AllocationChanged(List.of(0.3, 0.7), "thompson", "admin-1", T0)),
      new Sample("experiment-layer-assigned", new Experiment.LayerAssigned("fit", 0.1, 0.55, "admin-1", T0)),
      new Sample("experiment-state-v3", new Experiment.StateV3(new Experiment.Spec("exp-2", "Lower fit threshold", "more interviews",
          "job_discovery", "min_fit_score_to_apply",
          List.of(new Experiment.Variant("control", "60", "60", 0.5, null, null), new Experiment.Variant("low", "55", "55", 0.5, -0.1, 0.2)),
          "interview_rate", List.of("offer_rate"), 4000, 30, 14, 0.2, "revert to 60", "fit", "fixed", 0.1, "exp-2"), "running", T0,
          List.of(new Experiment.HistoryEntry("ramp", "10.0%", "50.0%", "admin-1", T0)),
          new io.hireloop.experiment.Allocation(0.5, List.of(new io.hireloop.experiment.Allocation.Slice(0.1, List.of(0.5, 0.5)),
              new io.hireloop.experiment.Allocation.Slice(0.5, List.of(0.3, 0.7))), List.of(0.3, 0.7), "fit", 0.1, 0.55))),
      // ---- ramp schedules (ramp): the event and the fourth State shape ----
      new Sample("experiment-ramp-schedule-set", new Experiment.RampScheduleSet(new io.hireloop.experiment.RampSchedule(List.of(
          new io.hireloop.experiment.RampSchedule.Step(0.1, 0, 0), new io.hireloop.experiment.RampSchedule.Step(1.0, 24.5, 1000))),
          "admin-1", T0)),
      new Sample("experiment-state-v4", new Experiment.State(new Experiment.Spec("exp-2", "Lower fit threshold", "more interviews",
          "job_discovery", "min_fit_score_to_apply",
          List.of(new Experiment.Variant("control", "60", "60", 0.5, null, null), new Experiment.Variant("low", "55", "55", 0.5, -0.1, 0.2)),
          "interview_rate", List.of("offer_rate"), 4000, 30, 14, 0.2, "revert to 60", "default", "fixed", 0.1, "exp-2"), "running", T0,
          List.of(new Experiment.HistoryEntry("ramp", "100.0%", "10.0%", "system:ramp-schedule", T0)),
          new io.hireloop.experiment.Allocation(0.1, List.of(new io.hireloop.experiment.Allocation.Slice(0.1, List.of(0.5, 0.5))),
              List.of(0.5, 0.5), null, 0, 1),
          new io.hireloop.experiment.RampSchedule(List.of(new io.hireloop.experiment.RampSchedule.Step(0.1, 0, 0),
              new io.hireloop.experiment.RampSchedule.Step(1.0, 24.5, 1000))))),
      new Sample("layer-holdout-set", new io.hireloop.experiment.Layer.HoldoutSet(0.1, "admin-1", T0)),
      new Sample("layer-reserved", new io.hireloop.experiment.Layer.Reserved("exp-2", 0.1, 0.55, "admin-1", T0)),
      new Sample("layer-released", new io.hireloop.experiment.Layer.Released("exp-2", T0)),
      new Sample("layer-state", new io.hireloop.experiment.Layer.State(0.1,
          Map.of("exp-2", new io.hireloop.experiment.Layer.Range(0.1, 0.55)))),
      new Sample("experiment-rollout-stage-applied", new ExperimentRollout.StageApplied("low", List.of(0.1, 0.5, 1.0), 0, 3, 4,
          "system", "every check of record passed", T0)),
      new Sample("experiment-rollout-rolled-back", new ExperimentRollout.RolledBack("system", "stop_for_harm: low offer_rate", 5, T0)),
      new Sample("experiment-rollout-rolled-back-no-config", new ExperimentRollout.RolledBack("ops", "rolled back by ops", null, T0)),
      new Sample("experiment-rollout-state", new ExperimentRollout.State("in_progress", "low", List.of(0.1, 0.5, 1.0), 0, 3, 4, T0,
          List.of(new ExperimentRollout.Entry("rollout_stage", "system", "every check of record passed", 0.1, 4, T0)))),

      // ---- config versions with provenance ----
      new Sample("config-written", new ConfigChannel.Written(new ConfigChannel.Version("job_discovery", 5, "{\"min_fit_score_to_apply\":55}",
          io.hireloop.config.Provenance.APPROVAL, "interview model v3", "recommendation rec-2 (manual_review): lower the bar", "admin-1",
          0.6, T0, null, "rec-2"), "recommendation:rec-2")),
      new Sample("config-written-rollback", new ConfigChannel.Written(new ConfigChannel.Version("job_discovery", 6, "{\"min_fit_score_to_apply\":60}",
          io.hireloop.config.Provenance.ROLLBACK, "rollback to version 0", "hurt interviews", "admin-1", 1.0, T0, 0, null), null)),

      // ---- recommendations ----
      new Sample("recommendation-submitted", new io.hireloop.recommendations.RecommendationBook.RecommendationSubmitted("rec-1", RECOMMENDATION_DRAFT,
          io.hireloop.recommendations.Recommendation.Route.AUTO_APPLY, List.of("causal_confidence HIGH reaches HIGH"), T0)),
      new Sample("recommendation-submitted-model", new io.hireloop.recommendations.RecommendationBook.RecommendationSubmitted("rec-2",
          new io.hireloop.recommendations.RecommendationDraft("model:interview:v3:job_discovery",
              io.hireloop.recommendations.Recommendation.Kind.MODEL_CONFIG, "job_discovery from interview model v3",
              new io.hireloop.recommendations.Recommendation.Evidence("interview model v3", "ensemble", null, null, null, null, 3000L, null, false,
                  new io.hireloop.recommendations.Recommendation.ModelEvidence("interview", 3, 0.78, 0.02, 3000, 0.71)),
              new io.hireloop.recommendations.Recommendation.Impact("interview_rate", 0.01, -0.09, 0.11),
              new io.hireloop.recommendations.Recommendation.ConfigChange("job_discovery", "{\"min_fit_score_to_apply\":55}"),
              io.hireloop.recommendations.Recommendation.Risk.LOW),
          io.hireloop.recommendations.Recommendation.Route.MANUAL_REVIEW, List.of("model confidence 0.1 < 0.2"), T0)),
      new Sample("recommendation-approved", new io.hireloop.recommendations.RecommendationBook.RecommendationApproved("rec-2", "admin-1", "checked", T0)),
      new Sample("recommendation-rejected", new io.hireloop.recommendations.RecommendationBook.RecommendationRejected("rec-3", "admin-1", "confounded", T0)),
      new Sample("recommendation-progressed", new io.hireloop.recommendations.RecommendationBook.Progressed("rec-1",
          io.hireloop.recommendations.RecommendationBook.Progress.BLOCKED, "exp-9", null, null, T0)),
      new Sample("recommendation-progressed-applied", new io.hireloop.recommendations.RecommendationBook.Progressed("rec-1",
          io.hireloop.recommendations.RecommendationBook.Progress.APPLIED, null, 7, null, T0)),
      new Sample("recommendation-book-state", new io.hireloop.recommendations.RecommendationBook.State(List.of(
          new io.hireloop.recommendations.Recommendation("rec-1", "edit:added_metrics:2026-W49",
              io.hireloop.recommendations.Recommendation.Kind.CAUSAL_EFFECT, "Suggest metrics", RECOMMENDATION_DRAFT.evidence(),
              RECOMMENDATION_DRAFT.impact(), RECOMMENDATION_DRAFT.change(), io.hireloop.recommendations.Recommendation.Risk.LOW,
              io.hireloop.recommendations.Recommendation.Route.AUTO_APPLY, List.of("ok"),
              io.hireloop.recommendations.Recommendation.Status.APPLIED, null, 7, null, "system:recommendations", "route auto_apply: ok", T0,
              List.of(new io.hireloop.recommendations.Recommendation.Step(io.hireloop.recommendations.Recommendation.Status.APPROVED,
                  "system:recommendations", "route auto_apply: ok", T0)))), Map.of("edit:added_metrics:2026-W49", "rec-1"))));

}
