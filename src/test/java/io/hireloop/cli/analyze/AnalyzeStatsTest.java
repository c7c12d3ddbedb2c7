package io.hireloop.cli.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.platform.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code analyze test | power | srm} end to end through {@link Analyze#run}. */
class AnalyzeStatsTest {
  @TempDir Path dir;

  record Outcome(int code, String out, String err) {
    JsonNode json() {
      return Json.read(out);
    }
  }

  static Outcome analyze(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = Analyze.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static String nsw() throws URISyntaxException {
    return Path.of(AnalyzeStatsTest.class.getResource("/datasets/lalonde_nsw_experimental.csv").toURI()).toString();
  }

  String csv(String content) throws IOException {
    var f = dir.resolve("data.csv");
    Files.writeString(f, content);
    return f.toString();
  }

  @Test
  void welchOnNsw() throws Exception {
    var r = analyze("test", "--csv", nsw(), "--group", "treat", "--metric", "re78", "--kind", "welch");
    assertEquals(0, r.code(), r.err());
    var j = r.json();
    assertEquals(2.674, j.get("statistic").asDouble(), 0.0005);
    assertEquals(307.13, j.get("df").asDouble(), 0.005);
    assertEquals(0.00789, j.get("p_value").asDouble(), 0.000005);
    assertEquals(1794.34, j.get("difference").asDouble(), 0.005);
    assertTrue(j.get("ci_low").asDouble() > 0 && j.get("ci_high").asDouble() > 1794.34);
    assertTrue(j.get("effect_size").asDouble() > 0);
  }

  @Test
  void studentOnNsw() throws Exception {
    var j = analyze("test", "--csv", nsw(), "--group", "treat", "--metric", "re78", "--kind", "student").json();
    assertEquals(2.835, j.get("statistic").asDouble(), 0.0005);
    assertEquals(443, j.get("df").asDouble(), 0);
    assertEquals(0.00479, j.get("p_value").asDouble(), 0.000005);
  }

  @Test
  void proportionsAndMannWhitney() throws Exception {
    // group 0: 1 of 4 converts; group 1: 3 of 4 → difference 0.5; df is not meaningful → null
    var f = csv("g,converted,score\n0,0,1\n0,1,2\n0,0,3\n0,0,2\n1,1,2\n1,1,3\n1,0,4\n1,1,5\n");
    var p = analyze("test", "--csv", f, "--group", "g", "--metric", "converted", "--kind", "proportions");
    assertEquals(0, p.code(), p.err());
    assertEquals(0.5, p.json().get("difference").asDouble(), 1e-12);
    assertTrue(p.json().get("df").isNull());
    // the Mann–Whitney tie example of HypothesisTestsTest: U1 = 13.5, z = 1.488351, p = 0.136658
    var m = analyze("test", "--csv", f, "--group", "g", "--metric", "score", "--kind", "mann-whitney");
    assertEquals(0, m.code(), m.err());
    assertEquals(1.488351, m.json().get("statistic").asDouble(), 1e-6);
    assertEquals(0.136658, m.json().get("p_value").asDouble(), 1e-6);
    assertEquals(2 * 13.5 / 16 - 1, m.json().get("effect_size").asDouble(), 1e-12);
    // proportions on a non-0/1 metric is refused
    var bad = analyze("test", "--csv", f, "--group", "g", "--metric", "score", "--kind", "proportions");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("must be 0 or 1"), bad.err());
  }

  @Test
  void powerAndSrm() {
    var p = analyze("power", "--baseline", "0.10", "--mde", "0.02");
    assertEquals(0, p.code(), p.err());
    assertEquals(3841, p.json().get("n_per_variant").asLong());
    var s = analyze("srm", "--observed", "5000,5300", "--expected", "0.5,0.5");
    assertEquals(0, s.code(), s.err());
    assertEquals(45000.0 / 5150, s.json().get("chi2").asDouble(), 1e-9);
    assertEquals(0.003117, s.json().get("p_value").asDouble(), 1e-6);
    assertFalse(s.json().get("mismatch").asBoolean());
    assertTrue(analyze("srm", "--observed", "5000,5600", "--expected", "0.5,0.5").json().get("mismatch").asBoolean());
  }

  @Test
  void badInputIsExitTwoWithAMessage() throws Exception {
    var f = csv("g,y\n0,1.5\n0,2\n1,abc\n1,3\n");
    expectError(analyze("test", "--csv", f, "--group", "g", "--metric", "nope", "--kind", "welch"), "no column 'nope'");
    expectError(analyze("test", "--csv", f, "--group", "g", "--metric", "y", "--kind", "welch"), "'abc' is not a number");
    expectError(analyze("test", "--csv", csv("g,y\n0,1\n0,2\n1,3\n"), "--group", "g", "--metric", "y", "--kind", "welch"),
        "too few rows");
    expectError(analyze("test", "--csv", csv("g,y\n0,1\n2,2\n"), "--group", "g", "--metric", "y"), "must be 0 or 1");
    expectError(analyze("test", "--csv", f, "--group", "g", "--metric", "y", "--kind", "bayes"), "--kind must be");
    expectError(analyze("test", "--group", "g", "--metric", "y"), "--csv is required");
    expectError(analyze("srm", "--observed", "5000,5300", "--expected", "0.5,0.6"), "must sum to 1");
    expectError(analyze("srm", "--observed", "5000,5300", "--expected", "0.5,0.25,0.25"), "3 shares");
    expectError(analyze("srm", "--observed", "5000.5,5300", "--expected", "0.5,0.5"), "whole counts");
    expectError(analyze("power", "--baseline", "1.2", "--mde", "0.02"), "--baseline must be a proportion in (0, 1)");
    expectError(analyze("power", "--baseline", "0", "--mde", "0.02"), "--baseline must be a proportion in (0, 1)");
    expectError(analyze("power", "--baseline", "0.1", "--mde", "x"), "--mde must be a number");
    expectError(analyze("power", "--baseline", "0.1", "--mde", "0.02", "--power", "80"), "--power must be in (0, 1)");
  }

  static void expectError(Outcome o, String message) {
    assertEquals(2, o.code(), "expected exit 2, got " + o.code() + " with " + o.out());
    assertTrue(o.err().contains(message), "stderr '" + o.err() + "' lacks '" + message + "'");
    assertFalse(o.err().contains("Exception"), o.err());
    assertEquals("", o.out());
  }
}
