package io.hireloop.market;

import static io.hireloop.market.JourneyFixtures.created;
import static io.hireloop.market.JourneyFixtures.rewrite;
import static io.hireloop.market.JourneyFixtures.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.JourneyEvent;
import io.hireloop.platform.Json;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fold of one user's journey into week facts, and the k-anonymous aggregation over users. */
class MarketInsightsTest {
  static final Instant MON = Instant.parse("2026-03-02T09:00:00Z"); // a Monday
  static final LocalDate WEEK = LocalDate.parse("2026-03-02");

  static MarketFacts.UserState fold(List<JourneyEvent> events) {
    var s = MarketFacts.UserState.EMPTY;
    long seq = 0;
    for (var e : events) s = MarketFacts.apply(s, ++seq, e, new MarketFacts.Changes());
    return s;
  }

  @Test
  void aUsersWeekCountsApplicationsByCreationWeekAndOutcomesLater() {
    var s = fold(List.of(
        created("a1", MON, "Fintech", "Berlin", "Mid", 70),
        created("a2", MON.plusSeconds(3600), "fintech", "Paris", "senior", 80),
        rewrite("r1", MON.plusSeconds(7200), List.of("Kubernetes", " kubernetes", "SQL")),
        status("a1", MON.plusSeconds(9 * 86400), "phone_screen", 4),   // next week, counted in the application's week
        status("a2", MON.plusSeconds(20 * 86400), "ghosted", null)));
    var w = MarketFacts.week(s, WEEK);
    assertEquals(2, w.applications());
    assertEquals(1, w.interviews());
    assertEquals(1, w.responses());
    assertEquals(1, w.ghosted());
    assertEquals(List.of(4.0), w.responseDays());
    assertEquals(new MarketFacts.Counts(2, 1), w.industries().get("fintech"));
    assertEquals(Map.of("kubernetes", 2, "sql", 1), w.skills());
    assertEquals(0, MarketFacts.week(s, WEEK.plusWeeks(1)).applications());
    assertFalse(Json.write(w).contains("Acme"), "no company names in the facts");
    assertFalse(Json.write(w).contains("Backend"), "no titles in the facts");
  }

  @Test
  void redeliveredEventsChangeNothing() {
    var e = created("a1", MON, "fintech", "Berlin", "mid", 70);
    var once = MarketFacts.apply(MarketFacts.UserState.EMPTY, 1, e, new MarketFacts.Changes());
    var changes = new MarketFacts.Changes();
    assertEquals(once, MarketFacts.apply(once, 1, e, changes));
    assertTrue(changes.weeks.isEmpty());
  }

  /** users u0..u(n-1) each with one application in the location. */
  static List<MarketInsights.Row> users(String prefix, int n, String location) {
    var rows = new ArrayList<MarketInsights.Row>();
    for (int i = 0; i < n; i++) {
      var s = fold(List.of(created("a", MON, "health", location, "mid", 60), status("a", MON.plusSeconds(86400), "interview", 1)));
      rows.add(new MarketInsights.Row(WEEK, prefix + i, MarketFacts.week(s, WEEK)));
    }
    return rows;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> location(Map<String, Object> insights, String name) {
    return ((List<Map<String, Object>>) insights.get("hottest_locations")).stream()
        .filter(m -> m.get("location").equals(name)).findFirst().orElse(null);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aCellOfKMinusOneUsersIsSuppressedAndOfKUsersIsShown() {
    int k = 10;
    var rows = new ArrayList<>(users("small-", k - 1, "Tallinn"));
    rows.addAll(users("big-", k, "Oslo"));
    var insights = MarketInsights.aggregate(rows, Set.of(), k, WEEK, WEEK);
    assertNull(location(insights, "Tallinn"));
    assertEquals(k, location(insights, "Oslo").get("users"));
    assertEquals(1, ((Map<String, Integer>) insights.get("suppressed")).get("locations"));
    // 19 users in the industry: shown
    assertEquals(2 * k - 1, ((List<Map<String, Object>>) insights.get("active_industries")).get(0).get("users"));

    var onlySmall = MarketInsights.aggregate(users("small-", k - 1, "Tallinn"), Set.of(), k, WEEK, WEEK);
    assertNull(onlySmall.get("ghosting"), "overall figures from k-1 users are suppressed too");
    assertNull(onlySmall.get("days_to_first_response"));
    assertEquals(1, ((Map<String, Integer>) onlySmall.get("suppressed")).get("ghosting"));
  }

  @Test
  void optedOutUsersContributeNothingIncludingThePast() {
    int k = 10;
    var rows = users("big-", k, "Oslo");
    assertEquals(k, location(MarketInsights.aggregate(rows, Set.of(), k, WEEK, WEEK), "Oslo").get("users"));
    var without = MarketInsights.aggregate(rows, Set.of("big-3"), k, WEEK, WEEK);
    assertNull(location(without, "Oslo"), "9 users left: the cell is suppressed, not shown with 9");
    var lowerK = MarketInsights.aggregate(rows, Set.of("big-3"), k - 1, WEEK, WEEK);
    assertEquals(k - 1, location(lowerK, "Oslo").get("users"));
  }

  @Test
  void anErasedUsersRowsAreDeletedSoACellOfExactlyKUsersIsSuppressedNotShownWithKMinusOne() {
    // erasure deletes the user's market_user_weeks rows; the aggregate is computed from the rows at read time
    int k = 10;
    var rows = users("big-", k, "Oslo");
    assertEquals(k, location(MarketInsights.aggregate(rows, Set.of(), k, WEEK, WEEK), "Oslo").get("users"));
    var afterErasure = rows.stream().filter(r -> !r.userId().equals("big-3")).toList();
    var insights = MarketInsights.aggregate(afterErasure, Set.of(), k, WEEK, WEEK);
    assertNull(location(insights, "Oslo"), "k - 1 users left: suppressed");
    assertNull(insights.get("ghosting"), "no overall figure from k - 1 users either");
  }

  @Test
  void thePreferenceEventSetsAndClearsTheOptOutAndReannouncesTheUsersWeeks() {
    var s = fold(List.of(created("a1", MON, "fintech", "Berlin", "mid", 70)));
    var changes = new MarketFacts.Changes();
    var out = MarketFacts.apply(s, 2, new JourneyEvent.PreferencesChanged("p1", MON, true, false), changes);
    assertTrue(out.optedOut());
    assertTrue(changes.optOut);
    assertEquals(Set.of(WEEK), changes.weeks);
    var same = new MarketFacts.Changes();
    var again = MarketFacts.apply(out, 3, new JourneyEvent.PreferencesChanged("p2", MON, true, true), same);
    assertTrue(again.optedOut());
    assertFalse(same.optOut, "only the experiments flag changed");
    var back = new MarketFacts.Changes();
    assertFalse(MarketFacts.apply(again, 4, new JourneyEvent.PreferencesChanged("p3", MON, false, true), back).optedOut());
    assertTrue(back.optOut);
  }
}
