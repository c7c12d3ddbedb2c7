package io.hireloop.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.Domain;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnboardingQuestionsTest {
  static final ColdStartSettings S = ColdStartSettings.DEFAULTS;

  /** Skills split the rate (0.5 vs 0.1); locations are half Berlin, half Paris at the same rates; a rare role. */
  static List<Peer> peers() {
    var out = new ArrayList<Peer>();
    for (int i = 0; i < 40; i++) {
      boolean strong = i % 2 == 0;
      var location = i % 4 < 2 ? "Berlin" : "Paris";
      var roles = i == 0 ? List.of("Astronaut") : List.of("SRE");
      out.add(new Peer("p" + i, new Domain.Profile(roles, "mid", 5.0, List.of("software"), List.of(location),
          List.of(strong ? "kubernetes" : "excel")), 10, strong ? 5 : 1));
    }
    return out;
  }

  @Test
  void unansweredFieldsRankedByExpectedGainWithFrequentAnswersAsOptions() {
    var q = OnboardingQuestions.rank("new", new Domain.Profile(List.of(), "mid", null, List.of(), List.of(), List.of()),
        new Population(peers(), S));
    assertEquals(List.of("seniority"), q.answered());
    assertEquals(5, q.questions().size());
    var first = q.questions().get(0);
    assertEquals("skills", first.field(), q.toString());
    // two equally likely values at 0.5 and 0.1 around 0.3, each shrunk by 20 of 200 applications: 0.2·(10/11)² ...
    double expected = Math.pow(0.2 * 200 / 220, 2);
    assertEquals(expected, first.expectedGain(), 1e-6);
    var locations = q.questions().stream().filter(x -> x.field().equals("locations")).findFirst().orElseThrow();
    assertEquals(0, locations.expectedGain(), 1e-9, "locations do not move the rate");
    assertEquals(java.util.Set.of("kubernetes", "excel"), java.util.Set.copyOf(first.options().stream().map(FieldGain.Option::value).toList()));
    var roles = q.questions().stream().filter(x -> x.field().equals("target_roles")).findFirst().orElseThrow();
    assertFalse(roles.options().stream().anyMatch(o -> o.value().equals("astronaut")), "an answer of fewer than k users is not offered");
    for (int i = 1; i < q.questions().size(); i++) {
      assertTrue(q.questions().get(i - 1).expectedGain() >= q.questions().get(i).expectedGain());
    }
  }

  @Test
  void tooFewPeersGiveTheQuestionsWithoutGains() {
    var q = OnboardingQuestions.rank("new", Domain.Profile.EMPTY, new Population(peers().subList(0, 5), S));
    assertEquals(6, q.questions().size());
    assertNull(q.questions().get(0).expectedGain());
    assertEquals("target_roles", q.questions().get(0).field());
    assertFalse(q.notes().isEmpty());
  }

  @Test
  void anAnswerMergesOnlyWhatItAnswers() {
    var current = new Domain.Profile(List.of("SRE"), "mid", 3.0, List.of("software"), List.of("Berlin"), List.of("python"));
    var answers = new Domain.Profile(List.of(), "senior", null, List.of(), List.of(), List.of());
    var merged = ProfileField.merge(current, answers, java.util.Set.of("seniority"));
    assertEquals("senior", merged.seniority());
    assertEquals(List.of("python"), merged.skills());
    assertEquals(3.0, merged.yearsExperience());
    var cleared = ProfileField.merge(current, answers, java.util.Set.of("skills"));
    assertEquals(List.of(), cleared.skills());
    assertEquals("mid", cleared.seniority());
  }
}
