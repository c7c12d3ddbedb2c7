package io.hireloop.journey;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import io.hireloop.journey.Domain.Outcome;
import io.hireloop.journey.Domain.StrategyMetrics;
import io.hireloop.journey.JourneyEvent.ApplicationRecorded;
import io.hireloop.journey.JourneyEvent.ResumeChanged;
import io.hireloop.journey.JourneyEvent.StatusChanged;
import io.hireloop.journey.JourneyEvent.StrategyChanged;
import io.hireloop.journey.JourneyEvent.SuggestionFeedback;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns the JSON of {@code POST /api/v1/events} into journal events, collecting every schema, type,
 * range and enum problem (API.md "Validation"). Rules that depend on the user's history are the
 * entity's ({@link JobSeeker.Check}).
 */
public final class IngestParser {
  public static final int MAX_EVENTS_PER_BATCH = 500;
  public static final int MAX_SHORT_STRING = 512;
  public static final int MAX_FREE_TEXT = 16 * 1024;
  /**
   * The range of event timestamps. ISO-8601 admits years up to ±999,999,999, which the journal's and the read
   * models' epoch-millisecond arithmetic cannot hold; the entity refuses the future beyond a clock skew.
   */
  public static final Instant EARLIEST_TIMESTAMP = Instant.parse("1970-01-01T00:00:00Z");
  public static final Instant LATEST_TIMESTAMP = Instant.parse("9999-12-31T23:59:59Z");

  static final Set<String> APPLICATION_TYPES = Set.of("APPLICATION_CREATED", "APPLICATION_SUBMITTED", "STATUS_CHANGED");
  static final Set<String> STRATEGY_TYPES = Set.of("MODE_CHANGED", "TARGET_ADJUSTED", "PLAN_GENERATED");
  static final Set<String> RESUME_TYPES = Set.of("RESUME_REWRITTEN", "SCORE_CHANGED");
  static final Set<String> FEEDBACK_TYPES = Set.of("SUGGESTION_ACCEPTED", "SUGGESTION_EDITED", "SUGGESTION_REJECTED");
  static final Set<String> REWRITE_TYPES = Set.of("bullet", "summary", "section");
  static final Set<String> SUGGESTION_TYPES = Set.of("rewrite", "job", "strategy", "plan");

  public record FieldProblem(String field, String problem) {}

  /** One parsed event with its user and its index in the request. */
  public record Item(int index, String userId, JourneyEvent event) {}

