package io.hireloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.context.DriverContext;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DriverLatencyProbeTest {
  @AfterEach
  void stop() {
    DriverLatencyProbe.recording(false);
  }

  @Test
  void statementKindIsTheVerbAndTableWithoutKeyspace() {
    assertEquals("INSERT user_performance",
        DriverLatencyProbe.kind(SimpleStatement.newInstance("INSERT INTO hireloop.user_performance (user_id) VALUES (?)")));
    assertEquals("SELECT tag_views",
        DriverLatencyProbe.kind(SimpleStatement.newInstance("SELECT * FROM \"hireloop_journal\".\"tag_views\" WHERE tag_name = ?")));
    assertEquals("UPDATE counters", DriverLatencyProbe.kind(SimpleStatement.newInstance("update counters SET n = n + 1 WHERE k = ?")));
    assertEquals("DELETE market_opt_outs",
        DriverLatencyProbe.kind(SimpleStatement.newInstance("DELETE FROM ks.market_opt_outs WHERE user_id = ?")));
    assertEquals("TRUNCATE", DriverLatencyProbe.kind(SimpleStatement.newInstance("TRUNCATE t")));
    assertEquals("BATCH", DriverLatencyProbe.kind(BatchStatement.newInstance(BatchType.UNLOGGED)));
  }

  @Test
  void summaryGivesCountAndPercentilesPerSessionAndKindWithinTheWindow() {
    var probe = new DriverLatencyProbe(context("s7"));
    var insert = SimpleStatement.newInstance("INSERT INTO ks.t (a) VALUES (1)");
    var select = SimpleStatement.newInstance("SELECT a FROM ks.t");
    probe.onSuccess(insert, 1_000_000, null, null, "s7");
    DriverLatencyProbe.recording(true); // starts empty: the request above is not counted
    long from = System.currentTimeMillis();
    for (int i = 1; i <= 100; i++) probe.onSuccess(insert, i * 1_000_000L, null, null, "s7");
    probe.onSuccess(select, 250_000_000L, null, null, "s7");
    long to = System.currentTimeMillis();
    var lines = DriverLatencyProbe.summary(from, to);
    assertEquals(2, lines.size(), lines.toString());
    assertEquals("s7 INSERT t: n 100, p50 50.0 / p99 99.0 / max 100.0 ms", lines.get(0));
    assertEquals("s7 SELECT t: n 1, p50 250.0 / p99 250.0 / max 250.0 ms", lines.get(1));
    assertTrue(DriverLatencyProbe.summary(to + 1, to + 2).isEmpty(), "outside the window");
    assertEquals("{0=1}", DriverLatencyProbe.slowSeconds(100, from, to), "one request slower than 100 ms, in second 0");
  }

  private static DriverContext context(String sessionName) {
    return (DriverContext) Proxy.newProxyInstance(DriverContext.class.getClassLoader(), new Class<?>[] {DriverContext.class},
        (proxy, method, args) -> method.getName().equals("getSessionName") ? sessionName : null);
  }
}
