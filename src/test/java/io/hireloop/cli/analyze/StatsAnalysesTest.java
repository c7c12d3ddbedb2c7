package io.hireloop.cli.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.platform.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsAnalysesTest {
  @TempDir Path dir;

  private record Outcome(int code, String out, String err) {
    JsonNode json() {
      return Json.read(out);
    }
  }

  private static Outcome run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = Analyze.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private String file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p.toString();
  }

  @Test
  void driftFlagsTheShiftedColumnOnly() throws IOException {
    var rnd = new Random(3);
    var ref = new StringBuilder("id,age,score\n");
    var cur = new StringBuilder("id,age,score,extra\n");
    for (int i = 0; i < 2000; i++) {
      ref.append("u").append(i).append(',').append(30 + 5 * rnd.nextGaussian()).append(',').append(rnd.nextGaussian()).append('\n');
      cur.append("v").append(i).append(',').append(30 + 5 * rnd.nextGaussian()).append(',').append(1 + rnd.nextGaussian()).append(",7\n");
    }
    var r = run("drift", "--reference", file("a.csv", ref.toString()), "--current", file("b.csv", cur.toString()));
    assertEquals(0, r.code(), r.err());
    var columns = r.json().get("columns");
    assertEquals(2, columns.size(), r.out());
    assertEquals("age", columns.get(0).get("column").asText());
    assertFalse(columns.get(0).get("drifted").asBoolean(), r.out());
    assertEquals("score", columns.get(1).get("column").asText());
    assertTrue(columns.get(1).get("drifted").asBoolean());
    assertTrue(columns.get(1).get("psi").asDouble() > 0.25);
    assertTrue(columns.get(1).get("p_value").asDouble() < 1e-10);
  }

  @Test
  void driftRejectsAMixedColumn() throws IOException {
    var r = run("drift", "--reference", file("a.csv", "x\n1\n2\n3\n"), "--current", file("b.csv", "x\n1\nabc\n3\n"));
    assertEquals(2, r.code());
    assertTrue(r.err().contains("'abc' is not a number"), r.err());
  }

  @Test
  void calibrationClosedForm() throws IOException {
    var r = run("calibration", "--csv", file("c.csv", "p,y\n0.05,0\n0.15,1\n0.95,1\n0.95,0\n"), "--prob", "p", "--label", "y");
    assertEquals(0, r.code(), r.err());
    var json = r.json();
    assertEquals(0.45, json.get("ece").asDouble(), 1e-12);
    assertEquals(0.4075, json.get("brier").asDouble(), 1e-12);
    assertEquals(10, json.get("bins").size());
    assertEquals(2, json.get("bins").get(9).get("count").asInt());
    assertEquals(0.5, json.get("bins").get(9).get("frequency").asDouble(), 1e-12);
    assertTrue(json.get("bins").get(5).get("mean_prob").isNull());
    var five = run("calibration", "--csv", file("c.csv", "p,y\n0.05,0\n0.15,1\n0.95,1\n0.95,0\n"), "--prob", "p", "--label", "y", "--bins", "5");
    assertEquals(5, five.json().get("bins").size());
  }

  @Test
  void calibrationBadInput() throws IOException {
    var outside = run("calibration", "--csv", file("c.csv", "p,y\n0.5,0\n1.5,1\n"), "--prob", "p", "--label", "y");
    assertEquals(2, outside.code());
    assertTrue(outside.err().contains("not a probability"), outside.err());
    var label = run("calibration", "--csv", file("d.csv", "p,y\n0.5,0\n0.7,2\n"), "--prob", "p", "--label", "y");
    assertEquals(2, label.code());
    assertTrue(label.err().contains("must be 0 or 1"), label.err());
    var missing = run("calibration", "--csv", file("e.csv", "p,y\n0.5,0\n"), "--prob", "prob", "--label", "y");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("no column 'prob'"), missing.err());
    assertTrue(missing.out().isEmpty());
  }

  @Test
  void timeseriesDecomposesFindsTheShiftAndForecasts() throws IOException {
    var rnd = new Random(8);
    var csv = new StringBuilder("month,value\n");
    int n = 120;
    for (int i = 0; i < n; i++) {
      double v = 50 + 4 * Math.sin(2 * Math.PI * i / 12) + (i >= 60 ? 10 : 0) + 0.5 * rnd.nextGaussian();
      csv.append(i).append(',').append(v).append('\n');
    }
    var r = run("timeseries", "--csv", file("t.csv", csv.toString()), "--value", "value", "--period", "12");
    assertEquals(0, r.code(), r.err());
    var json = r.json();
    assertTrue(json.get("seasonality_strength").asDouble() > 0.7, r.out());
    assertEquals(n, json.get("trend").size());
    assertEquals(n, json.get("seasonal").size());
    assertEquals(n, json.get("residual").size());
    var cps = json.get("change_points");
    assertTrue(cps.size() >= 1, r.out());
    boolean near60 = false;
    for (var c : cps) near60 |= Math.abs(c.asInt() - 60) <= 3;
    assertTrue(near60, "change points " + cps);
    var forecast = json.get("forecast");
    assertEquals(12, forecast.size());
    var first = forecast.get(0);
    assertEquals(1, first.get("step").asInt());
    assertTrue(first.get("low").asDouble() < first.get("mean").asDouble() && first.get("mean").asDouble() < first.get("high").asDouble());
  }

  @Test
  void timeseriesNeedsTwoPeriods() throws IOException {
    var r = run("timeseries", "--csv", file("t.csv", "value\n1\n2\n3\n4\n5\n"), "--value", "value", "--period", "4");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("too few rows for period 4"), r.err());
  }

  @Test
  void paretoOnZdt1() {
    var r = run("pareto", "--problem", "zdt1", "--evaluations", "25000", "--seed", "1");
    assertEquals(0, r.code(), r.err());
    double hv = r.json().get("hypervolume").asDouble();
    assertTrue(hv > 0.96 * 2 / 3.0 && hv <= 2 / 3.0, r.out());
    assertEquals(100, r.json().get("front_size").asInt());
    var bad = run("pareto", "--problem", "zdt9");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("zdt1, zdt2 or zdt3"), bad.err());
  }
}
