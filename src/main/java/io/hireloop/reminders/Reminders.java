package io.hireloop.reminders;

import com.typesafe.config.Config;
import io.hireloop.journey.JourneyProjections;
import io.hireloop.journey.LiveReminderPolicy;
import io.hireloop.platform.ReadModelStore;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Wires follow-up reminders into a node: the schedule that follows the live orchestrator config
 * ({@link FollowUpSchedule}, on every node), the "reminders" projection and the scheduler singleton
 * ({@code hireloop.reminders.enabled = false} starts neither of these two; the entity still answers FireReminder).
 */
public final class Reminders {
  private Reminders() {}

  public static void init(ActorSystem<?> system, ReadModelStore store, Duration askTimeout) {
    Config config = system.settings().config();
    var settings = config.getConfig("hireloop.reminders");
    // every node: the JobSeeker entities it hosts judge FireReminder on the live schedule, whoever runs the scheduler
    FollowUpSchedule.start(system, settings.getDuration("config-refresh"), askTimeout);
    if (!settings.getBoolean("enabled")) return;
    var live = LiveReminderPolicy.get(system);
    var table = new ReminderTable(store, settings.getDuration("bucket"));
    var projection = new ReminderProjection(table, live::current, Instant::now);
    JourneyProjections.get(system).init(ReminderProjection.NAME, projection::handler, table::truncate);
    var scheduler = new ReminderScheduler(table, ClusterSharding.get(system), askTimeout, settings.getInt("parallelism"), Instant::now,
        live::current);
    ReminderScheduler.initSingleton(system, scheduler, settings.getDuration("poll-interval"));
  }
}