  public record Parsed(List<Item> items, List<FieldProblem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private IngestParser() {}

  /** A context on its own, as the body of a prediction request; problems are named under {@code path}. */
  public static ApplicationContext parseContext(JsonNode node, String path, List<FieldProblem> problems) {
    if (node == null || !node.isObject()) {
      problems.add(new FieldProblem(path, "must be an application context object"));
      return null;
    }
    int before = problems.size();
    var ctx = new Reader(node, path, problems).context();
    return problems.size() == before ? ctx : null;
  }

  public static Parsed parse(JsonNode body) {
    var problems = new ArrayList<FieldProblem>();
    var items = new ArrayList<Item>();
    if (body == null || !body.isObject() || !body.has("events")) {
      problems.add(new FieldProblem("events", "required: the body must be {\"events\": [ ... ]}"));
      return new Parsed(items, problems);
    }
    var events = body.get("events");
    if (!events.isArray()) {
      problems.add(new FieldProblem("events", "must be an array"));
    } else if (events.isEmpty()) {
      problems.add(new FieldProblem("events", "must not be empty"));
    } else if (events.size() > MAX_EVENTS_PER_BATCH) {
      problems.add(new FieldProblem("events", "at most " + MAX_EVENTS_PER_BATCH + " events per batch (got " + events.size() + ")"));
    } else {
      for (int i = 0; i < events.size(); i++) {
        var r = new Reader(events.get(i), "events[" + i + "]", problems);
        var item = r.event(i);
        if (item != null) items.add(item);
      }
    }
    return new Parsed(items, problems);
  }

  /** Reads fields of one JSON object, recording problems under their full path. */
  private static final class Reader {
    private final JsonNode node;
    private final String path;
    private final List<FieldProblem> problems;

    Reader(JsonNode node, String path, List<FieldProblem> problems) {
      this.node = node;
      this.path = path;
      this.problems = problems;
    }

    Item event(int index) {
      if (node == null || !node.isObject()) {
        problem("", "must be an object");
        return null;
      }
      int before = problems.size();
      String eventId = string("event_id", true);
      String type = string("event_type", true);
      String userId = string("user_id", true);
      Instant ts = timestamp("timestamp");
      if (type == null) return null;
      JourneyEvent e;
      if (APPLICATION_TYPES.contains(type)) e = application(eventId, type, ts);
      else if (STRATEGY_TYPES.contains(type)) e = strategy(eventId, type, ts);
      else if (RESUME_TYPES.contains(type)) e = resume(eventId, type, ts);
      else if (FEEDBACK_TYPES.contains(type)) e = feedback(eventId, type, ts);
      else {
        problem("event_type", "unknown event type '" + type + "'");
        return null;
      }
      return problems.size() == before ? new Item(index, userId, e) : null;
    }

    private JourneyEvent application(String eventId, String type, Instant ts) {
      boolean statusChange = type.equals("STATUS_CHANGED");
      String appId = string("application_id", true);
      String jobId = string("job_id", !statusChange);
      String resumeId = string("resume_version_id", !statusChange);
      ApplicationContext ctx = null;
      var ctxReader = child("context", !statusChange);
      if (ctxReader != null) ctx = ctxReader.context();
      if (statusChange) {
        Outcome outcome = null;
        var o = child("outcome", true);
        if (o != null) outcome = o.outcome();
        return new StatusChanged(eventId, ts, appId, jobId, resumeId, ctx, outcome);
      }
      return new ApplicationRecorded(eventId, type, ts, appId, jobId, resumeId, ctx);
    }

    private ApplicationContext context() {
      String mode = string("strategy_mode", true);
      Double fit = number("fit_score", true, 0, 100);
      String category = enumeration("category", true, Domain.CATEGORIES);
      JobCharacteristics job = null;
      var j = child("job_characteristics", true);
      if (j != null) {
        job = new JobCharacteristics(j.string("title", true), j.string("company", true), j.string("seniority", true),
            j.string("location", true), j.string("industry", false));
      }
      Double resumeScore = number("resume_score", true, 0, 100);
      Boolean tailoring = bool("tailoring_applied", true);
      if (fit == null || resumeScore == null || tailoring == null) return null;
      return new ApplicationContext(mode, fit, category, job, resumeScore, tailoring);
    }

    private Outcome outcome() {
      String status = enumeration("status", true, Domain.STATUSES);
      Double days = number("days_to_response", false, 0, 3650);
      if (days != null && days != Math.floor(days)) problem("days_to_response", "must be a whole number of days");
      String responseType = string("response_type", false);
      return new Outcome(status, days == null ? null : days.intValue(), responseType);
    }

    private JourneyEvent strategy(String eventId, String type, Instant ts) {
      String from = string("from_mode", false);
      String to = string("to_mode", true);
      String reason = string("reason", true);
      StrategyMetrics metrics = null;
      var m = child("metrics", true);
      if (m != null) {
        Double score = m.number("resume_score", true, 0, 100);
        Double total = m.integer("total_applications");
        Double rate = m.number("interview_rate", true, 0, 1);
        Double last7 = m.integer("applications_last_7_days");
        if (score != null && total != null && rate != null && last7 != null) {
          metrics = new StrategyMetrics(score, total.intValue(), rate, last7.intValue());
        }
      }
      return new StrategyChanged(eventId, type, ts, from, to, reason, metrics);
    }

    private JourneyEvent resume(String eventId, String type, Instant ts) {
      String resumeId = string("resume_version_id", true);
      String rewriteType = enumeration("rewrite_type", false, REWRITE_TYPES);
      Double before = number("before_score", true, 0, 100);
      Double after = number("after_score", true, 0, 100);
      Double delta = number("score_delta", true, -100, 100);
      if (before != null && after != null && delta != null && Math.abs(after - before - delta) > 1e-6) {
        problem("score_delta", "must equal after_score - before_score (" + (after - before) + ")");
      }
      List<String> gaps = strings("gaps_addressed");
      List<String> edits = strings("edit_types");
      Boolean suggested = bool("suggested_by_system", false);
      Boolean accepted = bool("user_accepted", true);
      if (before == null || after == null || delta == null || accepted == null) return null;
      return new ResumeChanged(eventId, type, ts, resumeId, rewriteType, before, after, delta, gaps, edits, suggested, accepted);
    }

    private JourneyEvent feedback(String eventId, String type, Instant ts) {
      String suggestionType = enumeration("suggestion_type", true, SUGGESTION_TYPES);
      String suggested = freeJson("suggested_content", true);
      String finalContent = freeJson("final_content", false);
      String rejection = string("rejection_reason", false);
      return new SuggestionFeedback(eventId, type, ts, suggestionType, suggested, finalContent, rejection);
    }

    // ------------------------------------------------------------ field readers

    private JsonNode field(String name, boolean required) {
      var v = node.get(name);
      if (v == null || v.isNull()) {
        if (required) problem(name, "required");
        return null;
      }
      return v;
    }

    String string(String name, boolean required) {
      var v = field(name, required);
      if (v == null) return null;
      if (!v.isTextual()) return problem(name, "must be a string");
      var s = v.asText();
      if (required && s.isBlank()) return problem(name, "must not be blank");
      if (s.length() > MAX_SHORT_STRING) return problem(name, "at most " + MAX_SHORT_STRING + " characters");
      return s;
    }

    private String enumeration(String name, boolean required, Set<String> allowed) {
      var s = string(name, required);
      if (s != null && !allowed.contains(s)) {
        return problem(name, "must be one of " + new java.util.TreeSet<>(allowed));
      }
      return s;
    }

    private Double number(String name, boolean required, double min, double max) {
      var v = field(name, required);
      if (v == null) return null;
      if (!v.isNumber()) return problem(name, "must be a number");
      double d = v.asDouble();
      if (!Double.isFinite(d) || d < min || d > max) return problem(name, "must be between " + fmt(min) + " and " + fmt(max));
      return d;
    }

    private Double integer(String name) {
      var v = field(name, true);
      if (v == null) return null;
      // canConvertToLong first: asLong() of a big integer wraps around (2^64 + 5 would read as 5)
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > Integer.MAX_VALUE) {
        return problem(name, "must be a non-negative integer");
      }
      return v.asDouble();
    }

    private Boolean bool(String name, boolean required) {
      var v = field(name, required);
      if (v == null) return null;
      if (!v.isBoolean()) return problem(name, "must be true or false");
      return v.asBoolean();
    }

    private List<String> strings(String name) {
      var v = field(name, false);
      if (v == null) return null;
      if (!v.isArray()) return problem(name, "must be an array of strings");
      var out = new ArrayList<String>();
      for (int i = 0; i < v.size(); i++) {
        var el = v.get(i);
        if (!el.isTextual() || el.asText().length() > MAX_SHORT_STRING) {
          return problem(name + "[" + i + "]", "must be a string of at most " + MAX_SHORT_STRING + " characters");
        }
        out.add(el.asText());
      }
      return List.copyOf(out);
    }

    private String freeJson(String name, boolean required) {
      var v = field(name, required);
      if (v == null) return null;
      var text = v.toString();
      if (text.length() > MAX_FREE_TEXT) return problem(name, "at most " + MAX_FREE_TEXT + " characters of JSON");
      return text;
    }

    private Instant timestamp(String name) {
      var s = string(name, true);
      if (s == null) return null;
      Instant at;
      try {
        at = OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e) {
        return problem(name, "must be an ISO-8601 timestamp with offset, e.g. 2026-03-02T09:15:00Z");
      }
      if (at.isBefore(EARLIEST_TIMESTAMP) || at.isAfter(LATEST_TIMESTAMP)) {
        return problem(name, "must be between " + EARLIEST_TIMESTAMP + " and " + LATEST_TIMESTAMP);
      }
      return at;
    }

    private Reader child(String name, boolean required) {
      var v = field(name, required);
      if (v == null) return null;
      if (!v.isObject()) {
        problem(name, "must be an object");
        return null;
      }
      return new Reader(v, at(name), problems);
    }

    private <T> T problem(String field, String problem) {
      problems.add(new FieldProblem(at(field), problem));
      return null;
    }

    /** A bare context (prediction body) is read with an empty path: its fields then have no leading dot. */
    private String at(String field) {
      if (field.isEmpty()) return path;
      return path.isEmpty() ? field : path + "." + field;
    }

    private static String fmt(double d) {
      return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
  }
}
