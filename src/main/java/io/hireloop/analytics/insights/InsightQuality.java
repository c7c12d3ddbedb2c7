package io.hireloop.analytics.insights;

import io.hireloop.analytics.insights.InsightExposures.Timeline;
import io.hireloop.stats.causal.DifferenceInDifferences;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hipparchus.distribution.continuous.NormalDistribution;

/**
 * Did acting on an insight or suggestion improve the user's outcome? (pure; no Pekko.) Per kind of
 * {@link InsightExposures}: among the users it was shown to, the ones who acted (treated) against the ones who did not
 * (comparison), each user's applications of the {@code window} before the showing (pre) and after it (post), the
 * outcome an interview (applications whose outcome is still unknown are left out). The effect is the
 * difference-in-differences of the interview rate ({@link DifferenceInDifferences}: the interaction of y ~ treat + post
 * + treat·post, CR1 standard errors clustered by user), so what changed for every shown user alike (the season, the
 * market, the user's stage of the search) cancels, as long as the two groups would have moved in parallel. With fewer
 * than {@link DifferenceInDifferences#FEW_CLUSTERS} users the interval is the restricted wild cluster bootstrap's.
 * Beside it: the naive before/after change of those who acted.
 */
public final class InsightQuality {
  private InsightQuality() {}

  /**
   * @param window how far before and after the showing an application counts
   * @param level of the intervals
   * @param bootstrapDraws wild cluster bootstrap draws with few users
   */
  public record Settings(Duration window, double level, int bootstrapDraws) {}

