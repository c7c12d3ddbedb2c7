package io.hireloop.quality;

import io.hireloop.journey.IngestParser.FieldProblem;
import java.util.List;
import java.util.Map;

/**
 * Stable rule names for validation problems, the label of the validation-failure metrics:
 * {@code <kind>:<field path>} with event and array indices removed, e.g. {@code range:context.fit_score},
 * {@code required:event_type}, {@code unknown_application:application_id}. The kind comes from the
 * problem text of {@code IngestParser} and {@code JobSeeker.Check}; a text not listed here is {@code other}
 * (IngestParserTest-style tests below keep the list in step with the messages).
 */
public final class RuleNames {
  private RuleNames() {}

  /** Message fragment → kind; the first that matches wins (order matters: specific before general). */
  static final List<Map.Entry<String, String>> KINDS = List.of(
      Map.entry("is more than 5 minutes in the future", "future_timestamp"),
      Map.entry("unknown application", "unknown_application"),
      Map.entry("already exists", "application_exists"),
      Map.entry("(terminal)", "terminal_status"),
      Map.entry("is before the application's creation", "before_creation"),
      Map.entry("unknown event type", "unknown_event_type"),
      Map.entry("must equal after_score - before_score", "score_delta_mismatch"),
      Map.entry("must be an ISO-8601 timestamp", "timestamp_format"),
      Map.entry("must be one of", "enum"),
      Map.entry("must be between", "range"),
      Map.entry("must not be blank", "blank"),
      Map.entry("must be a string of at most", "type"), // list items: not a string, or too long
      Map.entry("at most", "too_long"),
      Map.entry("must not be empty", "empty"),
      Map.entry("whole number", "type"),
      Map.entry("must be", "type"));

  public static String of(FieldProblem p) {
    var path = path(p.field());
    return path.isEmpty() ? kind(p.problem()) : kind(p.problem()) + ":" + path;
  }

  static String kind(String problem) {
    if (problem.startsWith("required")) return "required";
    for (var k : KINDS) if (problem.contains(k.getKey())) return k.getValue();
    return "other";
  }

  /** {@code events[3].context.job_characteristics.title} → {@code context.job_characteristics.title}. */
  static String path(String field) {
    var p = field.replaceFirst("^events\\[\\d+\\]\\.?", "").replaceAll("\\[\\d+\\]", "");
    return p;
  }
}
