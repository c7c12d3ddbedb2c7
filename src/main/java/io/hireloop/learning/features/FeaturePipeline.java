package io.hireloop.learning.features;

import io.hireloop.journey.Domain.ApplicationContext;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one feature pipeline of the interview and offer models: {@link ApplicationSnapshot} → a float row.
 * Fitted on the training rows (vocabularies of industries, locations, title families and edit types; the
 * base interview rate that smooths a user's own rate) and stored with the model, so serving encodes exactly
 * as training did. A value outside a vocabulary goes to that feature's {@code other} column.
 *
 * <p>Columns, in order: the numeric block ({@link #NUMERIC}), then one-hot blocks for category, seniority,
 * strategy mode, weekday and month (UTC), industry, location and title family (each ending in {@code other}),
 * then one 0/1 column per known edit type. Every column belongs to a <em>feature</em> ({@link #featureOf}):
 * explanations and drift are reported per feature, not per one-hot column.
 *
 * @param version the layout's version; a stored model with another version is refused
 * @param baseRate interview rate of the training rows (the prior of a user's smoothed rate)
 * @param industries, locations, titleFamilies, editTypes vocabularies (most frequent first)
 */
public record FeaturePipeline(
    String version, double baseRate, List<String> industries, List<String> locations, List<String> titleFamilies,
    List<String> editTypes) {

  public static final String VERSION = "v2";
  /** Pseudo-applications of the base rate added to a user's own record (empirical-Bayes smoothing). */
  static final double SMOOTHING = 5;
  /** A vocabulary keeps values seen at least this often in training, at most {@link #MAX_VOCABULARY} of them. */
  static final int MIN_COUNT = 20;
  static final int MAX_VOCABULARY = 30;

  public static final List<String> NUMERIC = List.of("fit_score", "resume_score", "tailoring", "seniority_above_user",
      "seniority_below_user", "first_application", "prior_applications", "prior_interview_rate");
  static final List<String> CATEGORIES = List.of("reach", "target", "safety");
  public static final List<String> SENIORITIES = List.of("junior", "mid", "senior", "lead");
  static final List<String> STRATEGIES = List.of("aggressive", "balanced", "conservative");
  static final List<String> WEEKDAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
  static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  private static final Set<String> SENIORITY_WORDS = Set.of("junior", "jr", "mid", "senior", "sr", "lead", "principal", "staff",
      "head", "chief", "intern", "associate", "i", "ii", "iii", "iv");
  private static final Pattern NON_WORD = Pattern.compile("[^a-z0-9]+");

  public FeaturePipeline {
    industries = List.copyOf(industries);
    locations = List.copyOf(locations);
    titleFamilies = List.copyOf(titleFamilies);
    editTypes = List.copyOf(editTypes);
  }

  /** Learns the vocabularies and the base rate from the training rows only (never the holdout). */
  public static FeaturePipeline fit(Collection<ApplicationSnapshot> rows, double baseRate) {
    var industries = new HashMap<String, Integer>();
    var locations = new HashMap<String, Integer>();
    var titles = new HashMap<String, Integer>();
    var edits = new HashMap<String, Integer>();
    for (var s : rows) {
      var job = s.context().jobCharacteristics();
      if (job != null) {
        count(industries, norm(job.industry()));
        count(locations, norm(job.location()));
        count(titles, titleFamily(job.title()));
      }
      for (var e : s.editTypes()) count(edits, norm(e));
    }
    return new FeaturePipeline(VERSION, baseRate, vocabulary(industries), vocabulary(locations), vocabulary(titles), vocabulary(edits));
  }

  /** Number of columns of a row: the size of {@link #columnNames()}, counted without building the names. */
  public int columns() {
    return NUMERIC.size() + CATEGORIES.size() + SENIORITIES.size() + STRATEGIES.size() + WEEKDAYS.size() + MONTHS.size()
        + industries.size() + locations.size() + titleFamilies.size() + 8 + editTypes.size();
  }

  /** Column names, e.g. {@code fit_score}, {@code industry=finance}, {@code industry=other}, {@code edit=added_keywords}. */
  public List<String> columnNames() {
    var names = new ArrayList<>(NUMERIC);
    oneHot(names, "category", CATEGORIES);
    oneHot(names, "seniority", SENIORITIES);
    oneHot(names, "strategy_mode", STRATEGIES);
    oneHot(names, "weekday", WEEKDAYS);
    oneHot(names, "month", MONTHS);
    oneHot(names, "industry", industries);
    oneHot(names, "location", locations);
    oneHot(names, "title_family", titleFamilies);
    for (var e : editTypes) names.add("edit=" + e);
    return names;
  }

  /** The feature a column belongs to: the part of its name before {@code =}. */
  public static String featureOf(String columnName) {
    int eq = columnName.indexOf('=');
    if (eq < 0) return columnName;
    var prefix = columnName.substring(0, eq);
    return prefix.equals("edit") ? columnName : prefix;
  }

  public float[] encode(ApplicationSnapshot s) {
    var row = new float[columns()];
    ApplicationContext c = s.context();
    var job = c.jobCharacteristics();
    row[0] = (float) unit(c.fitScore());
    row[1] = (float) unit(c.resumeScore());
    row[2] = c.tailoringApplied() ? 1 : 0;
    int jobLevel = seniorityLevel(job == null ? null : job.seniority());
    if (jobLevel >= 0 && s.userSeniority() != null) {
      double gap = jobLevel - s.userSeniority();
      row[3] = (float) Math.max(gap, 0);
      row[4] = (float) Math.max(-gap, 0);
    }
    row[5] = s.priorApplications() == 0 ? 1 : 0;
    row[6] = (float) Math.log1p(s.priorApplications());
    row[7] = (float) smoothedRate(s);
    int at = NUMERIC.size();
    at = set(row, at, CATEGORIES, norm(c.category()));
    at = set(row, at, SENIORITIES, norm(job == null ? null : job.seniority()));
    at = set(row, at, STRATEGIES, norm(c.strategyMode()));
    var day = s.appliedAt() == null ? null : s.appliedAt().atZone(ZoneOffset.UTC);
    at = set(row, at, WEEKDAYS, day == null ? "" : WEEKDAYS.get(day.getDayOfWeek().getValue() - 1));
    at = set(row, at, MONTHS, day == null ? "" : MONTHS.get(day.getMonthValue() - 1));
    at = set(row, at, industries, norm(job == null ? null : job.industry()));
    at = set(row, at, locations, norm(job == null ? null : job.location()));
    at = set(row, at, titleFamilies, titleFamily(job == null ? null : job.title()));
    for (var e : s.editTypes()) {
      int i = editTypes.indexOf(norm(e));
      if (i >= 0) row[at + i] = 1;
    }
    return row;
  }

  /** The value a person reads for each feature of this snapshot (what an explanation line shows). */
  public Map<String, String> displayValues(ApplicationSnapshot s) {
    var c = s.context();
    var job = c.jobCharacteristics();
    var out = new HashMap<String, String>();
    out.put("fit_score", fmt(c.fitScore()));
    out.put("resume_score", fmt(c.resumeScore()));
    out.put("tailoring", String.valueOf(c.tailoringApplied()));
    var gap = s.userSeniority() == null || seniorityLevel(job == null ? null : job.seniority()) < 0 ? "unknown"
        : fmt(seniorityLevel(job.seniority()) - s.userSeniority());
    out.put("seniority_above_user", gap);
    out.put("seniority_below_user", gap);
    out.put("first_application", String.valueOf(s.priorApplications() == 0));
    out.put("prior_applications", String.valueOf(s.priorApplications()));
    out.put("prior_interview_rate", s.priorInterviews() + "/" + s.priorLabelled());
    out.put("category", String.valueOf(c.category()));
    out.put("seniority", job == null ? "null" : String.valueOf(job.seniority()));
    out.put("strategy_mode", String.valueOf(c.strategyMode()));
    var day = s.appliedAt() == null ? null : s.appliedAt().atZone(ZoneOffset.UTC);
    out.put("weekday", day == null ? "unknown" : WEEKDAYS.get(day.getDayOfWeek().getValue() - 1));
    out.put("month", day == null ? "unknown" : MONTHS.get(day.getMonthValue() - 1));
    out.put("industry", job == null ? "null" : String.valueOf(job.industry()));
    out.put("location", job == null ? "null" : String.valueOf(job.location()));
    out.put("title_family", job == null ? "" : titleFamily(job.title()));
    for (var e : editTypes) out.put("edit=" + e, String.valueOf(s.editTypes().stream().map(FeaturePipeline::norm).anyMatch(e::equals)));
    return out;
  }

  double smoothedRate(ApplicationSnapshot s) {
    return (s.priorInterviews() + SMOOTHING * baseRate) / (s.priorLabelled() + SMOOTHING);
  }

  /** junior 0, mid 1, senior 2, lead 3; −1 when unknown. */
  public static int seniorityLevel(String seniority) {
    return SENIORITIES.indexOf(norm(seniority));
  }

  /** A title without its seniority words and punctuation: "Senior Backend Engineer II" → "backend engineer". */
  public static String titleFamily(String title) {
    if (title == null) return "";
    var words = new ArrayList<String>();
    for (var w : NON_WORD.split(title.toLowerCase(Locale.ROOT))) if (!w.isEmpty() && !SENIORITY_WORDS.contains(w)) words.add(w);
    return String.join(" ", words);
  }

  static String norm(String s) {
    return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
  }

  private static int set(float[] row, int at, List<String> known, String value) {
    int i = known.indexOf(value);
    row[at + (i >= 0 ? i : known.size())] = 1;
    return at + known.size() + 1;
  }

  private static void oneHot(List<String> names, String feature, List<String> values) {
    for (var v : values) names.add(feature + "=" + v);
    names.add(feature + "=other");
  }

  private static void count(Map<String, Integer> counts, String value) {
    if (!value.isEmpty()) counts.merge(value, 1, Integer::sum);
  }

  private static List<String> vocabulary(Map<String, Integer> counts) {
    return counts.entrySet().stream()
        .filter(e -> e.getValue() >= MIN_COUNT)
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(MAX_VOCABULARY)
        .map(Map.Entry::getKey)
        .toList();
  }

  private static double unit(double score) {
    if (Double.isNaN(score)) return 0;
    return Math.min(Math.max(score / 100.0, 0.0), 1.0);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
