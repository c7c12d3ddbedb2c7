package io.hireloop.simulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.journey.IngestParser;
import io.hireloop.platform.Json;
import io.hireloop.stats.ClassificationMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorTest {
  static final LocalDate START = LocalDate.parse("2026-01-05");

  @TempDir
  static Path tmp;

  static Path small;
  static Simulator.Summary summary;

  @BeforeAll
  static void generate() throws IOException {
    small = tmp.resolve("small");
    summary = new Simulator(SimulationModel.defaults(), 300, 8, 42, START).run(small);
  }

  static Simulator.Summary run(Path dir, int users, int weeks, long seed, int blockSize) throws IOException {
    return new Simulator(SimulationModel.defaults().withBlockSize(blockSize), users, weeks, seed, START).run(dir);
  }

  @Test
  void sameSeedSameBytesWhateverTheBlockSize() throws IOException {
    run(tmp.resolve("a"), 300, 8, 42, 64); // several blocks, merged
    assertArrayEquals(Files.readAllBytes(small.resolve("events.jsonl")), Files.readAllBytes(tmp.resolve("a/events.jsonl")));
    assertArrayEquals(Files.readAllBytes(small.resolve("ground_truth.json")), Files.readAllBytes(tmp.resolve("a/ground_truth.json")));
    run(tmp.resolve("b"), 300, 8, 42, 2000);
    assertArrayEquals(Files.readAllBytes(small.resolve("truth.jsonl")), Files.readAllBytes(tmp.resolve("b/truth.jsonl")));
    run(tmp.resolve("c"), 300, 8, 43, 2000);
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(small.resolve("events.jsonl")),
        Files.readAllBytes(tmp.resolve("c/events.jsonl"))));
    assertFalse(Files.list(tmp.resolve("a")).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "run files removed");
  }

  @Test
  void everyEventParsesAndTheFileIsInTimeOrder() throws IOException {
    var lines = Files.readAllLines(small.resolve("events.jsonl"));
    assertEquals(summary.events(), lines.size());
    assertTrue(lines.size() > 3000, "a few thousand events: " + lines.size());
    Instant previous = Instant.MIN;
    var ids = new java.util.HashSet<String>();
    var types = new java.util.HashSet<String>();
    for (int from = 0; from < lines.size(); from += 500) {
      var batch = lines.subList(from, Math.min(lines.size(), from + 500));
      JsonNode body = Json.read("{\"events\":[" + String.join(",", batch) + "]}");
      var parsed = IngestParser.parse(body);
      assertTrue(parsed.ok(), () -> "problems: " + parsed.problems().subList(0, Math.min(5, parsed.problems().size())));
      assertEquals(batch.size(), parsed.items().size());
      for (var item : parsed.items()) {
        var ts = item.event().timestamp();
        assertFalse(ts.isBefore(previous), "time order at " + item.event().eventId());
        assertTrue(ts.isBefore(summary.end()), "not after the end of the run");
        previous = ts;
        assertTrue(ids.add(item.event().eventId()), "unique event ids");
        types.add(item.event().eventType());
      }
    }
    assertTrue(types.containsAll(List.of("APPLICATION_CREATED", "STATUS_CHANGED", "RESUME_REWRITTEN", "MODE_CHANGED",
        "PLAN_GENERATED", "SUGGESTION_ACCEPTED", "SUGGESTION_REJECTED")), types.toString());
    String all = String.join("\n", lines);
    for (var s : List.of("viewed", "phone_screen", "interview", "offer", "offer_accepted", "offer_declined", "rejected",
        "ghosted", "withdrawn")) {
      assertTrue(all.contains("\"status\":\"" + s + "\""), s);
    }
    for (var e : SimulationModel.EDIT_TYPES) assertTrue(all.contains(e), e);
    assertTrue(all.contains("\"suggested_by_system\":true") && all.contains("\"suggested_by_system\":false"));
  }

  @Test
  void groundTruthHoldsThePlantedFacts() throws IOException {
    var gt = Json.read(Files.readString(small.resolve("ground_truth.json")));
    assertEquals(0.0, gt.get("tuesday_effect").asDouble());
    var edits = gt.get("edit_effects");
    int positive = 0;
    int zero = 0;
    int negative = 0;
    for (var e : SimulationModel.EDIT_TYPES) {
      double v = edits.get(e).asDouble();
      if (v > 0) positive++;
      else if (v == 0) zero++;
      else negative++;
    }
    assertTrue(positive >= 2 && zero == 1 && negative == 1);
    assertTrue(edits.get("added_keywords").asDouble() < 0 && edits.get("added_keywords").asDouble() > -0.2, "slightly negative");
    assertEquals("finance", gt.get("market_shift").get("industry").asText());
    assertEquals(gt.get("shift_week").asInt(), gt.get("market_shift").get("week").asInt());
    assertEquals(2.0 / 3.0, gt.get("market_shift").get("multiplier").asDouble(), 1e-12);
    var months = gt.get("seasonal_profile").get("by_month");
    assertTrue(months.get("dec").asDouble() < months.get("jun").asDouble());
    assertTrue(months.get("sep").asDouble() > months.get("aug").asDouble());
    assertTrue(months.get("jan").asDouble() > months.get("may").asDouble());
    assertEquals(8, gt.get("seasonal_profile").get("by_week").size());
    assertEquals("truth.jsonl", gt.get("application_truth").get("file").asText());
    assertEquals(summary.applications(), Files.lines(small.resolve("truth.jsonl")).count());
    double auc = gt.get("oracle_auc").asDouble();
    assertTrue(auc > 0.6 && auc < 0.95, "oracle AUC " + auc);
    assertEquals("exact", gt.get("oracle_auc_method").asText());
    assertEquals(auc, gt.get("oracle_auc_histogram").asDouble(), 0.002, "histogram AUC agrees with the exact one");
  }

  @Test
  void oracleAucIsTheAucOfTheTruthFile() throws IOException {
    var p = new ArrayList<Double>();
    var y = new ArrayList<Integer>();
    for (var line : Files.readAllLines(small.resolve("truth.jsonl"))) {
      var n = Json.read(line);
      double v = n.get("p").asDouble();
      assertTrue(v > 0 && v < 1);
      p.add(v);
      y.add(n.get("interview").asBoolean() ? 1 : 0);
    }
    double auc = ClassificationMetrics.auc(p.stream().mapToDouble(Double::doubleValue).toArray(),
        y.stream().mapToInt(Integer::intValue).toArray());
    assertEquals(summary.oracleAuc(), auc, 1e-12);
  }

  @Test
  void tuesdayLooksGoodNaivelyButHasNoEffect() throws IOException {
    var dir = tmp.resolve("tuesday");
    run(dir, 2000, 8, 7, 2000);
    // the naive comparison an analyst would make on the events: interview-request rate of Tuesday applications vs others
    Map<String, Boolean> tuesdayByApp = new HashMap<>();
    var interviewed = new java.util.HashSet<String>();
    try (var lines = Files.lines(dir.resolve("events.jsonl"))) {
      lines.forEach(line -> {
        var n = Json.read(line);
        var type = n.get("event_type").asText();
        if (type.equals("APPLICATION_CREATED")) {
          var day = Instant.parse(n.get("timestamp").asText()).atZone(java.time.ZoneOffset.UTC).getDayOfWeek();
          tuesdayByApp.put(n.get("application_id").asText(), day == java.time.DayOfWeek.TUESDAY);
        } else if (type.equals("STATUS_CHANGED") && n.get("outcome").get("status").asText().equals("phone_screen")) {
          interviewed.add(n.get("application_id").asText());
        }
      });
    }
    long[] n = new long[2];
    long[] k = new long[2];
    tuesdayByApp.forEach((app, tue) -> {
      int g = tue ? 1 : 0;
      n[g]++;
      if (interviewed.contains(app)) k[g]++;
    });
    double tueRate = (double) k[1] / n[1];
    double otherRate = (double) k[0] / n[0];
    double se = Math.sqrt(tueRate * (1 - tueRate) / n[1] + otherRate * (1 - otherRate) / n[0]);
    assertTrue(tueRate - otherRate > 2 * se, "naive: Tuesday " + tueRate + " vs other days " + otherRate + " (se " + se + ")");
    // ... while the truth has no Tuesday term: the true p of the same application on another day is identical
    var sim = new Simulator(SimulationModel.defaults(), 1, 8, 7, START);
    double onTuesday = sim.interviewProbability(60, "target", false, 1, 1, 0.3, 0b101, 2, "software", true);
    double otherDay = sim.interviewProbability(60, "target", false, 1, 1, 0.3, 0b101, 2, "software", false);
    assertEquals(otherDay, onTuesday, 0.0);
    assertEquals(0.0, Json.read(Files.readString(dir.resolve("ground_truth.json"))).get("tuesday_effect").asDouble());
  }

  @Test
  void marketShiftCutsTheIndustrysProbabilityByAThird() {
    var sim = new Simulator(SimulationModel.defaults(), 1, 26, 7, START);
    int shift = SimulationModel.defaults().effectiveShiftWeek(26);
    double before = sim.interviewProbability(60, "target", false, 1, 1, 0, 0, shift - 1, "finance", false);
    double beforeOther = sim.interviewProbability(60, "target", false, 1, 1, 0, 0, shift - 1, "software", false);
    double after = sim.interviewProbability(60, "target", false, 1, 1, 0, 0, shift, "finance", false);
    double afterOther = sim.interviewProbability(60, "target", false, 1, 1, 0, 0, shift, "software", false);
    assertEquals(before, beforeOther, 0.0);
    assertEquals(afterOther * 2 / 3, after, 1e-12);
  }
}
