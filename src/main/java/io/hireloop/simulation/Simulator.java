package io.hireloop.simulation;

import io.hireloop.stats.ClassificationMetrics;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Generates a job-search population week by week and writes {@code events.jsonl} (API.md ingest events in
 * time order), {@code truth.jsonl} (one line per application: its true interview probability and label) and
 * {@code ground_truth.json}.
 *
 * <p>Constant memory: users are independent (each has its own random stream, derived from the seed and the
 * user's index), so they are simulated in blocks of {@link SimulationModel#blockSize()}. Within a block the
 * simulation runs week by week; every generated event goes into a priority queue keyed by (time, user, seq)
 * that is drained up to the end of each week, so the queue only holds the block's pending outcomes. Each
 * block is written, in time order, to a temporary run file; the run files are then k-way merged into
 * {@code events.jsonl}. Memory is one block's users and pending events plus one buffered reader per run.
 * Because the merge orders by (time, user index, per-user sequence), the bytes do not depend on the block size.
 */
public final class Simulator {

  /** What a run produced. */
  public record Summary(int users, int weeks, long events, long applications, long interviews, double oracleAuc,
      String oracleAucMethod, Path eventsFile, Path groundTruthFile, Path truthFile, Instant start, Instant end) {}

  private final SimulationModel model;
  private final int users;
  private final int weeks;
  private final long seed;
  private final Instant start;
  private final Instant end;
  private final String prefix;

  public Simulator(SimulationModel model, int users, int weeks, long seed, LocalDate start) {
    if (users < 1 || weeks < 1) throw new IllegalArgumentException("users and weeks must be positive");
    this.model = model;
    this.users = users;
    this.weeks = weeks;
    this.seed = seed;
    this.start = start.atStartOfDay(ZoneOffset.UTC).toInstant();
    this.end = this.start.plusSeconds(weeks * WEEK);
    this.prefix = "sim" + Long.toUnsignedString(seed, 36) + "-u";
  }

  /**
   * One line per user, in user order: {@code {"user_id", "target_roles", "seniority", "years_experience", "industries",
   * "locations", "skills"}} (the profile PUT body's fields), what the user would tell at sign-up.
   */
  public static final String PROFILES_FILE = "profiles.jsonl";

  static final long DAY = 86_400;
  static final long WEEK = 7 * DAY;

  public Instant end() {
    return end;
  }

  // ------------------------------------------------------------------ state

  private static final class User {
    final int idx;
    final String id;
    final SplittableRandom rnd;
    double ability;
    double organisation;
    double activity;
    int seniority;
    int years;
    String[] roles;
    String[] industries;
    String[] locations;
    double resumeScore;
    int edits; // bit mask over SimulationModel.EDIT_TYPES
    String resumeVersionId;
    int resumeVersions;
    String mode;
    int joinWeek;
    int lastModeChange = -100;
    int totalApps;
    int appsLastWeek;
    int interviewsSeen;
    boolean hired;
    int eventSeq;
    int appSeq;
    int suggestionSeq;

    User(int idx, String id, SplittableRandom rnd) {
      this.idx = idx;
      this.id = id;
      this.rnd = rnd;
    }
  }

  /** A pending event: its JSON and what seeing it tells its user. */
  private record Pending(long epochSecond, int userIdx, int seq, String json, int local, int effect) {}

  private static final int EFFECT_NONE = 0;
  private static final int EFFECT_INTERVIEW = 1;
  private static final int EFFECT_HIRED = 2;

  private static final Comparator<Pending> ORDER = Comparator.comparingLong(Pending::epochSecond)
      .thenComparingInt(Pending::userIdx).thenComparingInt(Pending::seq);

  // ------------------------------------------------------------------ run

  private long applications;
  private long interviews;
  private final long[] histPos = new long[HIST_BINS];
  /**
   * Per edit type: Σ over applications sent with it of p − p(without that edit), in units of 1e-12 (integer sums do not
   * depend on the order users are simulated in, so the file is the same whatever the block size), and their count.
   */
  private final long[] editAttSum = new long[SimulationModel.EDIT_TYPES.size()];
  private final long[] editAttCount = new long[SimulationModel.EDIT_TYPES.size()];
  /** The same over the applications whose outcome is known by the end (the labelled ones an analysis sees). */
  private final long[] editAttLabelledSum = new long[SimulationModel.EDIT_TYPES.size()];
  private final long[] editAttLabelledCount = new long[SimulationModel.EDIT_TYPES.size()];
  /** Set by {@link #outcomes}: whether the application's outcome (phone screen, or its negative end) falls before the end. */
  private boolean lastLabelledByEnd;
  private final long[] histNeg = new long[HIST_BINS];
  private static final int HIST_BINS = 100_000;
  private double[] exactP = new double[1024];
  private int[] exactY = new int[1024];
  private boolean exactOverflow;

  public Summary run(Path dir) throws IOException {
    Files.createDirectories(dir);
    var eventsFile = dir.resolve("events.jsonl");
    var truthFile = dir.resolve("truth.jsonl");
    var runs = new ArrayList<Path>();
    long[] appsByWeek = new long[weeks];
    long[] interviewsByWeek = new long[weeks];
    try (var truth = Files.newBufferedWriter(truthFile, StandardCharsets.UTF_8);
        var profiles = Files.newBufferedWriter(dir.resolve(PROFILES_FILE), StandardCharsets.UTF_8)) {
      for (int from = 0; from < users; from += model.blockSize()) {
        int to = Math.min(users, from + model.blockSize());
        var run = dir.resolve(".run-" + runs.size() + ".tmp");
        runs.add(run);
        try (var out = Files.newBufferedWriter(run, StandardCharsets.UTF_8)) {
          simulateBlock(from, to, out, truth, appsByWeek, interviewsByWeek);
        }
        for (int i = from; i < to; i++) profiles.write(profileJson(i) + "\n");
      }
    }
    long events = merge(runs, eventsFile);
    for (var r : runs) Files.deleteIfExists(r);

    double histAuc = histogramAuc();
    double auc;
    String method;
    if (!exactOverflow && applications > 0 && interviews > 0 && interviews < applications) {
      auc = ClassificationMetrics.auc(Arrays.copyOf(exactP, (int) applications), Arrays.copyOf(exactY, (int) applications));
      method = "exact";
    } else {
      auc = histAuc;
      method = "histogram_" + HIST_BINS + "_bins";
    }
    exactP = null;
    exactY = null;
    var gt = groundTruth(events, auc, method, histAuc, appsByWeek, interviewsByWeek);
    var gtFile = dir.resolve("ground_truth.json");
    Files.writeString(gtFile, io.hireloop.platform.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(gt) + "\n");
    return new Summary(users, weeks, events, applications, interviews, auc, method, eventsFile, gtFile, truthFile, start, end);
  }

  /** AUC from the (p, label) histogram: pairs within one bin count one half, as ties. */
  double histogramAuc() {
    long pos = 0;
    long neg = 0;
    for (int i = 0; i < HIST_BINS; i++) {
      pos += histPos[i];
      neg += histNeg[i];
    }
    if (pos == 0 || neg == 0) return Double.NaN;
    double u = 0;
    long negBelow = 0;
    for (int i = 0; i < HIST_BINS; i++) {
      u += histPos[i] * (negBelow + histNeg[i] / 2.0);
      negBelow += histNeg[i];
    }
    return u / ((double) pos * neg);
  }

  private long merge(List<Path> runs, Path eventsFile) throws IOException {
    record Head(String key, String json, int reader) {}
    var readers = new BufferedReader[runs.size()];
    var heap = new PriorityQueue<Head>(Comparator.comparing(Head::key));
    long count = 0;
    try (var out = Files.newBufferedWriter(eventsFile, StandardCharsets.UTF_8)) {
      for (int i = 0; i < readers.length; i++) {
        readers[i] = Files.newBufferedReader(runs.get(i), StandardCharsets.UTF_8);
        var head = next(readers[i], i);
        if (head != null) heap.add(new Head(head[0], head[1], i));
      }
      while (!heap.isEmpty()) {
        var h = heap.poll();
        out.write(h.json());
        out.write('\n');
        count++;
        var n = next(readers[h.reader()], h.reader());
        if (n != null) heap.add(new Head(n[0], n[1], h.reader()));
      }
    } finally {
      for (var r : readers) if (r != null) r.close();
    }
    return count;
  }

  private static String[] next(BufferedReader r, int i) throws IOException {
    var line = r.readLine();
    if (line == null) return null;
    int tab = line.indexOf('\t');
    return new String[] {line.substring(0, tab), line.substring(tab + 1)};
  }

  private void simulateBlock(int from, int to, BufferedWriter out, BufferedWriter truth, long[] appsByWeek,
      long[] interviewsByWeek) throws IOException {
    var block = new User[to - from];
    for (int i = from; i < to; i++) block[i - from] = newUser(i);
    var pending = new PriorityQueue<Pending>(ORDER);
    for (int w = 0; w < weeks; w++) {
      long weekStart = start.getEpochSecond() + w * WEEK;
      for (var u : block) week(u, w, weekStart, pending, truth, appsByWeek, interviewsByWeek);
      long weekEnd = weekStart + WEEK;
      while (!pending.isEmpty() && pending.peek().epochSecond() < weekEnd) {
        var p = pending.poll();
        var u = block[p.local()];
        if (p.effect() == EFFECT_INTERVIEW) u.interviewsSeen++;
        else if (p.effect() == EFFECT_HIRED) u.hired = true;
        out.write(key(p));
        out.write('\t');
        out.write(p.json());
        out.write('\n');
      }
    }
    // whatever is still pending lies after the end of the run: it has not happened yet
  }

  private static String key(Pending p) {
    var sb = new StringBuilder(32);
    pad(sb, p.epochSecond(), 12);
    pad(sb, p.userIdx(), 10);
    pad(sb, p.seq(), 8);
    return sb.toString();
  }

  private static void pad(StringBuilder sb, long v, int width) {
    var s = Long.toString(v);
    for (int i = s.length(); i < width; i++) sb.append('0');
    sb.append(s);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private User newUser(int idx) {
    var rnd = new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + idx + 1));
    var u = new User(idx, prefix + idx, rnd);
    u.ability = rnd.nextGaussian();
    u.organisation = sigmoid(model.organisationFromAbility() * u.ability + rnd.nextGaussian());
    u.activity = model.meanApplicationsPerWeek() * Math.exp(model.activitySigma() * rnd.nextGaussian()
        - model.activitySigma() * model.activitySigma() / 2);
    double s = rnd.nextDouble();
    u.seniority = s < 0.3 ? 0 : s < 0.65 ? 1 : s < 0.9 ? 2 : 3;
    u.years = Math.max(0, switch (u.seniority) {
      case 0 -> rnd.nextInt(0, 3);
      case 1 -> rnd.nextInt(2, 7);
      case 2 -> rnd.nextInt(5, 13);
      default -> rnd.nextInt(9, 25);
    });
    u.roles = pick(rnd, SimulationModel.ROLES, 1 + rnd.nextInt(2));
    u.industries = pick(rnd, SimulationModel.INDUSTRIES, 1 + rnd.nextInt(2));
    u.locations = pick(rnd, SimulationModel.LOCATIONS, 1 + rnd.nextInt(2));
    u.resumeScore = clamp(model.resumeScoreBase() + model.resumeScorePerAbility() * u.ability
        + model.resumeScoreNoise() * rnd.nextGaussian(), 5, 95);
    u.resumeScore = round1(u.resumeScore);
    u.resumeVersionId = u.id + "-r0";
    double m = rnd.nextDouble();
    u.mode = m < 0.5 ? "balanced" : m < 0.8 ? "aggressive" : "conservative";
    u.joinWeek = (int) Math.min(weeks - 1, Math.floor(rnd.nextDouble() * model.joinSpreadWeeks()));
    return u;
  }

  /**
   * The profile of user {@code idx}: roles, seniority, years, industries and locations are the user's own (what their
   * applications follow); the skills come from a random stream of their own (so adding them changed no other draw):
   * each in-demand skill is listed with probability σ(skillIntercept + skillPerAbility·ability), the stronger candidates
   * listing more of what employers filter for, plus 1–3 common skills that say nothing (SimulationModel.SKILLS_*).
   */
  String profileJson(int idx) {
    var u = newUser(idx);
    var rnd = new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + idx + 1) ^ 0x5EED5C111L);
    var skills = new ArrayList<String>();
    for (var s : SimulationModel.IN_DEMAND_SKILLS) {
      if (rnd.nextDouble() < sigmoid(SimulationModel.SKILL_INTERCEPT + SimulationModel.SKILL_PER_ABILITY * u.ability)) skills.add(s);
    }
    skills.addAll(List.of(pick(rnd, SimulationModel.COMMON_SKILLS, 1 + rnd.nextInt(3))));
    var m = new java.util.LinkedHashMap<String, Object>();
    m.put("user_id", u.id);
    m.put("target_roles", List.of(u.roles));
    m.put("seniority", SimulationModel.SENIORITY.get(u.seniority));
    m.put("years_experience", u.years);
    m.put("industries", List.of(u.industries));
    m.put("locations", List.of(u.locations));
    m.put("skills", skills);
    return io.hireloop.platform.Json.write(m);
  }

  private static String[] pick(SplittableRandom rnd, List<String> from, int n) {
    var copy = new ArrayList<>(from);
    var out = new String[n];
    for (int i = 0; i < n; i++) out[i] = copy.remove(rnd.nextInt(copy.size()));
    return out;
  }

  /** One action of a user's week, executed in time order. */
  private record Action(long at, int kind) {}

  private static final int PLAN = 0;
  private static final int MODE = 1;
  private static final int SUGGESTION = 2;
  private static final int REWRITE = 3;
  private static final int APPLY = 4;

  private void week(User u, int w, long weekStart, PriorityQueue<Pending> pending, BufferedWriter truth,
      long[] appsByWeek, long[] interviewsByWeek) throws IOException {
    if (w < u.joinWeek || u.hired) {
      u.appsLastWeek = 0;
      return;
    }
    var rnd = u.rnd;
    var actions = new ArrayList<Action>();
    if (w == u.joinWeek) actions.add(new Action(weekStart + rnd.nextInt(8 * 3600, 11 * 3600), PLAN));
    else if (w - u.lastModeChange >= model.modeChangeCooldownWeeks() && u.totalApps >= model.modeChangeMinApplications()
        && (double) u.interviewsSeen / u.totalApps < model.lowInterviewRate()) {
      actions.add(new Action(weekStart + rnd.nextInt(8 * 3600, 11 * 3600), MODE));
    }
    if (rnd.nextDouble() < model.suggestionRate()) actions.add(new Action(weekStart + randomTime(rnd, rnd.nextInt(7)), SUGGESTION));
    if (rnd.nextDouble() < model.rewriteBase() + model.rewritePerOrganisation() * u.organisation) {
      actions.add(new Action(weekStart + randomTime(rnd, rnd.nextInt(7)), REWRITE));
    }
    double modeVolume = switch (u.mode) {
      case "aggressive" -> 1.4;
      case "conservative" -> 0.7;
      default -> 1.0;
    };
    int n = poisson(rnd, u.activity * modeVolume);
    double pTuesday = model.tuesdayBase() + model.tuesdayPerOrganisation() * u.organisation;
    for (int i = 0; i < n; i++) {
      int day;
      if (rnd.nextDouble() < pTuesday) day = 1;
      else {
        day = rnd.nextInt(6); // Monday, Wednesday..Sunday, weekends half as likely
        if (day >= 1) day++;
        if (day >= 5 && rnd.nextDouble() < 0.5) day = rnd.nextBoolean() ? 0 : 2 + rnd.nextInt(3);
      }
      actions.add(new Action(weekStart + randomTime(rnd, day), APPLY));
    }
    actions.sort(Comparator.comparingLong(Action::at).thenComparingInt(Action::kind));
    int appsThisWeek = 0;
    for (var a : actions) {
      switch (a.kind()) {
        case PLAN -> emit(u, a.at(), pending, strategy(u, a.at(), "PLAN_GENERATED", null, u.mode, "onboarding"), EFFECT_NONE);
        case MODE -> {
          var to = switch (u.mode) {
            case "aggressive" -> "balanced";
            case "balanced" -> "conservative";
            default -> "balanced";
          };
          emit(u, a.at(), pending, strategy(u, a.at(), "MODE_CHANGED", u.mode, to, "low_interview_rate"), EFFECT_NONE);
          u.mode = to;
          u.lastModeChange = w;
        }
        case SUGGESTION -> suggestion(u, a.at(), pending);
        case REWRITE -> rewrite(u, a.at(), pending, randomEdits(rnd, false), false);
        default -> {
          apply(u, w, a.at(), pending, truth, appsByWeek, interviewsByWeek);
          appsThisWeek++;
        }
      }
    }
    u.appsLastWeek = appsThisWeek;
  }

  private static long randomTime(SplittableRandom rnd, int day) {
    return day * DAY + rnd.nextInt(7 * 3600, 22 * 3600);
  }

  private int[] randomEdits(SplittableRandom rnd, boolean suggested) {
    int k = 1 + rnd.nextInt(suggested ? 2 : 3);
    // users favour keywords and verbs; the system suggests every type equally
    double[] weights = suggested ? new double[] {1, 1, 1, 1, 1} : new double[] {1.0, 1.5, 0.6, 1.0, 1.6};
    var chosen = new ArrayList<Integer>();
    while (chosen.size() < k) {
      double total = 0;
      for (int i = 0; i < weights.length; i++) if (!chosen.contains(i)) total += weights[i];
      double r = rnd.nextDouble() * total;
      for (int i = 0; i < weights.length; i++) {
        if (chosen.contains(i)) continue;
        r -= weights[i];
        if (r <= 0) {
          chosen.add(i);
          break;
        }
      }
    }
    chosen.sort(null);
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  private void suggestion(User u, long at, PriorityQueue<Pending> pending) {
    var rnd = u.rnd;
    int[] edits = randomEdits(rnd, true);
    double r = rnd.nextDouble();
    String type = r < model.suggestionAccept() ? "SUGGESTION_ACCEPTED"
        : r < model.suggestionAccept() + model.suggestionEdit() ? "SUGGESTION_EDITED" : "SUGGESTION_REJECTED";
    var sid = u.id + "-s" + u.suggestionSeq++;
    var sb = head(u, at, type);
    sb.append(",\"suggestion_type\":\"rewrite\",\"suggested_content\":{\"suggestion_id\":\"").append(sid)
        .append("\",\"edit_types\":").append(editList(edits)).append('}');
    if (type.equals("SUGGESTION_EDITED")) {
      sb.append(",\"final_content\":{\"suggestion_id\":\"").append(sid).append("\",\"edit_types\":").append(editList(edits))
          .append(",\"edited_by_user\":true}");
    }
    if (type.equals("SUGGESTION_REJECTED")) {
      sb.append(",\"rejection_reason\":\"").append(rnd.nextBoolean() ? "not_relevant" : "prefer_own_wording").append('"');
    }
    sb.append('}');
    emit(u, at, pending, sb.toString(), EFFECT_NONE);
    if (!type.equals("SUGGESTION_REJECTED")) rewrite(u, at + 60 + rnd.nextInt(240), pending, edits, true);
  }

  private void rewrite(User u, long at, PriorityQueue<Pending> pending, int[] edits, boolean suggested) {
    var rnd = u.rnd;
    double before = u.resumeScore;
    double gain = 0;
    for (int e : edits) gain += 1 + rnd.nextDouble() * 3;
    double after = round1(clamp(before + gain + rnd.nextGaussian(), 0, 100));
    u.resumeVersions++;
    u.resumeVersionId = u.id + "-r" + u.resumeVersions;
    u.resumeScore = after;
    for (int e : edits) u.edits |= 1 << e;
    var sb = head(u, at, "RESUME_REWRITTEN");
    sb.append(",\"resume_version_id\":\"").append(u.resumeVersionId).append('"');
    sb.append(",\"rewrite_type\":\"").append(edits.length > 1 ? "section" : rnd.nextBoolean() ? "bullet" : "summary").append('"');
    sb.append(",\"before_score\":").append(before).append(",\"after_score\":").append(after)
        .append(",\"score_delta\":").append(round1(after - before));
    sb.append(",\"edit_types\":").append(editList(edits));
    sb.append(",\"suggested_by_system\":").append(suggested).append(",\"user_accepted\":true}");
    emit(u, at, pending, sb.toString(), EFFECT_NONE);
  }

  private String strategy(User u, long at, String type, String from, String to, String reason) {
    var sb = head(u, at, type);
    if (from != null) sb.append(",\"from_mode\":\"").append(from).append('"');
    sb.append(",\"to_mode\":\"").append(to).append("\",\"reason\":\"").append(reason).append('"');
    double rate = u.totalApps == 0 ? 0 : Math.min(1, (double) u.interviewsSeen / u.totalApps);
    sb.append(",\"metrics\":{\"resume_score\":").append(u.resumeScore).append(",\"total_applications\":").append(u.totalApps)
        .append(",\"interview_rate\":").append(Math.round(rate * 10000) / 10000.0)
        .append(",\"applications_last_7_days\":").append(u.appsLastWeek).append("}}");
    return sb.toString();
  }

  /** The planted truth for one application. */
  public double interviewProbability(double fit, String category, boolean tailored, int userSeniority, int jobSeniority,
      double ability, int editMask, int week, String industry, boolean tuesday) {
    double z = model.intercept() + model.abilityEffect() * ability + model.fitEffect() * (fit - 50) / 50
        + model.categoryEffects().get(category) + (tailored ? model.tailoringEffect() : 0)
        - model.seniorityAbovePenalty() * Math.max(0, jobSeniority - userSeniority)
        - model.seniorityBelowPenalty() * Math.max(0, userSeniority - jobSeniority)
        + seasonal(week) + (tuesday ? model.tuesdayEffect() : 0);
    for (int e = 0; e < SimulationModel.EDIT_TYPES.size(); e++) {
      if ((editMask & (1 << e)) != 0) z += model.editEffects().get(SimulationModel.EDIT_TYPES.get(e));
    }
    double p = sigmoid(z);
    if (industry.equals(model.shiftIndustry()) && week >= model.effectiveShiftWeek(weeks)) p *= model.shiftMultiplier();
    return p;
  }

  /** The seasonal log-odds of week {@code w} (by the month of its Thursday). */
  public double seasonal(int w) {
    return model.seasonalLogOdds()[monthOfWeek(w) - 1];
  }

  private int monthOfWeek(int w) {
    return Instant.ofEpochSecond(start.getEpochSecond() + w * WEEK + 3 * DAY).atZone(ZoneOffset.UTC).getMonthValue();
  }

  private void apply(User u, int w, long at, PriorityQueue<Pending> pending, BufferedWriter truth, long[] appsByWeek,
      long[] interviewsByWeek) throws IOException {
    var rnd = u.rnd;
    double c = rnd.nextDouble();
    double[] mix = switch (u.mode) {
      case "aggressive" -> new double[] {0.5, 0.35};
      case "conservative" -> new double[] {0.1, 0.4};
      default -> new double[] {0.25, 0.5};
    };
    String category = c < mix[0] ? "reach" : c < mix[0] + mix[1] ? "target" : "safety";
    int jobSen = u.seniority;
    switch (category) {
      case "reach" -> jobSen += rnd.nextDouble() < 0.75 ? 1 : 0;
      case "safety" -> jobSen -= rnd.nextDouble() < 0.5 ? 1 : 0;
      default -> jobSen += rnd.nextDouble() < 0.8 ? 0 : rnd.nextBoolean() ? 1 : -1;
    }
    jobSen = Math.max(0, Math.min(3, jobSen));
    double fitMean = switch (category) {
      case "reach" -> 45;
      case "safety" -> 72;
      default -> 62;
    };
    double fit = round1(clamp(fitMean + 4 * u.ability + 12 * rnd.nextGaussian(), 1, 99));
    boolean tailored = rnd.nextDouble() < model.tailoringBase() + model.tailoringPerOrganisation() * u.organisation;
    String industry = rnd.nextDouble() < 0.8 ? u.industries[rnd.nextInt(u.industries.length)]
        : SimulationModel.INDUSTRIES.get(rnd.nextInt(SimulationModel.INDUSTRIES.size()));
    String title = u.roles[rnd.nextInt(u.roles.length)];
    String location = u.locations[rnd.nextInt(u.locations.length)];
    String company = industry + "-co-" + rnd.nextInt(300);
    boolean tuesday = Instant.ofEpochSecond(at).atZone(ZoneOffset.UTC).getDayOfWeek() == DayOfWeek.TUESDAY;
    double p = interviewProbability(fit, category, tailored, u.seniority, jobSen, u.ability, u.edits, w, industry, tuesday);
    boolean interview = rnd.nextDouble() < p;

    var appId = u.id + "-a" + u.appSeq++;
    var sb = head(u, at, "APPLICATION_CREATED");
    sb.append(",\"application_id\":\"").append(appId).append("\",\"job_id\":\"job-").append(industry).append('-')
        .append(rnd.nextInt(100_000)).append("\",\"resume_version_id\":\"").append(u.resumeVersionId).append('"');
    sb.append(",\"context\":{\"strategy_mode\":\"").append(u.mode).append("\",\"fit_score\":").append(fit)
        .append(",\"category\":\"").append(category).append("\",\"job_characteristics\":{\"title\":\"").append(title)
        .append("\",\"company\":\"").append(company).append("\",\"seniority\":\"").append(SimulationModel.SENIORITY.get(jobSen))
        .append("\",\"location\":\"").append(location).append("\",\"industry\":\"").append(industry)
        .append("\"},\"resume_score\":").append(u.resumeScore).append(",\"tailoring_applied\":").append(tailored).append("}}");
    emit(u, at, pending, sb.toString(), EFFECT_NONE);
    u.totalApps++;

    long firstInterviewAt = outcomes(u, appId, at, interview, pending);
    for (int e = 0; e < editAttSum.length; e++) {
      if ((u.edits & (1 << e)) == 0) continue;
      long d = Math.round(1e12 * (p - interviewProbability(fit, category, tailored, u.seniority, jobSen, u.ability,
          u.edits & ~(1 << e), w, industry, tuesday)));
      editAttSum[e] += d;
      editAttCount[e]++;
      if (lastLabelledByEnd) {
        editAttLabelledSum[e] += d;
        editAttLabelledCount[e]++;
      }
    }

    applications++;
    if (interview) interviews++;
    appsByWeek[w]++;
    if (interview) interviewsByWeek[w]++;
    int bin = Math.min(HIST_BINS - 1, (int) (p * HIST_BINS));
    if (interview) histPos[bin]++;
    else histNeg[bin]++;
    if (!exactOverflow) {
      if (applications > model.exactAucMaxApplications()) {
        exactOverflow = true;
        exactP = null;
        exactY = null;
      } else {
        int i = (int) applications - 1;
        if (i >= exactP.length) {
          exactP = Arrays.copyOf(exactP, exactP.length * 2);
          exactY = Arrays.copyOf(exactY, exactY.length * 2);
        }
        exactP[i] = p;
        exactY[i] = interview ? 1 : 0;
      }
    }
    truth.write("{\"application_id\":\"" + appId + "\",\"user_id\":\"" + u.id + "\",\"week\":" + w + ",\"p\":" + p
        + ",\"interview\":" + interview + ",\"observed_by_end\":" + (firstInterviewAt >= 0 && firstInterviewAt < end.getEpochSecond())
        + ",\"tuesday\":" + tuesday + ",\"edits\":" + editList(maskToList(u.edits)) + ",\"ability\":" + round3(u.ability)
        + ",\"organisation\":" + round3(u.organisation) + "}\n");
  }

  /** Schedules the application's status chain; returns when the interview request (phone screen) happens, or −1. */
  private long outcomes(User u, String appId, long created, boolean interview, PriorityQueue<Pending> pending) {
    var rnd = u.rnd;
    long t = created;
    long endSec = end.getEpochSecond();
    var chain = new ArrayList<Object[]>(); // {at, status, effect}
    long phoneAt = -1;
    if (interview) {
      if (rnd.nextDouble() < 0.7) chain.add(new Object[] {t += days(rnd, 1, 5), "viewed", EFFECT_NONE});
      chain.add(new Object[] {t += days(rnd, 2, 10), "phone_screen", EFFECT_INTERVIEW});
      phoneAt = t;
      double r = rnd.nextDouble();
      if (r < 0.6) {
        chain.add(new Object[] {t += days(rnd, 4, 14), "interview", EFFECT_NONE});
        double r2 = rnd.nextDouble();
        if (r2 < 0.35) {
          chain.add(new Object[] {t += days(rnd, 4, 14), "offer", EFFECT_NONE});
          if (rnd.nextDouble() < 0.65) chain.add(new Object[] {t += days(rnd, 1, 7), "offer_accepted", EFFECT_HIRED});
          else chain.add(new Object[] {t += days(rnd, 1, 7), "offer_declined", EFFECT_NONE});
        } else if (r2 < 0.8) chain.add(new Object[] {t += days(rnd, 3, 14), "rejected", EFFECT_NONE});
        else chain.add(new Object[] {t += days(rnd, 21, 40), "ghosted", EFFECT_NONE});
      } else if (r < 0.85) chain.add(new Object[] {t += days(rnd, 2, 10), "rejected", EFFECT_NONE});
      else if (r < 0.92) chain.add(new Object[] {t += days(rnd, 1, 7), "withdrawn", EFFECT_NONE});
      else chain.add(new Object[] {t += days(rnd, 21, 40), "ghosted", EFFECT_NONE});
    } else {
      if (rnd.nextDouble() < 0.4) chain.add(new Object[] {t += days(rnd, 1, 10), "viewed", EFFECT_NONE});
      double r = rnd.nextDouble();
      if (r < 0.28) chain.add(new Object[] {t += days(rnd, 3, 25), "rejected", EFFECT_NONE});
      else if (r < 0.31) chain.add(new Object[] {t += days(rnd, 5, 20), "withdrawn", EFFECT_NONE});
      else chain.add(new Object[] {t += days(rnd, 21, 45), "ghosted", EFFECT_NONE});
    }
    long labelledAt = interview ? phoneAt : (Long) chain.get(chain.size() - 1)[0];
    lastLabelledByEnd = labelledAt < endSec;
    boolean first = true;
    for (var step : chain) {
      long at = (Long) step[0];
      String status = (String) step[1];
      boolean reportDays = first || rnd.nextDouble() < 0.5;
      first = false;
      if (at >= endSec) break; // not happened yet when the run ends
      var sb = head(u, at, "STATUS_CHANGED");
      sb.append(",\"application_id\":\"").append(appId).append("\",\"outcome\":{\"status\":\"").append(status).append('"');
      if (reportDays && !status.equals("ghosted")) sb.append(",\"days_to_response\":").append((at - created) / DAY);
      if (status.equals("phone_screen") || status.equals("interview")) {
        sb.append(",\"response_type\":\"").append(rnd.nextBoolean() ? "email" : "phone").append('"');
      }
      sb.append("}}");
      emit(u, at, pending, sb.toString(), (Integer) step[2]);
    }
    return phoneAt;
  }

  private static long days(SplittableRandom rnd, int lo, int hi) {
    return rnd.nextLong(lo * DAY, hi * DAY);
  }

  private StringBuilder head(User u, long at, String type) {
    var sb = new StringBuilder(320);
    sb.append("{\"event_id\":\"").append(u.id).append("-e").append(u.eventSeq).append("\",\"event_type\":\"").append(type)
        .append("\",\"user_id\":\"").append(u.id).append("\",\"timestamp\":\"").append(Instant.ofEpochSecond(at)).append('"');
    return sb;
  }

  private void emit(User u, long at, PriorityQueue<Pending> pending, String json, int effect) {
    pending.add(new Pending(at, u.idx, u.eventSeq++, json, u.idx % model.blockSize(), effect));
  }

  private static String editList(int[] edits) {
    var sb = new StringBuilder("[");
    for (int i = 0; i < edits.length; i++) {
      if (i > 0) sb.append(',');
      sb.append('"').append(SimulationModel.EDIT_TYPES.get(edits[i])).append('"');
    }
    return sb.append(']').toString();
  }

  private static int[] maskToList(int mask) {
    return java.util.stream.IntStream.range(0, SimulationModel.EDIT_TYPES.size()).filter(e -> (mask & (1 << e)) != 0).toArray();
  }

  private Map<String, Object> groundTruth(long events, double auc, String method, double histAuc, long[] appsByWeek,
      long[] interviewsByWeek) {
    var gt = new LinkedHashMap<String, Object>();
    gt.put("seed", seed);
    gt.put("users", users);
    gt.put("weeks", weeks);
    gt.put("start", start.toString());
    gt.put("end", end.toString());
    gt.put("events", events);
    gt.put("applications", applications);
    gt.put("interviews", interviews);
    gt.put("interview_definition", "the application reaches phone_screen (or later) — API.md's interview request");
    var formula = "p = sigmoid(intercept + ability_effect*ability + fit_effect*(fit_score-50)/50 + category_effects[category]"
        + " + tailoring_effect*tailoring_applied - seniority_above_penalty*max(0,job-user) - seniority_below_penalty*max(0,user-job)"
        + " + sum(edit_effects[e] for e in edits on the resume at application time) + seasonal_log_odds[month] + tuesday_effect*tuesday)"
        + " * (shift_multiplier if industry == shift_industry and week >= shift_week else 1)";
    gt.put("interview_probability", formula);
    var effects = new LinkedHashMap<String, Object>();
    effects.put("intercept", model.intercept());
    effects.put("ability_effect", model.abilityEffect());
    effects.put("fit_effect", model.fitEffect());
    effects.put("category_effects", inOrder(model.categoryEffects(), SimulationModel.CATEGORIES));
    effects.put("tailoring_effect", model.tailoringEffect());
    effects.put("seniority_above_penalty", model.seniorityAbovePenalty());
    effects.put("seniority_below_penalty", model.seniorityBelowPenalty());
    effects.put("edit_effects", inOrder(model.editEffects(), SimulationModel.EDIT_TYPES));
    effects.put("scale", "log-odds of an interview");
    gt.put("effects", effects);
    gt.put("edit_effects", inOrder(model.editEffects(), SimulationModel.EDIT_TYPES));
    var att = new LinkedHashMap<String, Object>();
    for (int e = 0; e < editAttSum.length; e++) {
      att.put(SimulationModel.EDIT_TYPES.get(e), editAttCount[e] == 0 ? null : editAttSum[e] / 1e12 / editAttCount[e]);
    }
    gt.put("edit_effects_att_probability", att);
    var attLabelled = new LinkedHashMap<String, Object>();
    for (int e = 0; e < editAttLabelledSum.length; e++) {
      attLabelled.put(SimulationModel.EDIT_TYPES.get(e),
          editAttLabelledCount[e] == 0 ? null : editAttLabelledSum[e] / 1e12 / editAttLabelledCount[e]);
    }
    gt.put("edit_effects_att_probability_labelled", attLabelled);
    gt.put("edit_effects_att_note", "per edit type, the mean over the applications sent with it of p minus p without that edit"
        + " (the effect on the treated, in probability; every other input unchanged); _labelled: the same over the applications whose"
        + " outcome is known by the end, the ones an analysis of labelled applications estimates");
    gt.put("tuesday_effect", model.tuesdayEffect());
    var confounding = new LinkedHashMap<String, Object>();
    confounding.put("organisation", "sigmoid(" + model.organisationFromAbility() + "*ability + N(0,1))");
    confounding.put("weekly_rewrite_probability", model.rewriteBase() + " + " + model.rewritePerOrganisation() + "*organisation");
    confounding.put("tuesday_share", model.tuesdayBase() + " + " + model.tuesdayPerOrganisation() + "*organisation");
    confounding.put("tailoring_probability", model.tailoringBase() + " + " + model.tailoringPerOrganisation() + "*organisation");
    gt.put("confounding", confounding);
    var instrument = new LinkedHashMap<String, Object>();
    instrument.put("name", "suggested_by_system");
    instrument.put("weekly_suggestion_probability", model.suggestionRate());
    instrument.put("acceptance", ordered("accepted", model.suggestionAccept(), "edited", model.suggestionEdit(),
        "rejected", 1 - model.suggestionAccept() - model.suggestionEdit()));
    instrument.put("note", "a system suggestion is offered at random, independent of the user; accepted and edited suggestions"
        + " become RESUME_REWRITTEN with suggested_by_system=true and edit types drawn uniformly");
    gt.put("instrument", instrument);
    var shift = new LinkedHashMap<String, Object>();
    int sw = model.effectiveShiftWeek(weeks);
    shift.put("industry", model.shiftIndustry());
    shift.put("week", sw);
    shift.put("from", start.plusSeconds(sw * WEEK).toString());
    shift.put("multiplier", model.shiftMultiplier());
    shift.put("within_run", sw < weeks);
    gt.put("market_shift", shift);
    gt.put("shift_week", sw);
    gt.put("shift_industry", model.shiftIndustry());
    var months = new LinkedHashMap<String, Object>();
    String[] names = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; i++) months.put(names[i], model.seasonalLogOdds()[i]);
    var seasonal = new LinkedHashMap<String, Object>();
    seasonal.put("scale", "log-odds offset by calendar month (of the week's Thursday)");
    seasonal.put("by_month", months);
    var byWeek = new ArrayList<Map<String, Object>>();
    for (int w = 0; w < weeks; w++) {
      var m = new LinkedHashMap<String, Object>();
      m.put("week", w);
      m.put("from", start.plusSeconds(w * WEEK).toString());
      m.put("log_odds", seasonal(w));
      m.put("applications", appsByWeek[w]);
      m.put("interviews", interviewsByWeek[w]);
      byWeek.add(m);
    }
    seasonal.put("by_week", byWeek);
    gt.put("seasonal_profile", seasonal);
    gt.put("oracle_auc", auc);
    gt.put("oracle_auc_method", method);
    gt.put("oracle_auc_histogram", histAuc);
    gt.put("oracle_auc_note", "AUC of each application's true p against its label (interview drawn at creation), over every"
        + " application; exact (ClassificationMetrics.auc on primitive arrays) up to " + model.exactAucMaxApplications()
        + " applications, else a " + HIST_BINS + "-bin histogram (pairs in one bin count as ties)");
    var truth = new LinkedHashMap<String, Object>();
    truth.put("file", "truth.jsonl");
    truth.put("fields", List.of("application_id", "user_id", "week", "p", "interview", "observed_by_end", "tuesday", "edits",
        "ability", "organisation"));
    truth.put("note", "one line per application; observed_by_end says whether its phone_screen falls before the end of the run");
    gt.put("application_truth", truth);
    var params = new LinkedHashMap<String, Object>();
    params.put("mean_applications_per_week", model.meanApplicationsPerWeek());
    params.put("activity_sigma", model.activitySigma());
    params.put("join_spread_weeks", model.joinSpreadWeeks());
    params.put("mode_change", ordered("min_applications", model.modeChangeMinApplications(), "low_interview_rate",
        model.lowInterviewRate(), "cooldown_weeks", model.modeChangeCooldownWeeks()));
    params.put("resume_score", ordered("base", model.resumeScoreBase(), "per_ability", model.resumeScorePerAbility(),
        "noise", model.resumeScoreNoise()));
    gt.put("population", params);
    return gt;
  }

  private static Map<String, Object> ordered(Object... kv) {
    var m = new LinkedHashMap<String, Object>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  /** Map.of / Map.copyOf iterate in a per-JVM order: fix it so the bytes are stable. */
  private static Map<String, Object> inOrder(Map<String, Double> m, List<String> keys) {
    var out = new LinkedHashMap<String, Object>();
    for (var k : keys) if (m.containsKey(k)) out.put(k, m.get(k));
    for (var k : new java.util.TreeSet<>(m.keySet())) out.putIfAbsent(k, m.get(k));
    return out;
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static int poisson(SplittableRandom rnd, double mean) {
    double l = Math.exp(-Math.min(mean, 50));
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= rnd.nextDouble();
    } while (p > l);
    return k - 1;
  }
}
