package io.hireloop.platform.cassandra;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Main class of the Cassandra child JVM; it does two things and then hands over to the daemon class
 * named in {@code args[0]} (CassandraDaemon).
 *
 * <p>It uses JDK classes only and no nested classes: {@link EmbeddedCassandra} copies this one class
 * file next to the node's data so the child never sees the application's classpath.
 *
 * <ol>
 *   <li>Parent watch. The parent keeps the child's stdin pipe open and never writes to it. When the
 *       parent dies — even by SIGKILL — the OS closes the pipe, the read below returns EOF and we call
 *       {@code System.exit}, which runs Cassandra's own shutdown hook (drain). This is cheaper and
 *       more prompt than polling the parent's PID, and immune to PID reuse.
 *   <li>Node lock. An orphan from a killed parent may still be draining when a new parent starts a
 *       node on the same data directory (the parent's own lock died with it). Blocking on a lock that
 *       only Cassandra JVMs take makes the new node wait for the old one to be gone.
 * </ol>
 */
public final class ChildLauncher {
  /** Held for the JVM's lifetime; a static keeps the channel (and thus the lock) from being collected. */
  private static FileLock nodeLock;

  private ChildLauncher() {}

  public static void main(String[] args) throws Throwable {
    var lockFile = Path.of(System.getProperty("hireloop.cassandra.node-lock"));
    var channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    nodeLock = channel.tryLock();
    if (nodeLock == null) {
      System.err.println("hireloop: another Cassandra still uses " + lockFile.getParent() + "; waiting for it to exit");
      nodeLock = channel.lock();
    }

    var watch = new Thread(ChildLauncher::exitWhenParentGone, "hireloop-parent-watch");
    watch.setDaemon(true);
    watch.start();

    var daemon = Class.forName(args[0]).getMethod("main", String[].class);
    daemon.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }

  private static void exitWhenParentGone() {
    try {
      while (System.in.read() != -1) {
        // the parent never writes; anything read is ignored
      }
    } catch (IOException e) {
      // a broken pipe means the same thing as EOF
    }
    // also reached on a normal stop: Process.destroy() closes the pipe after sending SIGTERM
    System.err.println("hireloop: stdin closed (parent stopping or gone); shutting Cassandra down");
    System.exit(0);
  }
}
