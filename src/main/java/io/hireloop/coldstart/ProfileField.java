package io.hireloop.coldstart;

import io.hireloop.journey.Domain;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * The profile's fields as the cold start compares them. List values compare case-insensitively (they are shown
 * lower-case); years of experience compare as numbers and are grouped into ranges for answer options and gains.
 */
public enum ProfileField {
  TARGET_ROLES("target_roles", "Which roles are you looking for?", "multiple"),
  SENIORITY("seniority", "What is your seniority?", "single"),
  YEARS_EXPERIENCE("years_experience", "How many years of experience do you have?", "number"),
  INDUSTRIES("industries", "Which industries do you want to work in?", "multiple"),
  LOCATIONS("locations", "Where do you want to work?", "multiple"),
  SKILLS("skills", "Which skills do you bring?", "multiple");

  /**
   * {@code current} with the fields named in {@code answered} (JSON names) taken from {@code answers}: an onboarding
   * answer changes only what it answers (an answered field sent empty clears it, as in a PUT).
   */
  public static Domain.Profile merge(Domain.Profile current, Domain.Profile answers, java.util.Set<String> answered) {
    return new Domain.Profile(
        answered.contains(TARGET_ROLES.json) ? answers.targetRoles() : current.targetRoles(),
        answered.contains(SENIORITY.json) ? answers.seniority() : current.seniority(),
        answered.contains(YEARS_EXPERIENCE.json) ? answers.yearsExperience() : current.yearsExperience(),
        answered.contains(INDUSTRIES.json) ? answers.industries() : current.industries(),
        answered.contains(LOCATIONS.json) ? answers.locations() : current.locations(),
        answered.contains(SKILLS.json) ? answers.skills() : current.skills());
  }

  /** The range a number of years falls into (the answer options of years_experience). */
  public static final List<String> YEAR_RANGES = List.of("0-2", "3-5", "6-10", "11+");

  /** Seniority levels in order (API.md: profile). */
  public static final List<String> SENIORITY_ORDER = List.of("junior", "mid", "senior", "lead");

  public final String json;
  public final String question;
  /** multiple: a list of strings; single: one of the options; number: a number (the options are ranges). */
  public final String answer;

  ProfileField(String json, String question, String answer) {
    this.json = json;
    this.question = question;
    this.answer = answer;
  }

  /** The profile's values of this field, normalised; empty when the field is not answered. */
  public List<String> values(Domain.Profile p) {
    return switch (this) {
      case TARGET_ROLES -> normalised(p.targetRoles());
      case INDUSTRIES -> normalised(p.industries());
      case LOCATIONS -> normalised(p.locations());
      case SKILLS -> normalised(p.skills());
      case SENIORITY -> p.seniority() == null ? List.of() : List.of(p.seniority());
      case YEARS_EXPERIENCE -> p.yearsExperience() == null ? List.of() : List.of(yearRange(p.yearsExperience()));
    };
  }

  public boolean answered(Domain.Profile p) {
    return !values(p).isEmpty();
  }

  /**
   * How alike two answers are, 0..1 (0 when either is missing): Jaccard for lists, 1 − levels/2 for seniority, 1 −
   * |Δyears|/10 for years.
   */
  public double similarity(Domain.Profile a, Domain.Profile b) {
    return similarity(a, b, v -> 1.0);
  }

  /** As {@link #similarity(Domain.Profile, Domain.Profile)}, lists by a Jaccard index weighting each value. */
  public double similarity(Domain.Profile a, Domain.Profile b, java.util.function.ToDoubleFunction<String> valueWeight) {
    if (!answered(a) || !answered(b)) return 0;
    return switch (this) {
      case SENIORITY -> Math.max(0, 1 - Math.abs(level(a.seniority()) - level(b.seniority())) / 2.0);
      case YEARS_EXPERIENCE -> Math.max(0, 1 - Math.abs(a.yearsExperience() - b.yearsExperience()) / 10.0);
      default -> jaccard(values(a), values(b), valueWeight);
    };
  }

  public static String yearRange(double years) {
    return years < 3 ? "0-2" : years < 6 ? "3-5" : years < 11 ? "6-10" : "11+";
  }

  private static int level(String seniority) {
    return SENIORITY_ORDER.indexOf(seniority);
  }

  private static List<String> normalised(List<String> values) {
    return values.stream().map(v -> v.trim().toLowerCase(Locale.ROOT)).distinct().toList();
  }

  private static double jaccard(List<String> a, List<String> b, java.util.function.ToDoubleFunction<String> weight) {
    var union = new HashSet<>(a);
    union.addAll(b);
    double common = 0, all = 0;
    for (var v : union) {
      double w = weight.applyAsDouble(v);
      all += w;
      if (a.contains(v) && b.contains(v)) common += w;
    }
    return all <= 0 ? 0 : common / all;
  }
}
