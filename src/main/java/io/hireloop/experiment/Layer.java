package io.hireloop.experiment;

import io.hireloop.platform.serialization.HireloopSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.slf4j.LoggerFactory;

/**
 * A mutual-exclusion namespace of experiments (entity id = layer name). A user's point in the layer is
 * {@code Assignment.bucket("layer:" + name, user)}, the same for every experiment of the layer. The layer
 * keeps {@code [0, holdout)} out of every experiment and gives each running experiment its own range of the
 * rest, so two experiments of the layer never share a user. Ranges live in this journal (sticky across
 * restarts) and are copied into the experiment's journal at start ({@link Experiment.LayerAssigned}); an
 * ended experiment releases its range.
 */
public final class Layer extends EventSourcedBehavior<Layer.Command, Layer.Event, Layer.State> {
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Layer");
  /** Largest holdout a layer may keep. */
  public static final double MAX_HOLDOUT = 0.9;
  /** Smallest range worth reserving (a free gap below it counts as no space). */
  static final double MIN_RANGE = 0.001;

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  public static Behavior<Command> create(String name) {
    return new Layer(name);
  }

  /** For {@link Experiment}: fire-and-forget release through sharding (repeats are ignored by the layer). */
  static BiConsumer<String, String> releaser(ActorSystem<?> system) {
    return (layer, experimentId) -> {
      try {
        ClusterSharding.get(system).entityRefFor(ENTITY_KEY, layer)
            .tell(new Do("release", experimentId, null, "system", system.ignoreRef()));
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(Layer.class).warn("could not release layer {} range of {}: {}", layer, experimentId, e.toString());
      }
    };
  }

  public record Range(double from, double to) implements HireloopSerializable {
    double width() {
      return to - from;
    }
  }

  public sealed interface Command extends HireloopSerializable {}

  /**
   * {@code op}: {@code get}; {@code holdout} (sets {@code share} as the holdout); {@code reserve} (a range of
   * {@code share} for {@code experimentId}, or the largest free one when {@code share} is null; an experiment
   * that already holds one gets it again); {@code release}.
   */
  public record Do(String op, String experimentId, Double share, String by, ActorRef<Reply> replyTo) implements Command {}

  /** {@code error} non-null: refused (409), nothing changed. {@code range}: the reserved range. */
  public record Reply(String layer, double holdout, Map<String, Range> experiments, Range range, String error)
      implements HireloopSerializable {}

  public sealed interface Event extends HireloopSerializable {}

  public record HoldoutSet(double holdout, String by, Instant at) implements Event {}

  public record Reserved(String experimentId, double from, double to, String by, Instant at) implements Event {}

  public record Released(String experimentId, Instant at) implements Event {}

  /** {@code reservations}: experiment id → its range. */
  public record State(double holdout, Map<String, Range> reservations) implements HireloopSerializable {
    /** Free gaps of {@code [holdout, 1)}, in order. */
    List<Range> free() {
      var taken = new ArrayList<>(reservations.values());
      taken.sort(Comparator.comparingDouble(Range::from));
      var gaps = new ArrayList<Range>();
      double at = holdout;
      for (var r : taken) {
        if (r.from() - at >= MIN_RANGE) gaps.add(new Range(at, r.from()));
        at = Math.max(at, r.to());
      }
      if (1 - at >= MIN_RANGE) gaps.add(new Range(at, 1));
      return gaps;
    }
  }

  private final String name;

  private Layer(String name) {
    super(PersistenceId.of(ENTITY_KEY.name(), name));
    this.name = name;
  }

  @Override
  public State emptyState() {
    return new State(0, Map.of());
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState().onCommand(Do.class, this::onDo).build();
  }

  private Effect<Event, State> onDo(State s, Do cmd) {
    return switch (cmd.op()) {
      case "get" -> Effect().reply(cmd.replyTo(), reply(s, null, null));
      case "holdout" -> holdout(s, cmd);
      case "reserve" -> reserve(s, cmd);
      case "release" -> s.reservations().containsKey(cmd.experimentId())
          ? Effect().persist(new Released(cmd.experimentId(), Instant.now())).thenReply(cmd.replyTo(), st -> reply(st, null, null))
          : Effect().reply(cmd.replyTo(), reply(s, null, null));
      default -> Effect().reply(cmd.replyTo(), reply(s, null, "unknown layer operation '" + cmd.op() + "'"));
    };
  }

  private Effect<Event, State> holdout(State s, Do cmd) {
    double h = cmd.share() == null ? -1 : cmd.share();
    if (!(h >= 0 && h <= MAX_HOLDOUT)) return Effect().reply(cmd.replyTo(), reply(s, null, "holdout must be in [0, " + MAX_HOLDOUT + "]"));
    var overlapping = s.reservations().entrySet().stream().filter(e -> e.getValue().from() < h).map(Map.Entry::getKey).sorted().toList();
    if (!overlapping.isEmpty()) {
      return Effect().reply(cmd.replyTo(), reply(s, null, "a holdout of " + h + " would take users of running experiments "
          + overlapping + " out of them; end them first"));
    }
    return Effect().persist(new HoldoutSet(h, cmd.by(), Instant.now())).thenReply(cmd.replyTo(), st -> reply(st, null, null));
  }

  private Effect<Event, State> reserve(State s, Do cmd) {
    var held = s.reservations().get(cmd.experimentId());
    if (held != null) return Effect().reply(cmd.replyTo(), reply(s, held, null));
    var gaps = s.free();
    Range pick = null;
    if (cmd.share() == null) {
      pick = gaps.stream().max(Comparator.comparingDouble(Range::width)).orElse(null);
    } else {
      for (var g : gaps) {
        if (g.width() >= cmd.share() - 1e-9) {
          pick = new Range(g.from(), Math.min(1, g.from() + cmd.share()));
          break;
        }
      }
    }
    if (pick == null) {
      double largest = gaps.stream().mapToDouble(Range::width).max().orElse(0);
      return Effect().reply(cmd.replyTo(), reply(s, null, "layer '" + name + "' has no free range" + (cmd.share() == null ? "" : " of " + cmd.share())
          + " (largest free range " + Math.round(largest * 1000) / 1000.0 + ", holdout " + s.holdout() + ", held by " + new TreeMap<>(s.reservations()).keySet()
          + "); end one of them or ask for a smaller layer_share"));
    }
    var r = pick;
    return Effect().persist(new Reserved(cmd.experimentId(), r.from(), r.to(), cmd.by(), Instant.now()))
        .thenReply(cmd.replyTo(), st -> reply(st, r, null));
  }

  private Reply reply(State s, Range range, String error) {
    return new Reply(name, s.holdout(), s.reservations(), range, error);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(HoldoutSet.class, (s, e) -> new State(e.holdout(), s.reservations()))
        .onEvent(Reserved.class, (s, e) -> {
          var m = new TreeMap<>(s.reservations());
          m.put(e.experimentId(), new Range(e.from(), e.to()));
          return new State(s.holdout(), Map.copyOf(m));
        })
        .onEvent(Released.class, (s, e) -> {
          var m = new TreeMap<>(s.reservations());
          m.remove(e.experimentId());
          return new State(s.holdout(), Map.copyOf(m));
        })
        .build();
  }
}
