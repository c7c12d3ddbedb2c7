package io.hireloop.learning.features;

import io.hireloop.journey.Domain.ApplicationContext;
import java.time.Instant;
import java.util.List;

/**
 * Folds one user's journal, in sequence order, into the user's {@link UserHistory} and the {@link ExampleRow}
 * of each application: the same code for the training-set projection and the offline evaluation, so that
 * what a model is evaluated on is what it is trained and served on. Idempotent: an event at or below a
 * row's (or the history's) {@code asOfSeqNr} changes nothing there.
 */
public final class TrainingFold {
  private TrainingFold() {}

  /** A history and one application's row after an event. */
  public record Step(UserHistory history, ExampleRow row) {}

  public static Step created(UserHistory history, ExampleRow row, ApplicationContext context, Instant at, long seqNr) {
    if (seqNr <= row.asOfSeqNr()) return new Step(history, row);
    var next = row.snapshot() == null ? ExampleRow.created(history, context, at, seqNr) : row.submitted(context, at, seqNr);
    var h = seqNr <= history.asOfSeqNr() ? history : history.withApplication(context, seqNr);
    return new Step(h, next);
  }

  public static Step submitted(UserHistory history, ExampleRow row, ApplicationContext context, Instant at, long seqNr) {
    if (seqNr <= row.asOfSeqNr()) return new Step(history, row);
    return new Step(history.asOfSeqNr() >= seqNr ? history : history.at(seqNr), row.submitted(context, at, seqNr));
  }

  public static Step status(UserHistory history, ExampleRow row, String status, ApplicationContext context, Instant at,
      Integer daysToResponse, long seqNr) {
    if (seqNr <= row.asOfSeqNr()) return new Step(history, row);
    var next = row.status(status, context, at, daysToResponse, seqNr);
    if (seqNr <= history.asOfSeqNr()) return new Step(history, next);
    int labelled = next.labelled() && !row.labelled() ? 1 : 0;
    int interviews = next.label() && !row.label() ? 1 : 0;
    return new Step(history.withLabels(labelled, interviews, seqNr), next);
  }

  public static UserHistory resume(UserHistory history, List<String> editTypes, boolean accepted, long seqNr) {
    return seqNr <= history.asOfSeqNr() ? history : history.withEdits(editTypes, accepted, seqNr);
  }

  /** A suggestion was shown; {@code suggestedContent} is its {@code suggested_content} JSON (edit types under "edit_types"). */
  public static UserHistory suggestion(UserHistory history, com.fasterxml.jackson.databind.JsonNode suggestedContent, long seqNr) {
    if (seqNr <= history.asOfSeqNr()) return history;
    var edits = new java.util.ArrayList<String>();
    if (suggestedContent != null) for (var t : suggestedContent.path("edit_types")) if (t.isTextual()) edits.add(t.asText());
    return history.withSuggested(edits, seqNr);
  }
}
