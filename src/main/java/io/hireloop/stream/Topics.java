package io.hireloop.stream;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Cluster-wide publish/subscribe by topic name ("user:u-42", "config:job_discovery", "models"). Each node
 * keeps one local {@link Topic} actor per name; topic actors of the same name find each other through the
 * cluster receptionist, so a message published on one node reaches subscribers on every node.
 * All "user:*" topics share one channel, and so do all "config:user:*" topics (subscribers filter by
 * {@link StreamMessage#topic()}): a Pekko topic per user would register one receptionist entry per user across the
 * cluster.
 */
public final class Topics implements Extension {

  private static final ExtensionId<Topics> ID = new ExtensionId<>() {
    @Override
    public Topics createExtension(ActorSystem<?> system) {
      return new Topics(system);
    }
  };

  public static Topics get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private final ActorSystem<?> system;
  private final ConcurrentHashMap<String, ActorRef<Topic.Command<StreamMessage>>> topics = new ConcurrentHashMap<>();

  private Topics(ActorSystem<?> system) {
    this.system = system;
  }

  public void publish(StreamMessage message) {
    channel(channelOf(message.topic())).tell(Topic.publish(message));
  }

  /** The subscriber receives every message of the topic's channel; it must filter by topic name. */
  public void subscribe(String topicName, ActorRef<StreamMessage> subscriber) {
    channel(channelOf(topicName)).tell(Topic.subscribe(subscriber));
  }

  public void unsubscribe(String topicName, ActorRef<StreamMessage> subscriber) {
    channel(channelOf(topicName)).tell(Topic.unsubscribe(subscriber));
  }

  /**
   * How many nodes' topic actors of the topic's channel this node knows, itself included: a message published here
   * reaches subscribers on those nodes (the others' registrations spread by gossip, within seconds of their start).
   */
  public CompletionStage<Integer> instances(String topicName, Duration timeout) {
    return AskPattern.<Topic.Command<StreamMessage>, Topic.TopicStats>ask(channel(channelOf(topicName)), Topic::getTopicStats, timeout,
        system.scheduler()).thenApply(Topic.TopicStats::topicInstanceCount);
  }

  static String channelOf(String topicName) {
    if (topicName.startsWith("user:")) return "users";
    return topicName.startsWith("config:user:") ? "user-configs" : topicName;
  }

  private ActorRef<Topic.Command<StreamMessage>> channel(String name) {
    return topics.computeIfAbsent(name, n -> system.systemActorOf(
        Topic.create(StreamMessage.class, n), "topic-" + java.net.URLEncoder.encode(n, java.nio.charset.StandardCharsets.UTF_8), Props.empty()));
  }
}
