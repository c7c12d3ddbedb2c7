package io.hireloop.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.experiment.Experiment.HistoryEntry;
import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.platform.serialization.HireloopSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment's ramp schedule (the definition's {@code ramp_schedule}): the share of traffic in the
 * experiment at each step, e.g. 10% → 50% → 100%. The first step is the traffic the experiment is created
 * (and starts) with; every later step is taken by the {@link ExperimentMonitor} once the experiment is
 * {@code running}, has stayed at least {@code afterHours} at its current traffic (since the last ramp, start or
 * resume), has at least {@code minExposures} exposed users, its guardrails are green and there is no
 * sample-ratio mismatch ({@link #nextStep}). Each step is an ordinary {@link Experiment.Ramped} by
 * {@link #BY}, so ramping never moves an exposed user (see {@link Allocation}).
 *
 * <p>A manual {@code POST …/ramp} is an admin override: the schedule continues from the current traffic,
 * i.e. its next step is the first one above it, due {@code afterHours} after the manual ramp.
 */
public record RampSchedule(List<Step> steps) implements HireloopSerializable {
  /** Who takes the scheduled steps (the {@code by} of their history lines). */
  public static final String BY = "system:ramp-schedule";
  static final int MAX_STEPS = 20;
  static final double MAX_HOURS = 24 * 365;

  /** {@code traffic} in (0, 1]; {@code afterHours} ≥ 0 (0 for the first step); {@code minExposures} ≥ 0. */
  public record Step(double traffic, double afterHours, long minExposures) implements HireloopSerializable {}

  public RampSchedule {
    steps = List.copyOf(steps);
  }

  public Step first() {
    return steps.get(0);
  }

  /**
   * What the schedule asks for now. {@code step} null: the schedule is done (traffic at or above its last
   * step). {@code hold} null: take {@code step} now; else why not yet.
   */
  public record Next(Step step, String hold) {
    public boolean due() {
      return step != null && hold == null;
    }
  }

  /**
   * The pure decision: {@code traffic} the current share, {@code history} the experiment's history (for the
   * time of the last ramp, start or resume), {@code results} as {@link Results#compute} made them (exposures,
   * guardrails, SRM, decision).
   */
  public Next nextStep(Instant now, String status, double traffic, List<HistoryEntry> history, ExperimentResults results) {
    var step = steps.stream().filter(s -> s.traffic() > traffic + 1e-9).findFirst().orElse(null);
    if (step == null) return new Next(null, "the schedule is complete");
    if (!"running".equals(status)) return new Next(step, "the experiment is " + status);
    Instant since = history.stream()
        .filter(h -> h.type().equals("ramp") || h.type().equals("status_changed") && "running".equals(h.to()))
        .map(HistoryEntry::at).max(Instant::compareTo).orElse(null);
    if (since == null) return new Next(step, "the experiment has not started");
    Instant dueAt = since.plus(hours(step.afterHours()));
    if (now.isBefore(dueAt)) return new Next(step, "due at " + dueAt + " (" + step.afterHours() + " h at " + AllocationRules.share(traffic) + ")");
    if (results == null) return new Next(step, "no results yet");
    long exposures = results.exposedUsers();
    if (exposures < step.minExposures()) return new Next(step, exposures + " of " + step.minExposures() + " exposures");
    var breached = results.breachedGuardrails().stream().map(g -> g.variantId() + " " + g.metric().id).toList();
    if (!breached.isEmpty()) return new Next(step, "guardrails breached: " + breached);
    if (results.decisionKind() == DecisionKind.STOP_FOR_HARM) return new Next(step, "decision is stop_for_harm");
    if (results.srm().mismatch()) return new Next(step, "sample-ratio mismatch (p = " + results.srm().pValue() + ")");
    return new Next(step, null);
  }

  public List<Map<String, Object>> toJson() {
    return steps.stream().map(s -> {
      var m = new LinkedHashMap<String, Object>();
      m.put("traffic", s.traffic());
      m.put("after_hours", s.afterHours());
      m.put("min_exposures", s.minExposures());
      return (Map<String, Object>) m;
    }).toList();
  }

  /**
   * The definition's {@code ramp_schedule}: null when absent (problems added to {@code p} otherwise). E.g.
   * {@code [{"traffic": 0.1}, {"traffic": 0.5, "after_hours": 24, "min_exposures": 1000}, {"traffic": 1.0,
   * "after_hours": 48}]}: traffic strictly increasing in (0, 1]; the first step is the starting traffic (no
   * {@code after_hours} or {@code min_exposures}); every later step needs {@code after_hours} (≥ 0, may be
   * fractional) and may have {@code min_exposures} (integer ≥ 0, default 0).
   */
  public static RampSchedule parse(JsonNode node, List<FieldProblem> p) {
    if (node == null || node.isMissingNode() || node.isNull()) return null;
    String f = "ramp_schedule";
    if (!node.isArray() || node.isEmpty() || node.size() > MAX_STEPS) {
      p.add(new FieldProblem(f, "must be an array of 1 to " + MAX_STEPS + " steps {traffic, after_hours, min_exposures?}"));
      return null;
    }
    int before = p.size();
    var steps = new ArrayList<Step>();
    double previous = 0;
    for (int i = 0; i < node.size(); i++) {
      var s = node.get(i);
      String at = f + "[" + i + "]";
      if (!s.isObject()) {
        p.add(new FieldProblem(at, "must be an object {traffic, after_hours, min_exposures?}"));
        continue;
      }
      var t = s.get("traffic");
      double traffic = 0;
      if (t == null || !t.isNumber() || !(t.asDouble() > 0 && t.asDouble() <= 1)) {
        p.add(new FieldProblem(at + ".traffic", "required number in (0, 1]"));
      } else if ((traffic = t.asDouble()) <= previous) {
        p.add(new FieldProblem(at + ".traffic", "must be greater than the previous step's " + previous + " (traffic only grows)"));
      } else {
        previous = traffic;
      }
      var h = s.get("after_hours");
      var e = s.get("min_exposures");
      double hours = 0;
      long exposures = 0;
      if (i == 0) {
        if (h != null || e != null) {
          p.add(new FieldProblem(at, "the first step is the traffic the experiment starts with: no after_hours or min_exposures"));
        }
      } else {
        if (h == null || !h.isNumber() || !(h.asDouble() >= 0 && h.asDouble() <= MAX_HOURS)) {
          p.add(new FieldProblem(at + ".after_hours", "required number of hours in [0, " + MAX_HOURS + "] (may be fractional)"));
        } else {
          hours = h.asDouble();
        }
        if (e != null && !e.isNull()) {
          if (!e.canConvertToLong() || !e.isIntegralNumber() || e.asLong() < 0) {
            p.add(new FieldProblem(at + ".min_exposures", "must be an integer ≥ 0"));
          } else {
            exposures = e.asLong();
          }
        }
      }
      steps.add(new Step(traffic, hours, exposures));
    }
    return p.size() == before ? new RampSchedule(steps) : null;
  }

  /** For messages: {@code 10.0% → 50.0% → 100.0%}. */
  @Override
  public String toString() {
    return String.join(" → ", steps.stream().map(s -> AllocationRules.share(s.traffic())).toList());
  }

  static Duration hours(double h) {
    return Duration.ofMillis(Math.round(h * 3_600_000));
  }
}
