package io.hireloop.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimeSeriesTest {
  private static double seasonalPattern(int i) {
    return 3 * Math.sin(2 * Math.PI * i / 12) + 1.5 * Math.cos(4 * Math.PI * i / 12);
  }

  private static double correlation(double[] a, double[] b) {
    double ma = Arrays.stream(a).average().orElseThrow(), mb = Arrays.stream(b).average().orElseThrow();
    double sab = 0, saa = 0, sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  @Test
  void stlRecoversThePlantedSeasonalComponent() {
    var rnd = new Random(5);
    int n = 144;
    double[] y = new double[n], truth = new double[n];
    for (int i = 0; i < n; i++) {
      truth[i] = seasonalPattern(i);
      y[i] = 10 + 0.05 * i + truth[i] + rnd.nextGaussian();
    }
    var d = TimeSeries.stl(y, 12);
    double r = correlation(d.seasonal(), truth);
    assertTrue(r > 0.95, "correlation " + r);
    for (int i = 0; i < n; i++) assertEquals(y[i], d.trend()[i] + d.seasonal()[i] + d.residual()[i], 1e-9);
    double fs = TimeSeries.seasonalityStrength(d);
    assertTrue(fs > 0.7, "Fs " + fs);
    // the trend is recovered too (within noise) away from the ends
    for (int i = 12; i < n - 12; i++) assertEquals(10 + 0.05 * i, d.trend()[i], 1.0);
  }

  @Test
  void weakSeasonalityStrengthOnNoise() {
    var rnd = new Random(6);
    double[] y = new double[144];
    for (int i = 0; i < y.length; i++) y[i] = rnd.nextGaussian();
    double fs = TimeSeries.seasonalityStrength(TimeSeries.stl(y, 12));
    assertTrue(fs < 0.4, "Fs " + fs);
  }

  @Test
  void peltFindsPlantedChangePoints() {
    for (long seed = 1; seed <= 5; seed++) {
      var rnd = new Random(seed);
      double[] y = new double[300];
      for (int i = 0; i < y.length; i++) y[i] = (i < 100 ? 0 : i < 200 ? 3 : 1) + rnd.nextGaussian();
      int[] cps = TimeSeries.pelt(y);
      assertEquals(2, cps.length, "seed " + seed + ": " + Arrays.toString(cps));
      assertTrue(Math.abs(cps[0] - 100) <= 3 && Math.abs(cps[1] - 200) <= 3, "seed " + seed + ": " + Arrays.toString(cps));
    }
  }

  @Test
  void peltFindsNothingOnAFlatSeries() {
    for (long seed = 1; seed <= 5; seed++) {
      var rnd = new Random(seed);
      double[] y = new double[300];
      for (int i = 0; i < y.length; i++) y[i] = 5 + rnd.nextGaussian();
      assertArrayEquals(new int[0], TimeSeries.pelt(y), "seed " + seed);
    }
    assertArrayEquals(new int[0], TimeSeries.pelt(new double[50]));
  }

  @Test
  void peltClosedFormSmallExample() {
    // 0 0 0 10 10 10 with penalty 1: one split at index 3 costs 0 + 1, no split costs 150
    assertArrayEquals(new int[] {3}, TimeSeries.pelt(new double[] {0, 0, 0, 10, 10, 10}, 1, 2));
  }

  @Test
  void forecastIntervalsContainMostHeldOutPoints() {
    var rnd = new Random(9);
    int n = 120, h = 24;
    double[] all = new double[n + h];
    for (int i = 0; i < all.length; i++) all[i] = 20 + 0.1 * i + seasonalPattern(i) + rnd.nextGaussian();
    double[] train = Arrays.copyOf(all, n);
    var fc = TimeSeries.forecast(train, TimeSeries.stl(train, 12), h);
    int in95 = 0, in80 = 0;
    for (var f : fc) {
      double actual = all[n + f.step() - 1];
      if (actual >= f.low95() && actual <= f.high95()) in95++;
      if (actual >= f.low80() && actual <= f.high80()) in80++;
    }
    assertTrue(in95 >= 0.85 * h, in95 + " of " + h + " inside the 95% interval");
    assertTrue(in80 >= 0.6 * h, in80 + " of " + h + " inside the 80% interval");
    // intervals widen with the horizon
    for (int k = 1; k < h; k++) {
      assertTrue(fc.get(k).high95() - fc.get(k).low95() > fc.get(k - 1).high95() - fc.get(k - 1).low95());
    }
  }
}
