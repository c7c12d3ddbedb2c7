package io.hireloop.analytics.insights;

import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyProjections;
import io.hireloop.journey.UserStateCache;
import io.hireloop.platform.Json;
import io.hireloop.platform.ReadModelStore;
import io.hireloop.stream.StreamMessage;
import io.hireloop.stream.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The "user-insights" projection and its queries: per-user patterns, weekly insights, segments and
 * benchmarks. Folds each user's journey into an {@link InsightState}; when the first event of a later week
 * arrives, the user's open week is closed, its {@link WeeklyReport} stored and, if the closing event was
 * written recently (live traffic rather than a rebuild), pushed as {@code insight} to {@code user:{id}}.
 */
public final class UserInsightsProjection {
  public static final String NAME = "user-insights";

  private final InsightRows rows;
  private final InsightSettings settings;
  private final Consumer<StreamMessage> publish;
  private final int cacheSize;
  private volatile CachedSegments cached;
  private final java.util.concurrent.atomic.AtomicReference<CompletableFuture<CachedSegments>> scanning =
      new java.util.concurrent.atomic.AtomicReference<>();

  private record CachedSegments(Instant at, Segments segments, Map<String, UserSummary> users) {}

  public UserInsightsProjection(InsightRows rows, InsightSettings settings, Consumer<StreamMessage> publish) {
    this(rows, settings, publish, UserStateCache.DEFAULT_CAPACITY);
  }

  /** {@code cacheSize}: users whose last written state each handler instance keeps ({@link UserStateCache}). */
  public UserInsightsProjection(InsightRows rows, InsightSettings settings, Consumer<StreamMessage> publish, int cacheSize) {
    this.cacheSize = cacheSize;
    this.rows = rows;
    this.settings = settings;
    this.publish = publish;
  }

  public static UserInsightsProjection init(ActorSystem<?> system, ReadModelStore store) {
    var topics = Topics.get(system);
    var rows = new CassandraInsightRows(store);
    var projection = new UserInsightsProjection(rows, InsightSettings.from(system.settings().config()), topics::publish,
        UserStateCache.capacity(system));
    JourneyProjections.get(system).init(NAME, projection::handler, rows::truncate);
    return projection;
  }

  public InsightRows rows() {
    return rows;
  }

  public Handler<List<EventEnvelope<JourneyEvent>>> handler() {
    return JourneyProjections.perUserCached(cacheSize, this::update);
  }

  private CompletionStage<Done> update(UserStateCache cache, String userId, List<EventEnvelope<JourneyEvent>> envelopes) {
    return cache.loadUser(userId, envelopes, InsightState.EMPTY, CassandraInsightRows::state,
            () -> rows.load(userId))
        .thenCompose(before -> {
      var state = before;
      var weekly = new TreeMap<LocalDate, String>();
      var push = new java.util.ArrayList<LocalDate>();
      for (var env : envelopes) {
        var step = state.step(env.sequenceNr(), env.event());
        if (step.closedWeek() != null) {
          weekly.put(step.closedWeek(), Json.write(WeeklyReport.of(userId, state, step.closedWeek(), settings.minSample())));
          if (recent(env.timestamp())) push.add(step.closedWeek());
        }
        state = step.state();
      }
      if (state == before) return CompletableFuture.completedFuture(Done.getInstance());
      return cache.written(userId, Json.write(state), rows.save(userId, state, UserSummary.of(state), weekly))
          .thenCompose(done -> push.isEmpty() ? CompletableFuture.completedFuture(done) : segmentsNow().thenApply(s -> {
            for (var week : push) publish.accept(StreamMessage.of("user:" + userId, "insight", withComparison(userId, weekly.get(week), s)));
            return done;
          }));
    });
  }

  private boolean recent(long writtenAtMillis) {
    return Duration.ofMillis(System.currentTimeMillis() - writtenAtMillis).compareTo(settings.insightPushWithin()) <= 0;
  }

  // ------------------------------------------------------------------ queries

  /** The UserPatterns document, or empty when nothing of the user has been projected. */
  public CompletionStage<Optional<Map<String, Object>>> patterns(String userId) {
    return rows.load(userId).thenApply(s -> s.asOfSeqNr() == 0 ? Optional.empty()
        : Optional.of(UserPatterns.of(userId, s, settings.minSample())));
  }

