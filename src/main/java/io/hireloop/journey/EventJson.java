package io.hireloop.journey;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.JourneyEvent.ApplicationRecorded;
import io.hireloop.journey.JourneyEvent.ResumeChanged;
import io.hireloop.journey.JourneyEvent.StatusChanged;
import io.hireloop.journey.JourneyEvent.StrategyChanged;
import io.hireloop.journey.JourneyEvent.SuggestionFeedback;
import io.hireloop.platform.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders journal events back into the ingest schema of API.md (snake_case), plus their seq_nr. */
public final class EventJson {
  private EventJson() {}

  public static Map<String, Object> render(long seqNr, String userId, JourneyEvent e) {
    var m = new LinkedHashMap<String, Object>();
    m.put("seq_nr", seqNr);
    if (e instanceof JourneyEvent.Shredded) {
      // an erased user's event: its key is gone, so nothing of it can be told but that it was there
      m.put("event_type", e.eventType());
      m.put("user_id", userId);
      return m;
    }
    m.put("event_id", e.eventId());
    m.put("event_type", e.eventType());
    m.put("user_id", userId);
    m.put("timestamp", e.timestamp().toString());
    if (e instanceof ApplicationRecorded a) {
      putApplication(m, a.applicationId(), a.jobId(), a.resumeVersionId(), a.context());
    } else if (e instanceof StatusChanged s) {
      putApplication(m, s.applicationId(), s.jobId(), s.resumeVersionId(), s.context());
      var o = new LinkedHashMap<String, Object>();
      o.put("status", s.outcome().status());
      putIf(o, "days_to_response", s.outcome().daysToResponse());
      putIf(o, "response_type", s.outcome().responseType());
      m.put("outcome", o);
    } else if (e instanceof StrategyChanged s) {
      putIf(m, "from_mode", s.fromMode());
      m.put("to_mode", s.toMode());
      m.put("reason", s.reason());
      var mm = new LinkedHashMap<String, Object>();
      mm.put("resume_score", s.metrics().resumeScore());
      mm.put("total_applications", s.metrics().totalApplications());
      mm.put("interview_rate", s.metrics().interviewRate());
      mm.put("applications_last_7_days", s.metrics().applicationsLast7Days());
      m.put("metrics", mm);
    } else if (e instanceof ResumeChanged r) {
      m.put("resume_version_id", r.resumeVersionId());
      putIf(m, "rewrite_type", r.rewriteType());
      m.put("before_score", r.beforeScore());
      m.put("after_score", r.afterScore());
      m.put("score_delta", r.scoreDelta());
      putIf(m, "gaps_addressed", r.gapsAddressed());
      putIf(m, "edit_types", r.editTypes());
      putIf(m, "suggested_by_system", r.suggestedBySystem());
      m.put("user_accepted", r.userAccepted());
    } else if (e instanceof JourneyEvent.ExperimentExposed x) {
      m.put("experiment_id", x.experimentId());
      m.put("variant_id", x.variantId());
    } else if (e instanceof JourneyEvent.ProfileUpdated u) {
      putProfile(m, u.profile());
    } else if (e instanceof JourneyEvent.PreferencesChanged p) {
      m.put("market_insights_opt_out", p.marketInsightsOptOut());
      m.put("experiments_opt_out", p.experimentsOptOut());
    } else if (e instanceof JourneyEvent.ReminderSent r) {
      m.put("application_id", r.applicationId());
      m.put("step", r.step());
      m.put("after", r.after().toString());
    } else if (e instanceof JourneyEvent.UserErased u) {
      m.put("job_id", u.jobId());
    } else if (e instanceof SuggestionFeedback f) {
      m.put("suggestion_type", f.suggestionType());
      m.put("suggested_content", Json.read(f.suggestedContentJson()));
      if (f.finalContentJson() != null) m.put("final_content", Json.read(f.finalContentJson()));
      putIf(m, "rejection_reason", f.rejectionReason());
    }
    return m;
  }

  public static Map<String, Object> context(ApplicationContext c) {
    var m = new LinkedHashMap<String, Object>();
    m.put("strategy_mode", c.strategyMode());
    m.put("fit_score", c.fitScore());
    m.put("category", c.category());
    var j = c.jobCharacteristics();
    var jm = new LinkedHashMap<String, Object>();
    jm.put("title", j.title());
    jm.put("company", j.company());
    jm.put("seniority", j.seniority());
    jm.put("location", j.location());
    putIf(jm, "industry", j.industry());
    m.put("job_characteristics", jm);
    m.put("resume_score", c.resumeScore());
    m.put("tailoring_applied", c.tailoringApplied());
    return m;
  }

  private static void putApplication(Map<String, Object> m, String appId, String jobId, String resumeId, ApplicationContext c) {
    m.put("application_id", appId);
    putIf(m, "job_id", jobId);
    putIf(m, "resume_version_id", resumeId);
    if (c != null) m.put("context", context(c));
  }

  private static void putIf(Map<String, Object> m, String k, Object v) {
    if (v != null) m.put(k, v);
  }

  /** A profile's fields as the API names them (the PROFILE_UPDATED event and GET /users/{id}/profile). */
  public static void putProfile(Map<String, Object> m, Domain.Profile p) {
    m.put("target_roles", p.targetRoles());
    m.put("seniority", p.seniority());
    m.put("years_experience", p.yearsExperience());
    m.put("industries", p.industries());
    m.put("locations", p.locations());
    m.put("skills", p.skills());
  }
}
