package io.hireloop.journey;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.Outcome;
import io.hireloop.journey.Domain.StrategyMetrics;
import io.hireloop.platform.serialization.HireloopSerializable;
import java.time.Instant;
import java.util.List;

/**
 * What happened in one user's job search, as stored in the JobSeeker journal. One record per event
 * family of the ingest schema (API.md); {@link #eventType()} keeps the exact API type. Frozen once
 * released: see KryoRegistrations for the evolution rule.
 */
public sealed interface JourneyEvent extends HireloopSerializable {
  String eventId();

  String eventType();

  Instant timestamp();

  /** APPLICATION_CREATED or APPLICATION_SUBMITTED. */
  record ApplicationRecorded(
      String eventId,
      String eventType,
      Instant timestamp,
      String applicationId,
      String jobId,
      String resumeVersionId,
      ApplicationContext context) implements JourneyEvent {}

  /** STATUS_CHANGED; {@code context} is optional. */
  record StatusChanged(
      String eventId,
      Instant timestamp,
      String applicationId,
      String jobId,
      String resumeVersionId,
      ApplicationContext context,
      Outcome outcome) implements JourneyEvent {
    @Override
    public String eventType() {
      return "STATUS_CHANGED";
    }
  }

  /** MODE_CHANGED, TARGET_ADJUSTED or PLAN_GENERATED. */
  record StrategyChanged(
      String eventId,
      String eventType,
      Instant timestamp,
      String fromMode,
      String toMode,
      String reason,
      StrategyMetrics metrics) implements JourneyEvent {}

  /** RESUME_REWRITTEN or SCORE_CHANGED. Nullable: rewriteType, gapsAddressed, editTypes, suggestedBySystem. */
  record ResumeChanged(
      String eventId,
      String eventType,
      Instant timestamp,
      String resumeVersionId,
      String rewriteType,
      double beforeScore,
      double afterScore,
      double scoreDelta,
      List<String> gapsAddressed,
      List<String> editTypes,
      Boolean suggestedBySystem,
      boolean userAccepted) implements JourneyEvent {}

  /** SUGGESTION_ACCEPTED, SUGGESTION_EDITED or SUGGESTION_REJECTED; contents kept as JSON text. */
  record SuggestionFeedback(
      String eventId,
      String eventType,
      Instant timestamp,
      String suggestionType,
      String suggestedContentJson,
      String finalContentJson,
      String rejectionReason) implements JourneyEvent {}

  static boolean isApplicationEvent(String type) {
    return type.equals("APPLICATION_CREATED") || type.equals("APPLICATION_SUBMITTED") || type.equals("STATUS_CHANGED");
  }

  /**
   * The user was shown variant {@code variantId} of experiment {@code experimentId} (recorded when an
   * assignment was answered). {@code eventId} is derived from the experiment, so it is stored once per user.
   */
  record ExperimentExposed(String eventId, Instant timestamp, String experimentId, String variantId) implements JourneyEvent {
    @Override
    public String eventType() {
      return "EXPERIMENT_EXPOSED";
    }
  }

  /**
   * The user's privacy preferences as a whole after a change (both flags, not a delta), so the latest
   * event alone says the current value. Projections that publish aggregates (market insights) and the
   * experiment assignment read it; everything else ignores it.
   */
  record PreferencesChanged(String eventId, Instant timestamp, boolean marketInsightsOptOut, boolean experimentsOptOut)
      implements JourneyEvent {
    @Override
    public String eventType() {
      return "PREFERENCES_CHANGED";
    }
  }

  /**
   * The user's profile as a whole after a change (every field, not a delta), so the latest event alone says the
   * current profile. Written by PUT /api/v1/users/{id}/profile; read by the advice given before applications.
   */
  record ProfileUpdated(String eventId, Instant timestamp, Domain.Profile profile) implements JourneyEvent {
    @Override
    public String eventType() {
      return "PROFILE_UPDATED";
    }
  }

  /**
   * A follow-up reminder for an application without response was pushed to the user. {@code step} counts
   * from 1 ({@code after} = its delay after the application then configured); {@code eventId} is
   * {@code reminder:<application>:<step>}, so a second firing of the same step is a duplicate.
   */
  record ReminderSent(String eventId, Instant timestamp, String applicationId, int step, java.time.Duration after)
      implements JourneyEvent {
    @Override
    public String eventType() {
      return "REMINDER_SENT";
    }

    public static String eventIdFor(String applicationId, int step) {
      return "reminder:" + applicationId + ":" + step;
    }
  }

  /**
   * The user was erased (DELETE /api/v1/users/{id}, job {@code jobId}): their data key is destroyed, so every earlier
   * event of the journal reads as {@link Shredded}. Holds nothing personal and is stored unsealed, so that it stays
   * readable: the entity answers as erased from it on, and every replay sees it.
   */
  record UserErased(String eventId, Instant timestamp, String jobId) implements JourneyEvent {
    @Override
    public String eventType() {
      return "USER_ERASED";
    }
  }

  /**
   * What a sealed event of an erased user reads as (its key is gone): never stored, only made by the readers of the
   * journal (io.hireloop.privacy.Sealing). It counts as an event (sequence numbers stay right) and changes nothing else.
   */
  record Shredded() implements JourneyEvent {
    @Override
    public String eventId() {
      return "";
    }

    @Override
    public String eventType() {
      return "SHREDDED";
    }

    @Override
    public Instant timestamp() {
      return Instant.EPOCH;
    }
  }
}
