package io.hireloop.analytics.insights;

import com.typesafe.config.Config;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.platform.ReadModelStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@code GET /api/v1/analytics/insight-quality} on a node: reads up to {@code max-users} users' journals (what was
 * shown and when is only there: the read models keep counts, not times), folds each into an
 * {@link InsightExposures.Timeline} and computes {@link InsightQuality} on {@code executor}. Computed per request.
 */
public final class InsightQualityService {
  /** Where the users and their journals come from (a seam: tests give lists). */
  public interface Journals {
    /** At most {@code max} user ids. */
    CompletionStage<List<String>> users(int max);

    /** The user's journal, oldest first. */
    CompletionStage<List<JourneyEvent>> events(String userId);
  }

  /** {@code hireloop.analytics.insight-quality} (hireloop.conf documents every key). */
  public record Settings(InsightExposures.Settings exposures, InsightQuality.Settings quality, int maxUsers, int parallelism) {
    public static Settings from(Config config) {
      var c = config.getConfig("hireloop.analytics.insight-quality");
      return new Settings(new InsightExposures.Settings(c.getDuration("act-window"), c.getDuration("outcome-window"),
          config.getInt("hireloop.analytics.min-sample")),
          new InsightQuality.Settings(c.getDuration("window"), c.getDouble("confidence-level"), c.getInt("bootstrap-draws")),
          c.getInt("max-users"), c.getInt("parallelism"));
    }
  }

  private final ActorSystem<?> system;
  private final Journals journals;
  private final Settings settings;
  private final Executor executor;
  private final Clock clock;

  public InsightQualityService(ActorSystem<?> system, Journals journals, Settings settings, Executor executor, Clock clock) {
    this.system = system;
    this.journals = journals;
    this.settings = settings;
    this.executor = executor;
    this.clock = clock;
  }

  /** The node's service: users from {@code user_insights}, journals from the Cassandra read journal. */
  public static InsightQualityService create(ActorSystem<?> system) {
    var store = new ReadModelStore(system);
    Journals journals = new Journals() {
      @Override
      public CompletionStage<List<String>> users(int max) {
        return store.session().selectAll("SELECT user_id FROM " + store.table("user_insights") + " LIMIT ?", max)
            .thenApply(rows -> rows.stream().map(r -> r.getString("user_id")).toList());
      }

      @Override
      public CompletionStage<List<JourneyEvent>> events(String userId) {
        var journal = PersistenceQuery.get(system).getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
        return journal.currentEventsByPersistenceId(PersistenceId.of(JobSeeker.ENTITY_KEY.name(), userId).id(), 0L, Long.MAX_VALUE)
            .map(env -> (JourneyEvent) env.event())
            .runWith(Sink.seq(), system);
      }
    };
    return new InsightQualityService(system, journals, Settings.from(system.settings().config()),
        system.dispatchers().lookup(DispatcherSelector.blocking()), Clock.systemUTC());
  }

  public CompletionStage<InsightQuality.Report> report() {
    var now = clock.instant();
    return journals.users(settings.maxUsers()).thenCompose(users -> Source.from(users)
            .mapAsyncUnordered(settings.parallelism(), u -> journals.events(u)
                .thenApplyAsync(events -> InsightExposures.of(u, events, settings.exposures(), now), executor))
            .runWith(Sink.seq(), system))
        .thenApplyAsync(timelines -> InsightQuality.compute(timelines, settings.quality(), now), executor);
  }
}
