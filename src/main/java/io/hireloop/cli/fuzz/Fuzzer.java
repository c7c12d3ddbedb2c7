package io.hireloop.cli.fuzz;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs one target on mutated inputs until a count or a time is reached; collects findings. */
public final class Fuzzer {
  /** One input that broke the contract: what went wrong, and the input (cut to {@link #PREVIEW} characters). */
  public record Finding(String problem, String input) {}

  /**
   * {@code distinct}: findings by kind (the violated rule, the exception class and where it was thrown, or slow),
   * each kept once with its first problem and input; {@code slowestMillis}: the longest single execution.
   */
  public record Report(String target, long seed, long executions, long accepted, int findings, Map<String, Finding> distinct,
      Duration elapsed, double slowestMillis) {
    public boolean clean() {
      return findings == 0;
    }
  }

  static final int PREVIEW = 300;
  static final int MAX_DISTINCT = 50;
  /** An input that takes longer than this is a finding: the parsers are linear in their input. */
  public static final Duration SLOW = Duration.ofSeconds(2);

  private Fuzzer() {}

  public static Report run(FuzzTarget target, long seed, long maxExecutions, Duration maxTime) {
    var mutator = new JsonMutator(seed, target.seeds(), target.dictionary());
    var distinct = new LinkedHashMap<String, Finding>();
    long start = System.nanoTime();
    long deadline = start + maxTime.toNanos();
    long executions = 0;
    int findings = 0;
    long slowest = 0;
    long accepted = 0;
    var inputs = new ArrayList<byte[]>(target.seeds().stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
    while (executions < maxExecutions && System.nanoTime() < deadline) {
      // the seeds first (they must pass), then mutations
      byte[] input = executions < inputs.size() ? inputs.get((int) executions) : mutator.next();
      long t0 = System.nanoTime();
      String problem = null;
      String key = null;
      try {
        if (target.check().run(input) == FuzzTarget.Outcome.ACCEPTED) accepted++;
      } catch (FuzzTarget.Violation v) {
        key = v.rule;
        problem = firstLine(v.getMessage());
      } catch (Throwable t) { // StackOverflowError included: any escape is a finding
        problem = t.getClass().getName() + ": " + firstLine(t.getMessage()) + at(t);
        key = t.getClass().getName() + at(t);
      }
      long took = System.nanoTime() - t0;
      slowest = Math.max(slowest, took);
      if (problem == null && took > SLOW.toNanos()) {
        problem = "slow: " + took / 1_000_000 + " ms for " + input.length + " bytes";
        key = "slow";
      }
      executions++;
      if (problem != null) {
        findings++;
        if (distinct.size() < MAX_DISTINCT) distinct.putIfAbsent(key, new Finding(problem, preview(input)));
      }
    }
    return new Report(target.name(), seed, executions, accepted, findings, distinct, Duration.ofNanos(System.nanoTime() - start), slowest / 1e6);
  }

  private static String firstLine(String message) {
    if (message == null) return "";
    var line = message.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  /** Where it was thrown: the first frame in io.hireloop, so that findings of one bug group together. */
  private static String at(Throwable t) {
    for (var frame : t.getStackTrace()) {
      if (frame.getClassName().startsWith("io.hireloop.") && !frame.getClassName().startsWith("io.hireloop.cli.fuzz.")) {
        return " at " + frame.getClassName() + "." + frame.getMethodName() + ":" + frame.getLineNumber();
      }
    }
    return "";
  }

  static String preview(byte[] input) {
    var text = new String(input, StandardCharsets.UTF_8);
    return text.length() > PREVIEW ? text.substring(0, PREVIEW) + "… (" + input.length + " bytes)" : text;
  }

  /** The report as the fuzz command prints it. */
  public static List<String> lines(Report r) {
    var out = new ArrayList<String>();
    out.add(String.format("%-7s seed %d: %,d executions (%,d accepted, %,d refused) in %.1f s (%,.0f/s), slowest %.1f ms, %d finding(s)%s",
        r.target(), r.seed(), r.executions(), r.accepted(), r.executions() - r.accepted(), r.elapsed().toMillis() / 1e3, r.executions() / Math.max(1e-9, r.elapsed().toNanos() / 1e9), r.slowestMillis(),
        r.findings(), r.distinct().isEmpty() ? "" : ", " + r.distinct().size() + " distinct:"));
    r.distinct().values().forEach(f -> {
      out.add("  - " + f.problem());
      out.add("    input: " + f.input().replace("\n", "\\n"));
    });
    return out;
  }
}
