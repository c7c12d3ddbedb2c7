package io.hireloop.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.coldstart.ColdStartReport.Basis;
import io.hireloop.journey.Domain;
import io.hireloop.learning.attribution.AttributionReport;
import io.hireloop.learning.attribution.FactorEffect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColdStartTest {
  static final ColdStartSettings S = ColdStartSettings.DEFAULTS;

  static Domain.Profile skills(String... s) {
    return new Domain.Profile(List.of("Backend Engineer"), "mid", 4.0, List.of("software"), List.of("Berlin"), List.of(s));
  }

  /** 30 users listing kubernetes (interview rate 0.4), 30 listing excel (0.1), 5 with too few applications. */
  static List<Peer> population() {
    var peers = new ArrayList<Peer>();
    for (int i = 0; i < 30; i++) peers.add(new Peer("k" + i, skills("kubernetes", "teamwork"), 10, 4));
    for (int i = 0; i < 30; i++) peers.add(new Peer("e" + i, skills("excel", "teamwork"), 10, 1));
    for (int i = 0; i < 5; i++) peers.add(new Peer("few" + i, skills("kubernetes"), 2, 2));
    return peers;
  }

  @Test
  void theSegmentIsTheSimilarUsersAndItsRateIsThePrior() {
    var pop = new Population(population(), S);
    assertEquals(60, pop.peers().size(), "users under min-applications are not peers");
    var r = ColdStart.compute("new", skills("Kubernetes"), 0, 0, pop, null);
    assertEquals(Basis.SIMILAR_USERS, r.basis());
    assertEquals(30, r.segment().users(), r.toString());
    assertEquals(0.4, r.peerBenchmark().interviewRate(), 1e-9);
    assertEquals(0.25, r.peerBenchmark().allUsersRate(), 1e-9);
    assertEquals(0.4, r.prediction().interviewRate(), 1e-9);
    assertEquals(1.0, r.prediction().priorWeight(), 1e-9);
    assertTrue(r.peerBenchmark().ciLow() <= 0.4 && r.peerBenchmark().ciHigh() >= 0.4);
    // skills carry all the information: they dominate the similarity
    assertTrue(r.segment().fieldWeights().get("skills") > 0.9, r.segment().fieldWeights().toString());
    var low = ColdStart.compute("new2", skills("excel"), 0, 0, pop, null);
    assertEquals(0.1, low.prediction().interviewRate(), 1e-9);
  }

  @Test
  void theUsersOwnApplicationsTakeOverAsTheyArrive() {
    var pop = new Population(population(), S);
    var none = ColdStart.compute("new", skills("kubernetes"), 0, 0, pop, null).prediction();
    var some = ColdStart.compute("new", skills("kubernetes"), 20, 0, pop, null).prediction();
    var many = ColdStart.compute("new", skills("kubernetes"), 180, 0, pop, null).prediction();
    assertEquals(20.0 / 40, some.priorWeight(), 1e-9);
    assertEquals(20.0 / 200, many.priorWeight(), 1e-9);
    assertEquals((0.4 * 20) / 40, some.interviewRate(), 1e-9);
    assertEquals((0.4 * 20) / 200, many.interviewRate(), 1e-9);
    assertTrue(none.interviewRate() > some.interviewRate() && some.interviewRate() > many.interviewRate());
    assertEquals(180, many.ownApplications());
    assertTrue(many.ciHigh() - many.ciLow() < none.ciHigh() - none.ciLow(), "more data, narrower interval");
  }

  @Test
  void fewerThanKSimilarUsersWidenThenFallBackAndTooFewUsersGiveNoSegment() {
    var peers = population();
    var pop = new Population(peers, S);
    // nothing in common with anyone on the fields that matter: all users, said so
    var empty = ColdStart.compute("new", Domain.Profile.EMPTY, 0, 0, pop, null);
    assertEquals(Basis.ALL_USERS, empty.basis());
    assertEquals(60, empty.segment().users());
    assertTrue(empty.notes().get(0).contains("empty"), empty.notes().toString());

    // 8 similar users only: widened to the nearest with any similarity
    var few = new ArrayList<Peer>();
    for (int i = 0; i < 8; i++) few.add(new Peer("k" + i, skills("kubernetes"), 10, 4));
    for (int i = 0; i < 30; i++) few.add(new Peer("e" + i, new Domain.Profile(List.of(), "mid", 4.0, List.of(), List.of(), List.of("excel")), 10, 1));
    var widened = ColdStart.compute("new", new Domain.Profile(List.of(), "mid", null, List.of(), List.of(), List.of("kubernetes")), 0, 0,
        new Population(few, S), null);
    assertTrue(widened.basis() == Basis.WIDENED || widened.basis() == Basis.ALL_USERS, widened.basis().toString());
    assertTrue(widened.segment().users() >= S.k());
    assertTrue(widened.notes().get(0).contains("fewer than 10"), widened.notes().toString());

    var tiny = new Population(peers.subList(0, 9), S);
    var none = ColdStart.compute("new", skills("kubernetes"), 4, 1, tiny, null);
    assertEquals(Basis.INSUFFICIENT_DATA, none.basis());
    assertNull(none.segment());
    assertNull(none.peerBenchmark());
    assertEquals((1 + 1) / 6.0, none.prediction().interviewRate(), 1e-6, "own data under Beta(1, 1)");
  }

  @Test
  void strongValuesAreOnlyThoseOfAtLeastKMembers() {
    var peers = new ArrayList<Peer>();
    for (int i = 0; i < 20; i++) {
      var role = i < 12 ? "SRE" : "Designer"; // 12 SREs, 8 designers
      peers.add(new Peer("p" + i, new Domain.Profile(List.of(role), null, null, List.of("software"), List.of(), List.of("kubernetes")),
          10, i < 12 ? 5 : 1));
    }
    var r = ColdStart.compute("new", skills("kubernetes"), 0, 0, new Population(peers, S), null);
    var roles = r.predictedStrong().roles();
    assertEquals(1, roles.size(), roles.toString());
    assertEquals("sre", roles.get(0).value());
    assertEquals(12, roles.get(0).users());
    // shrunk toward the segment's rate (0.35) from the SREs' 0.5
    assertTrue(roles.get(0).interviewProbability() < 0.5 && roles.get(0).interviewProbability() > 0.35);
    assertEquals("software", r.predictedStrong().industries().get(0).value());
  }

  @Test
  void firstActionsAreTheLargestPositiveEffectsPreferringSignificantOnes() {
    var report = new AttributionReport("run-1", Instant.parse("2026-11-02T00:00:00Z"), 1, 100, 10, 10, 10, 0.2,
        List.of(effect("edits", "added_keywords", "yes", 0.09, -0.01), effect("edits", "added_metrics_to_bullets", "yes", 0.05, 0.02),
            effect("edits", "reorganized_sections", "yes", -0.02, -0.05)),
        List.of(effect("timing", "weekday", "tuesday", 0.01, -0.02)), List.of(), List.of(), List.of());
    var notes = new ArrayList<String>();
    var actions = ColdStart.firstActions(report, notes);
    assertEquals(2, actions.size());
    assertEquals("added_metrics_to_bullets", actions.get(0).factor(), "a significant effect beats a larger uncertain one");
    assertEquals("resume_edit", actions.get(0).kind());
    assertEquals("run-1", actions.get(0).attributionRunId());
    assertEquals("tuesday", actions.get(1).level());
    assertTrue(ColdStart.firstActions(null, notes).isEmpty());
    assertTrue(notes.get(0).contains("no attribution report"));
  }

  static FactorEffect effect(String group, String factor, String level, double estimate, double ciLow) {
    return new FactorEffect(group, factor, level, "within_user", estimate, 0.01, ciLow, estimate + 0.03, 0, 0, 0, Map.of(), 0, 0, 0.01,
        0.01, List.of(), null, 10, 10, FactorEffect.Confidence.MEDIUM, List.of());
  }
}
