package io.hireloop.learning.monitoring;

import com.typesafe.config.Config;
import io.hireloop.config.ConfigChannel;
import io.hireloop.learning.ModelCard;
import io.hireloop.learning.ModelRegistry;
import io.hireloop.learning.ModelStore;
import io.hireloop.learning.ensemble.Ensemble;
import io.hireloop.learning.ensemble.OnlineLearner;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.platform.Json;
import io.hireloop.platform.Metrics;
import io.hireloop.platform.serialization.HireloopSerializable;
import io.hireloop.stats.Drift;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * Watches one model's champion in production (a cluster singleton). The training-set projection reports each
 * application whose outcome became known ({@link LabelsObserved}, from any node); the champion at that moment
 * scores the application's stored snapshot (its features as of its creation), and the (probability, label) pair
 * joins that version's rolling window ({@link LiveMetrics}) and its Page–Hinkley detector on the per-row log loss.
 * Every {@code interval} it re-reads the champion and measures drift of the sampled served rows
 * ({@link ServingLog}) against the champion card's {@link DriftReference}.
 *
 * <p>Alerts go to the {@code models} topic as {@code model_alert} and to the metrics: drift and Page–Hinkley are
 * warnings (published when a condition starts, not again while it holds); a breach of {@link AlertRule} is critical
 * and rolls the champion back ({@code ModelRegistry.Rollback}, automatic, by {@value #BY}) once per version, then
 * restores the job_discovery config from before the one derived from the rolled-back version. The registry rolls
 * back whatever is champion when the command lands: the monitor re-reads the champion on every alias move, so only a
 * move in flight at that instant can be undone by mistake.
 *
 * <p>State is in memory: a failover (or restart) starts every window, detector and alert list afresh, which delays
 * a verdict by at most {@code min-labelled} labels. A training-set rebuild re-reports every label as new: the
 * windows then hold the newest {@code window} of them, scored by the champion of the time of the rebuild.
 */
public final class ModelMonitor extends AbstractBehavior<ModelMonitor.Command> {
  /** {@code by} of the monitor's rollbacks. */
  public static final String BY = "system:monitor";
  public static final String ALERT = "model_alert";

  /** Probabilities of a version's model for snapshots, in order; a scorer that learns online also takes the outcomes. */
  @FunctionalInterface
  public interface Scorer {
    double[] probabilities(List<ApplicationSnapshot> snapshots);

    /** Learns from rows already scored (prequential: judged first, learned after); answers outcomes learned since training. */
    default long learn(List<ApplicationSnapshot> snapshots, List<Boolean> labels) {
      return 0;
    }

    /** The current parameters, for a stored revision; null for a scorer that does not learn. */
    default byte[] revisionBytes() {
      return null;
    }
  }

  /** Loads a version's model at an online revision (0: as trained) that has learned {@code updates} outcomes. */
  @FunctionalInterface
  public interface Loader {
    CompletionStage<Scorer> load(int version, int revision, long updates);
  }

  /** Stores an online revision's bytes (before the registry records it). */
  @FunctionalInterface
  public interface RevisionStore {
    CompletionStage<?> save(String model, int version, int revision, long updates, byte[] bytes);
  }

  /** Where sampled served rows are read back from ({@link PredictionLog}). */
  @FunctionalInterface
  public interface ServingLog {
    CompletionStage<List<Map<String, Object>>> recent(String model, int version, int limit, int days);
  }

  /**
   * {@code hireloop.learning.monitoring}: {@code window} labelled pairs per version; every {@code interval} the
   * champion is re-read and drift measured over the newest {@code window} logged rows of the last {@code driftDays}.
   */
  public record Settings(int window, Duration interval, int driftDays, DriftCheck.Settings drift, double phDelta, double phLambda,
      AlertRule.Critical critical, int recentAlerts, Duration askTimeout, int revisionEvery) {
    /** Without online revisions. */
    public Settings(int window, Duration interval, int driftDays, DriftCheck.Settings drift, double phDelta, double phLambda,
        AlertRule.Critical critical, int recentAlerts, Duration askTimeout) {
      this(window, interval, driftDays, drift, phDelta, phLambda, critical, recentAlerts, askTimeout, 0);
    }

    /** @param online {@code hireloop.learning.online}: {@code revision-every} outcomes between stored revisions */
    public static Settings from(Config c, Config online, Duration askTimeout) {
      return new Settings(c.getInt("window"), c.getDuration("interval"), c.getInt("drift.days"),
          new DriftCheck.Settings(c.getDouble("drift.alpha"), c.getDouble("drift.min-psi"), c.getInt("drift.min-sample")),
          c.getDouble("page-hinkley.delta"), c.getDouble("page-hinkley.lambda"),
          new AlertRule.Critical(c.getDouble("critical.max-ece"), c.getDouble("critical.max-auc-drop"), c.getInt("critical.min-labelled")),
          c.getInt("recent-alerts"), askTimeout, online.getBoolean("enabled") ? online.getInt("revision-every") : 0);
    }
  }

  /** What the monitor talks to: the model's registry and the config its champion derives. */
  public record Deps(String model, RecipientRef<ModelRegistry.Command> registry, RecipientRef<ConfigChannel.Command> config,
      Loader loader, ServingLog servingLog, RevisionStore revisions) {
    /** Without online revisions. */
    public Deps(String model, RecipientRef<ModelRegistry.Command> registry, RecipientRef<ConfigChannel.Command> config,
        Loader loader, ServingLog servingLog) {
      this(model, registry, config, loader, servingLog, null);
    }
  }

  public sealed interface Command extends HireloopSerializable {}

  /** An application whose outcome became known: its snapshot at creation (JSON) and its interview label. */
  public record Labelled(String userId, String applicationId, String snapshotJson, boolean label) implements HireloopSerializable {}

  public record LabelsObserved(List<Labelled> rows) implements Command {}

  public record GetReport(ActorRef<MonitoringReport> replyTo) implements Command {}

  /** The document of GET /api/v1/models/{name}/monitoring, as JSON text. */
  public record MonitoringReport(String json) implements HireloopSerializable {}

  private enum Tick implements Command { INSTANCE }

  /** A message of the {@code models} topic; {@code relevant} when an alias moved (the champion may have changed). */
  private record AliasMoved(boolean relevant) implements Command {}

  private record ChampionIs(ModelCard card, int revision, long updates, Throwable error) implements Command {}

  private record RevisionSaved(int version, int revision, long updates, Throwable error) implements Command {}

  private record ModelLoaded(int version, Scorer scorer, Throwable error) implements Command {}

  private record DriftMeasured(int version, List<DriftCheck.FeatureDrift> drift, Throwable error) implements Command {}

  private record RolledBack(int version, String reason, ModelRegistry.AliasChange change, Throwable error) implements Command {}

  private record ConfigRestored(int version, ConfigChannel.Proposed proposed, Throwable error) implements Command {}

  public static ActorRef<Command> initSingleton(ActorSystem<?> system, Settings settings, Deps deps) {
    return ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(create(settings, deps)).onFailure(SupervisorStrategy.restart()), "model-monitor-" + deps.model()));
  }

  public static Behavior<Command> create(Settings settings, Deps deps) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.interval());
      Topics.get(ctx.getSystem()).subscribe(ModelRegistry.TOPIC, ctx.messageAdapter(StreamMessage.class,
          m -> new AliasMoved(m.type().equals("model_alias_moved"))));
      ctx.getSelf().tell(Tick.INSTANCE);
      return new ModelMonitor(ctx, settings, deps);
    }));
  }

  /**
   * Loads a version's ensemble at its online revision; with {@code onlineRate} > 0 its logistic member then learns
   * from every labelled outcome the monitor scores ({@link OnlineLearner}).
   */
  public static Loader ensembles(ModelStore store, String model, double onlineRate) {
    return (version, revision, updates) -> store.load(model, version, revision).thenApply(bytes -> {
      var ensemble = Ensemble.fromBytes(bytes.orElseThrow(() ->
          new IllegalStateException("no stored bytes for " + model + " v" + version + " revision " + revision)));
      if (!(onlineRate > 0)) return ensemble::probabilities;
      var learner = new OnlineLearner(ensemble, updates, onlineRate);
      return new Scorer() {
        @Override
        public double[] probabilities(List<ApplicationSnapshot> snapshots) {
          return learner.current().probabilities(snapshots);
        }

        @Override
        public long learn(List<ApplicationSnapshot> snapshots, List<Boolean> labels) {
          for (int i = 0; i < snapshots.size(); i++) learner.learn(snapshots.get(i), labels.get(i));
          return learner.updates();
        }

        @Override
        public byte[] revisionBytes() {
          return learner.learns() ? learner.current().toBytes() : null;
        }
      };
    });
  }

  private final Settings settings;
  private final Deps deps;
  private final LiveMetrics live;
  private final Map<Integer, ModelCard> cards = new TreeMap<>();
  private final Map<Integer, Drift.PageHinkley> pageHinkley = new HashMap<>();
  private final Map<Integer, Integer> pageHinkleyAlarms = new HashMap<>();
  private final ArrayDeque<Map<String, Object>> alerts = new ArrayDeque<>();
  /** Alert keys whose condition holds now: published when it starts, not again until it cleared. */
  private final Set<String> active = new HashSet<>();
  /** Versions whose critical breach was acted on (rolled back or tried to). */
  private final Set<Integer> judged = new HashSet<>();
  private final ArrayList<Labelled> pending = new ArrayList<>();
  private ModelCard champion;
  private boolean championKnown;
  private Scorer scorer;
  private int scorerVersion = -1;
  /** The champion's online revision as the registry records it, and the outcomes it had learned then. */
  private int revision;
  private long revisionUpdates;
  private boolean savingRevision;
  private boolean loading;
  private List<DriftCheck.FeatureDrift> drift = List.of();
  private int driftVersion = -1;
  private Instant driftAt;

  private ModelMonitor(ActorContext<Command> ctx, Settings settings, Deps deps) {
    super(ctx);
    this.settings = settings;
    this.deps = deps;
    this.live = new LiveMetrics(settings.window());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Tick.class, t -> onTick())
        .onMessage(AliasMoved.class, m -> m.relevant() ? refreshChampion() : this)
        .onMessage(ChampionIs.class, this::onChampion)
        .onMessage(ModelLoaded.class, this::onLoaded)
        .onMessage(LabelsObserved.class, this::onLabels)
        .onMessage(DriftMeasured.class, this::onDrift)
        .onMessage(RolledBack.class, this::onRolledBack)
        .onMessage(ConfigRestored.class, this::onConfigRestored)
        .onMessage(RevisionSaved.class, this::onRevisionSaved)
        .onMessage(GetReport.class, m -> {
          m.replyTo().tell(new MonitoringReport(Json.write(report())));
          return this;
        })
        .build();
  }

  private Behavior<Command> onTick() {
    refreshChampion();
    if (champion != null && champion.driftReference() != null) {
      int version = champion.version();
      getContext().pipeToSelf(deps.servingLog().recent(deps.model(), version, settings.window(), settings.driftDays())
              .thenApply(rows -> DriftCheck.check(cards.get(version).driftReference(), rows, settings.drift())),
          (d, error) -> new DriftMeasured(version, d, error));
    }
    return this;
  }

  private Behavior<Command> refreshChampion() {
    getContext().ask(ModelRegistry.Champion.class, deps.registry(), settings.askTimeout(), ModelRegistry.GetChampion::new,
        (c, error) -> c == null ? new ChampionIs(null, 0, 0, error) : new ChampionIs(c.card(), c.revision(), c.onlineUpdates(), error));
    return this;
  }

  private Behavior<Command> onChampion(ChampionIs m) {
    if (m.error() != null) {
      getContext().getLog().warn("model monitor could not read the {} champion: {}", deps.model(), m.error().toString());
      return this;
    }
    championKnown = true;
    champion = m.card();
    if (champion == null) {
      pending.clear(); // labels that arrived while nothing served have no prediction to judge
      return this;
    }
    cards.put(champion.version(), champion);
    if (scorerVersion != champion.version()) {
      revision = m.revision();
      revisionUpdates = m.updates();
      if (!loading) load(champion.version());
    }
    return this;
  }

  private void load(int version) {
    loading = true;
    int rev = champion != null && champion.version() == version ? revision : 0;
    long updates = champion != null && champion.version() == version ? revisionUpdates : 0;
    getContext().pipeToSelf(deps.loader().load(version, rev, updates), (s, error) -> new ModelLoaded(version, s, error));
  }

  private Behavior<Command> onLoaded(ModelLoaded m) {
    loading = false;
    if (m.error() != null) {
      getContext().getLog().warn("model monitor could not load {} v{}: {}", deps.model(), m.version(), m.error().toString());
      return this; // the next tick tries again
    }
    scorer = m.scorer();
    scorerVersion = m.version();
    if (champion != null && champion.version() != scorerVersion) {
      load(champion.version());
      return this;
    }
    if (!pending.isEmpty()) {
      var rows = List.copyOf(pending);
      pending.clear();
      score(rows);
    }
    return this;
  }

  private Behavior<Command> onLabels(LabelsObserved m) {
    if (championKnown && champion == null) return this;
    if (champion == null || scorer == null || scorerVersion != champion.version()) {
      pending.addAll(m.rows());
      // only the newest window's worth can matter to the window
      if (pending.size() > settings.window()) pending.subList(0, pending.size() - settings.window()).clear();
      return this;
    }
    score(m.rows());
    return this;
  }

  private void score(List<Labelled> rows) {
    int version = scorerVersion;
    var snapshots = new ArrayList<ApplicationSnapshot>(rows.size());
    var labels = new ArrayList<Boolean>(rows.size());
    for (var r : rows) {
      try {
        snapshots.add(Json.read(r.snapshotJson(), ApplicationSnapshot.class));
        labels.add(r.label());
      } catch (RuntimeException e) {
        getContext().getLog().warn("model monitor skipped application {} of {}: unreadable snapshot", r.applicationId(), r.userId());
      }
    }
    if (snapshots.isEmpty()) return;
    var p = scorer.probabilities(snapshots);
    var ph = pageHinkley.computeIfAbsent(version, v -> new Drift.PageHinkley(settings.phDelta(), settings.phLambda()));
    for (int i = 0; i < p.length; i++) {
      double q = Math.min(Math.max(p[i], 0), 1);
      boolean y = labels.get(i);
      live.add(version, q, y);
      double clipped = Math.min(Math.max(q, 1e-15), 1 - 1e-15);
      ph.update(y ? -Math.log(clipped) : -Math.log1p(-clipped));
      if (ph.increase() > settings.phLambda()) {
        var f = new LinkedHashMap<String, Object>();
        f.put("statistic", ph.increase());
        f.put("mean_log_loss", ph.mean());
        f.put("count", ph.count());
        f.put("delta", settings.phDelta());
        f.put("lambda", settings.phLambda());
        alert(new AlertRule.Alert(AlertRule.WARNING, AlertRule.PAGE_HINKLEY, version, f, String.format(java.util.Locale.ROOT,
            "Page-Hinkley: the live log loss of v%d rose (statistic %.1f > lambda %.1f after %d labelled predictions)",
            version, ph.increase(), settings.phLambda(), ph.count())), null);
        pageHinkleyAlarms.merge(version, 1, Integer::sum);
        // a fresh detector: the next alarm needs a new rise, not the rest of this one
        ph = new Drift.PageHinkley(settings.phDelta(), settings.phLambda());
        pageHinkley.put(version, ph);
      }
    }
    learn(version, snapshots, labels);
    var snapshot = live.metrics(version);
    var labelsV = String.valueOf(version);
    Metrics.MODEL_LIVE.labels(deps.model(), labelsV, "auc").set(snapshot.auc());
    Metrics.MODEL_LIVE.labels(deps.model(), labelsV, "ece").set(snapshot.ece());
    Metrics.MODEL_LIVE.labels(deps.model(), labelsV, "log_loss").set(snapshot.logLoss());
    Metrics.MODEL_LIVE.labels(deps.model(), labelsV, "labelled").set(snapshot.labelled());
    judge(version, snapshot);
  }

  /**
   * Online updates after judging: the scorer learns from the rows it has just been judged on, and every
   * {@code revisionEvery} outcomes its parameters are stored as the next revision and recorded in the registry, from
   * where every node's predictor loads them. One revision is written at a time.
   */
  private void learn(int version, List<ApplicationSnapshot> snapshots, List<Boolean> labels) {
    if (settings.revisionEvery() <= 0 || deps.revisions() == null) return;
    long updates = scorer.learn(snapshots, labels);
    if (savingRevision || updates < revisionUpdates + settings.revisionEvery()) return;
    var bytes = scorer.revisionBytes();
    if (bytes == null) return;
    savingRevision = true;
    int next = revision + 1;
    getContext().pipeToSelf(deps.revisions().save(deps.model(), version, next, updates, bytes)
            .thenCompose(d -> AskPattern.<ModelRegistry.Command, ModelRegistry.AliasChange>ask(deps.registry(),
                r -> new ModelRegistry.RecordRevision(version, next, updates, r), settings.askTimeout(), getContext().getSystem().scheduler()))
            .thenApply(change -> {
              if (!change.ok()) throw new IllegalStateException(change.error());
              return change;
            }),
        (c, error) -> new RevisionSaved(version, next, updates, error));
  }

  private Behavior<Command> onRevisionSaved(RevisionSaved m) {
    savingRevision = false;
    if (m.error() != null) {
      getContext().getLog().warn("model monitor could not store {} v{} revision {}: {}", deps.model(), m.version(), m.revision(),
          m.error().toString());
      return this;
    }
    if (scorerVersion == m.version()) {
      revision = m.revision();
      revisionUpdates = m.updates();
    }
    return this;
  }

  private void judge(int version, LiveMetrics.Snapshot snapshot) {
    if (judged.contains(version)) return;
    var card = cards.get(version);
    var critical = AlertRule.critical(snapshot, card == null ? null : card.holdout(), settings.critical());
    if (critical.isEmpty()) return;
    judged.add(version);
    for (var a : critical) alert(a, null);
    var reason = "automatic: " + String.join("; ", critical.stream().map(AlertRule.Alert::message).toList());
    getContext().getLog().warn("model monitor rolls back {} v{}: {}", deps.model(), version, reason);
    getContext().ask(ModelRegistry.AliasChange.class, deps.registry(), settings.askTimeout(),
        r -> new ModelRegistry.Rollback(BY, reason, true, r), (c, error) -> new RolledBack(version, reason, c, error));
  }

  private Behavior<Command> onRolledBack(RolledBack m) {
    if (m.error() != null || !m.change().ok()) {
      var why = m.error() != null ? m.error().toString() : m.change().error();
      getContext().getLog().warn("model monitor could not roll back {} v{}: {}", deps.model(), m.version(), why);
      return this;
    }
    int from = m.change().previousVersion() == null ? m.version() : m.change().previousVersion();
    var of = deps.model() + " model v" + from;
    var source = "auto rollback of " + of + " to v" + m.change().version() + " (" + m.reason() + ")";
    getContext().ask(ConfigChannel.Proposed.class, deps.config(), settings.askTimeout(),
        r -> new ConfigChannel.RestoreBefore("auto_rollback:" + deps.model() + ":v" + from, of, source, r),
        (p, error) -> new ConfigRestored(from, p, error));
    return refreshChampion();
  }

  private Behavior<Command> onConfigRestored(ConfigRestored m) {
    if (m.error() != null) {
      getContext().getLog().warn("model monitor could not restore the config before {} v{}: {}", deps.model(), m.version(), m.error().toString());
    } else if (m.proposed().version() == null) {
      getContext().getLog().info("no applied config came from {} v{}: nothing to restore", deps.model(), m.version());
    } else {
      getContext().getLog().info("config restored to the values before {} v{} as version {}", deps.model(), m.version(),
          m.proposed().version().version());
    }
    return this;
  }

  private Behavior<Command> onDrift(DriftMeasured m) {
    if (m.error() != null) {
      getContext().getLog().warn("model monitor could not read served rows of {} v{}: {}", deps.model(), m.version(), m.error().toString());
      return this;
    }
    drift = m.drift();
    driftVersion = m.version();
    driftAt = Instant.now();
    for (var d : drift) {
      Metrics.MODEL_DRIFT.labels(deps.model(), d.feature(), d.kind().equals(DriftCheck.NUMERIC) ? "ks" : "chi2").set(d.statistic());
      Metrics.MODEL_DRIFT.labels(deps.model(), d.feature(), "p_value").set(d.pValue());
      Metrics.MODEL_DRIFT.labels(deps.model(), d.feature(), "psi").set(d.psi());
      var key = "drift:" + m.version() + ":" + d.feature();
      if (!d.alarm()) {
        active.remove(key);
        continue;
      }
      if (!active.add(key)) continue;
      var f = new LinkedHashMap<String, Object>(driftJson(d));
      f.remove("alarm");
      alert(new AlertRule.Alert(AlertRule.WARNING, AlertRule.DRIFT, m.version(), f, String.format(java.util.Locale.ROOT,
          "served %s drifted from v%d's training rows (%s p = %.2g, PSI %.3f over %d rows)", d.feature(), m.version(),
          d.kind().equals(DriftCheck.NUMERIC) ? "KS" : "chi-square", d.pValue(), d.psi(), d.rows())), d.feature());
    }
    return this;
  }

  private void alert(AlertRule.Alert a, String feature) {
    var data = new LinkedHashMap<String, Object>();
    data.put("name", deps.model());
    data.put("version", a.version());
    data.put("severity", a.severity());
    data.put("kind", a.kind());
    if (feature != null) data.put("feature", feature);
    data.put("figures", finite(a.figures()));
    data.put("message", a.message());
    data.put("at", Instant.now().toString());
    alerts.addFirst(data);
    while (alerts.size() > settings.recentAlerts()) alerts.removeLast();
    Metrics.MODEL_ALERTS.labels(deps.model(), a.kind(), a.severity()).inc();
    Topics.get(getContext().getSystem()).publish(StreamMessage.of(ModelRegistry.TOPIC, ALERT, data));
  }

  private Map<String, Object> report() {
    var m = new LinkedHashMap<String, Object>();
    m.put("name", deps.model());
    m.put("champion", champion == null ? null : champion.version());
    m.put("window", settings.window());
    var versions = new ArrayList<Map<String, Object>>();
    for (var s : live.all()) {
      var v = new LinkedHashMap<String, Object>();
      var card = cards.get(s.version());
      v.put("version", s.version());
      v.put("labelled", s.labelled());
      v.put("labelled_total", s.total());
      v.put("auc", num(s.auc()));
      v.put("ece", num(s.ece()));
      v.put("log_loss", num(s.logLoss()));
      v.put("holdout_auc", card == null || card.holdout() == null ? null : card.holdout().auc());
      v.put("holdout_ece", card == null || card.holdout() == null ? null : card.holdout().ece());
      versions.add(v);
    }
    m.put("versions", versions);
    m.put("drift_version", driftVersion < 0 ? null : driftVersion);
    m.put("drift_measured_at", driftAt == null ? null : driftAt.toString());
    m.put("drift", drift.stream().map(ModelMonitor::driftJson).toList());
    var ph = new LinkedHashMap<String, Object>();
    if (champion != null) {
      var detector = pageHinkley.get(champion.version());
      ph.put("version", champion.version());
      ph.put("statistic", detector == null ? 0.0 : detector.increase());
      ph.put("mean_log_loss", detector == null || detector.count() == 0 ? null : detector.mean());
      ph.put("count", detector == null ? 0 : detector.count());
      ph.put("alarms", pageHinkleyAlarms.getOrDefault(champion.version(), 0));
    }
    ph.put("delta", settings.phDelta());
    ph.put("lambda", settings.phLambda());
    m.put("page_hinkley", ph);
    var c = settings.critical();
    m.put("critical", Map.of("max_ece", c.maxEce(), "max_auc_drop", c.maxAucDrop(), "min_labelled", c.minLabelled()));
    m.put("alerts", List.copyOf(alerts));
    return m;
  }

  private static Map<String, Object> driftJson(DriftCheck.FeatureDrift d) {
    var m = new LinkedHashMap<String, Object>();
    m.put("feature", d.feature());
    m.put("kind", d.kind());
    m.put(d.kind().equals(DriftCheck.NUMERIC) ? "ks" : "chi2", num(d.statistic()));
    m.put("p_value", num(d.pValue()));
    m.put("psi", num(d.psi()));
    m.put("alarm", d.alarm());
    m.put("rows", d.rows());
    return m;
  }

  private static Map<String, Object> finite(Map<String, Object> figures) {
    var out = new LinkedHashMap<String, Object>();
    figures.forEach((k, v) -> out.put(k, v instanceof Double d ? num(d) : v));
    return out;
  }

  /** JSON has no NaN: an undefined figure is null. */
  private static Double num(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
