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
  }

  static String weekdayName(int d) {
    var s = DayOfWeek.of(d).name();
    return s.charAt(0) + s.substring(1).toLowerCase();
  }

  static String hourName(int b) {
    return String.format("%02d-%02d", HOURS[b][0], HOURS[b][1]);
  }

  double weeksSinceStart(int i) {
    return Duration.between(first, rows.get(i).snapshot().appliedAt()).toSeconds() / (7 * 86400.0);
  }

  boolean hasEdit(int i, String edit) {
    return rows.get(i).snapshot().editTypes().contains(edit);
  }

  boolean suggested(int i, String edit) {
    return rows.get(i).snapshot().suggestedEditTypes().contains(edit);
  }

  String category(int i) {
    var c = rows.get(i).snapshot().context().category();
    return c == null ? "" : c;
  }

  String mode(int i) {
    var m = rows.get(i).snapshot().context().strategyMode();
    return m == null ? "" : m;
  }

  String industry(int i) {
    var j = rows.get(i).snapshot().context().jobCharacteristics();
    return j == null || j.industry() == null ? "" : j.industry();
  }

  double fit(int i) {
    double f = rows.get(i).snapshot().context().fitScore();
    return Double.isNaN(f) ? 0 : (f - 50) / 50;
  }

  boolean tailored(int i) {
    return rows.get(i).snapshot().context().tailoringApplied();
  }

  /** Levels above (positive) or below (negative) the user's usual seniority; 0 when either is unknown. */
  int seniorityGap(int i) {
    var s = rows.get(i).snapshot();
    var j = s.context().jobCharacteristics();
    int level = FeaturePipeline.seniorityLevel(j == null ? null : j.seniority());
    if (level < 0 || s.userSeniority() == null) return 0;
    return level - (int) Math.round(s.userSeniority());
  }

  /** Row count per value of a labelling of the rows. */
  static <T> Map<T, Integer> counts(int n, java.util.function.IntFunction<T> level) {
    var m = new LinkedHashMap<T, Integer>();
    for (int i = 0; i < n; i++) m.merge(level.apply(i), 1, Integer::sum);
    return m;
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
