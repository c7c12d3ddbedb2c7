package io.hireloop.learning.features;

import io.hireloop.journey.Domain.ApplicationContext;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * A user's history as the feature pipeline needs it, folded from the journal in sequence order by the
 * training-set projection (and by the offline evaluation from the same events). Immutable.
 *
 * @param applications applications created so far
 * @param senioritySum sum of the known seniority levels of those applications
 * @param seniorityCount applications with a known seniority level
 * @param labelled applications whose outcome is known
 * @param interviews applications that reached an interview state
 * @param editTypes accepted resume edit types so far, sorted
 * @param asOfSeqNr the last journal event folded in (redelivered events at or below it are skipped)
 * @param suggestedEditTypes edit types the system has suggested to the user so far (accepted or not), sorted
 */
public record UserHistory(
    int applications, double senioritySum, int seniorityCount, int labelled, int interviews, List<String> editTypes,
    long asOfSeqNr, List<String> suggestedEditTypes) {

  public static final UserHistory EMPTY = new UserHistory(0, 0, 0, 0, 0, List.of(), 0, List.of());

  public UserHistory {
    editTypes = editTypes == null ? List.of() : List.copyOf(editTypes);
    suggestedEditTypes = suggestedEditTypes == null ? List.of() : List.copyOf(suggestedEditTypes);
  }

  public ApplicationSnapshot snapshot(ApplicationContext context, Instant at) {
    return new ApplicationSnapshot(context, at, applications, labelled, interviews, editTypes,
        seniorityCount == 0 ? null : senioritySum / seniorityCount, suggestedEditTypes);
  }

  /**
   * The system showed a suggestion of these edit types. Whether the user took it does not matter: the suggestion
   * itself, not the user's choice, is what the attribution uses as an instrument.
   */
  public UserHistory withSuggested(List<String> edits, long seqNr) {
    if (edits == null || edits.isEmpty()) return at(seqNr);
    var all = new TreeSet<>(suggestedEditTypes);
    for (var e : edits) if (e != null && !e.isBlank()) all.add(e.trim());
    return new UserHistory(applications, senioritySum, seniorityCount, labelled, interviews, editTypes, seqNr, List.copyOf(all));
  }

  public UserHistory withApplication(ApplicationContext context, long seqNr) {
    int level = FeaturePipeline.seniorityLevel(context.jobCharacteristics() == null ? null : context.jobCharacteristics().seniority());
    return new UserHistory(applications + 1, senioritySum + Math.max(level, 0), seniorityCount + (level >= 0 ? 1 : 0),
        labelled, interviews, editTypes, seqNr, suggestedEditTypes);
  }

  /** Accepted edits only: a rejected rewrite never reached the resume the employer saw. */
  public UserHistory withEdits(List<String> edits, boolean accepted, long seqNr) {
    if (!accepted || edits == null || edits.isEmpty()) return at(seqNr);
    var all = new TreeSet<>(editTypes);
    for (var e : edits) if (e != null && !e.isBlank()) all.add(e.trim());
    return new UserHistory(applications, senioritySum, seniorityCount, labelled, interviews, List.copyOf(all), seqNr,
        suggestedEditTypes);
  }

  /** An application's label changed: became known ({@code labelledDelta}) and/or reached an interview ({@code interviewDelta}). */
  public UserHistory withLabels(int labelledDelta, int interviewDelta, long seqNr) {
    return new UserHistory(applications, senioritySum, seniorityCount, labelled + labelledDelta, interviews + interviewDelta,
        editTypes, seqNr, suggestedEditTypes);
  }

  public UserHistory at(long seqNr) {
    return new UserHistory(applications, senioritySum, seniorityCount, labelled, interviews, editTypes, seqNr, suggestedEditTypes);
  }
}
