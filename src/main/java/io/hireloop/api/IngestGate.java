package io.hireloop.api;

import com.typesafe.config.Config;
import io.hireloop.platform.Metrics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;

/**
 * What bounds the wait of an ingest on one node, so that at any load every batch gets an answer well within a
 * client's timeout: a 200, or a 503 with {@code Retry-After} (RELIABILITY.md, "Overload at twice the capacity").
 *
 * <ul>
 *   <li>at most {@code maxInFlight} batches between admission and answer; one more is refused at once;
 *   <li>a batch that reaches admission more than {@code maxQueueTime} after the route first saw it (its body read
 *       and parsed behind a saturated dispatcher) is refused at once: its client may be gone by the time the work
 *       is done, and the work would only delay the batches behind it;
 *   <li>the whole request is answered within {@code timeout} of its arrival (Pekko's request timeout, measured from
 *       the end of the request, so it counts the wait before the route too); the entity is asked with what is left
 *       of it, so that a batch's slot is free again when its client has had its answer.
 * </ul>
 *
 * A refused batch was not written; one that timed out may have been (the entity may still persist it), and a retry
 * with the same event ids answers {@code duplicate} for what was.
 */
final class IngestGate {
  /** The entity gets at least this much of the request's time, else the batch is refused unwritten. */
  private static final Duration MIN_ASK = Duration.ofMillis(250);
  /** Room left for the route's own answer before Pekko's timeout answers in its place. */
  private static final Duration ANSWER_MARGIN = Duration.ofMillis(500);

  record Settings(int maxInFlight, Duration timeout, Duration maxQueueTime) {
    Settings {
      if (maxInFlight < 1) throw new IllegalArgumentException("hireloop.http.max-ingest-in-flight must be >= 1");
      if (timeout.compareTo(MIN_ASK.plus(ANSWER_MARGIN).multipliedBy(2)) < 0) {
        throw new IllegalArgumentException("hireloop.http.ingest-timeout must be at least 1.5 s");
      }
    }

    static Settings from(Config config) {
      return new Settings(config.getInt("hireloop.http.max-ingest-in-flight"), config.getDuration("hireloop.http.ingest-timeout"),
          config.getDuration("hireloop.http.max-ingest-queue-time"));
    }
  }

  private final Settings settings;
  private final Semaphore slots;

  IngestGate(Settings settings) {
    this.settings = settings;
    this.slots = new Semaphore(settings.maxInFlight());
  }

  Duration timeout() {
    return settings.timeout();
  }

  /**
   * Takes a slot for a batch of {@code events} first seen at {@code arrivedNanos} (System.nanoTime()), or answers
   * the 503 that refuses it. A taken slot must be given back with {@link #release()}.
   */
  Optional<HttpResponse> admit(long arrivedNanos, int events) {
    var queued = Duration.ofNanos(System.nanoTime() - arrivedNanos);
    if (queued.compareTo(settings.maxQueueTime()) > 0) {
      return Optional.of(overloaded(events, "this batch waited " + queued.toMillis() + " ms on this node before it could be "
          + "admitted (over " + settings.maxQueueTime().toMillis() + " ms)"));
    }
    if (!slots.tryAcquire()) {
      return Optional.of(overloaded(events, "more than " + settings.maxInFlight() + " ingest requests in progress on this node"));
    }
    return Optional.empty();
  }

  void release() {
    slots.release();
  }

  /**
   * How long the entity may take: what is left of the request's time after the wait so far, less the room for the
   * answer; empty when too little is left (then the batch is refused unwritten with {@link #tooLate}).
   */
  Optional<Duration> askTimeout(long arrivedNanos) {
    var left = settings.timeout().minus(Duration.ofNanos(System.nanoTime() - arrivedNanos)).minus(ANSWER_MARGIN);
    return left.compareTo(MIN_ASK) < 0 ? Optional.empty() : Optional.of(left);
  }

  HttpResponse tooLate(int events) {
    return overloaded(events, "this batch waited too long for admission (ingest pacing) to be written within "
        + settings.timeout().toMillis() + " ms");
  }

  private static HttpResponse overloaded(int events, String why) {
    Metrics.EVENTS_INGESTED.labels("overloaded").inc(events);
    return ApiError.response(StatusCodes.SERVICE_UNAVAILABLE, "overloaded", why + "; nothing was written, retry after 1 s",
        List.of()).addHeader(RetryAfter.create(1L));
  }

  /**
   * Pekko's answer to a request that had none within its request timeout (pekko.http.server.request-timeout, for
   * ingest {@code hireloop.http.ingest-timeout}), in place of its plain-text 503: the API's error body and
   * {@code Retry-After}. The request's work may still finish after it (an ingest may be stored).
   */
  static HttpResponse timedOut(HttpRequest request) {
    Metrics.HTTP_TIMEOUTS.labels(Routes.routeLabel(request.getUri().path())).inc();
    return ApiError.unavailable("no answer within this node's request timeout (it is overloaded); retry after 1 s — an "
        + "ingest that timed out may or may not have been stored, and a retry with the same event_ids is safe").response()
        .addHeader(RetryAfter.create(1L));
  }
}
