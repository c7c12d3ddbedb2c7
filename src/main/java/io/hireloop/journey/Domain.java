package io.hireloop.journey;

import io.hireloop.platform.serialization.HireloopSerializable;
import java.util.List;

/**
 * Value types shared by the ingest schema, the journal events and the learning features. Once released
 * they are frozen (see the schema-evolution rule in KryoRegistrations).
 */
public final class Domain {
  private Domain() {}

  public static final java.util.Set<String> CATEGORIES = java.util.Set.of("reach", "target", "safety");
  public static final java.util.Set<String> STATUSES = java.util.Set.of(
      "viewed", "phone_screen", "interview", "offer", "offer_accepted", "offer_declined",
      "rejected", "ghosted", "withdrawn");
  /** After one of these, an application takes no more status changes. */
  public static final java.util.Set<String> TERMINAL_STATUSES = java.util.Set.of("offer_accepted", "withdrawn");
  /** An application counts as an interview request once it reached one of these. */
  public static final java.util.Set<String> INTERVIEW_STATUSES = java.util.Set.of(
      "phone_screen", "interview", "offer", "offer_accepted", "offer_declined");
  public static final java.util.Set<String> OFFER_STATUSES = java.util.Set.of("offer", "offer_accepted", "offer_declined");

  public record JobCharacteristics(String title, String company, String seniority, String location, String industry)
      implements HireloopSerializable {}

  public record ApplicationContext(
      String strategyMode,
      double fitScore,
      String category,
      JobCharacteristics jobCharacteristics,
      double resumeScore,
      boolean tailoringApplied) implements HireloopSerializable {}

  public record Outcome(String status, Integer daysToResponse, String responseType) implements HireloopSerializable {}

  /**
   * What a user tells about themself for advice before (and besides) their applications: the roles they target, their
   * seniority (junior | mid | senior | lead) and years of experience, the industries, locations and skills they bring or
   * want. Every list may be empty and every value null: a profile can be filled in step by step.
   */
  public record Profile(List<String> targetRoles, String seniority, Double yearsExperience, List<String> industries,
      List<String> locations, List<String> skills) implements HireloopSerializable {
    public Profile {
      targetRoles = targetRoles == null ? List.of() : List.copyOf(targetRoles);
      industries = industries == null ? List.of() : List.copyOf(industries);
      locations = locations == null ? List.of() : List.copyOf(locations);
      skills = skills == null ? List.of() : List.copyOf(skills);
    }

    public static final Profile EMPTY = new Profile(List.of(), null, null, List.of(), List.of(), List.of());
  }

  public record StrategyMetrics(double resumeScore, int totalApplications, double interviewRate, int applicationsLast7Days)
      implements HireloopSerializable {}
}
