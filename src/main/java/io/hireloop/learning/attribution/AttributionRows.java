package io.hireloop.learning.attribution;

import io.hireloop.learning.ensemble.LabelledSnapshot;
import io.hireloop.learning.features.FeaturePipeline;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The labelled applications in the columns the attribution reads, one array per field. Times are UTC: the
 * journal carries no user time zone, so "Tuesday" and "09–12" are UTC days and hours.
 */
final class AttributionRows {
  /** Hour-of-day buckets (UTC), [from, to). */
  static final int[][] HOURS = {{0, 7}, {7, 10}, {10, 13}, {13, 16}, {16, 19}, {19, 24}};

  final List<LabelledSnapshot> rows;
  final int n;
  final int[] user;
  final String[] userId;
  final int users;
  final int[] y;
  final int[] weekday; // 1 = Monday … 7 = Sunday
  final int[] hourBucket;
  final int[] month; // 1..12
  final int[] period; // 0..3: quarter of the data's time span
  private final Instant first;
  final TreeSet<String> editTypes = new TreeSet<>();
  // the fields the designs read, extracted once: the designs read each of them many times per row
  private final List<String> editIndex;
  private final int[] editMask; // bit e: editIndex.get(e) on the resume
  private final int[] suggestedMask; // bit e: editIndex.get(e) suggested by the system before
  private final String[] industry, category, mode;
  private final double[] fit, weeksSinceStart;
  private final boolean[] tailored;
  private final int[] seniorityGap;

  AttributionRows(List<LabelledSnapshot> rows) {
    this.rows = rows;
    this.n = rows.size();
    user = new int[n];
    userId = new String[n];
    y = new int[n];
    weekday = new int[n];
    hourBucket = new int[n];
    month = new int[n];
    period = new int[n];
    var ids = new HashMap<String, Integer>();
    Instant first = null, last = null;
    for (var r : rows) {
      var at = r.snapshot().appliedAt();
      if (first == null || at.isBefore(first)) first = at;
      if (last == null || at.isAfter(last)) last = at;
    }
    this.first = first;
    long span = first == null ? 1 : Math.max(1, Duration.between(first, last).toSeconds() + 1);
    for (int i = 0; i < n; i++) {
      var r = rows.get(i);
      userId[i] = r.userId();
      user[i] = ids.computeIfAbsent(r.userId(), k -> ids.size());
      y[i] = r.label() ? 1 : 0;
      var t = r.snapshot().appliedAt().atZone(ZoneOffset.UTC);
      weekday[i] = t.getDayOfWeek().getValue();
      int h = t.getHour();
      for (int b = 0; b < HOURS.length; b++) if (h >= HOURS[b][0] && h < HOURS[b][1]) hourBucket[i] = b;
      month[i] = t.getMonthValue();
      period[i] = (int) Math.min(3, Duration.between(first, r.snapshot().appliedAt()).toSeconds() * 4 / span);
      editTypes.addAll(r.snapshot().editTypes());
    }
    users = ids.size();
    editIndex = List.copyOf(editTypes);
    editMask = new int[n];
    suggestedMask = new int[n];
    industry = new String[n];
    category = new String[n];
    mode = new String[n];
    fit = new double[n];
    weeksSinceStart = new double[n];
    tailored = new boolean[n];
    seniorityGap = new int[n];
    var interned = new HashMap<String, String>();
    for (int i = 0; i < n; i++) {
      var sn = rows.get(i).snapshot();
      var c = sn.context();
      for (var e : sn.editTypes()) editMask[i] |= bit(e);
      for (var e : sn.suggestedEditTypes()) suggestedMask[i] |= bit(e);
      var j = c.jobCharacteristics();
      industry[i] = interned.computeIfAbsent(j == null || j.industry() == null ? "" : j.industry(), k -> k);
      category[i] = interned.computeIfAbsent(c.category() == null ? "" : c.category(), k -> k);
      mode[i] = interned.computeIfAbsent(c.strategyMode() == null ? "" : c.strategyMode(), k -> k);
      fit[i] = Double.isNaN(c.fitScore()) ? 0 : (c.fitScore() - 50) / 50;
      tailored[i] = c.tailoringApplied();
      int level = FeaturePipeline.seniorityLevel(j == null ? null : j.seniority());
      seniorityGap[i] = level < 0 || sn.userSeniority() == null ? 0 : level - (int) Math.round(sn.userSeniority());
      weeksSinceStart[i] = Duration.between(first, sn.appliedAt()).toSeconds() / (7 * 86400.0);
    }
  }

  /** The mask bit of an edit type (0 for one never on a resume here). */
  int bit(String edit) {
    int e = editIndex == null ? -1 : editIndex.indexOf(edit);
    return e < 0 ? 0 : 1 << e;
  }

  private static final String[] WEEKDAYS = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  private static final String[] HOUR_NAMES = new String[HOURS.length];

  static {
    for (int b = 0; b < HOURS.length; b++) HOUR_NAMES[b] = String.format("%02d-%02d", HOURS[b][0], HOURS[b][1]);
  }

  static String weekdayName(int d) {
    return WEEKDAYS[d];
  }

  static String hourName(int b) {
    return HOUR_NAMES[b];
  }

  double weeksSinceStart(int i) {
    return weeksSinceStart[i];
  }

  boolean hasEdit(int i, String edit) {
    return (editMask[i] & bit(edit)) != 0;
  }

  /** Whether row i has the edit of mask bit {@code bit} (from {@link #bit}). */
  boolean hasEditBit(int i, int bit) {
    return (editMask[i] & bit) != 0;
  }

  boolean suggested(int i, String edit) {
    return (suggestedMask[i] & bit(edit)) != 0;
  }

  String category(int i) {
    return category[i];
  }

  String mode(int i) {
    return mode[i];
  }

  String industry(int i) {
    return industry[i];
  }

  double fit(int i) {
    return fit[i];
  }

  boolean tailored(int i) {
    return tailored[i];
  }

  /** Levels above (positive) or below (negative) the user's usual seniority; 0 when either is unknown. */
  int seniorityGap(int i) {
    return seniorityGap[i];
  }

  /** The rows of a random subset of users holding at most {@code maxRows} rows (all rows when they fit). */
  int[] userSample(int maxRows, long seed) {
    if (n <= maxRows) {
      var all = new int[n];
      for (int i = 0; i < n; i++) all[i] = i;
      return all;
    }
    var order = new int[users];
    for (int u = 0; u < users; u++) order[u] = u;
    var rnd = new SplittableRandom(seed);
    for (int u = users - 1; u > 0; u--) {
      int j = rnd.nextInt(u + 1);
      int t = order[u];
      order[u] = order[j];
      order[j] = t;
    }
    var size = new int[users];
    for (int u : user) size[u]++;
    var chosen = new boolean[users];
    int total = 0;
    for (int u : order) {
      if (total + size[u] > maxRows) continue;
      chosen[u] = true;
      total += size[u];
    }
    var out = new ArrayList<Integer>();
    for (int i = 0; i < n; i++) if (chosen[user[i]]) out.add(i);
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
