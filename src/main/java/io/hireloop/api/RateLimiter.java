package io.hireloop.api;

import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per token subject: {@code perSecond} sustained, bursts of twice that. 0 disables it. */
final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(double perSecond) {
    this.perSecond = perSecond;
    this.burst = Math.max(1, perSecond * 2);
  }

  boolean tryAcquire(String subject) {
    if (perSecond <= 0) return true;
    return buckets.computeIfAbsent(subject, s -> new Bucket(burst)).take(perSecond, burst);
  }

  private static final class Bucket {
    private double tokens;
    private long last = System.nanoTime();

    Bucket(double tokens) {
      this.tokens = tokens;
    }

    synchronized boolean take(double perSecond, double burst) {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
      last = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    }
  }
}
