package io.hireloop.coldstart;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code hireloop.cold-start} (reference.conf documents each): k-anonymity of a segment and of every value shown, the
 * segment's size and the similarity it asks first, which peers count (enough applications to have a rate), the prior's
 * pseudo-count (in applications), the number of answer options, and how often the population is re-read.
 */
public record ColdStartSettings(int k, int segmentSize, double minSimilarity, int minApplications, double priorPseudoCount,
    int options, Duration populationRefresh) {

  public static final ColdStartSettings DEFAULTS = new ColdStartSettings(10, 50, 0.5, 3, 20, 6, Duration.ofSeconds(60));

  public static ColdStartSettings from(Config c) {
    return new ColdStartSettings(c.getInt("k-anonymity"), c.getInt("segment-size"), c.getDouble("min-similarity"),
        c.getInt("min-applications"), c.getDouble("prior-pseudo-count"), c.getInt("answer-options"), c.getDuration("population-refresh"));
  }
}
