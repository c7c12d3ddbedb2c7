package io.hireloop.market;

import io.hireloop.platform.Json;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@code market} messages on the {@code market} topic: at most once per interval for every week
 * whose anonymised insights changed (the projection reports the weeks it rewrote), and once when a week
 * closes (the first tick of the next week). A message carries that single week's {@code MarketInsights}
 * under the same k-anonymity rule as the endpoint, so it never says more than the endpoint would.
 */
public final class MarketUpdates {
  public static final String TOPIC = "market";
  private static final Logger log = LoggerFactory.getLogger(MarketUpdates.class);
  /** Weeks whose last published document is remembered (to skip unchanged ones); older ones are forgotten. */
  private static final int REMEMBERED_WEEKS = 520;

  /** Where the insights of some weeks come from (the projection's read model). */
  @FunctionalInterface
  public interface Source {
    CompletionStage<Map<String, Object>> insights(LocalDate fromWeek, LocalDate toWeek, int k);
  }

  private final Consumer<StreamMessage> publisher;
  private final Clock clock;
  private final int maxWeeksPerTick;
  private final Set<LocalDate> pending = ConcurrentHashMap.newKeySet();
  private final Map<LocalDate, String> lastPublished = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile Source projection;
  private volatile int k;
  private volatile LocalDate currentWeek;

  public MarketUpdates(Consumer<StreamMessage> publisher, Clock clock) {
    this(publisher, clock, Integer.MAX_VALUE);
  }

  /**
   * {@code maxWeeksPerTick}: changed weeks re-aggregated per tick, newest first; the others wait for the next
   * ticks (a backfill of old weeks is published over several intervals instead of stalling the node at once).
   */
  public MarketUpdates(Consumer<StreamMessage> publisher, Clock clock, int maxWeeksPerTick) {
    if (maxWeeksPerTick < 1) throw new IllegalArgumentException("max-weeks-per-update must be at least 1");
    this.publisher = publisher;
    this.clock = clock;
    this.maxWeeksPerTick = maxWeeksPerTick;
  }

  /** Starts the periodic publishing for the projection's read model. */
  public static MarketUpdates start(ActorSystem<?> system, Duration interval) {
    var updates = new MarketUpdates(Topics.get(system)::publish, Clock.systemUTC(),
        system.settings().config().getInt("hireloop.market.max-weeks-per-update"));
    system.scheduler().scheduleWithFixedDelay(interval, interval, updates::tick, system.executionContext());
    return updates;
  }

  public void attach(Source projection, int k) {
    this.projection = projection;
    this.k = k;
  }

  public void weekChanged(LocalDate week) {
    pending.add(week);
  }

  void tick() {
    var source = projection;
    if (source == null || !running.compareAndSet(false, true)) return;
    var thisWeek = MarketFacts.weekOf(LocalDate.now(clock));
    var closing = currentWeek != null && thisWeek.isAfter(currentWeek) ? currentWeek : null;
    currentWeek = thisWeek;
    var dirty = new ArrayList<>(pending);
    dirty.sort(java.util.Comparator.reverseOrder());
    var weeks = new ArrayList<>(dirty.subList(0, Math.min(dirty.size(), maxWeeksPerTick)));
    pending.removeAll(weeks);
    if (closing != null && !weeks.contains(closing)) weeks.add(closing);
    var chain = java.util.concurrent.CompletableFuture.<Void>completedFuture(null);
    for (var week : weeks) {
      chain = chain.thenCompose(v -> source.insights(week, week, k).thenAccept(insights -> {
        var json = Json.write(insights);
        boolean changed = !json.equals(lastPublished.put(week, json));
        if (changed || week.equals(closing)) publish(week, week.isBefore(thisWeek) ? "closed" : "open", insights);
      }).toCompletableFuture());
    }
    chain.whenComplete((v, e) -> {
      if (e != null) {
        log.warn("market update failed; retrying next tick", e);
        pending.addAll(weeks);
      }
      if (lastPublished.size() > REMEMBERED_WEEKS) {
        lastPublished.keySet().stream().sorted().limit(lastPublished.size() - REMEMBERED_WEEKS).toList().forEach(lastPublished::remove);
      }
      running.set(false);
    });
  }

  private void publish(LocalDate week, String status, Map<String, Object> insights) {
    var data = new LinkedHashMap<String, Object>();
    data.put("week_start", week.toString());
    data.put("week_end", week.plusDays(6).toString());
    data.put("status", status);
    data.put("insights", insights);
    publisher.accept(StreamMessage.of(TOPIC, "market", data));
  }
}
