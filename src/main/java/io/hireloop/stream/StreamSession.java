package io.hireloop.stream;

import io.hireloop.platform.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/**
 * One WebSocket connection of {@code GET /api/v1/stream}. The client sends
 * {@code {"subscribe": [topics]}} (and may send {@code {"unsubscribe": [...]}}); the server answers
 * {@code {"type": "subscribed", ...}} or an error object, then streams every message of the subscribed
 * topics. A per-connection actor keeps the subscriptions and filters channel traffic by topic. Slow
 * clients lose the oldest messages first (bounded buffer), never block publishers.
 */
public final class StreamSession {
  static final int BUFFER = 512;

  private StreamSession() {}

  /** {@code authorize} answers null when the topic is allowed, otherwise the reason it is not. */
  public static Flow<Message, Message, NotUsed> flow(ActorSystem<?> system, Function<String, String> authorize) {
    var topics = Topics.get(system);
    var pre = ActorSource.<String>actorRef(m -> false, m -> java.util.Optional.empty(), BUFFER, OverflowStrategy.dropHead())
        .preMaterialize(system);
    ActorRef<String> out = pre.first();
    ActorRef<Object> connection = system.systemActorOf(connection(topics, out, authorize), "ws-" + UUID.randomUUID(), Props.empty());
    Sink<Message, NotUsed> in = Flow.<Message>create()
        .filter(Message::isText)
        // a message's frames are collected up to just past ControlMessage.MAX_LENGTH, then dropped: parse refuses it
        .flatMapConcat(m -> m.asTextMessage().getStreamedText()
            .fold(new StringBuilder(), (sb, part) -> sb.length() > ControlMessage.MAX_LENGTH ? sb : sb.append(part))
            .map(StringBuilder::toString))
        .to(Sink.foreach(connection::tell))
        .mapMaterializedValue(x -> NotUsed.getInstance());
    return Flow.fromSinkAndSourceCoupled(in, pre.second().map(s -> (Message) TextMessage.create(s)))
        .watchTermination((nu, done) -> {
          done.whenComplete((d, e) -> connection.tell(Stop.INSTANCE));
          return NotUsed.getInstance();
        });
  }

  private enum Stop { INSTANCE }

  private static Behavior<Object> connection(Topics topics, ActorRef<String> out, Function<String, String> authorize) {
    return Behaviors.setup(ctx -> {
      var subscribed = new HashSet<String>();
      ActorRef<StreamMessage> self = ctx.getSelf().narrow();
      return Behaviors.receive(Object.class)
          .onMessage(StreamMessage.class, m -> {
            if (subscribed.contains(m.topic())) out.tell(m.toJson());
            return Behaviors.same();
          })
          .onMessage(String.class, text -> {
            handleControl(text, subscribed, topics, self, out, authorize);
            return Behaviors.same();
          })
          .onMessageEquals(Stop.INSTANCE, () -> {
            for (var t : subscribed) topics.unsubscribe(t, self);
            return Behaviors.stopped();
          })
          .build();
    });
  }

  private static void handleControl(String text, Set<String> subscribed, Topics topics, ActorRef<StreamMessage> self,
      ActorRef<String> out, Function<String, String> authorize) {
    var parsed = ControlMessage.parse(text);
    if (parsed instanceof ControlMessage.Invalid invalid) {
      out.tell(error(invalid.code(), invalid.message()));
      return;
    }
    boolean subscribe = parsed instanceof ControlMessage.Subscribe;
    var list = subscribe ? ((ControlMessage.Subscribe) parsed).topics() : ((ControlMessage.Unsubscribe) parsed).topics();
    var accepted = new ArrayList<String>();
    var refused = new ArrayList<Object>();
    for (var name : list) {
      var reason = subscribe ? authorize.apply(name) : null;
      if (reason == null && subscribe && !subscribed.contains(name) && subscribed.size() >= ControlMessage.MAX_TOPICS) {
        reason = "at most " + ControlMessage.MAX_TOPICS + " topics per connection";
      }
      if (reason != null) {
        var r = new LinkedHashMap<String, Object>();
        r.put("topic", name);
        r.put("problem", reason);
        refused.add(r);
        continue;
      }
      if (subscribe && subscribed.add(name)) topics.subscribe(name, self);
      if (!subscribe && subscribed.remove(name) && subscribed.stream().noneMatch(s -> Topics.channelOf(s).equals(Topics.channelOf(name)))) {
        topics.unsubscribe(name, self);
      }
      accepted.add(name);
    }
    var ack = new LinkedHashMap<String, Object>();
    ack.put("type", subscribe ? "subscribed" : "unsubscribed");
    ack.put("topics", accepted);
    if (!refused.isEmpty()) ack.put("refused", refused);
    out.tell(Json.write(ack));
  }

  private static String error(String code, String message) {
    var e = new LinkedHashMap<String, Object>();
    e.put("code", code);
    e.put("message", message);
    return Json.write(java.util.Map.of("type", "error", "error", e));
  }

}
