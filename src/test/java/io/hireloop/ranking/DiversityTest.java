package io.hireloop.ranking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hireloop.ranking.Diversity.Reason;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiversityTest {
  static final List<String> FINANCE = List.of("finance", "Acme", "mid", "Berlin");
  static final List<String> HEALTH = List.of("health", "Beta", "senior", "London");

  @Test
  void lambdaZeroIsTheModelsOrderWithTiesToTheEarlierJob() {
    var o = Diversity.order(new double[] {0.2, 0.5, 0.2, 0.9}, List.of(FINANCE, FINANCE, FINANCE, FINANCE), 0);
    assertArrayEquals(new int[] {3, 1, 0, 2}, o.indexes());
    for (var r : o.reasons()) assertEquals(Reason.RELEVANCE, r);
  }

  /**
   * A (.5, finance/Acme/mid/Berlin), B (.48, the same facets), C (.3, health/Beta/senior/London). After A, with
   * λ = .5: B scores .5·(.48/.5) − .5·1 = −.02 and C .5·(.3/.5) − 0 = .3, so C comes second for diversity; with λ = .1
   * B scores .9·.96 − .1 = .764 against C's .54, so the model's order stands.
   */
  @Test
  void handComputedMarginalRelevance() {
    var facets = List.of(FINANCE, FINANCE, HEALTH);
    var p = new double[] {0.5, 0.48, 0.3};
    var diverse = Diversity.order(p, facets, 0.5);
    assertArrayEquals(new int[] {0, 2, 1}, diverse.indexes());
    assertEquals(List.of(Reason.RELEVANCE, Reason.DIVERSITY, Reason.RELEVANCE), Arrays.asList(diverse.reasons()));
    assertEquals("industry health", diverse.details()[1]);
    assertNull(diverse.details()[0]);
    var mild = Diversity.order(p, facets, 0.1);
    assertArrayEquals(new int[] {0, 1, 2}, mild.indexes());
  }

  @Test
  void theDiversityReasonNamesTheFirstNewFacetAndMissingValuesMatchNothing() {
    // C shares the industry with A but brings a new company
    var c = List.of("finance", "Other", "mid", "Berlin");
    var o = Diversity.order(new double[] {0.5, 0.49, 0.3}, List.of(FINANCE, FINANCE, c), 0.7);
    assertArrayEquals(new int[] {0, 2, 1}, o.indexes());
    assertEquals("company Other", o.details()[1]);
    // facet values compare without case or surrounding blanks; null never matches (all-null jobs are not similar)
    var nulls = Arrays.asList((String) null, null, null, null);
    var n = Diversity.order(new double[] {0.5, 0.45, 0.1}, List.of(nulls, nulls, List.of(" FINANCE", "acme", "MID", "berlin ")), 1.0);
    // had the missing values matched, job 1 would be a twin of job 0 and come last
    assertArrayEquals(new int[] {0, 1, 2}, n.indexes());
    var same = Diversity.order(new double[] {0.5, 0.1, 0.45}, List.of(FINANCE, HEALTH, List.of(" FINANCE", "acme", "MID", "berlin ")), 0.5);
    // the lower-cased twin of A (index 2) is fully similar: HEALTH comes before it despite its probability
    assertArrayEquals(new int[] {0, 1, 2}, same.indexes());
  }

  @Test
  void refusesALambdaOutsideTheUnitInterval() {
    assertThrows(IllegalArgumentException.class, () -> Diversity.order(new double[] {0.1}, List.of(FINANCE), 1.5));
  }
}
