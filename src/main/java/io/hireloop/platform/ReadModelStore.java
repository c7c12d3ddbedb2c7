package io.hireloop.platform;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * The Cassandra session shared by projections and read-model queries, and the read-model schema
 * (the CQL files of {@code projections/}, shipped on the classpath).
 */
public final class ReadModelStore {
  /** Applied in this order; each statement is idempotent (IF NOT EXISTS). */
  static final List<String> SCHEMA_FILES = List.of("keyspace.cql", "user_performance.cql", "training_examples.cql", "model_blobs.cql",
      "experiment_exposures.cql", "reminders.cql", "data_quality.cql", "user_insights.cql", "market.cql", "journey_slices.cql",
      "prediction_log.cql", "attribution_reports.cql", "predictions_by_user.cql", "ranking_log.cql", "user_profiles.cql",
      "user_keys.cql");

  public static final String SESSION_CONFIG = "pekko.projection.cassandra.session-config";

  private final CassandraSession session;
  private final String keyspace;
  private final int replicationFactor;

  public ReadModelStore(ActorSystem<?> system) {
    this.session = CassandraSessionRegistry.get(system).sessionFor(SESSION_CONFIG);
    Config c = system.settings().config().getConfig("hireloop.cassandra");
    this.keyspace = c.getString("keyspace");
    this.replicationFactor = c.getInt("replication-factor");
  }

  public CassandraSession session() {
    return session;
  }

  public String keyspace() {
    return keyspace;
  }

  /** Table name qualified with the read-model keyspace. */
  public String table(String name) {
    return keyspace + "." + name;
  }

  public CompletionStage<Done> createSchema() {
    CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
    for (var file : SCHEMA_FILES) {
      for (var statement : statements(file)) {
        chain = chain.thenCompose(d -> session.executeDDL(statement));
      }
    }
    return chain;
  }

  List<String> statements(String file) {
    try (InputStream in = ReadModelStore.class.getResourceAsStream("/projections/" + file)) {
      if (in == null) throw new IllegalStateException("projections/" + file + " missing from the classpath");
      var text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replaceAll("(?m)^--.*$", "")
          .replace("${keyspace}", keyspace)
          .replace("${replication_factor}", String.valueOf(replicationFactor));
      return java.util.Arrays.stream(text.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read projections/" + file, e);
    }
  }
}
