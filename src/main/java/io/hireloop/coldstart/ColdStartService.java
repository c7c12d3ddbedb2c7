package io.hireloop.coldstart;

import io.hireloop.journey.Domain;
import io.hireloop.journey.JourneyService;
import io.hireloop.learning.attribution.AttributionReport;
import io.hireloop.learning.attribution.AttributionStore;
import io.hireloop.platform.ReadModelStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The cold start and the onboarding questions of one user: their profile (from their journal, so an answer just posted
 * counts at once), their own outcome counts and the population (the {@code user-profiles} read model, re-read at most
 * every {@code population-refresh}), and the latest attribution report for the first actions.
 */
public final class ColdStartService {
  private final ProfileOutcomeRows rows;
  private final Function<String, CompletionStage<JourneyService.ProfileAt>> profiles;
  private final Supplier<CompletionStage<Optional<AttributionReport>>> attribution;
  private final ColdStartSettings settings;
  private final Clock clock;
  private final AtomicReference<Loaded> population = new AtomicReference<>();

  private record Loaded(Instant at, CompletionStage<Population> population) {}

  /** The user's profile and own counts; empty when the user has neither a profile nor any projected event. */
  private record UserData(Domain.Profile profile, int applications, int interviews) {}

  public ColdStartService(ProfileOutcomeRows rows, Function<String, CompletionStage<JourneyService.ProfileAt>> profiles,
      Supplier<CompletionStage<Optional<AttributionReport>>> attribution, ColdStartSettings settings, Clock clock) {
    this.rows = rows;
    this.profiles = profiles;
    this.attribution = attribution;
    this.settings = settings;
    this.clock = clock;
  }

  /** Registers the read model (before the read-side pass starts) and builds the service over Cassandra. */
  public static ColdStartService init(ActorSystem<?> system, ReadModelStore store, JourneyService journey,
      AttributionStore attributions) {
    var rows = new CassandraProfileOutcomeRows(store);
    ProfileOutcomeProjection.init(system, rows);
    return new ColdStartService(rows, journey::profile, attributions::latest,
        ColdStartSettings.from(system.settings().config().getConfig("hireloop.cold-start")), Clock.systemUTC());
  }

  public CompletionStage<Optional<ColdStartReport>> coldStart(String userId) {
    return user(userId).thenCompose(user -> {
      if (user.isEmpty()) return java.util.concurrent.CompletableFuture.completedFuture(Optional.<ColdStartReport>empty());
      var u = user.get();
      return population().thenCombine(attribution.get(), (pop, report) ->
          Optional.of(ColdStart.compute(userId, u.profile(), u.applications(), u.interviews(), pop, report.orElse(null))));
    });
  }

  public CompletionStage<Optional<OnboardingQuestions.Questions>> questions(String userId) {
    return user(userId).thenCompose(user -> population().thenApply(pop ->
        user.map(u -> OnboardingQuestions.rank(userId, u.profile(), pop))));
  }

  private CompletionStage<Optional<UserData>> user(String userId) {
    return profiles.apply(userId).thenCombine(rows.load(userId), (p, row) -> {
      if (p.updatedAt() == null && row.isEmpty()) return Optional.<UserData>empty();
      var r = row.orElse(ProfileOutcomes.EMPTY);
      return Optional.of(new UserData(p.profile(), r.applications().size(), r.interviewed().size()));
    });
  }

  private CompletionStage<Population> population() {
    var now = clock.instant();
    var current = population.get();
    if (current != null && current.at().plus(settings.populationRefresh()).isAfter(now)
        && !current.population().toCompletableFuture().isCompletedExceptionally()) {
      return current.population();
    }
    var next = new Loaded(now, rows.all().thenApply(peers -> new Population(peers, settings)));
    population.set(next);
    return next.population();
  }
}
