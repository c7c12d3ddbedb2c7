package io.hireloop.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hireloop.testing.ReadModelTestKit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A burst of requests larger than a driver connection takes at once (1,024 in flight) waits in the driver's
 * throttler queue instead of failing with "No connection was available": a projection catching up on a backlog
 * (28 instances x groups of 200 users x 1-3 writes each) issued such bursts, failed, and restarted.
 */
class DriverThrottlingTest {
  static ReadModelTestKit kit;

  @BeforeAll
  static void start() {
    kit = ReadModelTestKit.start("throttling");
  }

  @AfterAll
  static void stop() {
    if (kit != null) kit.close();
  }

  @Test
  void fiveThousandConcurrentWritesAllSucceed() throws Exception {
    var prefix = ReadModelTestKit.unique("u-burst");
    var session = kit.store().session();
    var insert = "INSERT INTO " + kit.store().table("user_performance") + " (user_id, as_of_seq_nr, state, updated_at) VALUES (?, ?, ?, ?)";
    session.prepare(insert).toCompletableFuture().get(60, TimeUnit.SECONDS); // prepared once: the burst is executions only
    var failures = new AtomicInteger();
    var firstFailure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    var writes = new ArrayList<CompletableFuture<?>>();
    for (int i = 0; i < 5_000; i++) {
      writes.add(session.executeWrite(insert, prefix + "-" + i, 1L, "{}", Instant.now()).toCompletableFuture()
          .whenComplete((d, e) -> {
            if (e != null && failures.incrementAndGet() == 1) firstFailure.set(e);
          }));
    }
    try {
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException ignored) {
      // counted below
    }
    assertEquals(0, failures.get(), () -> "failed writes, first: " + firstFailure.get());
    var rows = session.selectAll("SELECT user_id FROM " + kit.store().table("user_performance")).toCompletableFuture().get(120, TimeUnit.SECONDS);
    assertEquals(5_000, rows.stream().filter(r -> r.getString("user_id").startsWith(prefix + "-")).count());
  }
}
