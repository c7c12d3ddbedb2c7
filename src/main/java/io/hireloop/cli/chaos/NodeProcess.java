package io.hireloop.cli.chaos;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.hireloop.platform.cassandra.ChildLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Hireloop node in a child JVM ({@code io.hireloop.Main serve --config FILE}, the classpath of this JVM), so that
 * it can be killed for real: {@link #kill()} is SIGKILL — no shutdown hook, no cluster leave, no flush. The child
 * runs under {@link ChildLauncher}, which ends it when this JVM goes away (its stdin pipe closes), so a crashed test
 * leaves no node behind.
 */
final class NodeProcess implements AutoCloseable {
  private final int index;
  private final Process process;
  private final Path log;
  private final int httpPort;

  private NodeProcess(int index, Process process, Path log, int httpPort) {
    this.index = index;
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
  }

  /**
   * Starts node {@code index} with {@code config} (HOCON paths → values, over application.conf) whose
   * {@code hireloop.http.port} must be set; files go to {@code dir} (node-N.conf, node-N.log).
   */
  static NodeProcess start(int index, Path dir, Map<String, Object> config, String maxHeap) {
    return start(index, dir, ConfigFactory.parseMap(config), maxHeap);
  }

  /** {@link #start(int, Path, Map, String)} with a resolved configuration (over application.conf in the child). */
  static NodeProcess start(int index, Path dir, Config config, String maxHeap) {
    try {
      Files.createDirectories(dir);
      var conf = dir.resolve("node-" + index + ".conf");
      Files.writeString(conf, config.root().render(ConfigRenderOptions.defaults().setOriginComments(false)));
      var log = dir.resolve("node-" + index + ".log");
      var cmd = new ArrayList<String>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError",
          "-Dhireloop.cassandra.node-lock=" + dir.resolve("node-" + index + ".lock").toAbsolutePath()));
      var javacpp = System.getProperty("org.bytedeco.javacpp.cachedir");
      if (javacpp != null) cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + javacpp);
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildLauncher.class.getName(),
          "io.hireloop.Main", "serve", "--config", conf.toAbsolutePath().toString()));
      var builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("OMP_NUM_THREADS", "1");
      // stdin stays an open pipe: ChildLauncher ends the node when it closes (this JVM gone)
      return new NodeProcess(index, builder.start(), log, config.getInt("hireloop.http.port"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start app node " + index + ": " + e.getMessage(), e);
    }
  }

  int index() {
    return index;
  }

  Path log() {
    return log;
  }

  String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Blocks until GET /health/ready answers 200 (the node is Up in its cluster and reaches Cassandra). */
  void awaitReady(Duration timeout) {
    var http = new ChaosHttp(Duration.ofSeconds(3));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("app node " + index + " exited with " + process.exitValue() + "; end of " + log + ":\n" + tail());
      }
      if (http.get(url() + "/health/ready", null).ok()) return;
      try {
        process.waitFor(500, TimeUnit.MILLISECONDS); // the poll interval, cut short if the node dies
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for app node " + index);
      }
    }
    throw new IllegalStateException("app node " + index + " not ready after " + timeout.toSeconds() + " s; end of " + log + ":\n" + tail());
  }

  /** kill -9: the JVM ends at once, whatever it was doing. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM (the node leaves the cluster and stops), SIGKILL after 60 s. */
  @Override
  public void close() {
    if (!process.isAlive()) return;
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) kill();
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
    }
  }

  String tail() {
    try {
      var lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ")";
    }
  }
}
