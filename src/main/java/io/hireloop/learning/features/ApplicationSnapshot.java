package io.hireloop.learning.features;

import io.hireloop.journey.Domain.ApplicationContext;
import java.time.Instant;
import java.util.List;

/**
 * What was known about an application at the moment it was created: its context and the user's history
 * up to (not including) that moment. Built by {@link UserHistory#snapshot} from the user's journal in
 * order, so nothing learned later (this application's outcome, later edits, later outcomes of earlier
 * applications) can leak in. Training and serving build it the same way.
 *
 * @param appliedAt the creation event's timestamp (weekday and month features)
 * @param priorApplications applications the user created before this one
 * @param priorLabelled earlier applications whose outcome was known when this one was created
 * @param priorInterviews of those, the ones that had reached an interview state
 * @param editTypes resume edit types the user had accepted so far, sorted
 * @param userSeniority mean seniority level (junior 0 … lead 3) of the user's earlier applications; null if none
 * @param suggestedEditTypes edit types the system had suggested to the user so far (accepted or not), sorted; no
 *     model feature reads it: the attribution uses it as an instrument for {@code editTypes}
 */
public record ApplicationSnapshot(
    ApplicationContext context,
    Instant appliedAt,
    int priorApplications,
    int priorLabelled,
    int priorInterviews,
    List<String> editTypes,
    Double userSeniority,
    List<String> suggestedEditTypes) {

  public ApplicationSnapshot {
    editTypes = editTypes == null ? List.of() : List.copyOf(editTypes);
    suggestedEditTypes = suggestedEditTypes == null ? List.of() : List.copyOf(suggestedEditTypes);
  }

  public ApplicationSnapshot(ApplicationContext context, Instant appliedAt, int priorApplications, int priorLabelled,
      int priorInterviews, List<String> editTypes, Double userSeniority) {
    this(context, appliedAt, priorApplications, priorLabelled, priorInterviews, editTypes, userSeniority, List.of());
  }

  /** A context with no user history (a new user, or a request that names no user). */
  public static ApplicationSnapshot ofContext(ApplicationContext context, Instant at) {
    return new ApplicationSnapshot(context, at, 0, 0, 0, List.of(), null);
  }

  public ApplicationSnapshot withContext(ApplicationContext c) {
    return new ApplicationSnapshot(c, appliedAt, priorApplications, priorLabelled, priorInterviews, editTypes, userSeniority,
        suggestedEditTypes);
  }
}
