package io.hireloop.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.experiment.Experiment.Spec;
import io.hireloop.experiment.Experiment.Variant;
import io.hireloop.journey.IngestParser;
import io.hireloop.journey.IngestParser.FieldProblem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Shape validation of {@code POST /api/v1/experiments}; every problem carries its field path. */
public final class SpecParser {
  private SpecParser() {}

  public static final Set<String> SUCCESS_METRICS = Set.of("interview_rate", "offer_rate", "response_rate",
      "applications_per_week", "time_to_first_interview_days");
  public static final Set<String> ALLOCATION_MODES = Set.of("fixed", "thompson");
  /** Control rate assumed by the power check when the definition gives no {@code baseline_rate}. */
  public static final double DEFAULT_BASELINE_RATE = 0.10;
  static final int MAX_VARIANTS = 20;
  /**
   * The fields a definition may have. Others are refused rather than ignored: a mistyped optional field (say
   * {@code "allocaton_mode": "thompson"}) would otherwise start an experiment other than the one written.
   */
  static final Set<String> FIELDS = Set.of("experiment_id", "name", "hypothesis", "component", "parameter", "variants",
      "success_metric", "guardrail_metrics", "minimum_sample_size", "maximum_duration_days", "attribution_window_days",
      "expected_improvement", "rollback_plan", "layer", "allocation_mode", "baseline_rate", "ramp_schedule");
  static final Set<String> VARIANT_FIELDS = Set.of("variant_id", "name", "value", "allocation", "impact");
  /** A body of thousands of unknown fields gets a short answer. */
  static final int MAX_REPORTED_UNKNOWN = 10;
  static final Set<String> IMPACT_FIELDS = Set.of("job_recommendations_change", "user_effort_change");

