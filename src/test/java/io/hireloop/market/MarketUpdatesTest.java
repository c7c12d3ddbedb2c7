package io.hireloop.market;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hireloop.platform.Json;
import io.hireloop.stream.StreamMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** When a week's insights are published on the market topic: changed, unchanged, closed. */
class MarketUpdatesTest {
  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void changedWeeksArePublishedOnceAndAClosingWeekWhenTheNextBegins() {
    var sent = new ArrayList<StreamMessage>();
    var clock = new MovableClock(Instant.parse("2026-03-04T12:00:00Z")); // Wednesday of the week of 2026-03-02
    var documents = new HashMap<LocalDate, Map<String, Object>>();
    var updates = new MarketUpdates(sent::add, clock);
    updates.attach((from, to, k) -> CompletableFuture.completedFuture(documents.getOrDefault(from, Map.of("n", 0))), 10);
    var thisWeek = LocalDate.parse("2026-03-02");
    var lastWeek = thisWeek.minusWeeks(1);

    updates.weekChanged(thisWeek);
    updates.weekChanged(lastWeek);
    updates.tick();
    assertEquals(2, sent.size());
    assertEquals(List.of("market", "market"), sent.stream().map(StreamMessage::topic).toList());
    var byWeek = new HashMap<String, String>();
    sent.forEach(m -> byWeek.put(Json.read(m.dataJson()).path("week_start").asText(), Json.read(m.dataJson()).path("status").asText()));
    assertEquals(Map.of(thisWeek.toString(), "open", lastWeek.toString(), "closed"), byWeek);

    updates.weekChanged(thisWeek); // rewritten, but the anonymised document did not change
    updates.tick();
    assertEquals(2, sent.size());

    documents.put(thisWeek, Map.of("n", 1));
    updates.weekChanged(thisWeek);
    updates.tick();
    assertEquals(3, sent.size());
    assertEquals(1, Json.read(sent.get(2).dataJson()).path("insights").path("n").asInt());

    clock.now = Instant.parse("2026-03-09T00:00:01Z"); // the next Monday: the week closes
    updates.tick();
    assertEquals(4, sent.size());
    var closed = Json.read(sent.get(3).dataJson());
    assertEquals(thisWeek.toString(), closed.path("week_start").asText());
    assertEquals("2026-03-08", closed.path("week_end").asText());
    assertEquals("closed", closed.path("status").asText());

    updates.tick();
    assertEquals(4, sent.size(), "nothing changed, nothing closed");
  }

  @Test
  void aBackfillOfManyWeeksIsSpreadOverTicksNewestFirst() {
    var sent = new ArrayList<StreamMessage>();
    var clock = new MovableClock(Instant.parse("2026-03-04T12:00:00Z"));
    var updates = new MarketUpdates(sent::add, clock, 2);
    var reads = new ArrayList<LocalDate>();
    updates.attach((from, to, k) -> {
      reads.add(from);
      return CompletableFuture.completedFuture(Map.of("week", from.toString()));
    }, 10);
    var thisWeek = LocalDate.parse("2026-03-02");
    for (int i = 0; i < 5; i++) updates.weekChanged(thisWeek.minusWeeks(i));
    updates.tick();
    assertEquals(List.of(thisWeek, thisWeek.minusWeeks(1)), reads, "two weeks per tick, the newest first");
    updates.tick();
    updates.tick();
    assertEquals(5, reads.size(), "the rest on the next ticks");
    assertEquals(thisWeek.minusWeeks(4), reads.get(4));
    assertEquals(5, sent.size(), "each week published once");
    updates.tick();
    assertEquals(5, reads.size(), "nothing left");
  }
}
