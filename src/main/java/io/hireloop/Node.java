package io.hireloop;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.hireloop.analytics.PerformanceProjection;
import io.hireloop.analytics.insights.UserInsightsProjection;
import io.hireloop.api.AttributionRoutes;
import io.hireloop.api.Auth;
import io.hireloop.api.MarketRoutes;
import io.hireloop.api.Routes;
import io.hireloop.config.ConfigChannel;
import io.hireloop.experiment.Experiment;
import io.hireloop.experiment.ExperimentAssignments;
import io.hireloop.experiment.ExposureProjection;
import io.hireloop.experiment.ExperimentMonitor;
import io.hireloop.experiment.ExperimentRollout;
import io.hireloop.experiment.ExperimentRollouts;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyService;
import io.hireloop.learning.EnsemblePredictor;
import io.hireloop.learning.ResponseTimePredictor;
import io.hireloop.learning.LearningCoordinator;
import io.hireloop.learning.attribution.AttributionRecommendations;
import io.hireloop.learning.attribution.AttributionService;
import io.hireloop.learning.attribution.AttributionStore;
import io.hireloop.learning.ensemble.LabelledSnapshot;
import io.hireloop.learning.ModelRegistry;
import io.hireloop.learning.ModelStore;
import io.hireloop.learning.TrainingSetProjection;
import io.hireloop.learning.monitoring.ModelMonitor;
import io.hireloop.learning.monitoring.PredictionLog;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import io.hireloop.market.MarketProjection;
import io.hireloop.market.MarketUpdates;
import io.hireloop.platform.ReadModelStore;
import io.hireloop.platform.cassandra.EmbeddedCassandra;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;

/**
 * One Hireloop node: Cassandra (embedded unless contact points are configured), the actor system and
 * cluster membership, the read-model schema, sharded entities, projections, the learning singleton and
 * the HTTP API. {@link #close()} stops them in reverse order.
 */