  /** Applications and interviews of one group in one period. */
  public record Cell(int users, int applications, int interviews) {
    public double interviewRate() {
      return applications == 0 ? Double.NaN : (double) interviews / applications;
    }

    Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("users", users);
      m.put("applications", applications);
      m.put("interviews", interviews);
      m.put("interview_rate", finite(interviewRate()));
      return m;
    }
  }

  /**
   * @param effect the DiD estimate of the change in interview rate due to acting; null when a cell has fewer than two
   *     applications (then {@code note} says so)
   * @param method "did_cr1" or "did_wild_cluster_bootstrap"
   */
  public record KindQuality(String kind, int shownUsers, int actedUsers, Cell actedBefore, Cell actedAfter, Cell otherBefore,
      Cell otherAfter, Double naiveChange, Double effect, Double standardError, Double ciLow, Double ciHigh, String method, String note) {

    Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("kind", kind);
      m.put("shown_users", shownUsers);
      m.put("acted_users", actedUsers);
      m.put("acted_share", shownUsers == 0 ? null : (double) actedUsers / shownUsers);
      var acted = new LinkedHashMap<String, Object>();
      acted.put("before", actedBefore.toJson());
      acted.put("after", actedAfter.toJson());
      m.put("acted", acted);
      var other = new LinkedHashMap<String, Object>();
      other.put("before", otherBefore.toJson());
      other.put("after", otherAfter.toJson());
      m.put("did_not_act", other);
      m.put("naive_change_acted", naiveChange);
      var e = new LinkedHashMap<String, Object>();
      e.put("estimate", effect);
      e.put("standard_error", standardError);
      e.put("ci_low", ciLow);
      e.put("ci_high", ciHigh);
      e.put("method", method);
      e.put("improved", ciLow != null && ciLow > 0);
      m.put("outcome_effect", e);
      m.put("note", note);
      return m;
    }
  }

  public record Report(Instant computedAt, int users, Settings settings, List<KindQuality> kinds) {
    /** The document of {@code GET /api/v1/analytics/insight-quality} (docs/API.md). */
    public Map<String, Object> toJson() {
      var m = new LinkedHashMap<String, Object>();
      m.put("computed_at", computedAt.toString());
      m.put("users_read", users);
      m.put("window_days", settings.window().toHours() / 24.0);
      m.put("confidence_level", settings.level());
      m.put("outcome", "interview_rate");
      m.put("kinds", kinds.stream().map(KindQuality::toJson).toList());
      return m;
    }
  }

  public static Report compute(List<Timeline> timelines, Settings s, Instant now) {
    var byKind = new TreeMap<String, List<Row>>();
    var shown = new TreeMap<String, int[]>();
    for (var t : timelines) {
      for (var e : t.exposures()) {
        var counts = shown.computeIfAbsent(e.kind(), k -> new int[2]);
        counts[0]++;
        if (e.acted()) counts[1]++;
        var rows = byKind.computeIfAbsent(e.kind(), k -> new ArrayList<>());
        for (var a : t.applications()) {
          if (a.interviewed() == null) continue;
          if (a.createdAt().isBefore(e.at().minus(s.window())) || !a.createdAt().isBefore(e.at().plus(s.window()))) continue;
          rows.add(new Row(t.userId(), e.acted() ? 1 : 0, a.createdAt().isBefore(e.at()) ? 0 : 1, a.interviewed() ? 1 : 0));
        }
      }
    }
    var kinds = new ArrayList<KindQuality>();
    shown.forEach((kind, counts) -> kinds.add(kind(kind, counts[0], counts[1], byKind.getOrDefault(kind, List.of()), s)));
    return new Report(now, timelines.size(), s, List.copyOf(kinds));
  }

  private record Row(String user, int treat, int post, int y) {}

  private static KindQuality kind(String kind, int shownUsers, int actedUsers, List<Row> rows, Settings s) {
    var cells = new Cell[4];
    for (int c = 0; c < 4; c++) {
      int cc = c;
      var inCell = rows.stream().filter(r -> r.treat() * 2 + r.post() == cc).toList();
      cells[c] = new Cell((int) inCell.stream().map(Row::user).distinct().count(), inCell.size(),
          inCell.stream().mapToInt(Row::y).sum());
    }
    Double naive = cells[3].applications() > 0 && cells[2].applications() > 0 ? cells[3].interviewRate() - cells[2].interviewRate() : null;
    for (var c : cells) {
      if (c.applications() < 2) {
        return new KindQuality(kind, shownUsers, actedUsers, cells[2], cells[3], cells[0], cells[1], naive, null, null, null, null,
            null, "too few applications: every group × period needs at least 2 with a known outcome");
      }
    }
    int n = rows.size();
    var y = new double[n];
    var treat = new int[n];
    var post = new int[n];
    var clusters = new String[n];
    for (int i = 0; i < n; i++) {
      var r = rows.get(i);
      y[i] = r.y();
      treat[i] = r.treat();
      post[i] = r.post();
      clusters[i] = r.user();
    }
    var did = DifferenceInDifferences.estimate(y, treat, post, null, clusters);
    if (DifferenceInDifferences.clusterCount(clusters) < DifferenceInDifferences.FEW_CLUSTERS) {
      var w = DifferenceInDifferences.wildBootstrap(y, treat, post, null, clusters, s.bootstrapDraws(), 7);
      return new KindQuality(kind, shownUsers, actedUsers, cells[2], cells[3], cells[0], cells[1], naive, did.estimate(),
          finite(w.stdError()), finite(w.ciLow()), finite(w.ciHigh()), "did_wild_cluster_bootstrap",
          "fewer than " + DifferenceInDifferences.FEW_CLUSTERS + " users: the 95 % interval of the wild cluster bootstrap");
    }
    double z = new NormalDistribution(0, 1).inverseCumulativeProbability((1 + s.level()) / 2);
    double se = did.stdError();
    return new KindQuality(kind, shownUsers, actedUsers, cells[2], cells[3], cells[0], cells[1], naive, did.estimate(), finite(se),
        finite(did.estimate() - z * se), finite(did.estimate() + z * se), "did_cr1", null);
  }

  private static Double finite(double x) {
    return Double.isFinite(x) ? x : null;
  }
}
