package io.hireloop.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Terminal progress: {@code [#####.....] 52% 3,410/6,500 events 812/s}. On a terminal the bar is redrawn in
 * place with {@code \r}; otherwise (a pipe, a log file, a test) it is printed as plain lines, at most one per
 * {@code plainEveryNanos}, plus the final one. {@link #line} prints a message above an active bar.
 * Thread-safe: the stream listener and the sender may print at the same time.
 */
final class ProgressBar {
  static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean terminal;
  private final long plainEveryNanos;
  private String bar; // the bar on the current terminal line, or null
  private long lastPlain;
  private boolean printedPlain;

  ProgressBar(PrintStream out, boolean terminal, long plainEveryNanos) {
    this.out = out;
    this.terminal = terminal;
    this.plainEveryNanos = plainEveryNanos;
  }

  /** For stdout: a terminal when there is a console. */
  static ProgressBar stdout(PrintStream out) {
    return new ProgressBar(out, out == System.out && System.console() != null, 3_000_000_000L);
  }

  /** {@code [#####.....] 52% 3,410/6,500 events 812/s}; the rate is left out when negative. */
  static String format(long done, long total, String unit, double perSecond) {
    double fraction = total <= 0 ? 1 : Math.max(0, Math.min(1, (double) done / total));
    int filled = (int) Math.floor(fraction * WIDTH);
    var sb = new StringBuilder(WIDTH + 48);
    sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
    sb.append(String.format(Locale.ROOT, "%3d%% %,d/%,d %s", (int) Math.floor(fraction * 100), done, total, unit));
    if (perSecond >= 0) sb.append(String.format(Locale.ROOT, " %,.0f/s", perSecond));
    return sb.toString();
  }

  /** Shows progress; {@code last} forces the plain line and ends the terminal line. */
  synchronized void update(String prefix, long done, long total, String unit, double perSecond, boolean last) {
    var text = prefix + format(done, total, unit, perSecond);
    if (terminal) {
      out.print("\r" + text + pad(text));
      bar = last ? null : text;
      if (last) out.println();
      out.flush();
      return;
    }
    long now = System.nanoTime();
    if (last || !printedPlain || now - lastPlain >= plainEveryNanos) {
      printedPlain = true;
      lastPlain = now;
      out.println(text);
    }
  }

  /** A message line; an active terminal bar is cleared first and redrawn under it. */
  synchronized void line(String text) {
    if (terminal && bar != null) {
      out.print("\r" + " ".repeat(bar.length()) + "\r");
      out.println(text);
      out.print(bar);
      out.flush();
    } else {
      out.println(text);
    }
  }

  private String previous = "";

  private String pad(String text) {
    int extra = previous.length() - text.length();
    previous = text;
    return extra > 0 ? " ".repeat(extra) : "";
  }
}