public final class Node implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final EmbeddedCassandra cassandra;
  private final List<String> contactPoints;

  private Node(ActorSystem<Void> system, ServerBinding binding, EmbeddedCassandra cassandra, List<String> contactPoints) {
    this.system = system;
    this.binding = binding;
    this.cassandra = cassandra;
    this.contactPoints = contactPoints;
  }

  /** {@code config} is the complete configuration (overlays already merged over application.conf). */
  public static Node start(Config config, Consumer<String> progress) {
    EmbeddedCassandra cassandra = null;
    List<String> contactPoints = config.getStringList("hireloop.cassandra.contact-points");
    if (contactPoints.isEmpty()) {
      var dataDir = Path.of(config.getString("hireloop.data-dir"));
      cassandra = EmbeddedCassandra.start(EmbeddedCassandra.Settings.defaults(dataDir)
          .withCqlPort(config.getInt("hireloop.cassandra.embedded-port"))
          .withMaxHeap(config.getString("hireloop.cassandra.embedded-heap")), progress);
      contactPoints = List.of(cassandra.host() + ":" + cassandra.cqlPort());
    } else {
      progress.accept("using Cassandra at " + contactPoints + " (hireloop.cassandra.contact-points)");
    }
    try {
      var full = config
          .withValue("datastax-java-driver.basic.contact-points", ConfigValueFactory.fromIterable(contactPoints))
          .withValue("datastax-java-driver.basic.load-balancing-policy.local-datacenter",
              ConfigValueFactory.fromAnyRef(config.getString("hireloop.cassandra.local-datacenter")));
      var system = ActorSystem.<Void>create(Behaviors.empty(), "hireloop", full);
      try {
        return wire(system, cassandra, contactPoints, progress);
      } catch (RuntimeException e) {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        throw e;
      }
    } catch (Exception e) {
      if (cassandra != null) cassandra.close();
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /** application.conf with an optional overlay file and overrides on top (overrides win). */
  public static Config loadConfig(Path overlay, Config overrides) {
    var base = ConfigFactory.defaultOverrides()
        .withFallback(overrides)
        .withFallback(overlay == null ? ConfigFactory.empty() : ConfigFactory.parseFile(overlay.toFile()))
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.defaultReference());
    return base.resolve();
  }

  private static Node wire(ActorSystem<Void> system, EmbeddedCassandra cassandra, List<String> contactPoints, Consumer<String> progress) {
    var config = system.settings().config();
    var cluster = Cluster.get(system);
    if (config.getList("pekko.cluster.seed-nodes").isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }

    io.hireloop.privacy.UserKeys.get(system); // parses hireloop.privacy.master-key: a malformed one stops the node here
    var store = new ReadModelStore(system);
    progress.accept("creating schema (keyspace " + store.keyspace() + ")");
    await(store.createSchema(), "creating the read-model schema in Cassandra at " + contactPoints);
    await(CassandraProjection.createTablesIfNotExists(system), "creating the projection offset tables");

    var slices = await(io.hireloop.journey.SliceHistory.resolve(
        io.hireloop.journey.SliceHistory.cassandra(store.session(), store.table("journey_slices"),
            config.getString("pekko.projection.cassandra.offset-store.keyspace")),
        io.hireloop.journey.JourneySlices.configuredCount(config), config.getBoolean(io.hireloop.journey.SliceHistory.RESIZE_PATH)),
        "checking the journal's journey slices");
    io.hireloop.journey.JourneyProjections.get(system).useSlices(slices);
    progress.accept("journey slices: " + slices.count() + (slices.earlier().isEmpty() ? "" : " (earlier " + slices.earlier() + ")"));
    JobSeeker.init(system);
    Experiment.init(system);
    io.hireloop.experiment.Layer.init(system);
    ExperimentRollout.init(system);
    ModelRegistry.init(system);
    ConfigChannel.init(system);
    io.hireloop.recommendations.Recommendations.init(system);

    var performance = PerformanceProjection.init(system, store);
    var exposures = ExposureProjection.init(system, store);
    var coordinator = new AtomicReference<ActorRef<LearningCoordinator.Command>>();
    var models = new ModelStore(store);
    var monitoring = config.getConfig("hireloop.learning.monitoring");
    var online = config.getConfig("hireloop.learning.online");
    var predictionLog = new PredictionLog(store, monitoring.getDouble("log-sample-rate"), monitoring.getInt("log-max-per-second"),
        system.executionContext());
    var sharding = ClusterSharding.get(system);
    var modelMonitor = ModelMonitor.initSingleton(system,
        ModelMonitor.Settings.from(monitoring, online, config.getDuration("hireloop.http.ask-timeout")),
        new ModelMonitor.Deps(LearningCoordinator.MODEL, sharding.entityRefFor(ModelRegistry.ENTITY_KEY, LearningCoordinator.MODEL),
            sharding.entityRefFor(ConfigChannel.ENTITY_KEY, "job_discovery"),
            ModelMonitor.ensembles(models, LearningCoordinator.MODEL, online.getBoolean("enabled") ? online.getDouble("rate") : 0),
            predictionLog, models::saveRevision));
    var trainingSet = TrainingSetProjection.init(system, store,
        n -> coordinator.get().tell(new LearningCoordinator.LabelsArrived(n)),
        rows -> modelMonitor.tell(new ModelMonitor.LabelsObserved(rows.stream()
            .map(r -> new ModelMonitor.Labelled(r.userId(), r.applicationId(), io.hireloop.platform.Json.write(r.row().snapshot()),
                r.row().label()))
            .toList())));
    var marketUpdates = MarketUpdates.start(system, config.getDuration("hireloop.market.update-interval"));
    var market = MarketProjection.init(system, store, marketUpdates::weekChanged);
    marketUpdates.attach(market::insights, config.getInt("hireloop.market.k-anonymity"));
    coordinator.set(LearningCoordinator.initSingleton(system, new LearningCoordinator.Trainer(system, trainingSet, models)));
    var attributionStore = new AttributionStore(store);
    var attribution = new AttributionRoutes.Deps(AttributionService.initSingleton(system,
        AttributionService.Settings.from(config.getConfig("hireloop.attribution")),
        new AttributionService.Deps(() -> trainingSet.labelledExamples().thenApply(rows -> rows.stream()
            .map(r -> new LabelledSnapshot(r.userId(), r.row().snapshot(), r.row().label())).toList()),
            attributionStore, report -> AttributionRecommendations.drafts(report)
                .forEach(draft -> io.hireloop.recommendations.Recommendations.get(system).submit(draft).whenComplete((r, e) -> {
                  if (e != null) system.log().warn("attribution recommendation {} not submitted: {}", draft.dedupKey(), e.toString());
                })))),
        attributionStore, trainingSet);

    // ingest pacing listens to the projections from the start (and its gauges show "unpaced" before any ingest)
    io.hireloop.journey.IngestAdmission.get(system);
    var http = config.getConfig("hireloop.http");
    var askTimeout = http.getDuration("ask-timeout");
    io.hireloop.reminders.Reminders.init(system, store, askTimeout);
    var auth = Auth.fromConfig(config);
    var experiments = config.getConfig("hireloop.experiments");
    var rollouts = new ExperimentRollouts(system, exposures, askTimeout, ExperimentRollouts.Settings.from(experiments));
    var monitor = ExperimentMonitor.initSingleton(system, rollouts, ExperimentMonitor.Settings.from(experiments.getConfig("monitor")));
    exposures.onChange(id -> monitor.tell(new ExperimentMonitor.Changed(id)));
    var journey = new JourneyService(system, askTimeout);
    var routes = new Routes(new Routes.Services(system, auth, journey, performance,
        UserInsightsProjection.init(system, store),
        new EnsemblePredictor(system, models, trainingSet, LearningCoordinator.MODEL, askTimeout, predictionLog),
        new EnsemblePredictor(system, models, trainingSet, LearningCoordinator.OFFER, askTimeout, null),
        new ResponseTimePredictor(system, models, trainingSet, askTimeout), coordinator.get(), modelMonitor,
        new ExperimentAssignments(system, askTimeout, config.getDuration("hireloop.experiments.definition-cache-ttl")),
        exposures,
        rollouts,
        io.hireloop.quality.DataQuality.init(system, store),
        () -> readiness(system, store), askTimeout,
        http.getDouble("rate-limit-per-second"), new MarketRoutes(market, config), attribution,
        new io.hireloop.privacy.UserExport(new JourneyService(system, askTimeout), new io.hireloop.privacy.PersonalData(store)),
        io.hireloop.coldstart.ColdStartService.init(system, store, journey, attributionStore),
        io.hireloop.privacy.Erasure.init(system, new JourneyService(system, askTimeout), new io.hireloop.privacy.PersonalData(store), store,
            askTimeout)));
    // every read model is registered by now: the read-side pass hands each group to all of them
    io.hireloop.journey.JourneyProjections.get(system).start();
    var binding = await(Http.get(system).newServerAt(http.getString("interface"), http.getInt("port")).bind(routes.route()),
        "binding HTTP on port " + http.getInt("port") + " (is another process using it? use --http-port)");
    progress.accept("HTTP API on port " + binding.localAddress().getPort());
    return new Node(system, binding, cassandra, contactPoints);
  }

  /** null when ready; otherwise what is missing. */
  private static CompletionStage<String> readiness(ActorSystem<?> system, ReadModelStore store) {
    var status = Cluster.get(system).selfMember().status();
    if (status != MemberStatus.up()) return CompletableFuture.completedFuture("cluster member status is " + status + ", not Up");
    return store.session().selectOne("SELECT release_version FROM system.local")
        .thenApply(row -> (String) null)
        .exceptionally(e -> "journal not reachable: " + e.getMessage())
        .toCompletableFuture()
        .completeOnTimeout("journal did not answer within 3 s", 3, TimeUnit.SECONDS);
  }

  static <T> T await(CompletionStage<T> stage, String what) {
    try {
      return stage.toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("timed out after 120 s " + what);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("failed " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted " + what, e);
    }
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  /** The embedded Cassandra's process, if this node started one. */
  public java.util.Optional<ProcessHandle> embeddedCassandraProcess() {
    return cassandra == null ? java.util.Optional.empty() : ProcessHandle.of(cassandra.pid());
  }

  public List<String> cassandraContactPoints() {
    return contactPoints;
  }

  /** Leaves the cluster (shards hand over), stops the actor system, then the embedded Cassandra if any. */
  @Override
  public void close() {
    try {
      binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // the system shutdown below closes the port anyway
    }
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      // fall through: Cassandra must still be stopped
    }
    if (cassandra != null) cassandra.close();
  }

}
