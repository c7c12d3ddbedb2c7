package io.hireloop.learning.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Calibration of the drift alarm at the default settings: a reference of {@value #REFERENCE_ROWS} training rows, a
 * window of {@value #WINDOW} served rows, {@value #REPETITIONS} repetitions. Identical distributions must alarm in
 * under 1 % of the repetitions for every feature; a real shift must be flagged in at least 95 %.
 */
class DriftCheckTest {
  static final int REFERENCE_ROWS = 5000, WINDOW = 2000, REPETITIONS = 1000;
  static final List<String> CATEGORIES = List.of("reach", "target", "safety");
  static final List<String> INDUSTRIES = List.of("software", "finance", "health", "retail", "education", "energy", "media",
      "logistics", "public", "legal", "other");

  /** Shape of the simulated population; a drift test moves one of these. */
  record Population(double fitMean, double[] categoryShares, double[] industryShares) {
    static Population base() {
      return new Population(65, new double[] {0.2, 0.5, 0.3},
          new double[] {0.3, 0.15, 0.12, 0.1, 0.08, 0.06, 0.05, 0.04, 0.04, 0.03, 0.03});
    }

    Map<String, Object> draw(Random rnd) {
      var row = new HashMap<String, Object>();
      // integer scores on 0..100, encoded as the pipeline does (/100): ties like the real column
      row.put("fit_score", Math.min(100, Math.max(0, Math.round(fitMean + 15 * rnd.nextGaussian()))) / 100.0);
      row.put("tailoring", rnd.nextDouble() < 0.4 ? 1.0 : 0.0);
      int prior = 0;
      while (rnd.nextDouble() < 0.75) prior++;
      row.put("prior_applications", Math.log1p(prior));
      row.put("category", pick(rnd, CATEGORIES, categoryShares));
      row.put("industry", pick(rnd, INDUSTRIES, industryShares));
      row.put("edit=added_keywords", rnd.nextDouble() < 0.15 ? DriftReference.YES : DriftReference.NO);
      return row;
    }
  }

  static String pick(Random rnd, List<String> values, double[] shares) {
    double u = rnd.nextDouble(), acc = 0;
    for (int i = 0; i < shares.length; i++) if ((acc += shares[i]) > u) return values.get(i);
    return values.get(values.size() - 1);
  }

  static DriftReference reference(List<Map<String, Object>> rows) {
    var numeric = new ArrayList<DriftReference.Numeric>();
    for (var f : List.of("fit_score", "tailoring", "prior_applications")) {
      numeric.add(DriftReference.numeric(f, rows.stream().mapToDouble(r -> (Double) r.get(f)).toArray()));
    }
    var categorical = List.of(
        DriftReference.categorical("category", CATEGORIES, rows.stream().map(r -> (String) r.get("category")).toList()),
        DriftReference.categorical("industry", INDUSTRIES, rows.stream().map(r -> (String) r.get("industry")).toList()),
        DriftReference.categorical("edit=added_keywords", List.of(DriftReference.NO, DriftReference.YES),
            rows.stream().map(r -> (String) r.get("edit=added_keywords")).toList()));
    return new DriftReference(rows.size(), numeric, categorical);
  }

  /** Alarm rate per feature over the repetitions: reference from {@code train}, window from {@code served}. */
  static Map<String, Double> alarmRates(Population train, Population served, long seed) {
    var rnd = new Random(seed);
    var alarms = new LinkedHashMap<String, Integer>();
    for (int rep = 0; rep < REPETITIONS; rep++) {
      var ref = new ArrayList<Map<String, Object>>(REFERENCE_ROWS);
      for (int i = 0; i < REFERENCE_ROWS; i++) ref.add(train.draw(rnd));
      var window = new ArrayList<Map<String, Object>>(WINDOW);
      for (int i = 0; i < WINDOW; i++) window.add(served.draw(rnd));
      for (var d : DriftCheck.check(reference(ref), window, DriftCheck.Settings.defaults())) {
        alarms.merge(d.feature(), d.alarm() ? 1 : 0, Integer::sum);
      }
    }
    var rates = new LinkedHashMap<String, Double>();
    alarms.forEach((f, n) -> rates.put(f, n / (double) REPETITIONS));
    System.out.println("drift alarm rates " + rates);
    return rates;
  }

  @Test
  void identicalDistributionsRaiseUnderOnePercentFalseAlarmsPerFeature() {
    var rates = alarmRates(Population.base(), Population.base(), 11);
    assertEquals(6, rates.size(), rates.toString());
    rates.forEach((f, r) -> assertTrue(r < 0.01, f + " alarmed in " + r * 100 + " % of identical windows"));
  }

  @Test
  void aFitScoreMovedByTenPointsIsFlagged() {
    var base = Population.base();
    var shifted = new Population(base.fitMean() + 10, base.categoryShares(), base.industryShares());
    var rates = alarmRates(base, shifted, 12);
    assertTrue(rates.get("fit_score") >= 0.95, "a missed drift: fit_score flagged in only " + rates.get("fit_score"));
    assertTrue(rates.get("category") < 0.01, "unshifted features stay quiet: " + rates);
  }

  @Test
  void aDoubledCategoryShareIsFlagged() {
    var base = Population.base();
    // reach 0.2 → 0.4; the other two keep their ratio
    var categories = new double[] {0.4, 0.5 * 0.6 / 0.8, 0.3 * 0.6 / 0.8};
    // a small industry doubled: logistics 0.04 → 0.08, taken from software
    var industries = base.industryShares().clone();
    industries[7] = 0.08;
    industries[0] -= 0.04;
    var rates = alarmRates(base, new Population(base.fitMean(), categories, industries), 13);
    assertTrue(rates.get("category") >= 0.95, "a missed drift: category flagged in only " + rates.get("category"));
    assertTrue(rates.get("industry") >= 0.95, "a missed drift: industry flagged in only " + rates.get("industry"));
  }

  @Test
  void referenceOfEncodedRowsGroupsOneHotColumnsIntoFeatures() {
    var columns = List.of("fit_score", "tailoring", "category=reach", "category=target", "category=other", "edit=added_keywords");
    var rows = new float[][] {{0.5f, 1, 1, 0, 0, 1}, {0.7f, 0, 0, 1, 0, 0}, {0.9f, 0, 0, 0, 1, 0}, {0.6f, 1, 0, 1, 0, 0}};
    var ref = DriftReference.of(columns, rows);
    assertEquals(4, ref.rows());
    assertEquals(List.of("fit_score", "tailoring"), ref.numeric().stream().map(DriftReference.Numeric::feature).toList());
    var category = ref.categorical().get(0);
    assertEquals("category", category.feature());
    assertEquals(Map.of("reach", 0.25, "target", 0.5, "other", 0.25), category.shares());
    assertEquals(Map.of("no", 0.75, "yes", 0.25), ref.categorical().get(1).shares());
    var values = DriftReference.values(columns, rows[1]);
    assertEquals(0.7, (Double) values.get("fit_score"), 1e-6);
    assertEquals("target", values.get("category"));
    assertEquals(DriftReference.NO, values.get("edit=added_keywords"));
    // the card carries it as JSON
    var json = io.hireloop.platform.Json.write(ref);
    assertEquals(ref, io.hireloop.platform.Json.read(json, DriftReference.class));
  }
}
