package io.hireloop.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.platform.Json;
import io.hireloop.simulation.SimulationModel;
import io.hireloop.simulation.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every simulated user's history passes the entity's rules (API.md validation), replayed through {@link JobSeeker.Check}. */
class SimulatorRulesTest {
  @TempDir
  Path tmp;

  @Test
  void everyUsersEventsPassTheEntitysHistoryRules() throws Exception {
    var sim = new Simulator(SimulationModel.defaults(), 300, 8, 11, LocalDate.parse("2026-01-05"));
    var summary = sim.run(tmp);
    var lines = Files.readAllLines(summary.eventsFile());
    var byUser = new LinkedHashMap<String, List<JourneyEvent>>();
    for (int from = 0; from < lines.size(); from += 500) {
      var batch = lines.subList(from, Math.min(lines.size(), from + 500));
      var parsed = IngestParser.parse(Json.read("{\"events\":[" + String.join(",", batch) + "]}"));
      assertTrue(parsed.ok(), () -> parsed.problems().toString());
      for (var item : parsed.items()) byUser.computeIfAbsent(item.userId(), u -> new ArrayList<>()).add(item.event());
    }
    assertEquals(300, byUser.size());
    int statusChanges = 0;
    for (var entry : byUser.entrySet()) {
      var events = entry.getValue();
      // in chunks of 100, as --post sends them: the state carries over
      var state = JobSeeker.State.EMPTY;
      for (int from = 0; from < events.size(); from += 100) {
        var chunk = events.subList(from, Math.min(events.size(), from + 100));
        var check = JobSeeker.Check.run(state, chunk, summary.end());
        assertTrue(check.problems.isEmpty(), () -> entry.getKey() + ": " + check.problems);
        assertEquals(chunk.size(), check.fresh.size(), "no duplicates");
        for (var e : check.fresh) state = state.apply(e);
      }
      for (var e : events) if (e instanceof JourneyEvent.StatusChanged) statusChanges++;
    }
    assertTrue(statusChanges > 1000);
  }
}
