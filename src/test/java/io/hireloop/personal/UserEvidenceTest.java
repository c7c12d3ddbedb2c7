package io.hireloop.personal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.JourneyEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UserEvidenceTest {
  private static final String[] CATEGORIES = {"reach", "target", "safety"};
  private static final String[] STATUSES = {null, "interview", "rejected", "ghosted", "offer", "phone_screen"};

  /** A random journal: applications, their outcomes, and now and then a second status for an earlier application. */
  private static List<JourneyEvent> journal(long seed, int applications) {
    var rnd = new Random(seed);
    var apps = new ArrayList<Fixtures.App>();
    for (int i = 0; i < applications; i++) {
      apps.add(new Fixtures.App(40 + rnd.nextInt(60), CATEGORIES[rnd.nextInt(3)], rnd.nextBoolean() ? "finance" : "health",
          STATUSES[rnd.nextInt(STATUSES.length)], rnd.nextBoolean() ? 1 + rnd.nextInt(20) : null, 24L * i));
    }
    var events = new ArrayList<>(Fixtures.events(apps));
    for (int k = 0; k < applications / 3; k++) {
      int target = rnd.nextInt(applications);
      var later = (JourneyEvent.StatusChanged) Fixtures.events(List.of(new Fixtures.App(50, "target", "finance", "offer", 3, 0))).get(1);
      events.add(new JourneyEvent.StatusChanged("late-" + k, later.timestamp(), "a-" + target, "j-" + target, "r", null, later.outcome()));
    }
    return events;
  }

  @Test
  void foldingInStepsEqualsFoldingTheWholeJournal() {
    for (long seed = 1; seed <= 20; seed++) {
      var events = journal(seed, 30);
      var whole = UserEvidence.fold("u", events, events.size());
      var rnd = new Random(seed * 31);
      var stepwise = UserEvidence.fold("u", List.of(), 0);
      int at = 0;
      while (at < events.size()) {
        int next = Math.min(events.size(), at + 1 + rnd.nextInt(12));
        stepwise = stepwise.plus(events.subList(at, next), next);
        at = next;
      }
      assertEquals(whole, stepwise, "seed " + seed);
    }
  }

  @Test
  void anErasureEmptiesWhatWasFolded() {
    var events = journal(7, 10);
    var before = UserEvidence.fold("u", events, events.size());
    assertTrue(!before.applications().isEmpty());
    var erased = before.plus(List.of(new JourneyEvent.UserErased("x", Fixtures.T0, "job-1")), events.size() + 1);
    assertEquals(List.of(), erased.applications());
    assertEquals(null, erased.latestContext());
    assertEquals(events.size() + 1, erased.asOfSeqNr());
    // what a replay of the erased journal folds to: tombstones, then the erasure record
    var replay = new ArrayList<JourneyEvent>();
    for (int i = 0; i < events.size(); i++) replay.add(new JourneyEvent.Shredded());
    replay.add(new JourneyEvent.UserErased("x", Fixtures.T0, "job-1"));
    assertEquals(erased, UserEvidence.fold("u", replay, events.size() + 1));
  }
}
