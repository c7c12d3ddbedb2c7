package io.hireloop.cli;

import io.hireloop.platform.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's view of the node's ingest pacing: twice a second the pace, the read-side lag it follows and
 * the events accepted so far, read from the node's own metrics (the node runs in the bench's JVM). Per second
 * of a phase it tells whether the pace let the clients run ahead of what the read side showed it takes.
 */
final class PaceTrace implements AutoCloseable {
  /** One reading: pace events/s (negative: unpaced), read-side lag, events accepted since the node started. */
  record Sample(long atMillis, double pace, double lagSeconds, double accepted) {}

  private final List<Sample> samples = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    var t = new Thread(r, "bench-pace-trace");
    t.setDaemon(true);
    return t;
  });

  PaceTrace() {
    timer.scheduleAtFixedRate(this::sample, 0, 500, TimeUnit.MILLISECONDS);
  }

  private void sample() {
    var s = new Sample(System.currentTimeMillis(), Metrics.INGEST_PACE.get(), Metrics.INGEST_READ_SIDE_LAG.get(),
        Metrics.EVENTS_INGESTED.labels("accepted").get());
    synchronized (samples) {
      samples.add(s);
    }
  }

  /**
   * One line for the samples in [{@code from}, {@code to}) (epoch ms): per second of the phase the largest pace
   * (events/s, "-" unpaced), the events accepted and the largest read-side lag, e.g. {@code 12: 240/198/1.31};
   * then the share of samples paced and the largest pace.
   */
  String summary(long from, long to) {
    synchronized (samples) {
      return summary(samples, from, to);
    }
  }

  static String summary(List<Sample> samples, long from, long to) {
    var in = samples.stream().filter(s -> s.atMillis() >= from && s.atMillis() < to).toList();
    if (in.size() < 2) return "no samples";
    var line = new StringBuilder();
    int paced = 0;
    double maxPace = -1;
    Sample prev = in.get(0);
    int second = -1;
    double secondPace = -1;
    double secondLag = 0;
    double secondFrom = prev.accepted();
    for (var s : in) {
      int sec = (int) ((s.atMillis() - from) / 1000);
      if (sec != second) {
        if (second >= 0) appendSecond(line, second, secondPace, prev.accepted() - secondFrom, secondLag);
        second = sec;
        secondPace = -1;
        secondLag = 0;
        secondFrom = prev.accepted();
      }
      secondPace = Math.max(secondPace, s.pace());
      secondLag = Math.max(secondLag, s.lagSeconds());
      if (s.pace() >= 0) paced++;
      maxPace = Math.max(maxPace, s.pace());
      prev = s;
    }
    appendSecond(line, second, secondPace, prev.accepted() - secondFrom, secondLag);
    return String.format(Locale.ROOT, "paced in %d of %d samples, largest pace %s; second -> pace/accepted/read-side lag s: %s",
        paced, in.size(), maxPace < 0 ? "-" : String.format(Locale.ROOT, "%.0f", maxPace), line);
  }

  private static void appendSecond(StringBuilder line, int second, double pace, double accepted, double lag) {
    if (line.length() > 0) line.append(", ");
    line.append(second).append(": ").append(pace < 0 ? "-" : String.format(Locale.ROOT, "%.0f", pace))
        .append('/').append(Math.round(accepted)).append('/').append(String.format(Locale.ROOT, "%.2f", lag));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
