package io.hireloop.cli.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Whether every user's shard is back: from the fault on, each user's entity is asked directly
 * ({@code GET /api/v1/users/{id}/preferences}, answered by the user's JobSeeker) every 200 ms, on the live nodes in
 * turn, until it answers. Unlike an ingest client's first 200 after the fault, which waits behind whatever that
 * client was sending for its other users, this times the shards alone: a user on a surviving node answers at once,
 * one on the dead node's shards once its shard has a new home and the entity recovered there.
 */
final class EntityProbe implements AutoCloseable {
  private static final Duration EVERY = Duration.ofMillis(200);
  private final ChaosHttp http = new ChaosHttp(Duration.ofSeconds(1));
  private final Map<String, Duration> answered = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private final List<String> users;
  private volatile boolean running = true;

  /** Starts probing at once; times count from {@code faultNanos} ({@link System#nanoTime()}). */
  EntityProbe(List<String> users, Supplier<List<String>> nodes, String adminToken, long faultNanos) {
    this.users = List.copyOf(users);
    for (int i = 0; i < this.users.size(); i++) {
      var user = this.users.get(i);
      int first = i;
      var t = new Thread(() -> {
        for (int attempt = first; running; attempt++) {
          var live = nodes.get();
          if (!live.isEmpty()) {
            var reply = http.get(live.get(attempt % live.size()) + "/api/v1/users/" + user + "/preferences", adminToken);
            if (reply.ok()) {
              answered.put(user, Duration.ofNanos(System.nanoTime() - faultNanos));
              return;
            }
          }
          try {
            Thread.sleep(EVERY.toMillis()); // the probe's interval
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "entity-probe-" + user);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
  }

  /** The time until the last user's entity answered; empty while one has not. */
  Optional<Duration> slowest() {
    if (answered.size() < users.size()) return Optional.empty();
    return answered.values().stream().max(Duration::compareTo);
  }

  /** Each user's time until their entity answered (those that did). */
  java.util.List<Duration> answers() {
    return List.copyOf(answered.values());
  }

  int answeredCount() {
    return answered.size();
  }

  @Override
  public void close() {
    running = false;
    threads.forEach(Thread::interrupt);
  }
}
