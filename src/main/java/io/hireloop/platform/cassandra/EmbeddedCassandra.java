package io.hireloop.platform.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A real single-node Cassandra, run in a child JVM from the {@code cassandra-all} jars Maven resolved
 * (their paths are in the classpath file written by {@code src/embedded-cassandra/pom.xml}). A child
 * JVM keeps Cassandra's dependencies (Guava, Netty, logback 1.2, …) away from the application's.
 *
 * <p>Everything lives under {@code <dataDir>/cassandra/}: data, commitlog, saved_caches, hints,
 * cdc_raw, conf (regenerated on each start), logs (system.log, stdout.log) and ports.properties.
 *
 * <p>The child stops when {@link #close()} is called, when this JVM exits (shutdown hook), and when this
 * JVM is killed (the child sees its stdin pipe close; see {@link ChildLauncher}).
 */
public final class EmbeddedCassandra implements AutoCloseable {
  private static final String DAEMON = "org.apache.cassandra.service.CassandraDaemon";
  private static final String CLASSPATH_PROPERTY = "hireloop.cassandra.classpath-file";
  private static final String UNSAFE_SYSTEM_PROPERTY = "hireloop.cassandra.unsafe-system";
  private static final Duration STOP_GRACE = Duration.ofSeconds(60);
  private static final Pattern CASSANDRA_JAR = Pattern.compile(".*cassandra-all-([^/\\\\]+)\\.jar");

  /**
   * @param dataDir the application's data directory; the node uses {@code dataDir/cassandra}
   * @param cqlPort 0 picks a free port, remembered in ports.properties and reused while it is free
   * @param maxHeap the child's -Xms/-Xmx, e.g. "1G"
   * @param startTimeout how long {@link #start} waits for the node to answer CQL
   * @param classpathFile colon-separated jar paths of cassandra-all and its dependencies
   * @param ring the node's address and its cluster ({@link Ring#SINGLE}: a one-node cluster on 127.0.0.1)
   * @param jvmOptions more flags for the child JVM, after the usual ones (so they win where they overlap)
   */
  public record Settings(Path dataDir, int cqlPort, String maxHeap, Duration startTimeout, Path classpathFile, Ring ring,
      List<String> jvmOptions) {
    public Settings {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(maxHeap, "maxHeap");
      Objects.requireNonNull(startTimeout, "startTimeout");
      Objects.requireNonNull(classpathFile, "classpathFile");
      Objects.requireNonNull(ring, "ring");
      jvmOptions = List.copyOf(jvmOptions);
      if (cqlPort < 0 || cqlPort > 65535) throw new IllegalArgumentException("cqlPort out of range: " + cqlPort);
    }

    public Settings(Path dataDir, int cqlPort, String maxHeap, Duration startTimeout, Path classpathFile) {
      this(dataDir, cqlPort, maxHeap, startTimeout, classpathFile, Ring.SINGLE, List.of());
    }

    /** Free CQL port, 2G heap, 180 s to start, classpath file from -Dhireloop.cassandra.classpath-file. */
    public static Settings defaults(Path dataDir) {
      var classpathFile = System.getProperty(CLASSPATH_PROPERTY, "target/cassandra.classpath");
      return new Settings(dataDir, 0, "2G", Duration.ofSeconds(180), Path.of(classpathFile));
    }

    public Settings withCqlPort(int port) {
      return new Settings(dataDir, port, maxHeap, startTimeout, classpathFile, ring, jvmOptions);
    }

    public Settings withMaxHeap(String heap) {
      return new Settings(dataDir, cqlPort, heap, startTimeout, classpathFile, ring, jvmOptions);
    }

    public Settings withStartTimeout(Duration timeout) {
      return new Settings(dataDir, cqlPort, maxHeap, timeout, classpathFile, ring, jvmOptions);
    }

    public Settings withRing(Ring ring) {
      return new Settings(dataDir, cqlPort, maxHeap, startTimeout, classpathFile, ring, jvmOptions);
    }

    public Settings withJvmOptions(List<String> options) {
      return new Settings(dataDir, cqlPort, maxHeap, startTimeout, classpathFile, ring, options);
    }
  }

  /**
   * Where the node listens and which cluster it joins. Nodes of one cluster on one machine differ by address
   * (127.0.0.1, 127.0.0.2, ...: Linux routes all of 127/8 to the loopback interface) and share the storage port.
   *
   * @param host listen and CQL address
   * @param storagePort inter-node port; 0 picks a free one (a single node only: the nodes of a ring must agree)
   * @param seeds {@code host:port,...} of the seed nodes; null: the node is its own seed (a single node)
   * @param clusterName nodes join only a cluster of their own name
   * @param initialToken the node's token (Murmur3), fixed so that nodes of a new ring started at once never pick the
   *     same one and a restart finds the same ring; null: Cassandra picks one at random on the first start
   */
  public record Ring(String host, int storagePort, String seeds, String clusterName, String initialToken) {
    public static final Ring SINGLE = new Ring("127.0.0.1", 0, null, "Hireloop embedded");

    public Ring {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(clusterName, "clusterName");
      if (storagePort < 0 || storagePort > 65535) throw new IllegalArgumentException("storagePort out of range: " + storagePort);
      if (seeds != null && storagePort == 0) throw new IllegalArgumentException("the nodes of a ring need a fixed storage port");
      if (initialToken != null) Long.parseLong(initialToken); // a Murmur3 token is a long; anything else fails the start
    }

    public Ring(String host, int storagePort, String seeds, String clusterName) {
      this(host, storagePort, seeds, clusterName, null);
    }

    /**
     * Node {@code index} (0-based) of a new ring of {@code size} nodes on {@code hosts[0..size)} sharing {@code storagePort}:
     * every node is a seed (a node that is not waits, at its first start, for a seed to answer; here they all start
     * at once) and owns an equal share of the Murmur3 range.
     */
    public static Ring member(List<String> hosts, int index, int storagePort, String clusterName) {
      if (index < 0 || index >= hosts.size()) throw new IllegalArgumentException("no node " + index + " in " + hosts);
      var seeds = String.join(",", hosts.stream().map(h -> h + ":" + storagePort).toList());
      var span = java.math.BigInteger.ONE.shiftLeft(64).divide(java.math.BigInteger.valueOf(hosts.size()));
      var token = java.math.BigInteger.valueOf(Long.MIN_VALUE).add(span.multiply(java.math.BigInteger.valueOf(index)));
      return new Ring(hosts.get(index), storagePort, seeds, clusterName, token.toString());
    }

    boolean single() {
      return seeds == null;
    }
  }

  private final Process process;
  private final FileChannel lockChannel;
  private final String host;
  private final int cqlPort;
  private final String version;
  private final Thread shutdownHook;
  private boolean closed;

  private EmbeddedCassandra(Process process, FileChannel lockChannel, String host, int cqlPort, String version) {
    this.process = process;
    this.lockChannel = lockChannel;
    this.host = host;
    this.cqlPort = cqlPort;
    this.version = version;
    this.shutdownHook = new Thread(this::stop, "embedded-cassandra-stop");
  }

  /**
   * Starts the node and blocks until it has executed a CQL query.
   *
   * @throws IllegalStateException if the jars are missing, the data directory is in use, the node died
   *     or did not answer within the timeout (the message carries the end of its log)
   */
  public static EmbeddedCassandra start(Settings settings, Consumer<String> progress) {
    var jars = readClasspath(settings.classpathFile());
    var version = cassandraVersion(jars);
    var nodeDir = settings.dataDir().resolve("cassandra").toAbsolutePath().normalize();
    var lock = lockDataDir(nodeDir);
    Process process = null;
    try {
      for (var sub : List.of("data", "commitlog", "saved_caches", "hints", "cdc_raw", "conf", "logs", "triggers", "launcher")) {
        Files.createDirectories(nodeDir.resolve(sub));
      }
      var ring = settings.ring();
      var ports = choosePorts(nodeDir, ring.host(), settings.cqlPort(), ring.storagePort());
      var seeds = ring.single() ? ring.host() + ":" + ports[0] : ring.seeds();
      Files.writeString(nodeDir.resolve("conf/cassandra.yaml"),
          NodeFiles.cassandraYaml(nodeDir, ring.host(), ports[0], ports[1], seeds, ring.clusterName(), ring.single(),
              ring.initialToken()));
      Files.writeString(nodeDir.resolve("conf/logback.xml"), NodeFiles.logbackXml(nodeDir));
      installLauncher(nodeDir.resolve("launcher"));
      var stdout = nodeDir.resolve("logs/stdout.log");
      if (Files.exists(stdout)) Files.move(stdout, nodeDir.resolve("logs/stdout.log.1"), StandardCopyOption.REPLACE_EXISTING);

      progress.accept("starting Cassandra " + version + " in " + displayPath(nodeDir) + " ...");
      long began = System.nanoTime();
      process = new ProcessBuilder(command(settings, nodeDir, jars))
          .directory(nodeDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(stdout.toFile())
          // stdin stays a pipe that we never write to or close: it is the child's lifeline (ChildLauncher)
          .start();
      var node = new EmbeddedCassandra(process, lock, ring.host(), ports[1], version);
      Runtime.getRuntime().addShutdownHook(node.shutdownHook);
      try {
        node.awaitCql(System.nanoTime() + settings.startTimeout().toNanos(), stdout);
      } catch (RuntimeException e) {
        node.close();
        throw e;
      }
      // the child's CPU time as well: on a shared machine the wall time says more about the neighbours than the node
      var cpu = process.info().totalCpuDuration().map(d -> String.format(Locale.ROOT, " (%.1f s CPU)", d.toMillis() / 1000.0)).orElse("");
      progress.accept(String.format(Locale.ROOT, "Cassandra ready on %s:%d after %.1f s%s",
          ring.host(), ports[1], (System.nanoTime() - began) / 1e9, cpu));
      return node;
    } catch (IOException e) {
      if (process != null) process.destroyForcibly();
      release(lock);
      throw new UncheckedIOException("could not prepare Cassandra in " + nodeDir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (process == null) release(lock); // otherwise close() already released it
      throw e;
    }
  }

  /**
   * Starts the nodes of a ring at once and blocks until every one has executed a CQL query. Safe for a ring of
   * seeds that join without bootstrap ({@link Ring#member}): none waits for another to stream data or to answer
   * before it listens. A node that fails stops the others, and the failure is thrown with the others' as suppressed.
   *
   * @param progress gets each node's progress lines, prefixed "cassandra N: " (N counted from 1)
   */
  public static List<EmbeddedCassandra> startAll(List<Settings> nodes, Consumer<String> progress) {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(nodes.size(), r -> {
      var t = new Thread(r, "embedded-cassandra-start");
      t.setDaemon(true);
      return t;
    });
    try {
      var starts = new ArrayList<java.util.concurrent.Future<EmbeddedCassandra>>();
      for (int i = 0; i < nodes.size(); i++) {
        var settings = nodes.get(i);
        var prefix = "cassandra " + (i + 1) + ": ";
        starts.add(pool.submit(() -> start(settings, line -> progress.accept(prefix + line))));
      }
      var started = new ArrayList<EmbeddedCassandra>();
      RuntimeException failure = null;
      for (var start : starts) {
        try {
          started.add(start.get());
        } catch (ExecutionException e) {
          var cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
          if (failure == null) failure = cause;
          else failure.addSuppressed(cause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          starts.forEach(f -> f.cancel(true));
          if (failure == null) failure = new IllegalStateException("interrupted while starting the ring", e);
        }
      }
      if (failure != null) {
        started.forEach(EmbeddedCassandra::close);
        throw failure;
      }
      return started;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Stops the nodes gracefully ({@link #close()}) at once rather than one drain after another; returns when all have stopped. */
  public static void closeAll(List<EmbeddedCassandra> nodes) {
    var stops = nodes.stream().map(n -> {
      var t = new Thread(n::close, "embedded-cassandra-stop");
      t.start();
      return t;
    }).toList();
    boolean interrupted = false;
    for (var t : stops) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the stops go on (each is bounded by its grace period); wait for them, then re-interrupt
        }
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  public String host() {
    return host;
  }

  public int cqlPort() {
    return cqlPort;
  }

  public InetSocketAddress contactPoint() {
    return new InetSocketAddress(host, cqlPort);
  }

  /** The Cassandra version the node runs, from the cassandra-all jar name. */
  public String version() {
    return version;
  }

  /** Pid of the child JVM, for diagnostics and tests. */
  public long pid() {
    return process.pid();
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /**
   * kill -9, for fault tests: the node ends at once, without draining (what is not in the commit log is lost, as
   * in a crash). A later {@link #start} on the same data directory brings it back.
   */
  public synchronized void kill() {
    if (closed) return;
    closed = true;
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      release(lockChannel);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // nothing left to stop
    }
  }

  /** Stops the node gracefully (SIGTERM, so Cassandra drains its memtables), at most 60 s, then kills it. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // called from another shutdown hook; ours runs stop(), which is idempotent
    }
  }

  private synchronized void stop() {
    if (closed) return;
    closed = true;
    try {
      process.destroy();
      if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      release(lockChannel);
    }
  }

  // ---- start-up ----

  /** Waits for the port to open, then for a real query to succeed; fails fast if the child dies. */
  private void awaitCql(long deadline, Path stdout) {
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Cassandra exited with code " + process.exitValue()
            + " before accepting CQL connections. Last lines of " + stdout + ":\n" + tail(stdout, 30)
            + "\nSee also " + stdout.resolveSibling("system.log")
            + ". If the data directory is damaged and disposable, delete it and start again.");
      }
      if (portOpen()) {
        try (var session = CqlSession.builder()
            .addContactPoint(contactPoint())
            .withLocalDatacenter("datacenter1") // SimpleSnitch's data centre
            .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
                .build())
            .build()) {
          var row = session.execute("SELECT release_version FROM system.local").one();
          if (row != null) return;
        } catch (RuntimeException e) {
          last = e; // transport is up but the node is still initialising; try again
        }
      }
      try {
        // wakes early if the child exits; otherwise this is the poll interval
        process.onExit().get(250, TimeUnit.MILLISECONDS);
      } catch (TimeoutException expected) {
        // still running
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Cassandra to start", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("Cassandra did not accept CQL on " + host + ":" + cqlPort + " in time"
        + (last == null ? "" : " (last error: " + last.getMessage() + ")")
        + ". Last lines of " + stdout + ":\n" + tail(stdout, 30)
        + "\nSee " + stdout.resolveSibling("system.log") + "; a slow machine may need a longer start timeout.");
  }

  private boolean portOpen() {
    try (var socket = new Socket()) {
      socket.connect(contactPoint(), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The child's command line. Flags mirror Cassandra 5.0's conf/jvm-server.options and
   * conf/jvm17-server.options (which bin/cassandra would use) minus what suits only big dedicated
   * servers (-XX:+AlwaysPreTouch slows start-up; G1 region/pause tuning targets large heaps).
   * JMX is left off (no cassandra.jmx.*.port): nothing here uses nodetool, and it would need a port.
   */
  private static List<String> command(Settings settings, Path nodeDir, List<String> jars) {
    var single = settings.ring().single();
    var cmd = new ArrayList<String>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(
        "-Xms" + settings.maxHeap(), "-Xmx" + settings.maxHeap(),
        "-Xss512k", // Cassandra ships 256k; Java 17 plus deep CQL parsing is safer with a little more
        "-XX:+UseG1GC", "-XX:+ParallelRefProcEnabled", "-XX:MaxTenuringThreshold=1",
        "-XX:+UseThreadPriorities", "-XX:+UseTLAB", "-XX:+ResizeTLAB", "-XX:+PerfDisableSharedMem",
        "-XX:+ExitOnOutOfMemoryError", // Cassandra warns without it: an OOM-damaged node can corrupt data
        "-ea", "-da:net.openhft...",
        "-Djava.net.preferIPv4Stack=true",
        "-Djdk.attach.allowAttachSelf=true",
        "-Dio.netty.tryReflectionSetAccessible=true",
        "-Dio.netty.allocator.useCacheForAllThreads=true",
        "-Dio.netty.allocator.maxOrder=11"));
    cmd.addAll(JDK17_MODULE_FLAGS);
    jars.stream().filter(j -> j.matches(".*[/\\\\]jamm-[^/\\\\]*\\.jar")).findFirst()
        .ifPresent(jamm -> cmd.add("-javaagent:" + jamm)); // as bin/cassandra does: exact object sizes for memtables
    cmd.addAll(List.of(
        "-Dcassandra.config=" + nodeDir.resolve("conf/cassandra.yaml").toUri(),
        "-Dcassandra.storagedir=" + nodeDir,
        "-Dcassandra.logdir=" + nodeDir.resolve("logs"),
        "-Dcassandra.triggers_dir=" + nodeDir.resolve("triggers"), // must exist, or Cassandra warns every start
        "-Dlogback.configurationFile=" + nodeDir.resolve("conf/logback.xml").toUri(),
        "-Dcassandra-foreground=yes",
        // single node: nobody to gossip with, so do not wait for gossip to settle or to set up the superuser;
        // a ring's nodes wait a little for each other's gossip (ring delay: 5 s instead of 30 s; on loopback gossip
        // settles in well under a second)
        single ? "-Dcassandra.skip_wait_for_gossip_to_settle=0" : "-Dcassandra.ring_delay_ms=5000",
        "-Dcassandra.superuser_setup_delay_ms=0",
        // Throwaway test nodes only (the suite's surefire configuration sets the property): schema changes are not
        // fsync'd, so each test node's ~40 CREATEs take tens of ms instead of about a second each. A graceful stop
        // still flushes everything (drain); a ring's nodes never use it, since a killed one must find its schema on disk.
        "-Dcassandra.unsafesystem=" + (single && Boolean.getBoolean(UNSAFE_SYSTEM_PROPERTY)),
        "-Dhireloop.cassandra.node-lock=" + nodeDir.resolve(".node.lock")));
    cmd.addAll(settings.jvmOptions());
    cmd.add("-cp");
    cmd.add(nodeDir.resolve("launcher") + java.io.File.pathSeparator + String.join(java.io.File.pathSeparator, jars));
    cmd.add(ChildLauncher.class.getName());
    cmd.add(DAEMON);
    return cmd;
  }

  /** Cassandra 5.0 conf/jvm17-server.options, JPMS section, complete. */
  private static final List<String> JDK17_MODULE_FLAGS = List.of(
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
      "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
      "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
      "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.base/java.io=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/java.util=ALL-UNNAMED");

  private static List<String> readClasspath(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("Cassandra's classpath file " + file.toAbsolutePath() + " does not exist. "
          + "Run `mvn -B -q generate-resources` in the project directory (or start via bin/hireloop, which builds), "
          + "or point -D" + CLASSPATH_PROPERTY + " at it.");
    }
    List<String> jars;
    try {
      jars = Arrays.stream(Files.readString(file).trim().split(java.io.File.pathSeparator))
          .filter(s -> !s.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    for (var jar : jars) {
      if (!Files.isRegularFile(Path.of(jar))) {
        throw new IllegalStateException(file + " names " + jar + ", which does not exist. "
            + "Run `mvn -B -q generate-resources` again to fetch Cassandra's jars.");
      }
    }
    return jars;
  }

  private static String cassandraVersion(List<String> jars) {
    return jars.stream().map(CASSANDRA_JAR::matcher).filter(java.util.regex.Matcher::matches)
        .map(m -> m.group(1)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no cassandra-all jar in Cassandra's classpath file"));
  }

  /** One process per data directory: a second would corrupt it. The OS drops the lock if we die. */
  private static FileChannel lockDataDir(Path nodeDir) {
    try {
      Files.createDirectories(nodeDir);
      var channel = FileChannel.open(nodeDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException sameJvm) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new IllegalStateException(nodeDir + " is in use by another Hireloop process (or another embedded "
            + "Cassandra in this one). Stop it, or use a different data directory.");
      }
      return channel; // closing the channel releases the lock
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + nodeDir, e);
    }
  }

  private static void release(FileChannel lock) {
    try {
      lock.close();
    } catch (IOException ignored) {
      // the lock goes with the process anyway
    }
  }

  /** {storage, cql}: reuses the remembered ports when still free, so clients' settings survive restarts. */
  private static int[] choosePorts(Path nodeDir, String host, int requestedCql, int requestedStorage) throws IOException {
    var file = nodeDir.resolve("ports.properties");
    var remembered = new Properties();
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        remembered.load(in);
      }
    }
    int cql;
    if (requestedCql != 0) {
      if (!isFree(host, requestedCql)) {
        throw new IllegalStateException("CQL port " + requestedCql + " on " + host + " is already in use; "
            + "is another Cassandra running? Choose another port or 0 for any free one.");
      }
      cql = requestedCql;
    } else {
      cql = rememberedOrFree(host, remembered.getProperty("native_transport_port"), -1);
    }
    int storage = requestedStorage != 0 ? requestedStorage : rememberedOrFree(host, remembered.getProperty("storage_port"), cql);
    remembered.setProperty("native_transport_port", Integer.toString(cql));
    remembered.setProperty("storage_port", Integer.toString(storage));
    try (OutputStream out = Files.newOutputStream(file)) {
      remembered.store(out, "ports of the embedded Cassandra node, reused on restart while free");
    }
    return new int[] {storage, cql};
  }

  private static int rememberedOrFree(String host, String remembered, int exclude) throws IOException {
    if (remembered != null) {
      try {
        int port = Integer.parseInt(remembered.trim());
        if (port > 0 && port != exclude && isFree(host, port)) return port;
      } catch (NumberFormatException ignored) {
        // corrupt entry: pick a new port
      }
    }
    while (true) {
      try (var socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
        if (socket.getLocalPort() != exclude) return socket.getLocalPort();
      }
    }
  }

  /** Free as Cassandra will bind it: on loopback, with SO_REUSEADDR (so a TIME_WAIT leftover is free). */
  private static boolean isFree(String host, int port) {
    try (var socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Copies ChildLauncher's class file, alone, to a directory that goes first on the child's classpath. */
  private static void installLauncher(Path dir) throws IOException {
    var name = ChildLauncher.class.getName().replace('.', '/') + ".class";
    var target = dir.resolve(name);
    Files.createDirectories(target.getParent());
    try (InputStream in = ChildLauncher.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) throw new IOException("class file " + name + " not found on the classpath");
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String tail(Path file, int lines) {
    try {
      var all = Files.readAllLines(file, StandardCharsets.ISO_8859_1); // never fails on odd bytes
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  private static String displayPath(Path dir) {
    var cwd = Path.of("").toAbsolutePath();
    return dir.startsWith(cwd) ? "./" + cwd.relativize(dir) : dir.toString();
  }
}
