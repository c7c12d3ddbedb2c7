package io.hireloop.simulation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every parameter of the simulator's generative model, in one place (README "Simulator" explains each).
 * The interview probability of an application created in week {@code w} is
 * <pre>
 *   z = intercept + ability·a + fit·(fit_score − 50)/50 + category[c] + tailoring·[tailored]
 *       − seniorityAbove·levels_above − seniorityBelow·levels_below + Σ edit[e]·[resume has e]
 *       + seasonal[month(w)] + tuesday·[created on a Tuesday]            (tuesday = 0)
 *   p = σ(z) · (shiftMultiplier if industry = shiftIndustry and w ≥ shiftWeek, else 1)
 * </pre>
 * An application "gets an interview" when it reaches {@code phone_screen} (API.md's interview request).
 */
public record SimulationModel(
    // --- the interview probability (the planted truth)
    double intercept,
    double abilityEffect,
    double fitEffect,
    Map<String, Double> categoryEffects,
    double tailoringEffect,
    double seniorityAbovePenalty,
    double seniorityBelowPenalty,
    Map<String, Double> editEffects,
    double tuesdayEffect,
    double[] seasonalLogOdds,
    String shiftIndustry,
    int shiftWeek,
    double shiftMultiplier,
    // --- the population
    double organisationFromAbility,
    double resumeScoreBase,
    double resumeScorePerAbility,
    double resumeScoreNoise,
    double meanApplicationsPerWeek,
    double activitySigma,
    double joinSpreadWeeks,
    // --- weekly behaviour (confounding: organised users edit more and apply on Tuesdays)
    double rewriteBase,
    double rewritePerOrganisation,
    double tuesdayBase,
    double tuesdayPerOrganisation,
    double tailoringBase,
    double tailoringPerOrganisation,
    double suggestionRate,
    double suggestionAccept,
    double suggestionEdit,
    int modeChangeMinApplications,
    double lowInterviewRate,
    int modeChangeCooldownWeeks,
    // --- generation
    int blockSize,
    int exactAucMaxApplications) {

  public static final List<String> EDIT_TYPES = List.of("added_metrics_to_bullets", "strengthened_action_verbs",
      "added_certifications", "reorganized_sections", "added_keywords");
  public static final List<String> SENIORITY = List.of("junior", "mid", "senior", "lead");
  public static final List<String> MODES = List.of("balanced", "aggressive", "conservative");
  public static final List<String> CATEGORIES = List.of("reach", "target", "safety");
  public static final List<String> INDUSTRIES = List.of("software", "finance", "health", "retail", "manufacturing", "media");
  public static final List<String> ROLES = List.of("Backend Engineer", "Frontend Engineer", "Data Analyst", "Data Scientist",
      "Product Manager", "Designer", "SRE", "QA Engineer", "Marketing Manager", "Sales Manager");
  /**
   * Profile skills (Simulator.profileJson; they do not enter the interview probability themselves): each in-demand skill
   * is listed with probability σ(SKILL_INTERCEPT + SKILL_PER_ABILITY·ability), so the profile carries a noisy reading of
   * the latent ability; 1–3 common skills are drawn uniformly and carry nothing.
   */
  public static final List<String> IN_DEMAND_SKILLS = List.of("kubernetes", "python", "sql", "aws", "machine learning", "leadership");
  public static final List<String> COMMON_SKILLS = List.of("communication", "teamwork", "excel", "jira", "presentation", "english",
      "time management", "office");
  public static final double SKILL_INTERCEPT = -0.5;
  public static final double SKILL_PER_ABILITY = 2.0;
  public static final List<String> LOCATIONS = List.of("Berlin", "London", "Remote", "Paris", "Madrid", "Amsterdam", "New York");

  /** The documented defaults. */
  public static SimulationModel defaults() {
    var category = new LinkedHashMap<String, Double>();
    category.put("reach", -0.8);
    category.put("target", 0.0);
    category.put("safety", 0.5);
    var edits = new LinkedHashMap<String, Double>();
    edits.put("added_metrics_to_bullets", 0.35);
    edits.put("strengthened_action_verbs", 0.10);
    edits.put("added_certifications", 0.20);
    edits.put("reorganized_sections", 0.0);
    edits.put("added_keywords", -0.08);
    // log-odds offset by month, Jan..Dec: peaks in Q1 and September, trough in December
    double[] seasonal = {0.25, 0.25, 0.20, 0.05, 0.0, -0.05, -0.10, 0.0, 0.25, 0.10, -0.05, -0.40};
    return new SimulationModel(-2.9, 0.8, 2.0, java.util.Collections.unmodifiableMap(category), 0.25, 0.6, 0.3, java.util.Collections.unmodifiableMap(edits),
        0.0, seasonal, "finance", 13, 2.0 / 3.0,
        1.2, 58, 8, 6, 2.0, 0.5, 4,
        0.05, 0.25, 0.10, 0.55, 0.15, 0.45,
        0.15, 0.55, 0.15, 10, 0.08, 3,
        2000, 3_000_000);
  }

  /** The week (0-based) from which the market shift applies: {@link #shiftWeek}, or half the run when that is negative. */
  public int effectiveShiftWeek(int weeks) {
    return shiftWeek >= 0 ? shiftWeek : weeks / 2;
  }

  public SimulationModel withBlockSize(int size) {
    return new SimulationModel(intercept, abilityEffect, fitEffect, categoryEffects, tailoringEffect, seniorityAbovePenalty,
        seniorityBelowPenalty, editEffects, tuesdayEffect, seasonalLogOdds, shiftIndustry, shiftWeek, shiftMultiplier,
        organisationFromAbility, resumeScoreBase, resumeScorePerAbility, resumeScoreNoise, meanApplicationsPerWeek,
        activitySigma, joinSpreadWeeks, rewriteBase, rewritePerOrganisation, tuesdayBase, tuesdayPerOrganisation, tailoringBase,
        tailoringPerOrganisation, suggestionRate, suggestionAccept, suggestionEdit, modeChangeMinApplications, lowInterviewRate,
        modeChangeCooldownWeeks, size, exactAucMaxApplications);
  }
}
