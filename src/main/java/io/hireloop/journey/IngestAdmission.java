package io.hireloop.journey;

import io.hireloop.platform.Metrics;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Holds ingest back while this node's read models fall behind the journal ({@link IngestPacer} decides,
 * fed by every group the node's projections finish; {@code hireloop.ingest.pacing}). Off: every batch is
 * admitted at once and the read models may fall seconds behind under saturating load.
 */
public final class IngestAdmission implements Extension {

  private static final ExtensionId<IngestAdmission> ID = new ExtensionId<>() {
    @Override
    public IngestAdmission createExtension(ActorSystem<?> system) {
      return new IngestAdmission(system);
    }
  };

  public static IngestAdmission get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** A refused batch: nothing of it was written; the client should retry after {@code retryAfterSeconds}. */
  public record Refusal(long retryAfterSeconds, double pace, double lagSeconds, Duration maxWait) {
    public String message() {
      return String.format("the read models on this node are %.1f s behind the journal, so ingest is paced to %.0f events/s "
          + "and this batch would wait more than %d s; nothing was written — retry after %d s with the same event_ids",
          lagSeconds, pace, maxWait.toSeconds(), retryAfterSeconds);
    }
  }

  private final ActorSystem<?> system;
  private final IngestPacer pacer;
  private final Duration maxWait;

  private IngestAdmission(ActorSystem<?> system) {
    this.system = system;
    var config = system.settings().config().getConfig("hireloop.ingest.pacing");
    this.maxWait = config.getDuration("max-wait");
    if (!config.getBoolean("enabled")) {
      this.pacer = null;
      Metrics.INGEST_PACE.set(-1);
      return;
    }
    this.pacer = new IngestPacer(new IngestPacer.Settings(config.getDuration("target-lag"), maxWait,
        config.getDouble("min-rate"), config.getDuration("window"), config.getDuration("rate-window"),
        config.getDouble("decrease"), config.getDouble("growth-per-second"), config.getDouble("probe-per-second"),
        config.getDouble("ceiling"), config.getInt("burst")));
    JourneyProjections.get(system).onGroupHandled(pacer::groupHandled);
    var tick = config.getDuration("tick");
    system.scheduler().scheduleAtFixedRate(tick, tick, () -> {
      long now = System.currentTimeMillis();
      pacer.tick(now);
      double limit = pacer.limit();
      Metrics.INGEST_PACE.set(Double.isInfinite(limit) ? -1 : limit);
      Metrics.INGEST_READ_SIDE_LAG.set(pacer.lagMillis(now) / 1000.0);
    }, system.executionContext());
  }

  /** Current pace in events/s; infinite when unpaced or when pacing is off. */
  public double pace() {
    return pacer == null ? Double.POSITIVE_INFINITY : pacer.limit();
  }

  /** Whether pacing is on (hireloop.ingest.pacing.enabled). */
  public boolean enabled() {
    return pacer != null;
  }

  /**
   * Completes when a batch of {@code events} may be written (at once unless the read side is behind), or
   * with a refusal when it would have to wait longer than max-wait.
   */
  public CompletionStage<Optional<Refusal>> admit(int events) {
    if (pacer == null) return CompletableFuture.completedFuture(Optional.empty());
    var a = pacer.admit(events, System.currentTimeMillis());
    if (!a.admitted()) {
      Metrics.INGEST_PACED.labels("refused").inc();
      return CompletableFuture.completedFuture(Optional.of(new Refusal(a.retryAfterSeconds(), a.limit(), a.lagMillis() / 1000.0, maxWait)));
    }
    if (a.waitMillis() <= 0) {
      Metrics.INGEST_PACED.labels("immediate").inc();
      return CompletableFuture.completedFuture(Optional.empty());
    }
    Metrics.INGEST_PACED.labels("delayed").inc();
    var later = new CompletableFuture<Optional<Refusal>>();
    system.scheduler().scheduleOnce(Duration.ofMillis(a.waitMillis()), () -> later.complete(Optional.empty()), system.executionContext());
    return later;
  }
}
