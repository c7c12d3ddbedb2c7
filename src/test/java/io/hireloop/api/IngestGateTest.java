package io.hireloop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.platform.Json;
import java.time.Duration;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.Test;

/** The ingest route's bounds without a node: what is refused, with which answer, and how long the entity may take. */
class IngestGateTest {
  private final IngestGate gate = new IngestGate(new IngestGate.Settings(2, Duration.ofSeconds(8), Duration.ofSeconds(2)));

  @Test
  void aBatchBeyondTheCapIsRefusedWithRetryAfterAndAFreedSlotAdmitsAgain() {
    long now = System.nanoTime();
    assertTrue(gate.admit(now, 10).isEmpty());
    assertTrue(gate.admit(now, 10).isEmpty());
    var refused = gate.admit(now, 10).orElseThrow();
    assertOverloaded(refused, "more than 2 ingest requests in progress");
    gate.release();
    assertTrue(gate.admit(System.nanoTime(), 10).isEmpty(), "the released slot is free again");
  }

  @Test
  void aBatchThatWaitedLongerThanTheQueueTimeIsRefusedWithoutTakingASlot() {
    long threeSecondsAgo = System.nanoTime() - Duration.ofSeconds(3).toNanos();
    assertOverloaded(gate.admit(threeSecondsAgo, 10).orElseThrow(), "waited");
    // no slot was taken by the refusal: both are still free
    assertTrue(gate.admit(System.nanoTime(), 1).isEmpty());
    assertTrue(gate.admit(System.nanoTime(), 1).isEmpty());
  }

  @Test
  void theEntityGetsWhatIsLeftOfTheRequestTimeAndNothingWhenTooLittleIsLeft() {
    var fresh = gate.askTimeout(System.nanoTime()).orElseThrow();
    assertTrue(fresh.compareTo(Duration.ofMillis(7_400)) > 0 && fresh.compareTo(Duration.ofMillis(7_500)) <= 0, fresh.toString());
    var later = gate.askTimeout(System.nanoTime() - Duration.ofSeconds(5).toNanos()).orElseThrow();
    assertTrue(later.compareTo(Duration.ofMillis(2_500)) <= 0, later.toString());
    assertTrue(gate.askTimeout(System.nanoTime() - Duration.ofMillis(7_400).toNanos()).isEmpty(), "under 250 ms left");
    assertOverloaded(gate.tooLate(10), "too long");
  }

  @Test
  void pekkosRequestTimeoutIsAnsweredWithTheErrorBodyAndRetryAfter() {
    var r = IngestGate.timedOut(HttpRequest.POST("/api/v1/events"));
    assertEquals(503, r.status().intValue());
    assertEquals("1", r.getHeader("Retry-After").orElseThrow().value());
    var error = Json.read(body(r)).path("error");
    assertEquals("unavailable", error.path("code").asText());
    assertTrue(error.path("message").asText().contains("same event_ids"), error.toString());
  }

  @Test
  void tooShortATimeoutIsAConfigurationError() {
    assertThrows(IllegalArgumentException.class, () -> new IngestGate.Settings(1, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new IngestGate.Settings(0, Duration.ofSeconds(8), Duration.ofSeconds(1)));
  }

  private static void assertOverloaded(HttpResponse r, String why) {
    assertEquals(503, r.status().intValue());
    assertEquals("1", r.getHeader("Retry-After").orElseThrow().value());
    var error = Json.read(body(r)).path("error");
    assertEquals("overloaded", error.path("code").asText());
    assertTrue(error.path("message").asText().contains(why), error.toString());
    assertTrue(error.path("message").asText().contains("nothing was written"), error.toString());
  }

  private static String body(HttpResponse r) {
    return ((HttpEntity.Strict) r.entity()).getData().utf8String();
  }
}
