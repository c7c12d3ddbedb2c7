package io.hireloop.analytics.insights;

import io.hireloop.stats.Intervals;
import java.util.LinkedHashMap;
import java.util.Map;

/** How every rate of the insight read models is rendered: successes, sample size, estimate and Wilson 95% interval. */
public final class Rates {
  private Rates() {}

  /** Successes out of a sample. */
  public record Cell(long successes, long n) {
    static final Cell EMPTY = new Cell(0, 0);

    Cell plus(boolean success) {
      return new Cell(successes + (success ? 1 : 0), n + 1);
    }

    Cell plus(Cell other) {
      return new Cell(successes + other.successes, n + other.n);
    }

    double rate() {
      return n == 0 ? 0.0 : (double) successes / n;
    }

    boolean sufficient(int minSample) {
      return n >= minSample;
    }
  }

  /**
   * {@code {"successes", "sample_size", "rate", "interval": {"low", "high"}}}; below {@code minSample} only the
   * counts and {@code "insufficient_sample": true} — nothing is claimed from too few.
   */
  static Map<String, Object> json(Cell c, int minSample) {
    var m = new LinkedHashMap<String, Object>();
    m.put("successes", c.successes());
    m.put("sample_size", c.n());
    if (!c.sufficient(minSample) || c.n() == 0) {
      m.put("insufficient_sample", true);
      return m;
    }
    var ci = Intervals.wilson(c.successes(), c.n());
    m.put("rate", ci.estimate());
    m.put("interval", Map.of("low", ci.low(), "high", ci.high()));
    return m;
  }
}
