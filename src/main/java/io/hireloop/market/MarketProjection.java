package io.hireloop.market;

import io.hireloop.analytics.quality.ApplicationOutcome;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyProjections;
import io.hireloop.journey.UserStateCache;
import io.hireloop.market.MarketFacts.UserState;
import io.hireloop.market.MarketFacts.UserWeek;
import io.hireloop.platform.Json;
import io.hireloop.platform.ReadModelStore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The "market-insights" projection: folds each user's journey into {@link UserState} and writes the user's
 * per-week facts ({@code market_user_weeks}), per-application outcomes ({@code application_outcomes}) and
 * opt-out ({@code market_opt_outs}). Idempotent: the user's state remembers the last sequence number folded
 * in, and rows are written before the state, so a crash in between replays to the same rows.
 */
public final class MarketProjection {
  public static final String NAME = "market-insights";
  static final int BUCKETS = 16;
  static final List<String> TABLES = List.of("market_user_weeks", "market_opt_outs", "application_outcomes", "market_user_state");

  private final ReadModelStore store;
  private final Consumer<LocalDate> weekChanged;
  private final int cacheSize;

  /** {@code weekChanged} hears every week whose facts were rewritten (for the market stream). */
  public MarketProjection(ReadModelStore store, Consumer<LocalDate> weekChanged) {
    this(store, weekChanged, UserStateCache.DEFAULT_CAPACITY);
  }

  /** {@code cacheSize}: users whose last written state each handler instance keeps ({@link UserStateCache}). */
  public MarketProjection(ReadModelStore store, Consumer<LocalDate> weekChanged, int cacheSize) {
    this.store = store;
    this.weekChanged = weekChanged;
    this.cacheSize = cacheSize;
  }

  public static MarketProjection init(ActorSystem<?> system, ReadModelStore store, Consumer<LocalDate> weekChanged) {
    var projection = new MarketProjection(store, weekChanged, UserStateCache.capacity(system));
    JourneyProjections.get(system).init(NAME, projection::handler, projection::truncate);
    return projection;
  }

  CompletionStage<Done> truncate() {
    CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
    for (var t : TABLES) chain = chain.thenCompose(d -> store.session().executeDDL("TRUNCATE " + store.table(t)));
    return chain;
  }

  public Handler<List<EventEnvelope<JourneyEvent>>> handler() {
    return JourneyProjections.perUserCached(cacheSize, this::update);
  }

  // ------------------------------------------------------------------ queries

