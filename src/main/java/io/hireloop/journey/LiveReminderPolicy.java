package io.hireloop.journey;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The follow-up schedule in force on this node: {@code hireloop.reminders.after} until the reminders feature sets the
 * one that follows the live orchestrator config ({@code io.hireloop.reminders.FollowUpSchedule}). Read by the
 * JobSeeker entity when a reminder is due and by the reminders projection when it schedules one, so a new config
 * version changes when reminders fall due without a restart.
 */
public final class LiveReminderPolicy implements Extension {
  private static final ExtensionId<LiveReminderPolicy> ID = new ExtensionId<>() {
    @Override
    public LiveReminderPolicy createExtension(ActorSystem<?> system) {
      return new LiveReminderPolicy(ReminderPolicy.of(system.settings().config()));
    }
  };

  public static LiveReminderPolicy get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private volatile ReminderPolicy current;

  private LiveReminderPolicy(ReminderPolicy initial) {
    this.current = initial;
  }

  public ReminderPolicy current() {
    return current;
  }

  public void set(ReminderPolicy policy) {
    this.current = policy;
  }
}
