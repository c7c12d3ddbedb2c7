package io.hireloop.cli.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailoverTimelineTest {
  @Test
  void theEarliestLineOfEachStageAfterTheKillAcrossSurvivors(@TempDir Path dir) throws Exception {
    var a = dir.resolve("node-0.log");
    var b = dir.resolve("node-1.log");
    Files.writeString(a, """
        11:18:20.000 INFO  [d] o.a.p.c.s.ClusterSingletonManager - Singleton manager starting singleton actor [x]
        11:18:49.364 WARN  [d] o.a.p.cluster.Cluster - Cluster Node [a] - Marking node as UNREACHABLE [Member(b, Up)].
        [hireloop] a line without a time
        """);
    Files.writeString(b, """
        11:18:49.597 WARN  [d] o.a.p.cluster.Cluster - Cluster Node [c] - Marking node as UNREACHABLE [Member(b, Up)].
        11:18:52.802 INFO  [d] o.a.p.c.s.SplitBrainResolver - SBR is downing [UniqueAddress(b)]
        11:18:53.678 INFO  [d] o.a.p.cluster.Cluster - Cluster Node [c] - Leader is removing unreachable node [b]
        11:18:57.000 INFO  [d] o.a.p.c.s.ClusterSingletonManager - Singleton manager starting singleton actor [y]
        """);
    var marks = FailoverTimeline.read(LocalTime.parse("11:18:45.700"), List.of(a, b), List.of(0, 1));
    assertEquals(List.of(
        new FailoverTimeline.Mark(FailoverTimeline.Stage.UNREACHABLE, Duration.ofMillis(3664), 0),
        new FailoverTimeline.Mark(FailoverTimeline.Stage.DOWNED, Duration.ofMillis(7102), 1),
        new FailoverTimeline.Mark(FailoverTimeline.Stage.REMOVED, Duration.ofMillis(7978), 1),
        new FailoverTimeline.Mark(FailoverTimeline.Stage.SINGLETONS_MOVED, Duration.ofMillis(11300), 1)), marks);
    assertEquals("+  3.7 s seen unreachable (node 0)", marks.get(0).describe());
  }
}
