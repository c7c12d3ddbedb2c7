package io.hireloop.reminders;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.config.ConfigChannel;
import io.hireloop.journey.LiveReminderPolicy;
import io.hireloop.journey.ReminderPolicy;
import io.hireloop.platform.Json;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Keeps this node's {@link LiveReminderPolicy} on the live {@code orchestrator} config: {@code hireloop.reminders.after}
 * with its first step at {@value #KEY} days ({@link ReminderPolicy#withFirst}). Reads the config at start and every
 * {@code config-refresh}, and takes each {@code config_updated} push of {@code config:orchestrator} at once; a reply or
 * push older than the version already in force is ignored. A value that is not a positive number of days keeps the
 * schedule as it is (logged). One actor per node; its messages never leave the node.
 */
final class FollowUpSchedule {
  static final String COMPONENT = "orchestrator";
  static final String KEY = "follow_up_after_days";
  private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

  private FollowUpSchedule() {}

  private sealed interface Msg {}

  private enum Refresh implements Msg { INSTANCE }

  /** A version of the orchestrator config: from a push or a read. */
  private record Seen(int version, JsonNode values) implements Msg {}

  private record ReadFailed(Throwable error) implements Msg {}

  static void start(ActorSystem<?> system, Duration refresh, Duration askTimeout) {
    var base = ReminderPolicy.of(system.settings().config());
    system.systemActorOf(behavior(base, LiveReminderPolicy.get(system), refresh, askTimeout), "follow-up-schedule", Props.empty());
  }

  /** The schedule for {@code values}, or empty when {@value #KEY} is not a positive number. */
  static Optional<ReminderPolicy> policyFor(ReminderPolicy base, JsonNode values) {
    var days = values == null ? null : values.get(KEY);
    if (days == null || !days.isNumber() || !(days.asDouble() > 0) || !Double.isFinite(days.asDouble())) return Optional.empty();
    return Optional.of(base.withFirst(Duration.ofMillis(Math.max(1, Math.round(days.asDouble() * DAY_MILLIS)))));
  }

  private static Behavior<Msg> behavior(ReminderPolicy base, LiveReminderPolicy live, Duration refresh, Duration askTimeout) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Topics.get(ctx.getSystem()).subscribe("config:" + COMPONENT, ctx.messageAdapter(StreamMessage.class, m -> {
        var data = Json.read(m.dataJson());
        return new Seen(data.path("version").asInt(), data.get("values"));
      }));
      timers.startTimerWithFixedDelay(Refresh.INSTANCE, refresh);
      ctx.getSelf().tell(Refresh.INSTANCE);
      return running(ctx, base, live, askTimeout, -1);
    }));
  }

  private static Behavior<Msg> running(ActorContext<Msg> ctx, ReminderPolicy base, LiveReminderPolicy live, Duration askTimeout, int inForce) {
    return Behaviors.receive(Msg.class)
        .onMessageEquals(Refresh.INSTANCE, () -> {
          ctx.pipeToSelf(ClusterSharding.get(ctx.getSystem()).entityRefFor(ConfigChannel.ENTITY_KEY, COMPONENT)
                  .<ConfigChannel.Current>ask(ConfigChannel.Get::new, askTimeout),
              (c, e) -> e != null ? new ReadFailed(e) : new Seen(c.current().version(), Json.read(c.current().valuesJson())));
          return Behaviors.same();
        })
        .onMessage(ReadFailed.class, f -> {
          ctx.getLog().debug("could not read the {} config; the follow-up schedule stays: {}", COMPONENT, f.error().toString());
          return Behaviors.same();
        })
        .onMessage(Seen.class, seen -> {
          if (seen.version() <= inForce) return Behaviors.same();
          var policy = policyFor(base, seen.values());
          if (policy.isEmpty()) {
            ctx.getLog().warn("{} config version {}: {} is not a positive number of days; the follow-up schedule stays {}",
                COMPONENT, seen.version(), KEY, live.current().after());
          } else {
            live.set(policy.get());
          }
          return running(ctx, base, live, askTimeout, seen.version());
        })
        .build();
  }
}
