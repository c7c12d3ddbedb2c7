package io.hireloop.experiment;

import io.hireloop.journey.Domain;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.journey.JourneyProjections;
import io.hireloop.platform.Json;
import io.hireloop.platform.ReadModelStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The "experiment-exposures" projection: folds each user's journey into one {@code experiment_exposures}
 * row per experiment the user was exposed to, with the per-user outcome facts every {@link OutcomeMetric}
 * needs: when an application created at or after the exposure first reached an interview
 * ({@code converted_at}), an offer and any employer response, the creation times of the applications made
 * since the exposure, and the user's pre-exposure record (applications, and how many of them had reached an
 * interview by the exposure; the CUPED covariate). Idempotent like the performance projection (per-user
 * state with the last sequence number folded in). Each changed experiment is reported to
 * {@code onChange} (the monitor pushes results on the stream). Users never exposed cost no read or write:
 * {@link ExposureHandler} skips them and reads a user's earlier events from the journal at the first exposure.
 */
public final class ExposureProjection {
  public static final String NAME = "experiment-exposures";

  /**
   * One exposed user of an experiment, as read back for the analysis. {@code convertedAt}: first interview
   * of an application created since the exposure; {@code applicationTimes}: creation times of those
   * applications; {@code preApplications}/{@code preInterviews}: the user's record before the exposure.
   */
  public record Row(String userId, String variantId, Instant exposedAt, Instant convertedAt, Instant offerAt,
      Instant responseAt, List<Instant> applicationTimes, int preApplications, int preInterviews) {

    /** A row with the interview outcome only (no offer, response, applications or pre-period). */
    public Row(String userId, String variantId, Instant exposedAt, Instant convertedAt) {
      this(userId, variantId, exposedAt, convertedAt, null, null, List.of(), 0, 0);
    }
  }

  /**
   * Per-user fold state (JSON in experiment_user_state); times in epoch milliseconds. Fields added later are
   * null in state written before them (normalised here).
   */
  public record UserState(long asOfSeqNr, Map<String, Exposure> exposures, Map<String, Long> applicationsCreatedAt,
      Set<String> interviewedApplications) {
    static final UserState EMPTY = new UserState(0, Map.of(), Map.of(), Set.of());

    public UserState {
      interviewedApplications = interviewedApplications == null ? Set.of() : interviewedApplications;
    }
  }

  /** Per experiment; null fields: not happened yet (or state written before the field existed). */
  public record Exposure(String variantId, long exposedAt, Long convertedAt, Long offerAt, Long responseAt,
      List<Long> applicationTimes, Integer preApplications, Integer preInterviews) {
    public Exposure {
      applicationTimes = applicationTimes == null ? List.of() : applicationTimes;
    }

    Exposure(String variantId, long exposedAt, Long convertedAt) {
      this(variantId, exposedAt, convertedAt, null, null, List.of(), 0, 0);
    }
  }

  private final ReadModelStore store;
  private final ExposureHandler.History history;
  /** Users with an exposure, shared by this node's instances (see {@link ExposureHandler}); only grows. */
  private final Set<String> exposedUsers = ConcurrentHashMap.newKeySet();
  private volatile Consumer<String> onChange = id -> {};

  ExposureProjection(ReadModelStore store, ExposureHandler.History history) {
    this.store = store;
    this.history = history;
  }

  /** Called with an experiment id after its rows changed (at-least-once, from the projection's thread). */
  public void onChange(Consumer<String> listener) {
    this.onChange = listener;
  }

  public static ExposureProjection init(ActorSystem<?> system, ReadModelStore store) {
    var projection = new ExposureProjection(store, journal(system));
    JourneyProjections.get(system).init(NAME, projection::handler,
        () -> store.session().executeDDL("TRUNCATE " + store.table("experiment_exposures"))
            .thenCompose(d -> store.session().executeDDL("TRUNCATE " + store.table("experiment_user_state"))));
    return projection;
  }

  public CompletionStage<List<Row>> rows(String experimentId) {
    return store.session().selectAll("SELECT user_id, variant_id, exposed_at, converted_at, offer_at, response_at, "
            + "application_times, pre_applications, pre_interviews FROM "
            + store.table("experiment_exposures") + " WHERE experiment_id = ?", experimentId)
        .thenApply(rows -> rows.stream().map(r -> new Row(r.getString("user_id"), r.getString("variant_id"),
            r.getInstant("exposed_at"), r.getInstant("converted_at"), r.getInstant("offer_at"), r.getInstant("response_at"),
            r.getList("application_times", Instant.class), r.getInt("pre_applications"), r.getInt("pre_interviews"))).toList());
  }

