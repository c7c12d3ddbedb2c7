package io.hireloop.journey;

import io.hireloop.platform.serialization.HireloopSerializable;

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

  public record StrategyMetrics(double resumeScore, int totalApplications, double interviewRate, int applicationsLast7Days)
      implements HireloopSerializable {}
}
