package io.hireloop.personal;

import com.typesafe.config.Config;
import io.hireloop.config.ConfigChannel;
import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.learning.EnsemblePredictor;
import io.hireloop.platform.Json;
import io.hireloop.platform.Metrics;
import io.hireloop.ranking.RankingPolicy;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Personalisation on one node: a user's {@link PersonalConfig} and {@link Strategy}, both computed from the user's
 * journal (folded into {@link UserEvidence}) and the live global configs, and the push of a changed config on
 * {@code config:user:<id>}.
 *
 * <p>Pushes come from the node that took the ingest, {@code push-delay} after the events are persisted (not from a
 * projection: the read side lags by at least a second; the delay lets a burst of one user's batches share one journal
 * read). The node remembers, per user, the last config it computed ({@code cache-size}
 * users, least recently used dropped) and pushes when the values or sources differ from it, or when it has none (after
 * a restart the first ingest of a user pushes once even if nothing changed). The re-ranker reads the user's ε and λ
 * from the same memory, recomputed when older than {@code cache-ttl}; a change of a global config reaches a user's
 * settings at their next recomputation.
 */
public final class Personalization {
  public static final String TOPIC_PREFIX = "config:user:";
  public static final String PUSH_TYPE = "config_updated";

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final PersonalConfigRule.Params params;
  private final StrategyModel.Params strategy;
  private final double[] globalMix;
  private final RankingPolicy.Settings ranking;
  private final Duration ttl;
  private final EnsemblePredictor predictor;
  private final Map<String, Cached> cache;
  /** user → the evidence last folded from their journal ({@code evidence-cache-size} users, least recently used dropped). */
  private final Map<String, UserEvidence> evidenceCache;
  private final boolean pushOnIngest;
  private final Duration pushDelay;
  private final java.util.concurrent.ConcurrentHashMap<String, Boolean> pending = new java.util.concurrent.ConcurrentHashMap<>();

  private record Cached(PersonalConfig config, Instant at) {}

