package io.hireloop.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.stats.Nsga2.Hypervolume;
import java.util.List;
import org.junit.jupiter.api.Test;

class Nsga2Test {
  @Test
  void hypervolumeClosedForm() {
    // (1−.2)(1−.8) + (1−.5)(.8−.4) = .16 + .2 = .36; a dominated point and one outside the box add nothing
    var points = List.of(new double[] {0.2, 0.8}, new double[] {0.5, 0.4}, new double[] {0.6, 0.9}, new double[] {1.2, 0.1});
    assertEquals(0.36, Hypervolume.of2d(points, 1, 1), 1e-12);
    assertEquals(0.0, Hypervolume.of2d(List.of(), 1, 1), 0);
  }

  @Test
  void zdt1WithinFourPercentOfTwoThirds() {
    var front = new Nsga2(Nsga2.zdt1(), 100, 1).run(25_000);
    double hv = Hypervolume.ofFront(front, 1, 1);
    System.out.println("ZDT1 hypervolume " + hv + ", front " + front.size());
    assertTrue(hv >= 0.96 * 2.0 / 3 && hv <= 2.0 / 3, "ZDT1 hypervolume " + hv);
  }

  @Test
  void zdt2WithinFourPercentOfOneThird() {
    var front = new Nsga2(Nsga2.zdt2(), 100, 1).run(25_000);
    double hv = Hypervolume.ofFront(front, 1, 1);
    System.out.println("ZDT2 hypervolume " + hv + ", front " + front.size());
    assertTrue(hv >= 0.96 / 3 && hv <= 1.0 / 3, "ZDT2 hypervolume " + hv);
  }

  @Test
  void zdt3GivesANonDominatedFront() {
    var front = new Nsga2(Nsga2.zdt3(), 100, 1).run(25_000);
    double hv = Hypervolume.ofFront(front, 1, 1);
    System.out.println("ZDT3 hypervolume " + hv + ", front " + front.size());
    assertFalse(front.isEmpty());
    for (var a : front) for (var b : front) assertFalse(Nsga2.dominates(a.f(), b.f()));
    // ZDT3's disconnected front dips to f2 ≈ −0.77, so its area under (1,1) exceeds 1
    assertTrue(hv > 0.95, "ZDT3 hypervolume " + hv);
  }

  @Test
  void sameSeedSameFront() {
    var a = new Nsga2(Nsga2.zdt1(), 20, 42).run(2_000);
    var b = new Nsga2(Nsga2.zdt1(), 20, 42).run(2_000);
    assertEquals(Hypervolume.ofFront(a, 1, 1), Hypervolume.ofFront(b, 1, 1), 0);
  }
}
