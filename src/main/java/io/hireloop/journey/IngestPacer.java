package io.hireloop.journey;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Paces ingest on one node to what the node's read side keeps up with: the projections report how far
 * behind the journal each group they handled was. While the read side is behind ({@link #lagMillis} above the
 * target, and some instance late on groups for a window on end: a backlog, not one batch handled late after a
 * quiet spell) the pace is cut multiplicatively, at most once per two windows (what the read side shows until
 * then was admitted before the cut). Below the target it grows again: freely while it holds clients back (a batch
 * held within the rate window, or a refused client not yet back), otherwise never past {@code ceiling} times the
 * rate that started over the last two windows (a pace far above what the clients send would let their next burst
 * through, seconds before the read side could show it). Until the read side first falls behind, nothing is paced,
 * except that a burst larger than {@code burst} events starts paced (slow start) and grows by
 * {@code growthPerSecond}; after a cut it grows by the smaller {@code probePerSecond} (the read side shows an
 * overshoot only seconds later, so the pace approaches the rate that overloaded it slowly). After a rate window
 * with nothing admitted, a slow start ends; a pace set by a cut is kept (lowered to at most the slow start's):
 * clients that back off on a refusal are idle for seconds, and a restart from the slow start sent their next
 * burst at several times what the read side had shown it takes.
 *
 * <p>Admission is a token bucket on a virtual clock: a batch starts when the batches before it have used up
 * their share of the rate, and is refused (the caller answers 429 with Retry-After) when that start is more
 * than {@code maxWait} away. A batch is never split or refused for its size alone: a large batch admitted now
 * only makes the next ones wait longer.
 *
 * <p>Pure and single-threaded behind its monitor: every method takes the clock (epoch milliseconds), so it is
 * tested without a node.
 */
public final class IngestPacer {

  /**
   * @param targetLag read-side lag (journal write to handler done, newest event of a group) above which ingest
   *     is slowed; the floor is the events-by-tag consistency delay plus one poll
   * @param maxWait longest a batch is held before it is refused
   * @param minRate events/s the pace never goes below (ingest never stops altogether)
   * @param window how long a projection's lag report counts; two windows are the spacing of two cuts (the
   *     lag reacts to a cut only after the consistency delay, and shows the old pace until then)
   * @param rateWindow over how long the admitted rate (what a cut starts from) is measured: long enough that
   *     batches arriving in bursts, or a lull before the cut, do not make it look tiny
   * @param decrease factor applied to the admitted rate when the lag is above target
   * @param growthPerSecond relative growth of the rate per second while the lag is below target and the read
   *     side has not fallen behind since pacing started (slow start)
   * @param probePerSecond relative growth of the rate per second while the lag is below target after a cut
   * @param ceiling while it holds no client back, the rate grows to at most this multiple of the rate started
   *     over the last two windows
   * @param burst slow start: unpaced, at most this many events are admitted within two windows (the time the
   *     read side takes to show a backlog); more, and the pace starts at {@code burst} per two windows and
   *     grows from there. 0: no slow start
   */
  public record Settings(Duration targetLag, Duration maxWait, double minRate, Duration window, Duration rateWindow,
      double decrease, double growthPerSecond, double probePerSecond, double ceiling, int burst) {
    public Settings {
      if (targetLag.isNegative() || targetLag.isZero()) throw new IllegalArgumentException("target-lag must be positive");
      if (maxWait.isNegative()) throw new IllegalArgumentException("max-wait must not be negative");
      if (!(minRate > 0)) throw new IllegalArgumentException("min-rate must be positive");
      if (rateWindow.compareTo(window) < 0) throw new IllegalArgumentException("rate-window must be at least window");
      if (!(decrease > 0 && decrease < 1)) throw new IllegalArgumentException("decrease must be in (0, 1)");
      if (!(growthPerSecond > 0)) throw new IllegalArgumentException("growth-per-second must be positive");
      if (!(probePerSecond > 0)) throw new IllegalArgumentException("probe-per-second must be positive");
      if (!(ceiling >= 1)) throw new IllegalArgumentException("ceiling must be at least 1");
      if (burst < 0) throw new IllegalArgumentException("burst must not be negative");
    }
  }

  /**
   * What to do with a batch: wait {@code waitMillis} then write it, or (not admitted) refuse it and tell the
   * caller to retry after {@code retryAfterSeconds}. {@code limit} is the pace in events/s (infinite: unpaced)
   * and {@code lagMillis} the read-side lag it is based on.
   */
  public record Admission(boolean admitted, long waitMillis, long retryAfterSeconds, double limit, long lagMillis) {}

  /** A rate above this is as good as none: pacing stops. */
  static final double UNPACED_ABOVE = 1e6;

  private final Settings settings;
  /** projection instance → its reports {reported at, lag ms} within the window, oldest first. */
  private final Map<String, ArrayDeque<long[]>> reports = new HashMap<>();
  /** projection instance → when it last reported, and when its current run of reports (none two windows apart) began. */
  private final Map<String, Long> lastReport = new HashMap<>();
  private final Map<String, Long> busySince = new HashMap<>();
  /** {start (ms), events} of the batches admitted within the last rate window or queued, oldest first. */
  private final ArrayDeque<long[]> admitted = new ArrayDeque<>();
  private double limit = Double.POSITIVE_INFINITY;
  private double nextFree;
  /** The read side fell behind since pacing started: grow by probe-per-second. */
  private boolean probing;
  private long lastCut = Long.MIN_VALUE / 2;
  private long lastTick = -1;
  /** When a batch last had to wait, or when the last refused client is due back (its Retry-After). */
  private long heldUntil = Long.MIN_VALUE / 2;

  public IngestPacer(Settings settings) {
    this.settings = settings;
  }

  /** A projection instance finished a group whose newest event was written at {@code newestWritten}. */
  public synchronized void groupHandled(String instance, long newestWritten, long now) {
    Long last = lastReport.put(instance, now);
    if (last == null || now - last > reaction()) busySince.put(instance, now);
    reports.computeIfAbsent(instance, k -> new ArrayDeque<>()).addLast(new long[] {now, Math.max(0, now - newestWritten)});
  }

  /**
   * Whether some projection instance has been late on every group within the window, and handling groups for at
   * least a window with no pause longer than two (a slow instance reports a big group a second or more after the
   * one before): a backlog. One batch handled after a quiet spell is late by its own handling time however
   * slow the pace (at 10 events/s in batches of 100, 1.5-1.7 s on a cold node); cutting for that only stalled the
   * pace at min-rate.
   */
  private boolean behind(long now) {
    for (var e : reports.entrySet()) {
      if (bestWithinWindow(e.getValue(), now) > settings.targetLag().toMillis()
          && lastReport.get(e.getKey()) - busySince.get(e.getKey()) >= settings.window().toMillis()) return true;
    }
    return false;
  }

  /**
   * The smallest lag in an instance's reports within the window (one slow write is not a backlog; an instance
   * that is behind is late on every group), forgetting older reports; 0 when none is left.
   */
  private long bestWithinWindow(ArrayDeque<long[]> r, long now) {
    while (!r.isEmpty() && now - r.peekFirst()[0] > settings.window().toMillis()) r.pollFirst();
    long best = r.isEmpty() ? 0 : Long.MAX_VALUE;
    for (var report : r) best = Math.min(best, report[1]);
    return best;
  }

  /**
   * How far behind the read side is: for each projection instance the smallest lag it reported within the
   * window (one slow write is not a backlog; an instance that is behind is late on every group), the worst
   * instance counts. 0 when nothing was reported (idle, or caught up long ago).
   */
  public synchronized long lagMillis(long now) {
    long worst = 0;
    for (var it = reports.values().iterator(); it.hasNext(); ) {
      var r = it.next();
      worst = Math.max(worst, bestWithinWindow(r, now));
      if (r.isEmpty()) it.remove();
    }
    return worst;
  }

  /** Events/s started over the last rate window (a batch held for later counts from its start). */
  public synchronized double admittedRate(long now) {
    long window = settings.rateWindow().toMillis();
    return admittedWithin(window, now) * 1000.0 / window;
  }

  /** Events of the batches that started within the last {@code millis}; forgets what left the rate window. */
  private long admittedWithin(long millis, long now) {
    long keep = Math.max(millis, settings.rateWindow().toMillis());
    while (!admitted.isEmpty() && now - admitted.peekFirst()[0] > keep) admitted.pollFirst();
    long events = 0;
    for (var a : admitted) if (a[0] <= now && now - a[0] <= millis) events += a[1];
    return events;
  }

  /** Admissions still remembered (bounded by the rate window). */
  synchronized int remembered() {
    return admitted.size();
  }

  /** Current pace in events/s; infinite when unpaced. */
  public synchronized double limit() {
    return limit;
  }

  /** Re-decides the pace from the lag reports; call it a few times a second. */
  public synchronized void tick(long now) {
    long elapsed = lastTick < 0 ? 0 : now - lastTick;
    lastTick = now;
    long lag = lagMillis(now);
    if (lag > settings.targetLag().toMillis()) {
      if (!behind(now)) return; // late, but not (yet) for a window on end
      if (now - lastCut < reaction()) return; // the lag still shows what was admitted before the last cut
      double rate = admittedRate(now);
      // from what was admitted, unless the pace held clients back (then refused ones, away for their Retry-After,
      // make the admitted rate look smaller than the pace that overloaded the read side)
      double base = Double.isInfinite(limit) ? rate
          : binds(now) ? limit : Math.min(limit, Math.max(rate, settings.minRate()));
      if (Double.isInfinite(limit)) nextFree = now;
      limit = Math.max(settings.minRate(), base * settings.decrease());
      lastCut = now;
      probing = true;
    } else if (!Double.isInfinite(limit)) {
      admittedWithin(0, now); // forgets what left the rate window
      if (admitted.isEmpty()) { // nothing started within a rate window, nothing queued: the clients are idle
        if (!probing) unpaced(); // the read side never fell behind: the next burst meets the slow start
        else if (settings.burst() > 0) limit = Math.min(limit, slowStartRate()); // it did: keep what was learned
        return;
      }
      double growth = probing ? settings.probePerSecond() : settings.growthPerSecond();
      double grown = limit * Math.pow(1 + growth, elapsed / 1000.0);
      if (binds(now)) {
        limit = grown;
      } else {
        double used = admittedWithin(reaction(), now) * 1000.0 / reaction();
        limit = Math.max(limit, Math.min(grown, settings.ceiling() * used));
      }
      if (limit > UNPACED_ABOVE) unpaced();
    }
  }

  private void unpaced() {
    limit = Double.POSITIVE_INFINITY;
    probing = false;
  }

  /**
   * The pace holds clients back: a batch was held within the last rate window, or a refused client is not yet
   * a rate window past its Retry-After (while it is away, the rate it got says nothing of what it wants).
   */
  private boolean binds(long now) {
    return now - heldUntil <= settings.rateWindow().toMillis();
  }

  private double slowStartRate() {
    return Math.max(settings.minRate(), settings.burst() * 1000.0 / reaction());
  }

  /**
   * Two windows: how long the read side takes to show what was admitted (a backlog, or none), so also how long
   * a cut takes to show.
   */
  private long reaction() {
    return 2 * settings.window().toMillis();
  }

  /** Decides on a batch of {@code events} arriving now; an admitted batch is counted at its start. */
  public synchronized Admission admit(int events, long now) {
    long lag = lagMillis(now);
    long recent = admittedWithin(reaction(), now); // also forgets what left the rate window
    if (Double.isInfinite(limit)) {
      if (settings.burst() == 0 || recent + events <= settings.burst()) {
        admitted.addLast(new long[] {now, events});
        return new Admission(true, 0, 0, limit, lag);
      }
      // slow start: a burst from a quiet read side would be a backlog before the lag could show it
      limit = slowStartRate();
      nextFree = now;
    }
    double start = Math.max(now, nextFree);
    long wait = (long) Math.ceil(start - now);
    if (wait > settings.maxWait().toMillis()) {
      long retryAfter = Math.max(1, (long) Math.ceil(wait / 1000.0));
      heldUntil = Math.max(heldUntil, now + retryAfter * 1000);
      return new Admission(false, wait, retryAfter, limit, lag);
    }
    if (wait > 0) heldUntil = Math.max(heldUntil, now);
    nextFree = start + events * 1000.0 / limit;
    admitted.addLast(new long[] {(long) start, events});
    return new Admission(true, wait, 0, limit, lag);
  }
}
