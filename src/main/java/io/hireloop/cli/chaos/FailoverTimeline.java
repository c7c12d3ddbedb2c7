package io.hireloop.cli.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a fail-over's time went, read from the surviving nodes' logs: the first line of each stage of Pekko's
 * fail-over after the kill (its lines start with {@code HH:mm:ss.SSS}, see logback.xml). Only a diagnosis printed next
 * to the measured recovery: the measurement itself is the clients' first 200 per user.
 */
final class FailoverTimeline {
  /** A stage of the fail-over and the log line that marks it (the first one after the kill counts). */
  enum Stage {
    UNREACHABLE("seen unreachable", "Marking node as UNREACHABLE"),
    DOWNED("downed by the split-brain resolver", "SBR is downing"),
    REMOVED("removed by the leader", "Leader is removing unreachable node"),
    SINGLETONS_MOVED("a singleton started on a survivor", "Singleton manager starting singleton actor"),
    COORDINATOR_ACTIVE("a shard coordinator active on a survivor", "ShardCoordinator was moved to the active state");

    final String label;
    final Pattern line;

    Stage(String label, String marker) {
      this.label = label;
      this.line = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) .*" + Pattern.quote(marker));
    }
  }

  record Mark(Stage stage, Duration afterKill, int node) {
    String describe() {
      return String.format(Locale.ROOT, "+%5.1f s %s (node %d)", afterKill.toMillis() / 1000.0, stage.label, node);
    }
  }

  private FailoverTimeline() {}

  /** For each stage, its earliest line at or after {@code killedAt} in any of {@code logs} (index → file). */
  static List<Mark> read(LocalTime killedAt, List<Path> logs, List<Integer> nodes) {
    var marks = new ArrayList<Mark>();
    for (var stage : Stage.values()) {
      Mark first = null;
      for (int i = 0; i < logs.size(); i++) {
        var at = firstAfter(logs.get(i), stage, killedAt);
        if (at.isPresent() && (first == null || at.get().compareTo(first.afterKill()) < 0)) {
          first = new Mark(stage, at.get(), nodes.get(i));
        }
      }
      if (first != null) marks.add(first);
    }
    return marks;
  }

  static Optional<Duration> firstAfter(Path log, Stage stage, LocalTime killedAt) {
    List<String> lines;
    try {
      lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return Optional.empty();
    }
    for (var line : lines) {
      var m = stage.line.matcher(line);
      if (!m.find()) continue;
      try {
        var at = LocalTime.parse(m.group(1));
        if (!at.isBefore(killedAt)) return Optional.of(Duration.between(killedAt, at));
      } catch (DateTimeParseException ignored) {
        // not a log line of ours
      }
    }
    return Optional.empty();
  }
}