  /** The WeeklyInsights of a closed week, with vs_similar_users from the current segments. */
  public CompletionStage<Optional<Map<String, Object>>> weekly(String userId, LocalDate week) {
    return rows.weekly(userId, week).thenCompose(doc -> doc.isEmpty()
        ? CompletableFuture.completedFuture(Optional.<Map<String, Object>>empty())
        : segments().thenApply(s -> Optional.of(withComparison(userId, doc.get(), s))));
  }

  /** {"min_users", "segments": [...]}: every segment with at least the minimum number of users. */
  public CompletionStage<Map<String, Object>> segmentList() {
    return segments().thenApply(c -> {
      var out = new LinkedHashMap<String, Object>();
      out.put("min_users", settings.segmentMinUsers());
      out.put("segments", c.segments().visible().stream().map(id -> c.segments().segment(id).orElseThrow()).toList());
      return out;
    });
  }

  public CompletionStage<Optional<Map<String, Object>>> segment(String id) {
    return segments().thenApply(c -> c.segments().segment(id));
  }

  /** The user against their segment; empty when the user has no application projected yet. */
  public CompletionStage<Optional<Map<String, Object>>> benchmark(String userId) {
    return segments().thenApply(c -> {
      var me = c.users().get(userId);
      if (me == null || me.applications() == 0) return Optional.empty();
      var out = new LinkedHashMap<String, Object>();
      out.put("user_id", userId);
      out.put("profile", profile(me));
      out.put("applications", me.applications());
      out.put("interview_requests", me.interviews());
      out.put("days_to_first_offer", me.daysToFirstOffer());
      out.put("vs_segment", comparison(c, me, me.interviewRate()));
      return Optional.of(out);
    });
  }

  private Map<String, Object> withComparison(String userId, String docJson, CachedSegments c) {
    @SuppressWarnings("unchecked")
    Map<String, Object> doc = Json.MAPPER.convertValue(Json.read(docJson), LinkedHashMap.class);
    var me = c.users().get(userId);
    doc.put("vs_similar_users", me == null ? null : comparison(c, me, ((Number) doc.get("your_rate")).doubleValue()));
    return doc;
  }

  private Map<String, Object> comparison(CachedSegments c, UserSummary me, double rate) {
    return c.segments().segmentOf(me).map(id -> c.segments().compare(id, rate)).orElseGet(() -> {
      var none = new LinkedHashMap<String, Object>();
      none.put("segment_id", null);
      none.put("your_rate", rate);
      none.put("suppressed", "no segment of yours has at least " + settings.segmentMinUsers() + " users yet");
      return none;
    });
  }

  private static Map<String, Object> profile(UserSummary u) {
    var m = new LinkedHashMap<String, Object>();
    m.put("seniority", u.seniority());
    m.put("experience", u.experience());
    m.put("industry", u.industry());
    m.put("location", u.location());
    return m;
  }

  /**
   * Segments from every user's summary row, recomputed at most once per segment-cache-ttl (queries: a stale
   * copy waits for the scan).
   */
  private CompletionStage<CachedSegments> segments() {
    var c = cached;
    return c != null && fresh(c) ? CompletableFuture.completedFuture(c) : rescan();
  }

  /**
   * For the handler's insight push: the last segments at once, a stale copy starting a scan in the
   * background — a handler never waits for the full scan of user_summaries, except for the first one after
   * the node started.
   */
  private CompletionStage<CachedSegments> segmentsNow() {
    var c = cached;
    if (c == null) return rescan();
    if (!fresh(c)) rescan();
    return CompletableFuture.completedFuture(c);
  }

  private boolean fresh(CachedSegments c) {
    return Duration.between(c.at(), Instant.now()).compareTo(settings.segmentCacheTtl()) < 0;
  }

  /** One scan at a time on this node: callers while it runs share it. */
  private CompletableFuture<CachedSegments> rescan() {
    var mine = new CompletableFuture<CachedSegments>();
    var running = scanning.compareAndExchange(null, mine);
    if (running != null) return running;
    rows.summaries().thenApply(users -> new CachedSegments(Instant.now(),
            Segments.of(users.values(), settings.segmentMinUsers(), settings.minSample()), users))
        .whenComplete((fresh, error) -> {
          if (fresh != null) cached = fresh;
          scanning.set(null);
          if (error != null) mine.completeExceptionally(error);
          else mine.complete(fresh);
        });
    return mine;
  }
}