  /** Every user's facts for the weeks from {@code fromWeek} to {@code toWeek} (Mondays), one partition read per week. */
  public CompletionStage<List<MarketInsights.Row>> rows(LocalDate fromWeek, LocalDate toWeek) {
    var futures = new ArrayList<CompletableFuture<List<MarketInsights.Row>>>();
    for (var w = fromWeek; !w.isAfter(toWeek); w = w.plusWeeks(1)) {
      var week = w;
      futures.add(store.session().selectAll("SELECT user_id, facts FROM " + store.table("market_user_weeks") + " WHERE week = ?", week)
          .thenApply(rs -> rs.stream().map(r -> new MarketInsights.Row(week, r.getString("user_id"),
              read(r.getString("facts"), UserWeek.class))).toList())
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(v -> futures.stream().flatMap(f -> f.join().stream()).toList());
  }

  public CompletionStage<Set<String>> optedOut() {
    return store.session().selectAll("SELECT user_id FROM " + store.table("market_opt_outs"))
        .thenApply(rs -> {
          var users = new HashSet<String>();
          rs.forEach(r -> users.add(r.getString("user_id")));
          return users;
        });
  }

  /** The anonymised insights for the weeks from {@code fromWeek} to {@code toWeek}. */
  public CompletionStage<Map<String, Object>> insights(LocalDate fromWeek, LocalDate toWeek, int k) {
    return rows(fromWeek, toWeek).thenCombine(optedOut(), (rows, out) -> MarketInsights.aggregate(rows, out, k, fromWeek, toWeek));
  }

  /** Every application's outcome (a full scan of 16 partitions), for the calibration and timing analyses. */
  public CompletionStage<List<ApplicationOutcome>> outcomes() {
    var futures = new ArrayList<CompletableFuture<List<ApplicationOutcome>>>();
    for (int b = 0; b < BUCKETS; b++) {
      futures.add(store.session().selectAll("SELECT submitted_at, resume_score, responded, interviewed, labelled FROM "
              + store.table("application_outcomes") + " WHERE bucket = ?", b)
          .thenApply(rs -> rs.stream().map(r -> new ApplicationOutcome(r.getDouble("resume_score"), r.getInstant("submitted_at"),
              r.getBoolean("responded"), r.getBoolean("interviewed"), r.getBoolean("labelled"))).toList())
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(v -> futures.stream().flatMap(f -> f.join().stream()).toList());
  }

  /** Every row of the read model as text, sorted (for rebuild checks). */
  public CompletionStage<List<String>> dump() {
    var weeks = store.session().selectAll("SELECT week, user_id, facts FROM " + store.table("market_user_weeks"))
        .thenApply(rs -> rs.stream().map(r -> r.getLocalDate("week") + " " + r.getString("user_id") + " " + r.getString("facts")).toList());
    var apps = store.session().selectAll("SELECT user_id, application_id, submitted_at, resume_score, responded, interviewed, labelled FROM "
            + store.table("application_outcomes"))
        .thenApply(rs -> rs.stream().map(r -> r.getString("user_id") + " " + r.getString("application_id") + " " + r.getInstant("submitted_at")
            + " " + r.getDouble("resume_score") + " " + r.getBoolean("responded") + " " + r.getBoolean("interviewed") + " "
            + r.getBoolean("labelled")).toList());
    var out = optedOut().thenApply(users -> users.stream().map(u -> "opt-out " + u).toList());
    return weeks.thenCombine(apps, (a, b) -> {
      var all = new ArrayList<>(a);
      all.addAll(b);
      return all;
    }).thenCombine(out, (a, b) -> {
      a.addAll(b);
      a.sort(null);
      return (List<String>) a;
    });
  }

  // ------------------------------------------------------------------ handler

  private CompletionStage<Done> update(UserStateCache cache, String userId, List<EventEnvelope<JourneyEvent>> envelopes) {
    return cache.loadUser(userId, envelopes, UserState.EMPTY, json -> read(json, UserState.class),
        () -> load(userId)).thenCompose(before -> {
      var changes = new MarketFacts.Changes();
      var state = before;
      for (var env : envelopes) state = MarketFacts.apply(state, env.sequenceNr(), env.event(), changes);
      if (state.asOfSeqNr() == before.asOfSeqNr()) return CompletableFuture.completedFuture(Done.getInstance());
      var after = state;
      var writes = new ArrayList<CompletableFuture<Done>>();
      for (var week : changes.weeks) {
        writes.add(store.session().executeWrite("INSERT INTO " + store.table("market_user_weeks") + " (week, user_id, facts) VALUES (?, ?, ?)",
            week, userId, Json.write(MarketFacts.week(after, week))).toCompletableFuture());
      }
      for (var appId : changes.apps) {
        var a = after.apps().get(appId);
        writes.add(store.session().executeWrite("INSERT INTO " + store.table("application_outcomes")
                + " (bucket, user_id, application_id, submitted_at, resume_score, responded, interviewed, labelled) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            bucket(userId), userId, appId, Instant.ofEpochMilli(a.submittedAt()), a.resumeScore(), a.responded(), a.interviewed(), a.labelled())
            .toCompletableFuture());
      }
      if (changes.optOut) {
        writes.add((after.optedOut()
            ? store.session().executeWrite("INSERT INTO " + store.table("market_opt_outs") + " (user_id, at) VALUES (?, ?)", userId, Instant.now())
            : store.session().executeWrite("DELETE FROM " + store.table("market_opt_outs") + " WHERE user_id = ?", userId)).toCompletableFuture());
      }
      // rows first, state last: a crash in between replays the envelopes and rewrites the same rows
      return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
          .thenCompose(v -> {
            var json = Json.write(after);
            return cache.written(userId, json, store.session().executeWrite("INSERT INTO " + store.table("market_user_state")
                + " (user_id, as_of_seq_nr, state) VALUES (?, ?, ?)", userId, after.asOfSeqNr(), json));
          })
          .thenApply(done -> {
            changes.weeks.forEach(weekChanged);
            return done;
          });
    });
  }

  public static int bucket(String userId) {
    return Math.floorMod(userId.hashCode(), BUCKETS);
  }

  private CompletionStage<UserState> load(String userId) {
    return store.session()
        .selectOne("SELECT state FROM " + store.table("market_user_state") + " WHERE user_id = ?", userId)
        .thenApply(row -> row.map(r -> read(r.getString("state"), UserState.class)).orElse(UserState.EMPTY));
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return Json.MAPPER.readValue(json, type);
    } catch (Exception e) {
      throw new IllegalStateException("unreadable market read-model row: " + e.getMessage(), e);
    }
  }
}