  /** Folds one event; {@code changed} collects the experiments whose row must be written. */
  static UserState apply(UserState s, long seqNr, JourneyEvent e, Set<String> changed) {
    if (seqNr <= s.asOfSeqNr()) return s;
    var exposures = s.exposures();
    var apps = s.applicationsCreatedAt();
    var interviewed = s.interviewedApplications();
    if (e instanceof JourneyEvent.ExperimentExposed x && !exposures.containsKey(x.experimentId())) {
      exposures = new HashMap<>(exposures);
      exposures.put(x.experimentId(), new Exposure(x.variantId(), x.timestamp().toEpochMilli(), null, null, null, List.of(),
          apps.size(), interviewed.size()));
      changed.add(x.experimentId());
    } else if (e instanceof JourneyEvent.ApplicationRecorded a && !apps.containsKey(a.applicationId())) {
      apps = new HashMap<>(apps);
      long created = a.timestamp().toEpochMilli();
      apps.put(a.applicationId(), created);
      exposures = update(exposures, created, changed, x -> {
        var times = new ArrayList<>(x.applicationTimes());
        times.add(created);
        return with(x, x.convertedAt(), x.offerAt(), x.responseAt(), times);
      });
    } else if (e instanceof JourneyEvent.StatusChanged st) {
      String status = st.outcome().status();
      long at = st.timestamp().toEpochMilli();
      Long created = apps.get(st.applicationId());
      if (Domain.INTERVIEW_STATUSES.contains(status) && created != null && !interviewed.contains(st.applicationId())) {
        interviewed = new HashSet<>(interviewed);
        interviewed.add(st.applicationId());
      }
      if (created != null) {
        boolean interview = Domain.INTERVIEW_STATUSES.contains(status);
        boolean offer = Domain.OFFER_STATUSES.contains(status);
        boolean response = OutcomeMetric.RESPONSE_STATUSES.contains(status);
        exposures = update(exposures, created, changed, x -> with(x,
            first(x.convertedAt(), interview, at), first(x.offerAt(), offer, at), first(x.responseAt(), response, at),
            x.applicationTimes()));
      }
    }
    return new UserState(seqNr, exposures, apps, interviewed);
  }

  /** Applies {@code change} to every exposure at or before {@code createdAt}; unchanged exposures are kept. */
  private static Map<String, Exposure> update(Map<String, Exposure> exposures, long createdAt, Set<String> changed,
      UnaryOperator<Exposure> change) {
    Map<String, Exposure> updated = null;
    for (var entry : exposures.entrySet()) {
      var x = entry.getValue();
      if (createdAt < x.exposedAt()) continue;
      var next = change.apply(x);
      if (next.equals(x)) continue;
      if (updated == null) updated = new HashMap<>(exposures);
      updated.put(entry.getKey(), next);
      changed.add(entry.getKey());
    }
    return updated == null ? exposures : updated;
  }

  private static Long first(Long current, boolean happened, long at) {
    return current == null && happened ? Long.valueOf(at) : current;
  }

  private static Exposure with(Exposure x, Long interviewAt, Long offerAt, Long responseAt, List<Long> times) {
    return new Exposure(x.variantId(), x.exposedAt(), interviewAt, offerAt, responseAt, List.copyOf(times),
        x.preApplications(), x.preInterviews());
  }

  Handler<List<EventEnvelope<JourneyEvent>>> handler() {
    return new ExposureHandler(cassandraStore(), history, exposedUsers, () -> onChange);
  }

  private ExposureHandler.Store cassandraStore() {
    return new ExposureHandler.Store() {
      @Override
      public CompletionStage<Set<String>> exposedUsers() {
        return store.session().selectAll("SELECT user_id FROM " + store.table("experiment_exposures"))
            .thenApply(rows -> {
              var users = new HashSet<String>();
              rows.forEach(r -> users.add(r.getString("user_id")));
              return users;
            });
      }

      @Override
      public CompletionStage<UserState> load(String userId) {
        return ExposureProjection.this.load(userId);
      }

      @Override
      public CompletionStage<Done> writeRow(String exp, String userId, Exposure x) {
        return store.session().executeWrite("INSERT INTO " + store.table("experiment_exposures")
                + " (experiment_id, user_id, variant_id, exposed_at, converted_at, offer_at, response_at, application_times,"
                + " pre_applications, pre_interviews) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            exp, userId, x.variantId(), Instant.ofEpochMilli(x.exposedAt()), instant(x.convertedAt()), instant(x.offerAt()),
            instant(x.responseAt()), x.applicationTimes().stream().map(Instant::ofEpochMilli).toList(),
            x.preApplications() == null ? 0 : x.preApplications(), x.preInterviews() == null ? 0 : x.preInterviews());
      }

      @Override
      public CompletionStage<Done> writeState(String userId, UserState state) {
        return store.session().executeWrite("INSERT INTO " + store.table("experiment_user_state")
            + " (user_id, as_of_seq_nr, state) VALUES (?, ?, ?)", userId, state.asOfSeqNr(), Json.write(state));
      }
    };
  }

  /** A user's journal entries from the read journal (the catch-up at a user's first exposure). */
  static ExposureHandler.History journal(ActorSystem<?> system) {
    return (persistenceId, from, to) -> PersistenceQuery.get(system)
        .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier())
        .currentEventsByPersistenceId(persistenceId, from, to)
        .map(env -> new ExposureHandler.Journaled(env.sequenceNr(), (JourneyEvent) env.event()))
        .runWith(Sink.seq(), system);
  }

  private static Instant instant(Long epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis);
  }

  private CompletionStage<UserState> load(String userId) {
    return store.session()
        .selectOne("SELECT state FROM " + store.table("experiment_user_state") + " WHERE user_id = ?", userId)
        .thenApply(row -> row.map(r -> {
          try {
            return Json.MAPPER.readValue(r.getString("state"), UserState.class);
          } catch (Exception ex) {
            throw new IllegalStateException("unreadable experiment_user_state: " + ex.getMessage(), ex);
          }
        }).orElse(UserState.EMPTY));
  }
}