  /** @param ranking the re-ranker's global settings (ε, λ and top k); @param predictor the interview champion, or null */
  public Personalization(ActorSystem<?> system, RankingPolicy.Settings ranking, EnsemblePredictor predictor, Duration askTimeout) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    Config c = system.settings().config().getConfig("hireloop.personal");
    this.params = PersonalConfigRule.Params.from(c);
    this.strategy = StrategyModel.Params.from(c.getConfig("strategy"));
    this.globalMix = UserEvidence.CATEGORIES.stream().mapToDouble(c.getConfig("category-mix")::getDouble).toArray();
    this.ranking = ranking;
    this.ttl = c.getDuration("cache-ttl");
    this.predictor = predictor;
    this.pushOnIngest = c.getBoolean("push-on-ingest");
    this.pushDelay = c.getDuration("push-delay");
    this.evidenceCache = lru(c.getInt("evidence-cache-size"));
    this.cache = lru(c.getInt("cache-size"));
    io.hireloop.privacy.UserKeys.get(system).onErased(this::forget);
  }

  private static <V> Map<String, V> lru(int size) {
    return java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > size;
      }
    });
  }

  /** The user's config, freshly computed; pushed when it differs from the one this node last computed. */
  public CompletionStage<PersonalConfig> config(String userId) {
    return refresh(userId, false);
  }

  /**
   * After an ingest of the user's events was persisted: recompute {@code push-delay} later, and push unless nothing
   * changed. Ingests of the same user within the delay share one recomputation (one journal read), so a burst of
   * batches costs one read per user, not one per batch.
   */
  public void ingested(String userId) {
    if (!pushOnIngest || pending.putIfAbsent(userId, Boolean.TRUE) != null) return;
    system.scheduler().scheduleOnce(pushDelay, () -> {
      pending.remove(userId);
      refresh(userId, true).whenComplete((c, e) -> {
        if (e != null) system.log().warn("personal config of {} not recomputed after ingest: {}", userId, e.toString());
      });
    }, system.executionContext());
  }

  /**
   * The re-ranker's settings for the user: the personal ε and λ (the global ones until the user's evidence suffices),
   * from this node's memory when younger than {@code cache-ttl}; the global settings if the recomputation fails.
   */
  public CompletionStage<RankingPolicy.Settings> rankingSettings(String userId) {
    var hit = cache.get(userId);
    CompletionStage<PersonalConfig> config = hit != null && hit.at().plus(ttl).isAfter(Instant.now())
        ? CompletableFuture.completedFuture(hit.config()) : refresh(userId, false);
    return config.thenApply(c -> new RankingPolicy.Settings(c.scalar("diversity_lambda"), c.scalar("exploration_rate"), ranking.topK()))
        .exceptionally(e -> ranking);
  }

  /** The user's strategy: NSGA-II over their decisions (see {@link Strategy}), on the blocking dispatcher (~0.2 s of CPU). */
  public CompletionStage<Strategy.Result> strategy(String userId) {
    var blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    return evidence(userId).thenCompose(ev -> globals().thenCompose(g -> curve(ev).thenApplyAsync(curve -> {
      var now = Instant.now();
      var config = PersonalConfigRule.compute(ev, g, params, now);
      var model = model(ev, config, curve);
      return Strategy.optimise(ev, model, current(ev, g, now), currentSource(ev), now);
    }, blocking)));
  }

  private CompletionStage<PersonalConfig> refresh(String userId, boolean pushIfUnknown) {
    return evidence(userId).thenCombine(globals(), (ev, g) -> {
      var now = Instant.now();
      var config = PersonalConfigRule.compute(ev, g, params, now);
      var previous = cache.put(userId, new Cached(config, now));
      boolean changed = previous == null ? pushIfUnknown : !previous.config().fingerprint().equals(config.fingerprint());
      if (changed) Topics.get(system).publish(new StreamMessage(TOPIC_PREFIX + userId, PUSH_TYPE, now, Json.write(config.toJson())));
      return config;
    });
  }

  /**
   * The user's journal, folded: the events after the evidence this node last folded for the user (all of them the
   * first time), added to it. Without the memory every push after an ingest read the user's whole journal again, so
   * a user's n-th batch cost O(n) event reads and decryptions.
   */
  CompletionStage<UserEvidence> evidence(String userId) {
    var journal = PersistenceQuery.get(system).getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
    var pid = PersistenceId.of(JobSeeker.ENTITY_KEY.name(), userId).id();
    var known = evidenceCache.get(userId);
    var base = known != null ? known : UserEvidence.fold(userId, List.of(), 0);
    return journal.currentEventsByPersistenceId(pid, base.asOfSeqNr() + 1, Long.MAX_VALUE)
        .runWith(Sink.fold(new Journal(new ArrayList<>(), base.asOfSeqNr()), (acc, env) -> {
          acc.events().add((JourneyEvent) env.event());
          return new Journal(acc.events(), env.sequenceNr());
        }), system)
        .thenApply(j -> {
          Metrics.PERSONAL_EVENTS_READ.inc(j.events().size());
          var folded = base.plus(j.events(), j.lastSeqNr());
          // two concurrent reads may finish out of order: keep the one that saw more of the journal
          evidenceCache.merge(userId, folded, (a, b) -> a.asOfSeqNr() >= b.asOfSeqNr() ? a : b);
          return folded;
        });
  }

  /** Forgets what this node folded for the user and computed from it: their key was destroyed (erasure). */
  void forget(String userId) {
    evidenceCache.remove(userId);
    cache.remove(userId);
  }

  private record Journal(List<JourneyEvent> events, long lastSeqNr) {}

  /**
   * How long one read of the global values serves every user's computation. They change only with a config version,
   * and a burst of ingests recomputes hundreds of users a second: asking the three ConfigChannel entities for each one
   * queued thousands of asks at them and timed out. A new version shows in personal configs within this time.
   */
  static final Duration GLOBALS_TTL = Duration.ofSeconds(2);

  private record GlobalsRead(CompletionStage<PersonalConfigRule.Globals> values, long atNanos) {}

  private final java.util.concurrent.atomic.AtomicReference<GlobalsRead> globalsRead = new java.util.concurrent.atomic.AtomicReference<>();

  /** The live global values, read at most once per {@link #GLOBALS_TTL} (a failed read is not reused). */
  CompletionStage<PersonalConfigRule.Globals> globals() {
    long now = System.nanoTime();
    var read = globalsRead.get();
    if (read != null && now - read.atNanos() < GLOBALS_TTL.toNanos() && !read.values().toCompletableFuture().isCompletedExceptionally()) {
      return read.values();
    }
    var fresh = new GlobalsRead(readGlobals(), now);
    globalsRead.set(fresh);
    return fresh.values();
  }

  /** The job_discovery, strategy_engine and orchestrator configs, the category mix and the re-ranker's values. */
  private CompletionStage<PersonalConfigRule.Globals> readGlobals() {
    var jd = values("job_discovery");
    var se = values("strategy_engine");
    var or = values("orchestrator");
    return jd.thenCombine(se, (j, s) -> new Object[] {j, s}).thenCombine(or, (js, o) -> {
      var j = (Map<?, ?>) js[0];
      var s = (Map<?, ?>) js[1];
      return new PersonalConfigRule.Globals(number(j, "min_fit_score_to_apply", 60), globalMix.clone(),
          number(s, "weekly_application_target", 10), number(o, "follow_up_after_days", 7), ranking.explorationRate(),
          ranking.diversityLambda());
    });
  }

  private CompletionStage<Map<?, ?>> values(String component) {
    return sharding.entityRefFor(ConfigChannel.ENTITY_KEY, component).<ConfigChannel.Current>ask(ConfigChannel.Get::new, askTimeout)
        .thenApply(c -> (Map<?, ?>) Json.MAPPER.convertValue(Json.read(c.current().valuesJson()), Map.class));
  }

  private static double number(Map<?, ?> values, String key, double fallback) {
    return values.get(key) instanceof Number n ? n.doubleValue() : fallback;
  }

  /**
   * The interview probability by category and fit: the champion's predictions for the user's latest application
   * context with category and fit varied over the grid; without a champion (or without any application to vary), the
   * user's outcomes.
   */
  private CompletionStage<StrategyModel.InterviewCurve> curve(UserEvidence ev) {
    var fallback = StrategyModel.InterviewCurve.fromEvidence(ev, strategy, params.priorStrength());
    var template = ev.latestContext();
    if (predictor == null || template == null) return CompletableFuture.completedFuture(fallback);
    var contexts = new ArrayList<ApplicationContext>();
    for (var category : UserEvidence.CATEGORIES) {
      for (double fit : StrategyModel.InterviewCurve.GRID) {
        contexts.add(new ApplicationContext(template.strategyMode(), fit, category, template.jobCharacteristics(), template.resumeScore(),
            template.tailoringApplied()));
      }
    }
    return predictor.predictHypothetical(ev.userId(), contexts)
        .thenApply(s -> StrategyModel.InterviewCurve.fromPredictions("interview model v" + s.modelVersion()
            + " for the user's latest application, category and fit varied", s.predictions().stream().map(p -> p.probability()).toList()))
        .exceptionally(e -> fallback);
  }

  private StrategyModel model(UserEvidence ev, PersonalConfig config, StrategyModel.InterviewCurve curve) {
    int interviews = ev.interviews().size();
    int offers = (int) ev.applications().stream().filter(UserEvidence.Application::offered).count();
    double q = Shrinkage.rate(offers, interviews, strategy.priorOfferRate(), params.priorStrength());
    double lag = config.scalar("follow_up_after_days") / 7 + strategy.offerProcessWeeks();
    return new StrategyModel(curve, q, lag, strategy);
  }

  /** The user's decisions now: their pace, the 10 % quantile of their fit scores and their mix; the global values where they have none. */
  static StrategyModel.Decision current(UserEvidence ev, PersonalConfigRule.Globals g, Instant now) {
    if (ev.applications().isEmpty()) return new StrategyModel.Decision(g.applicationsPerWeek(), g.minFitScore(), g.categoryMix().clone());
    var fits = ev.applications().stream().map(UserEvidence.Application::fitScore).toList();
    var mix = new double[3];
    int known = 0;
    for (var a : ev.applications()) {
      int c = UserEvidence.CATEGORIES.indexOf(a.category());
      if (c >= 0) {
        mix[c]++;
        known++;
      }
    }
    for (int c = 0; c < 3; c++) mix[c] = known == 0 ? g.categoryMix()[c] : mix[c] / known;
    return new StrategyModel.Decision(ev.pace(now).perWeek(), Shrinkage.quantile(fits, 0.1), mix);
  }

  static String currentSource(UserEvidence ev) {
    return ev.applications().isEmpty() ? "global config (no applications yet)"
        : "the user's " + ev.applications().size() + " applications: pace, 10 % quantile of fit scores, category shares";
  }
}
