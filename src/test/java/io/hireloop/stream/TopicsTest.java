package io.hireloop.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TopicsTest {
  /** Per-user topics share one Pekko topic per kind (one receptionist entry, not one per user); the rest are their own. */
  @Test
  void perUserTopicsShareAChannel() {
    assertEquals("users", Topics.channelOf("user:u-1"));
    assertEquals("users", Topics.channelOf("user:config:x"));
    assertEquals("user-configs", Topics.channelOf("config:user:u-1"));
    assertEquals("user-configs", Topics.channelOf("config:user:u-2"));
    assertEquals("config:job_discovery", Topics.channelOf("config:job_discovery"));
    assertEquals("models", Topics.channelOf("models"));
  }
}
