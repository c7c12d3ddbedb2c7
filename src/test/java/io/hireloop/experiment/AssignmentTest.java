package io.hireloop.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.experiment.Experiment.Variant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssignmentTest {
  static final int USERS = 10_000;

  static Map<String, Integer> counts(Experiment.Spec spec) {
    var counts = new HashMap<String, Integer>();
    for (int u = 0; u < USERS; u++) counts.merge(Assignment.variantFor(spec, "user-" + u).variantId(), 1, Integer::sum);
    return counts;
  }

  @Test
  void tenThousandUsersFollowTheAllocationsWithinTwoPoints() {
    var halves = counts(Specs.valid("exp-dist-1"));
    assertEquals(0.5, halves.get("control") / (double) USERS, 0.02, halves.toString());
    assertEquals(0.5, halves.get("low") / (double) USERS, 0.02, halves.toString());

    var uneven = Specs.withVariants(Specs.valid("exp-dist-2"), List.of(
        new Variant("control", "c", "60", 0.2, null, null),
        new Variant("a", "a", "55", 0.3, null, null),
        new Variant("b", "b", "50", 0.5, null, null)));
    var c = counts(uneven);
    assertEquals(0.2, c.get("control") / (double) USERS, 0.02, c.toString());
    assertEquals(0.3, c.get("a") / (double) USERS, 0.02, c.toString());
    assertEquals(0.5, c.get("b") / (double) USERS, 0.02, c.toString());
  }

  @Test
  void theSameUserAlwaysGetsTheSameVariant() {
    var spec = Specs.valid("exp-sticky");
    var copy = Specs.with(spec, spec.minimumSampleSize(), spec.expectedImprovement(), spec.rollbackPlan());
    for (int u = 0; u < 1000; u++) {
      String user = "user-" + u;
      var first = Assignment.variantFor(spec, user);
      for (int k = 0; k < 3; k++) assertEquals(first, Assignment.variantFor(spec, user));
      assertEquals(first, Assignment.variantFor(copy, user)); // another node's copy of the definition
    }
  }

  @Test
  void experimentsWithDifferentSaltsAssignIndependently() {
    var a = Specs.valid("exp-salt-a");
    var b = Specs.valid("exp-salt-b");
    int bothControl = 0;
    for (int u = 0; u < USERS; u++) {
      boolean ca = Assignment.variantFor(a, "user-" + u).variantId().equals("control");
      boolean cb = Assignment.variantFor(b, "user-" + u).variantId().equals("control");
      if (ca && cb) bothControl++;
    }
    assertEquals(0.25, bothControl / (double) USERS, 0.02); // independent halves
  }

  @Test
  void bucketsAreInTheUnitIntervalAndStable() {
    for (int u = 0; u < 1000; u++) {
      double x = Assignment.bucket("s", "u" + u);
      assertTrue(x >= 0 && x < 1);
    }
    assertEquals(Assignment.bucket("salt", "user-1"), Assignment.bucket("salt", "user-1"));
    assertTrue(Assignment.bucket("ab", "c") != Assignment.bucket("a", "bc"));
    assertEquals("exposure:exp-1:u-1", Assignment.exposureEventId("exp-1", "u-1"));
  }
}
