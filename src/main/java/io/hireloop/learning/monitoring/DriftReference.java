package io.hireloop.learning.monitoring;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.hireloop.learning.features.FeaturePipeline;
import io.hireloop.stats.Drift;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The distribution of each feature in a version's training rows, compact enough to travel in its {@code ModelCard}
 * (JSON in the registry's events): per numeric feature ({@link FeaturePipeline#NUMERIC}) the training rows' decile
 * cut points and the share of rows in each bin; per categorical feature (the one-hot columns grouped by
 * {@link FeaturePipeline#featureOf}) the share of each category. Serving rows are reduced to the same values by
 * {@link #values}, so drift compares like with like: numeric values are the encoded column values, categories
 * the one-hot column names' values ({@code other} included).
 *
 * @param rows the number of training rows the shares were measured on (the reference's sample size in the tests)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DriftReference(int rows, List<Numeric> numeric, List<Categorical> categorical) {

  public DriftReference {
    numeric = numeric == null ? List.of() : List.copyOf(numeric);
    categorical = categorical == null ? List.of() : List.copyOf(categorical);
  }

  /** Bin k holds values in (edges[k−1], edges[k]]; {@code shares} has one more entry than {@code edges}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Numeric(String feature, List<Double> edges, List<Double> shares) {}

  /** Share of each category, in the pipeline's column order. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Categorical(String feature, Map<String, Double> shares) {}

  /** The value of a single-column categorical feature (an {@code edit=…} flag) that is set / unset. */
  public static final String YES = "yes", NO = "no";

  public static Numeric numeric(String feature, double[] values) {
    var cuts = Drift.decileCuts(values);
    return new Numeric(feature, boxed(cuts), boxed(Drift.proportions(values, cuts)));
  }

  /** {@code categories}: the known categories in order (a value outside them is counted under its own name). */
  public static Categorical categorical(String feature, List<String> categories, List<String> values) {
    var counts = new LinkedHashMap<String, Double>();
    for (var c : categories) counts.put(c, 0.0);
    for (var v : values) counts.merge(v, 1.0, Double::sum);
    counts.replaceAll((k, n) -> n / Math.max(1, values.size()));
    return new Categorical(feature, counts);
  }

  /** The reference of encoded training rows whose columns are {@code columnNames}. */
  public static DriftReference of(List<String> columnNames, float[][] rows) {
    var layout = Layout.of(columnNames);
    var numeric = new ArrayList<Numeric>();
    for (var e : layout.numeric.entrySet()) {
      var v = new double[rows.length];
      for (int i = 0; i < rows.length; i++) v[i] = rows[i][e.getValue()];
      numeric.add(numeric(e.getKey(), v));
    }
    var categorical = new ArrayList<Categorical>();
    for (var e : layout.categorical.entrySet()) {
      var values = new ArrayList<String>(rows.length);
      for (var row : rows) values.add(layout.category(e.getKey(), row));
      categorical.add(categorical(e.getKey(), layout.categoriesOf(e.getKey()), values));
    }
    return rows.length == 0 ? new DriftReference(0, List.of(), List.of()) : new DriftReference(rows.length, numeric, categorical);
  }

  /** One encoded row as the values drift is measured on: feature → Double (numeric) or String (category). */
  public static Map<String, Object> values(List<String> columnNames, float[] row) {
    var layout = Layout.of(columnNames);
    var out = new LinkedHashMap<String, Object>();
    layout.numeric.forEach((f, col) -> out.put(f, (double) row[col]));
    for (var f : layout.categorical.keySet()) out.put(f, layout.category(f, row));
    return out;
  }

  /** Which columns make up which feature. */
  private record Layout(Map<String, Integer> numeric, Map<String, List<Integer>> categorical, List<String> names) {
    static Layout of(List<String> columnNames) {
      var numeric = new LinkedHashMap<String, Integer>();
      var categorical = new LinkedHashMap<String, List<Integer>>();
      for (int c = 0; c < columnNames.size(); c++) {
        var name = columnNames.get(c);
        if (FeaturePipeline.NUMERIC.contains(name)) numeric.put(name, c);
        else categorical.computeIfAbsent(FeaturePipeline.featureOf(name), k -> new ArrayList<>()).add(c);
      }
      return new Layout(numeric, categorical, columnNames);
    }

    boolean flag(String feature) {
      var cols = categorical.get(feature);
      return cols.size() == 1 && names.get(cols.get(0)).equals(feature);
    }

    List<String> categoriesOf(String feature) {
      if (flag(feature)) return List.of(NO, YES);
      return categorical.get(feature).stream().map(c -> names.get(c).substring(feature.length() + 1)).toList();
    }

    /** The category a row has; one-hot blocks set exactly one column, so the first set one is it. */
    String category(String feature, float[] row) {
      var cols = categorical.get(feature);
      if (flag(feature)) return row[cols.get(0)] != 0 ? YES : NO;
      for (int c : cols) if (row[c] != 0) return names.get(c).substring(feature.length() + 1);
      return "other";
    }
  }

  private static List<Double> boxed(double[] values) {
    var out = new ArrayList<Double>(values.length);
    for (double v : values) out.add(v);
    return out;
  }
}
