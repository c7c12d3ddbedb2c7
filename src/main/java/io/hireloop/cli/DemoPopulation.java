package io.hireloop.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small generated population for the demo and the learning-loop tests (the realistic simulator is a
 * later piece of work). Each user applies to jobs; whether an application reaches an interview is drawn
 * from a known logistic function of fit score, tailoring, category and resume score — the signal the
 * interview model should find. Events are API.md ingest events, in time order, all in the past.
 */
public final class DemoPopulation {
  static final String[] MODES = {"balanced", "aggressive", "conservative"};
  static final String[] CATEGORIES = {"reach", "target", "safety"};
  static final String[] SENIORITY = {"junior", "mid", "senior", "lead"};
  static final String[] TITLES = {"Backend Engineer", "Data Analyst", "Product Manager", "Designer", "SRE"};
  static final String[] LOCATIONS = {"Berlin", "London", "Remote", "Paris", "Madrid"};
  static final String[] INDUSTRIES = {"software", "finance", "health", "retail"};

  private DemoPopulation() {}

  /** The planted truth: probability that an application reaches an interview. */
  public static double interviewProbability(double fitScore, boolean tailored, String category, double resumeScore) {
    double cat = switch (category) {
      case "reach" -> -0.7;
      case "safety" -> 0.6;
      default -> 0.0;
    };
    double z = -2.6 + 4.0 * (fitScore - 50) / 50 + (tailored ? 0.9 : 0) + cat + 1.2 * (resumeScore - 60) / 40;
    return 1 / (1 + Math.exp(-z));
  }

  /** Every event of {@code users} users, in time order, ending before {@code now}. */
  public static List<Map<String, Object>> generate(int users, long seed, Instant now) {
    var rnd = new Random(seed);
    var events = new ArrayList<Map<String, Object>>();
    var start = now.minus(Duration.ofDays(90));
    long counter = 0;
    for (int u = 0; u < users; u++) {
      var userId = "demo-u-" + u;
      double resume = 45 + rnd.nextDouble() * 35;
      var mode = MODES[rnd.nextInt(MODES.length)];
      int apps = 4 + rnd.nextInt(12);
      var t = start.plus(Duration.ofHours(rnd.nextInt(24 * 10)));
      for (int a = 0; a < apps; a++) {
        t = t.plus(Duration.ofHours(6 + rnd.nextInt(72)));
        if (rnd.nextDouble() < 0.15) {
          double after = Math.min(100, resume + 2 + rnd.nextInt(8));
          var e = base(userId + "-e" + counter++, "RESUME_REWRITTEN", userId, t);
          e.put("resume_version_id", userId + "-r" + a);
          e.put("rewrite_type", "bullet");
          e.put("before_score", resume);
          e.put("after_score", after);
          e.put("score_delta", after - resume);
          e.put("edit_types", List.of("added_metrics_to_bullets"));
          e.put("suggested_by_system", rnd.nextBoolean());
          e.put("user_accepted", true);
          events.add(e);
          resume = after;
        }
        var appId = userId + "-a" + a;
        double fit = 20 + rnd.nextDouble() * 80;
        boolean tailored = rnd.nextDouble() < 0.4;
        var category = CATEGORIES[rnd.nextInt(3)];
        var created = base(userId + "-e" + counter++, "APPLICATION_CREATED", userId, t);
        created.put("application_id", appId);
        created.put("job_id", "job-" + rnd.nextInt(5000));
        created.put("resume_version_id", userId + "-r");
        created.put("context", context(mode, fit, category, resume, tailored, rnd));
        events.add(created);

        double p = interviewProbability(fit, tailored, category, resume);
        int days = 2 + rnd.nextInt(12);
        var responseAt = t.plus(Duration.ofDays(days));
        if (responseAt.isAfter(now.minus(Duration.ofHours(1)))) continue; // still waiting
        if (rnd.nextDouble() < p) {
          events.add(status(userId + "-e" + counter++, userId, appId, responseAt, "phone_screen", days));
          if (rnd.nextDouble() < 0.5 && responseAt.plus(Duration.ofDays(5)).isBefore(now)) {
            events.add(status(userId + "-e" + counter++, userId, appId, responseAt.plus(Duration.ofDays(5)), "interview", null));
          }
        } else {
          events.add(status(userId + "-e" + counter++, userId, appId, responseAt, rnd.nextDouble() < 0.6 ? "ghosted" : "rejected",
              rnd.nextDouble() < 0.5 ? days : null));
        }
      }
    }
    events.sort(Comparator.comparing(e -> (String) e.get("timestamp")));
    return events;
  }

  static Map<String, Object> context(String mode, double fit, String category, double resume, boolean tailored, Random rnd) {
    var job = new LinkedHashMap<String, Object>();
    job.put("title", TITLES[rnd.nextInt(TITLES.length)]);
    job.put("company", "Company " + rnd.nextInt(400));
    job.put("seniority", SENIORITY[rnd.nextInt(SENIORITY.length)]);
    job.put("location", LOCATIONS[rnd.nextInt(LOCATIONS.length)]);
    job.put("industry", INDUSTRIES[rnd.nextInt(INDUSTRIES.length)]);
    var c = new LinkedHashMap<String, Object>();
    c.put("strategy_mode", mode);
    c.put("fit_score", Math.round(fit * 10) / 10.0);
    c.put("category", category);
    c.put("job_characteristics", job);
    c.put("resume_score", Math.round(resume * 10) / 10.0);
    c.put("tailoring_applied", tailored);
    return c;
  }

  private static Map<String, Object> status(String eventId, String userId, String appId, Instant at, String status, Integer days) {
    var e = base(eventId, "STATUS_CHANGED", userId, at);
    e.put("application_id", appId);
    var outcome = new LinkedHashMap<String, Object>();
    outcome.put("status", status);
    if (days != null) outcome.put("days_to_response", days);
    e.put("outcome", outcome);
    return e;
  }

  private static LinkedHashMap<String, Object> base(String eventId, String type, String userId, Instant at) {
    var e = new LinkedHashMap<String, Object>();
    e.put("event_id", eventId);
    e.put("event_type", type);
    e.put("user_id", userId);
    e.put("timestamp", at.toString());
    return e;
  }
}
