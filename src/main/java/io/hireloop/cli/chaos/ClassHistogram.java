package io.hireloop.cli.chaos;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.ObjectName;

/**
 * The live objects of this JVM by class ({@code GC.class_histogram}, the same as {@code jcmd PID GC.class_histogram}),
 * taken right after the full collection the command performs. Two of them, at the start and the end of a long run,
 * say what grew and by how much — the question a rising heap-after-GC curve raises but cannot answer.
 */
record ClassHistogram(Map<String, Entry> byClass, long totalBytes) {
  record Entry(String className, long instances, long bytes) {}

  record Growth(String className, long instances, long bytes) {}

  /** Runs the diagnostic command (a full GC first: use it at the edges of a measurement, never inside one). */
  static ClassHistogram takeLive() {
    try {
      var server = ManagementFactory.getPlatformMBeanServer();
      var name = new ObjectName("com.sun.management:type=DiagnosticCommand");
      var text = (String) server.invoke(name, "gcClassHistogram", new Object[] {new String[0]},
          new String[] {String[].class.getName()});
      return parse(text);
    } catch (Exception e) {
      throw new IllegalStateException("GC.class_histogram is not available in this JVM: " + e.getMessage(), e);
    }
  }

  /** Lines {@code "  1:   12345   678901  java.lang.String (java.base@17)"} and {@code "Total  N  B"}. */
  static ClassHistogram parse(String text) {
    var byClass = new HashMap<String, Entry>();
    long total = 0;
    for (var line : text.split("\n")) {
      var parts = line.trim().split("\\s+");
      if (parts.length >= 4 && parts[0].endsWith(":")) {
        var entry = new Entry(parts[3], Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        byClass.merge(entry.className(), entry, (a, b) -> new Entry(a.className(), a.instances() + b.instances(), a.bytes() + b.bytes()));
      } else if (parts.length == 3 && parts[0].equals("Total")) {
        total = Long.parseLong(parts[2]);
      }
    }
    return new ClassHistogram(byClass, total);
  }

  /** The {@code top} classes whose live bytes grew most from {@code before} to this one. */
  List<Growth> grownSince(ClassHistogram before, int top) {
    var grown = new ArrayList<Growth>();
    for (var e : byClass.values()) {
      var b = before.byClass().getOrDefault(e.className(), new Entry(e.className(), 0, 0));
      grown.add(new Growth(e.className(), e.instances() - b.instances(), e.bytes() - b.bytes()));
    }
    grown.sort(Comparator.comparingLong(Growth::bytes).reversed());
    return grown.subList(0, Math.min(top, grown.size()));
  }

  static String describe(Growth g) {
    return String.format(Locale.ROOT, "%+9.1f MiB %+,12d instances  %s", g.bytes() / 1048576.0, g.instances(), g.className());
  }
}
