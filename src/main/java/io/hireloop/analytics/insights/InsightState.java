package io.hireloop.analytics.insights;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.hireloop.journey.Domain;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyEvent.ApplicationRecorded;
import io.hireloop.journey.JourneyEvent.ResumeChanged;
import io.hireloop.journey.JourneyEvent.StatusChanged;
import io.hireloop.journey.JourneyEvent.SuggestionFeedback;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the "user-insights" projection keeps of one user (stored as JSON in {@code user_insights.state}):
 * one fact per application, the accepted resume rewrites, suggestion feedback counts, and the user's open
 * week. Pure: no Pekko, no Cassandra. Unknown JSON properties are ignored so rows written by a newer
 * version stay readable after a rollback, and fields added later default to null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InsightState(
    long asOfSeqNr,
    LocalDate openWeek,
    Map<String, AppFact> apps,
    List<RewriteFact> rewrites,
    Map<String, SuggestionFact> suggestions) {

  /** One application. Timestamps are the events' own (business) times; null until it happened. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AppFact(String title, String location, String industry, String seniority, String resumeVersion,
      String mode, String category, boolean tailored, Instant createdAt, Instant respondedAt, Instant interviewedAt,
      Instant offeredAt, String status) {

    boolean interviewed() {
      return interviewedAt != null;
    }

    boolean offered() {
      return offeredAt != null;
    }
  }

  /** An accepted RESUME_REWRITTEN: its rewrite type and edit types count as "sections" from {@code at} on. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RewriteFact(Instant at, String rewriteType, List<String> editTypes) {}

  /** Feedback on one suggestion type. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SuggestionFact(int accepted, int edited, int rejected, Map<String, Integer> rejectionReasons) {
    static final SuggestionFact EMPTY = new SuggestionFact(0, 0, 0, Map.of());

    SuggestionFact with(SuggestionFeedback f) {
      var reasons = new HashMap<>(rejectionReasons);
      return switch (f.eventType()) {
        case "SUGGESTION_ACCEPTED" -> new SuggestionFact(accepted + 1, edited, rejected, reasons);
        case "SUGGESTION_EDITED" -> new SuggestionFact(accepted, edited + 1, rejected, reasons);
        default -> {
          if (f.rejectionReason() != null && !f.rejectionReason().isBlank()) reasons.merge(f.rejectionReason(), 1, Integer::sum);
          yield new SuggestionFact(accepted, edited, rejected + 1, reasons);
        }
      };
    }
  }

  public static final InsightState EMPTY = new InsightState(0, null, Map.of(), List.of(), Map.of());

  /** The ISO week (Monday, UTC) an instant falls in. */
  public static LocalDate weekOf(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }

  /** The result of folding one event in: the new state and the week it closed, if any. */
  public record Step(InsightState state, LocalDate closedWeek) {}

  /**
   * Folds in the event stored under {@code seqNr} (at or below {@link #asOfSeqNr}: ignored, redelivery).
   * A user's week closes when the first event of a later week arrives; an event dated in an earlier week
   * (late report) is folded into the facts but reopens nothing.
   */
  public Step step(long seqNr, JourneyEvent e) {
    if (seqNr <= asOfSeqNr) return new Step(this, null);
    var week = weekOf(e.timestamp());
    LocalDate closed = openWeek != null && week.isAfter(openWeek) ? openWeek : null;
    var nextWeek = openWeek == null || week.isAfter(openWeek) ? week : openWeek;
    var nextApps = apps;
    var nextRewrites = rewrites;
    var nextSuggestions = suggestions;
    if (e instanceof ApplicationRecorded a) {
      nextApps = with(apps, a.applicationId(), recorded(apps.get(a.applicationId()), a));
    } else if (e instanceof StatusChanged s && apps.containsKey(s.applicationId())) {
      nextApps = with(apps, s.applicationId(), changed(apps.get(s.applicationId()), s));
    } else if (e instanceof ResumeChanged r && r.eventType().equals("RESUME_REWRITTEN") && r.userAccepted()) {
      nextRewrites = new ArrayList<>(rewrites);
      nextRewrites.add(new RewriteFact(r.timestamp(), r.rewriteType(), r.editTypes() == null ? List.of() : List.copyOf(r.editTypes())));
    } else if (e instanceof SuggestionFeedback f) {
      var copy = new HashMap<>(suggestions);
      copy.put(f.suggestionType(), suggestions.getOrDefault(f.suggestionType(), SuggestionFact.EMPTY).with(f));
      nextSuggestions = copy;
    }
    return new Step(new InsightState(seqNr, nextWeek, nextApps, nextRewrites, nextSuggestions), closed);
  }

  private static AppFact recorded(AppFact old, ApplicationRecorded a) {
    var c = a.context();
    var job = c.jobCharacteristics();
    // APPLICATION_SUBMITTED after CREATED refreshes the context but keeps the creation time and outcomes
    return new AppFact(job.title(), job.location(), job.industry() == null ? "unknown" : job.industry(), job.seniority(),
        a.resumeVersionId(), c.strategyMode(), c.category(), c.tailoringApplied(),
        old == null ? a.timestamp() : old.createdAt(), old == null ? null : old.respondedAt(),
        old == null ? null : old.interviewedAt(), old == null ? null : old.offeredAt(), old == null ? null : old.status());
  }

  private static AppFact changed(AppFact old, StatusChanged s) {
    var status = s.outcome().status();
    var t = s.timestamp();
    return new AppFact(old.title(), old.location(), old.industry(), old.seniority(), old.resumeVersion(), old.mode(),
        old.category(), old.tailored(), old.createdAt(),
        old.respondedAt() != null ? old.respondedAt() : t,
        old.interviewedAt() != null ? old.interviewedAt() : Domain.INTERVIEW_STATUSES.contains(status) ? t : null,
        old.offeredAt() != null ? old.offeredAt() : Domain.OFFER_STATUSES.contains(status) ? t : null,
        status);
  }

  private static <V> Map<String, V> with(Map<String, V> m, String k, V v) {
    var copy = new HashMap<>(m);
    copy.put(k, v);
    return copy;
  }
}
