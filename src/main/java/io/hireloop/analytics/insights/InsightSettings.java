package io.hireloop.analytics.insights;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code hireloop.analytics} keys (documented in hireloop.conf). */
public record InsightSettings(int minSample, int segmentMinUsers, Duration segmentCacheTtl, Duration insightPushWithin) {
  public static InsightSettings from(Config config) {
    var c = config.getConfig("hireloop.analytics");
    return new InsightSettings(c.getInt("min-sample"), c.getInt("segment-min-users"), c.getDuration("segment-cache-ttl"),
        c.getDuration("insight-push-within"));
  }
}
