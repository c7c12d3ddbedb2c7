package io.hireloop.cli.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RecoveryHistogramTest {
  static String exposition(double le05, double le1, double le2, double inf, double sum) {
    return """
        # HELP hireloop_user_recovery_seconds A user's entity starting on this node.
        # TYPE hireloop_user_recovery_seconds histogram
        hireloop_user_recovery_seconds_bucket{le="0.5",} %s
        hireloop_user_recovery_seconds_bucket{le="1.0",} %s
        hireloop_user_recovery_seconds_bucket{le="2.0",} %s
        hireloop_user_recovery_seconds_bucket{le="+Inf",} %s
        hireloop_user_recovery_seconds_count %s
        hireloop_user_recovery_seconds_sum %s
        hireloop_user_recovery_seconds_created 1.7E9
        hireloop_http_requests_total{route="x",status="200",} 5.0
        """.formatted(le05, le1, le2, inf, inf, sum);
  }

  @Test
  void whatStartedAfterTheFirstReadingIsTheDifference() {
    var before = RecoveryHistogram.parse(exposition(3, 3, 3, 3, 0.6));
    var after = RecoveryHistogram.parse(exposition(5, 7, 8, 8, 6.1));
    var diff = after.minus(before);
    assertEquals(5, diff.count());
    assertEquals(5.5, diff.sum(), 1e-9);
    assertEquals(2.0, diff.slowestAtMost(), "the fifth recovery fell in (1, 2]");
    assertEquals("5 user entities started on the survivors: mean 1.10 s (key, snapshot, events), the slowest <= 2.0 s", diff.describe());
  }

  @Test
  void twoNodesAddUpAndANodeWithoutTheMetricReadsEmpty() {
    var a = RecoveryHistogram.parse(exposition(1, 1, 1, 1, 0.2));
    var none = RecoveryHistogram.parse("hireloop_http_requests_total{route=\"x\",status=\"200\",} 5.0\n");
    assertEquals(0, none.count());
    var both = a.plus(a).plus(none);
    assertEquals(2, both.count());
    assertEquals(0.5, both.slowestAtMost());
    assertEquals("no user's entity started on the survivors", none.describe());
  }
}
