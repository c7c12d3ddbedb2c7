package io.hireloop.cli.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.platform.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CausalAnalysisTest {
  static final String PSID = "src/test/resources/datasets/lalonde_psid.csv";
  static final String COVARIATES = "age,educ,black,hispan,married,nodegree,re74,re75";

  record Outcome(int code, String out, String err) {}

  static Outcome run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = Analyze.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void psmOnLalondePsid() {
    var r = run("causal", "--csv", PSID, "--method", "psm", "--treatment", "treat", "--outcome", "re78",
        "--covariates", COVARIATES, "--estimand", "att", "--bootstrap", "100", "--seed", "42");
    assertEquals(0, r.code(), r.err());
    System.out.println(r.out());
    var json = Json.read(r.out());
    assertEquals("psm", json.get("method").asText());
    assertEquals("att", json.get("estimand").asText());
    assertEquals(-635.03, json.get("naive_difference").asDouble(), 0.005);
    double est = json.get("estimate").asDouble();
    assertTrue(est > 1000 && est < 2500, "ATT " + est);
    assertTrue(json.get("ci_low").asDouble() < est && json.get("ci_high").asDouble() > est);
    assertEquals(185, json.get("n_treated").asInt());
    assertEquals(429, json.get("n_control").asInt());
    assertEquals(8, json.get("balance").size());
    assertEquals("age", json.get("balance").get(0).get("covariate").asText());
    assertTrue(json.get("balance").get(2).has("smd_before") && json.get("balance").get(2).has("smd_after"));
    assertEquals(3, json.get("refutations").size());
    for (var f : json.get("refutations")) {
      assertTrue(f.has("name") && f.has("new_estimate") && f.has("p_value") && f.has("passed"), f.toString());
    }
    assertTrue(json.get("warnings").isArray());
    // seeded: the same command gives the same output
    var again = run("causal", "--csv", PSID, "--method", "psm", "--treatment", "treat", "--outcome", "re78",
        "--covariates", COVARIATES, "--estimand", "att", "--bootstrap", "100", "--seed", "42");
    assertEquals(r.out(), again.out());
  }

  @Test
  void ipwAndDrRun() {
    for (var method : new String[] {"ipw", "dr"}) {
      var r = run("causal", "--csv", PSID, "--method", method, "--treatment", "treat", "--outcome", "re78", "--covariates", COVARIATES);
      assertEquals(0, r.code(), r.err());
      assertEquals("ate", Json.read(r.out()).get("estimand").asText());
    }
  }

  @Test
  void aTreatmentThatIsNotBinaryIsExitTwo() {
    var r = run("causal", "--csv", PSID, "--method", "psm", "--treatment", "age", "--outcome", "re78", "--covariates", COVARIATES);
    assertEquals(2, r.code());
    assertTrue(r.err().contains("must be 0 or 1"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void missingColumnNoControlsAndTooFewRowsAreExitTwo(@TempDir Path dir) throws IOException {
    var missing = run("causal", "--csv", PSID, "--method", "ipw", "--treatment", "treat", "--outcome", "nope", "--covariates", "age");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("no column 'nope'"), missing.err());

    var allTreated = dir.resolve("treated.csv");
    var sb = new StringBuilder("t,y,x\n");
    for (int i = 0; i < 30; i++) sb.append("1,").append(i).append(',').append(i % 7).append('\n');
    Files.writeString(allTreated, sb);
    var none = run("causal", "--csv", allTreated.toString(), "--method", "psm", "--treatment", "t", "--outcome", "y", "--covariates", "x");
    assertEquals(2, none.code());
    assertTrue(none.err().contains("no control rows"), none.err());

    var tiny = dir.resolve("tiny.csv");
    Files.writeString(tiny, "t,y,x\n1,1,1\n0,2,2\n1,3,1\n0,4,3\n");
    var few = run("causal", "--csv", tiny.toString(), "--method", "psm", "--treatment", "t", "--outcome", "y", "--covariates", "x");
    assertEquals(2, few.code());
    assertTrue(few.err().contains("too few rows"), few.err());

    var badMethod = run("causal", "--csv", PSID, "--method", "magic", "--treatment", "treat", "--outcome", "re78");
    assertEquals(2, badMethod.code());
  }

  @Test
  void didIvAndRdFromCsv(@TempDir Path dir) throws IOException {
    var rnd = new java.util.SplittableRandom(9);
    var did = new StringBuilder("unit,treated,post,y\n");
    for (int u = 0; u < 100; u++) {
      int g = u % 2;
      double base = 5 + 2 * g + rnd.nextDouble();
      for (int p = 0; p < 2; p++) did.append("u").append(u).append(',').append(g).append(',').append(p).append(',')
          .append(base + p + 3.0 * g * p + 0.2 * rnd.nextDouble()).append('\n');
    }
    Files.writeString(dir.resolve("did.csv"), did);
    var d = run("causal", "--csv", dir.resolve("did.csv").toString(), "--method", "did", "--treatment", "treated",
        "--outcome", "y", "--group", "unit", "--time", "post", "--bootstrap", "50");
    assertEquals(0, d.code(), d.err());
    assertEquals(3.0, Json.read(d.out()).get("estimate").asDouble(), 0.1);
    assertRefuted(Json.read(d.out()), "placebo_treatment", "random_common_cause", "data_subset");

    var rd = new StringBuilder("score,y\n");
    for (int i = 0; i < 1000; i++) {
      double x = rnd.nextDouble() * 100;
      rd.append(x).append(',').append(0.05 * x + (x >= 60 ? 4 : 0) + rnd.nextDouble()).append('\n');
    }
    Files.writeString(dir.resolve("rd.csv"), rd);
    var r = run("causal", "--csv", dir.resolve("rd.csv").toString(), "--method", "rd", "--outcome", "y",
        "--running", "score", "--cutoff", "60");
    assertEquals(0, r.code(), r.err());
    assertEquals(4.0, Json.read(r.out()).get("estimate").asDouble(), 0.3);
    assertRefuted(Json.read(r.out()), "placebo_cutoff_below", "placebo_cutoff_above", "data_subset");

    var iv = new StringBuilder("z,d,y\n");
    for (int i = 0; i < 2000; i++) {
      double u = rnd.nextDouble() - 0.5;
      int z = rnd.nextInt(2);
      int dd = rnd.nextDouble() < 0.2 + 0.5 * z + 0.3 * u ? 1 : 0;
      iv.append(z).append(',').append(dd).append(',').append(2.0 * dd + 3 * u + 0.5 * rnd.nextDouble()).append('\n');
    }
    Files.writeString(dir.resolve("iv.csv"), iv);
    var v = run("causal", "--csv", dir.resolve("iv.csv").toString(), "--method", "iv", "--treatment", "d", "--outcome", "y",
        "--instrument", "z");
    assertEquals(0, v.code(), v.err());
    var ivJson = Json.read(v.out());
    assertEquals("late", ivJson.get("estimand").asText());
    assertEquals(2.0, ivJson.get("estimate").asDouble(), 0.3);
    assertRefuted(ivJson, "placebo_instrument", "random_common_cause", "data_subset");
  }

  /** Non-empty refutations of the JSON shape, all passing on a planted true effect, so no refuter warning. */
  static void assertRefuted(com.fasterxml.jackson.databind.JsonNode json, String... names) {
    var refutations = json.get("refutations");
    assertEquals(names.length, refutations.size(), json.toString());
    for (int k = 0; k < names.length; k++) {
      var f = refutations.get(k);
      assertEquals(names[k], f.get("name").asText());
      assertTrue(f.has("new_estimate") && f.has("p_value") && f.has("passed"), f.toString());
      assertTrue(f.get("passed").asBoolean(), f.toString());
    }
    for (var w : json.get("warnings")) assertFalse(w.asText().contains("refuter"), w.asText());
  }
}
