package io.hireloop.analytics;

import io.hireloop.journey.Domain;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyEvent.ApplicationRecorded;
import io.hireloop.journey.JourneyEvent.ResumeChanged;
import io.hireloop.journey.JourneyEvent.StatusChanged;
import io.hireloop.stats.Intervals;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the UserPerformance read model needs to fold the next event in, stored as JSON in
 * {@code user_performance.state}. Pure: no Pekko, no Cassandra.
 */
public record PerformanceState(
    long asOfSeqNr,
    Map<String, App> applications,
    Double resumeScoreStart,
    Double resumeScoreCurrent,
    int rewritesAccepted,
    int rewritesRejected) {

  /** What performance needs of one application. {@code daysToResponse}: the first one reported. */
  public record App(String category, String mode, String status, boolean interviewed, boolean offered, Integer daysToResponse) {}

  public static final PerformanceState EMPTY = new PerformanceState(0, Map.of(), null, null, 0, 0);

  /** Folds in the event stored under {@code seqNr}; events at or below {@link #asOfSeqNr} are ignored (redelivery). */
  public PerformanceState apply(long seqNr, JourneyEvent e) {
    if (seqNr <= asOfSeqNr) return this;
    var apps = applications;
    Double start = resumeScoreStart;
    Double current = resumeScoreCurrent;
    int accepted = rewritesAccepted;
    int rejected = rewritesRejected;
    if (e instanceof ApplicationRecorded a) {
      var old = applications.get(a.applicationId());
      var ctx = a.context();
      apps = with(apps, a.applicationId(), old == null
          ? new App(ctx.category(), ctx.strategyMode(), null, false, false, null)
          : new App(ctx.category(), ctx.strategyMode(), old.status(), old.interviewed(), old.offered(), old.daysToResponse()));
      if (start == null) start = ctx.resumeScore();
      if (current == null) current = ctx.resumeScore();
    } else if (e instanceof StatusChanged s) {
      var old = applications.get(s.applicationId());
      if (old != null) {
        var status = s.outcome().status();
        apps = with(apps, s.applicationId(), new App(old.category(), old.mode(), status,
            old.interviewed() || Domain.INTERVIEW_STATUSES.contains(status),
            old.offered() || Domain.OFFER_STATUSES.contains(status),
            old.daysToResponse() != null ? old.daysToResponse() : s.outcome().daysToResponse()));
      }
    } else if (e instanceof ResumeChanged r) {
      if (start == null) start = r.beforeScore();
      if (r.userAccepted()) current = r.afterScore();
      if (r.eventType().equals("RESUME_REWRITTEN")) {
        if (r.userAccepted()) accepted++;
        else rejected++;
      }
    }
    return new PerformanceState(seqNr, apps, start, current, accepted, rejected);
  }

  /** The UserPerformance document of API.md. */
  public Map<String, Object> toUserPerformance(String userId) {
    int total = applications.size();
    var byCategory = new LinkedHashMap<String, Integer>();
    for (var c : new String[] {"reach", "target", "safety"}) byCategory.put(c, 0);
    var byMode = new TreeMap<String, int[]>(); // mode -> {applications, interviews, offers}
    int interviews = 0, offers = 0, rejections = 0, ghosted = 0, responded = 0, daysSum = 0;
    Integer fastest = null;
    for (var app : applications.values()) {
      byCategory.merge(app.category(), 1, Integer::sum);
      var m = byMode.computeIfAbsent(app.mode(), k -> new int[3]);
      m[0]++;
      if (app.interviewed()) {
        interviews++;
        m[1]++;
      }
      if (app.offered()) {
        offers++;
        m[2]++;
      }
      if ("rejected".equals(app.status())) rejections++;
      if ("ghosted".equals(app.status())) ghosted++;
      if (app.daysToResponse() != null) {
        responded++;
        daysSum += app.daysToResponse();
        fastest = fastest == null ? app.daysToResponse() : Math.min(fastest, app.daysToResponse());
      }
    }
    var distribution = new LinkedHashMap<String, Double>();
    var rateByMode = new LinkedHashMap<String, Double>();
    var ratesByMode = new LinkedHashMap<String, Object>();
    byMode.forEach((mode, m) -> {
      distribution.put(mode, (double) m[0] / total);
      rateByMode.put(mode, (double) m[1] / m[0]);
      ratesByMode.put(mode, modeRates(m[0], m[1], m[2]));
    });
    var p = new LinkedHashMap<String, Object>();
    p.put("user_id", userId);
    p.put("total_applications", total);
    p.put("applications_by_category", byCategory);
    p.put("interview_requests", interviews);
    p.put("interview_rate", total == 0 ? 0.0 : (double) interviews / total);
    p.put("offers", offers);
    p.put("offer_rate", total == 0 ? 0.0 : (double) offers / total);
    p.put("rejections", rejections);
    p.put("ghosted", ghosted);
    p.put("avg_days_to_response", responded == 0 ? null : (double) daysSum / responded);
    p.put("fastest_response_days", fastest);
    p.put("strategy_distribution", distribution);
    p.put("interview_rate_by_mode", rateByMode);
    p.put("rates_by_mode", ratesByMode);
    p.put("resume_score_start", resumeScoreStart);
    p.put("resume_score_current", resumeScoreCurrent);
    p.put("score_improvement", resumeScoreStart == null || resumeScoreCurrent == null ? null : resumeScoreCurrent - resumeScoreStart);
    p.put("rewrites_accepted", rewritesAccepted);
    p.put("rewrites_rejected", rewritesRejected);
    p.put("as_of_seq_nr", asOfSeqNr);
    return p;
  }

  /** One strategy mode's applications, interview and offer rates, each with its Wilson 95% interval. */
  private static Map<String, Object> modeRates(int applications, int interviews, int offers) {
    var interview = Intervals.wilson(interviews, applications);
    var offer = Intervals.wilson(offers, applications);
    var m = new LinkedHashMap<String, Object>();
    m.put("applications", applications);
    m.put("interview_requests", interviews);
    m.put("interview_rate", interview.estimate());
    m.put("interview_rate_interval", Map.of("low", interview.low(), "high", interview.high()));
    m.put("offers", offers);
    m.put("offer_rate", offer.estimate());
    m.put("offer_rate_interval", Map.of("low", offer.low(), "high", offer.high()));
    return m;
  }

  private static Map<String, App> with(Map<String, App> m, String k, App v) {
    var copy = new HashMap<>(m);
    copy.put(k, v);
    return copy;
  }
}
