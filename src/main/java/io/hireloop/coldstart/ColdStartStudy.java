package io.hireloop.coldstart;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.hireloop.journey.Domain;
import io.hireloop.platform.Json;
import io.hireloop.simulation.SimulationModel;
import io.hireloop.simulation.Simulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * {@code bin/hireloop cold-start-study}: does the profile alone predict a new user's interview rate better than the
 * global average? Simulates a population (with profiles: {@link Simulator#PROFILES_FILE}), holds out a share of the
 * users (every {@code 1/holdoutEvery}-th by index), builds the {@link Population} from the others' profiles and
 * outcomes, and scores each held-out user's applications (their true labels, truth.jsonl) with the cold-start
 * prediction from their profile alone ({@link ColdStart#compute} with no own data) and with the training users'
 * pooled rate. Log loss is per application.
 */
public final class ColdStartStudy {
  private ColdStartStudy() {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Result(int users, int weeks, long seed, int trainingUsers, int heldOutUsers, long heldOutApplications,
      double globalRate, double logLossGlobal, double logLossColdStart, double improvement, String basisCounts) {}

  public static Result run(int users, int weeks, long seed, int holdoutEvery, ColdStartSettings settings, Path dir) throws IOException {
    var summary = new Simulator(SimulationModel.defaults(), users, weeks, seed, LocalDate.of(2026, 1, 5)).run(dir);
    var counts = new HashMap<String, int[]>(); // user -> {applications, interviews}
    try (var lines = Files.lines(summary.truthFile(), StandardCharsets.UTF_8)) {
      lines.forEach(line -> {
        var row = Json.read(line);
        var c = counts.computeIfAbsent(row.get("user_id").asText(), k -> new int[2]);
        c[0]++;
        if (row.get("interview").asBoolean()) c[1]++;
      });
    }
    var training = new ArrayList<Peer>();
    var heldOut = new ArrayList<Peer>();
    int index = 0;
    for (var line : Files.readAllLines(dir.resolve(Simulator.PROFILES_FILE), StandardCharsets.UTF_8)) {
      var p = Json.read(line);
      var profile = new Domain.Profile(strings(p, "target_roles"), p.get("seniority").asText(), p.get("years_experience").asDouble(),
          strings(p, "industries"), strings(p, "locations"), strings(p, "skills"));
      var c = counts.getOrDefault(p.get("user_id").asText(), new int[2]);
      var peer = new Peer(p.get("user_id").asText(), profile, c[0], c[1]);
      (index++ % holdoutEvery == 0 ? heldOut : training).add(peer);
    }
    var population = new Population(training, settings);
    double global = population.rate();
    double llGlobal = 0, llCold = 0;
    long n = 0;
    var bases = new java.util.TreeMap<String, Integer>();
    for (var u : heldOut) {
      if (u.applications() == 0) continue;
      var report = ColdStart.compute(u.userId(), u.profile(), 0, 0, population, null);
      bases.merge(report.basis().json(), 1, Integer::sum);
      double p = report.prediction().interviewRate();
      llGlobal += logLoss(global, u.interviews(), u.applications());
      llCold += logLoss(p, u.interviews(), u.applications());
      n += u.applications();
    }
    llGlobal /= n;
    llCold /= n;
    return new Result(users, weeks, seed, population.peers().size(), heldOut.size(), n, ColdStart.round(global),
        ColdStart.round(llGlobal), ColdStart.round(llCold), ColdStart.round(1 - llCold / llGlobal), bases.toString());
  }

  /** Σ over n applications with x interviews of −log p(label), p clipped away from 0 and 1. */
  static double logLoss(double p, int x, int n) {
    double q = Math.min(1 - 1e-9, Math.max(1e-9, p));
    return -(x * Math.log(q) + (n - x) * Math.log(1 - q));
  }

  private static List<String> strings(com.fasterxml.jackson.databind.JsonNode node, String field) {
    var out = new ArrayList<String>();
    node.path(field).forEach(v -> out.add(v.asText()));
    return out;
  }
}