  /** {@code rampSchedule}: the optional {@code ramp_schedule} ({@link RampSchedule#parse}), else null. */
  public record Result(Spec spec, List<FieldProblem> problems, RampSchedule rampSchedule) {
    public Result(Spec spec, List<FieldProblem> problems) {
      this(spec, problems, null);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  public static Result parse(JsonNode body) {
    var p = new ArrayList<FieldProblem>();
    if (body == null || !body.isObject()) return new Result(null, List.of(new FieldProblem("(body)", "must be a JSON object")));
    unknownFields(body, FIELDS, "", p);
    String id = str(body, "experiment_id", p, true);
    if (id != null && !id.matches("[A-Za-z0-9_.:-]+")) p.add(new FieldProblem("experiment_id", "letters, digits and _ . : - only"));
    String name = str(body, "name", p, true);
    String hypothesis = str(body, "hypothesis", p, true);
    String component = str(body, "component", p, true);
    if (component != null && !io.hireloop.config.ConfigChannel.COMPONENTS.contains(component)) {
      p.add(new FieldProblem("component", "one of " + new java.util.TreeSet<>(io.hireloop.config.ConfigChannel.COMPONENTS)));
    }
    String parameter = str(body, "parameter", p, true);
    var variants = new ArrayList<Variant>();
    var vs = body.path("variants");
    if (!vs.isArray() || vs.size() < 2 || vs.size() > MAX_VARIANTS) {
      p.add(new FieldProblem("variants", "required array of 2 to " + MAX_VARIANTS + " variants"));
    } else {
      var seen = new HashSet<String>();
      double sum = 0;
      for (int i = 0; i < vs.size(); i++) {
        var v = vs.get(i);
        String f = "variants[" + i + "]";
        if (!v.isObject()) {
          p.add(new FieldProblem(f, "must be an object"));
          continue;
        }
        unknownFields(v, VARIANT_FIELDS, f + ".", p);
        String vid = str(v, "variant_id", f + ".variant_id", p, true);
        if (vid != null && !seen.add(vid)) p.add(new FieldProblem(f + ".variant_id", "duplicate variant_id '" + vid + "'"));
        String vname = str(v, "name", f + ".name", p, false);
        var value = v.get("value");
        if (value == null || value.isNull()) p.add(new FieldProblem(f + ".value", "required (any JSON value)"));
        else if (value.toString().length() > IngestParser.MAX_FREE_TEXT) {
          p.add(new FieldProblem(f + ".value", "at most " + IngestParser.MAX_FREE_TEXT + " characters of JSON"));
        }
        double alloc = num(v, "allocation", f + ".allocation", p, 0, 1, true, 0);
        sum += alloc;
        var impact = v.path("impact");
        Double recs = null, effort = null;
        if (!impact.isMissingNode() && !impact.isNull()) {
          if (!impact.isObject()) {
            p.add(new FieldProblem(f + ".impact", "must be an object"));
          } else {
            unknownFields(impact, IMPACT_FIELDS, f + ".impact.", p);
            if (impact.has("job_recommendations_change")) {
              recs = num(impact, "job_recommendations_change", f + ".impact.job_recommendations_change", p, -1, 10, true, 0);
            }
            if (impact.has("user_effort_change")) {
              effort = num(impact, "user_effort_change", f + ".impact.user_effort_change", p, -1, 10, true, 0);
            }
          }
        }
        variants.add(new Variant(vid, vname == null ? vid : vname, value == null ? null : value.toString(), alloc, recs, effort));
      }
      if (!seen.contains("control")) p.add(new FieldProblem("variants", "one variant must have variant_id 'control'"));
      if (Math.abs(sum - 1) > 1e-6) p.add(new FieldProblem("variants", "allocations must sum to 1, got " + sum));
    }
    String metric = str(body, "success_metric", p, true);
    if (metric != null && !SUCCESS_METRICS.contains(metric)) {
      p.add(new FieldProblem("success_metric", "one of " + new java.util.TreeSet<>(SUCCESS_METRICS)));
    }
    var guardrails = new ArrayList<String>();
    var g = body.path("guardrail_metrics");
    if (!g.isMissingNode() && !g.isNull()) {
      if (!g.isArray()) {
        p.add(new FieldProblem("guardrail_metrics", "must be an array of metric names"));
      } else {
        for (int i = 0; i < g.size(); i++) {
          if (!g.get(i).isTextual() || !SUCCESS_METRICS.contains(g.get(i).asText())) {
            p.add(new FieldProblem("guardrail_metrics[" + i + "]", "one of " + new java.util.TreeSet<>(SUCCESS_METRICS)));
          } else {
            guardrails.add(g.get(i).asText());
          }
        }
      }
    }
    long minSample = (long) num(body, "minimum_sample_size", "minimum_sample_size", p, 1, 1e9, true, 0);
    if (body.path("minimum_sample_size").isNumber() && !body.path("minimum_sample_size").canConvertToLong()) {
      p.add(new FieldProblem("minimum_sample_size", "must be an integer"));
    }
    double maxDays = num(body, "maximum_duration_days", "maximum_duration_days", p, 0.001, 3650, true, 0);
    double window = num(body, "attribution_window_days", "attribution_window_days", p, 0, 365, true, 0);
    double expected = num(body, "expected_improvement", "expected_improvement", p, -10, 10, true, 0);
    String rollback = str(body, "rollback_plan", "rollback_plan", p, false);
    String layer = str(body, "layer", "layer", p, false);
    String mode = str(body, "allocation_mode", "allocation_mode", p, false);
    if (mode != null && !ALLOCATION_MODES.contains(mode)) p.add(new FieldProblem("allocation_mode", "one of fixed, thompson"));
    if ("thompson".equals(mode) && metric != null && OutcomeMetric.exists(metric) && !OutcomeMetric.of(metric).proportion) {
      p.add(new FieldProblem("allocation_mode", "thompson needs a 0/1 success metric (interview_rate, offer_rate or "
          + "response_rate); '" + metric + "' is not one: use fixed"));
    }
    double baseline = num(body, "baseline_rate", "baseline_rate", p, 0.0001, 0.9999, false, DEFAULT_BASELINE_RATE);
    var rampSchedule = RampSchedule.parse(body.get("ramp_schedule"), p);
    if (!p.isEmpty()) return new Result(null, p);
    return new Result(new Spec(id, name, hypothesis, component, parameter, List.copyOf(variants), metric, List.copyOf(guardrails),
        minSample, maxDays, window, expected, rollback, layer == null ? "default" : layer, mode == null ? "fixed" : mode,
        baseline, id), List.of(), rampSchedule);
  }

  /** Names the first {@link #MAX_REPORTED_UNKNOWN} unknown fields of {@code node} (names cut to 64 characters). */
  private static void unknownFields(JsonNode node, Set<String> allowed, String prefix, List<FieldProblem> p) {
    var unknown = new ArrayList<String>();
    node.fieldNames().forEachRemaining(name -> {
      if (!allowed.contains(name)) unknown.add(name);
    });
    for (var name : unknown.subList(0, Math.min(unknown.size(), MAX_REPORTED_UNKNOWN))) {
      p.add(new FieldProblem(prefix + (name.length() > 64 ? name.substring(0, 64) + "…" : name),
          "unknown field; allowed: " + String.join(", ", new java.util.TreeSet<>(allowed))));
    }
    if (unknown.size() > MAX_REPORTED_UNKNOWN) {
      p.add(new FieldProblem(prefix.isEmpty() ? "(body)" : prefix.substring(0, prefix.length() - 1),
          (unknown.size() - MAX_REPORTED_UNKNOWN) + " more unknown fields"));
    }
  }

  private static String str(JsonNode node, String f, List<FieldProblem> p, boolean required) {
    return str(node, f, f, p, required);
  }

  private static String str(JsonNode node, String f, String path, List<FieldProblem> p, boolean required) {
    var v = node.get(f);
    if (v == null || v.isNull()) {
      if (required) p.add(new FieldProblem(path, "required string of at most " + IngestParser.MAX_SHORT_STRING + " characters"));
      return null;
    }
    if (!v.isTextual() || (required && v.asText().isBlank()) || v.asText().length() > IngestParser.MAX_SHORT_STRING) {
      p.add(new FieldProblem(path, (required ? "required " : "") + "string of at most " + IngestParser.MAX_SHORT_STRING + " characters"));
      return null;
    }
    return v.asText();
  }

  private static double num(JsonNode node, String f, String path, List<FieldProblem> p, double min, double max,
      boolean required, double dflt) {
    var v = node.get(f);
    if (v == null || v.isNull()) {
      if (required) p.add(new FieldProblem(path, "required number in [" + min + ", " + max + "]"));
      return dflt;
    }
    if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max || !Double.isFinite(v.asDouble())) {
      p.add(new FieldProblem(path, "must be a number in [" + min + ", " + max + "]"));
      return dflt;
    }
    return v.asDouble();
  }
}
