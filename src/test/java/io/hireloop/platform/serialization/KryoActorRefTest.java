package io.hireloop.platform.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ActorRefs inside Kryo-serialized messages, through Pekko's own serialization (local and across two systems). */
class KryoActorRefTest {
  record Ping(String text, ActorRef<Pong> replyTo, List<String> tags) implements HireloopSerializable {}

  record Pong(String text, Instant at, Map<String, Integer> counts) implements HireloopSerializable {}

  static Config config(String provider) {
    return ConfigFactory.parseString("""
        pekko.actor.provider = %s
        pekko.actor.serialize-messages = on
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = 0
        hireloop.serialization.kryo.test-registrations {
          "io.hireloop.platform.serialization.KryoActorRefTest$Ping" = 900
          "io.hireloop.platform.serialization.KryoActorRefTest$Pong" = 901
        }
        """.formatted(provider))
        .withFallback(ConfigFactory.parseResources("serialization.conf"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  static ActorTestKit local, a, b;

  @BeforeAll
  static void start() {
    local = ActorTestKit.create("local", config("local"));
    a = ActorTestKit.create("a", config("remote"));
    b = ActorTestKit.create("b", config("remote"));
  }

  @AfterAll
  static void stop() {
    for (ActorTestKit kit : new ActorTestKit[] {local, a, b}) if (kit != null) kit.shutdownTestKit();
  }

  private static Object roundTrip(ActorTestKit from, ActorTestKit to, Object msg) {
    Serialization fromSer = SerializationExtension.get(from.system());
    var serializer = fromSer.findSerializerFor(msg);
    assertInstanceOf(KryoSerializer.class, serializer);
    byte[] bytes = fromSer.serialize(msg).get();
    return SerializationExtension.get(to.system())
        .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, msg)).get();
  }

  @Test
  void localRefRoundTripsThroughSerializationExtension() {
    TestProbe<Pong> probe = local.createTestProbe();
    Ping ping = new Ping("hi", probe.getRef(), List.of("a", "b"));
    System.out.println("local ref class: " + probe.getRef().getClass().getName());
    Ping back = (Ping) roundTrip(local, local, ping);
    assertEquals(ping, back);
    back.replyTo().tell(new Pong("ok", Instant.EPOCH, Map.of("n", 1)));
    assertEquals(new Pong("ok", Instant.EPOCH, Map.of("n", 1)), probe.receiveMessage());
  }

  @Test
  void serializeMessagesOnWithAskAndSpawnedActor() {
    // serialize-messages = on: every tell below goes through KryoSerializer, including ask's temporary ref
    ActorRef<Ping> echo = local.spawn(Behaviors.receiveMessage(p -> {
      System.out.println("ask replyTo class: " + p.replyTo().getClass().getName());
      p.replyTo().tell(new Pong(p.text(), Instant.parse("2025-01-01T00:00:00Z"), Map.of()));
      return Behaviors.same();
    }));
    Pong pong = org.apache.pekko.actor.typed.javadsl.AskPattern.<Ping, Pong>ask(
            echo, r -> new Ping("ask", r, List.of()), java.time.Duration.ofSeconds(5), local.scheduler())
        .toCompletableFuture().join();
    assertEquals("ask", pong.text());
  }

  @Test
  void refFromOneSystemResolvesInAnotherAndReceivesOverRemoting() {
    TestProbe<Pong> probe = a.createTestProbe();
    Ping ping = new Ping("remote", probe.getRef(), List.of("x"));
    Ping inB = (Ping) roundTrip(a, b, ping);
    System.out.println("ref resolved in b: " + inB.replyTo() + " class " + inB.replyTo().getClass().getName()
        + " classic " + org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(inB.replyTo()).getClass().getName());
    assertEquals(probe.getRef().path().toStringWithoutAddress(), inB.replyTo().path().toStringWithoutAddress());
    assertEquals(a.system().address(), inB.replyTo().path().address());
    // b sends to a over Artery: the Pong is serialized by KryoSerializer on the wire
    inB.replyTo().tell(new Pong("from b", Instant.EPOCH, Map.of("k", 2)));
    assertEquals(new Pong("from b", Instant.EPOCH, Map.of("k", 2)), probe.receiveMessage(java.time.Duration.ofSeconds(10)));
    // and the remote ref serializes again in b (as a remote ref) and comes back to a as the local probe
    Ping backInA = (Ping) roundTrip(b, a, inB);
    assertEquals(probe.getRef(), backInA.replyTo());
  }
}
