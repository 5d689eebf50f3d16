package dev.ocean.cli.daemon;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The resident CLI process: accepts the native client's requests on a Unix socket in the user's
 * private directory, only from processes of the same user, and runs each on a virtual thread
 * ({@link Connection}). It ends after {@code idle} without requests, when its release is replaced
 * or removed (the jar or the build id changes), when its socket is taken away, or on {@code ocean
 * daemon stop}. A lock file makes sure one daemon serves a socket.
 */
public final class Daemon {
  private final DaemonSocket where;
  private final Duration idle;
  private final String buildId;
  private final Path jar;
  private final long startedNanos = System.nanoTime();
  private final AtomicLong served = new AtomicLong();
  private final AtomicInteger active = new AtomicInteger();

  /** Quiet time after which a heap grown beyond {@link #GIVE_BACK_ABOVE} is collected once. */
  private static final Duration GIVE_BACK_AFTER = Duration.ofSeconds(5);

  private static final long GIVE_BACK_ABOVE = 48L << 20;

  /** The activity a heap give-back was made for (only the watch thread touches it). */
  private long collectedFor = -1;

  private final AtomicLong lastActive = new AtomicLong(System.nanoTime());
  private final SharedClients clients = new SharedClients();
  private final String user;
  private volatile String stopReason;
  private ServerSocketChannel server;

  public Daemon(DaemonSocket where, Duration idle) throws IOException {
    this.where = where;
    this.idle = idle;
    this.buildId = DaemonSocket.buildId();
    this.jar = jarOf(Daemon.class);
    this.user = Files.getOwner(Path.of("/proc/self")).getName();
  }

  /**
   * Serves until it should end, then removes its socket; says why on {@code log}. Returns at once
   * when another daemon holds the lock.
   */
  public void serve(PrintWriter log) throws IOException {
    Path lockFile = where.directory().resolve(where.socket().getFileName() + ".lock");
    try (FileChannel lockChannel =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockChannel.tryLock()) {
      if (lock == null) {
        log.println("another ocean daemon serves " + where.socket());
        return;
      }
      Files.deleteIfExists(where.socket());
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(where.socket()));
      Object key = fileKey(where.socket());
      log.println(
          "ocean daemon " + ProcessHandle.current().pid() + " serving on " + where.socket());
      log.flush();
      Thread.ofPlatform().daemon().name("ocean-daemon-watch").start(() -> watch(key));
      while (true) {
        SocketChannel ch;
        try {
          ch = server.accept();
        } catch (ClosedChannelException e) {
          break;
        }
        lastActive.set(System.nanoTime());
        active.incrementAndGet(); // Connection calls finished()
        Thread.ofVirtual().name("ocean-request").start(new Connection(ch, this));
      }
      if (Objects.equals(fileKey(where.socket()), key)) {
        Files.deleteIfExists(where.socket());
      }
      // Requests under way get a moment to finish before the JVM ends.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (active.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      log.println("ocean daemon " + ProcessHandle.current().pid() + " stopped: " + stopReason);
      log.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends the daemon: no new requests; those under way finish. */
  void stop(String why) {
    if (stopReason == null) {
      stopReason = why;
    }
    try {
      server.close();
    } catch (IOException e) {
      // closing is all that was asked
    }
  }

  private void watch(Object key) {
    while (server.isOpen()) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      long quiet = System.nanoTime() - lastActive.get();
      if (active.get() == 0 && quiet > idle.toNanos()) {
        stop("idle for " + idle.toSeconds() + " s");
      } else if (jar != null && !Files.exists(jar)) {
        stop(jar + " is gone (the release was replaced or removed)");
      } else if (!Objects.equals(buildId, DaemonSocket.buildId())) {
        stop("the release's build id changed");
      } else if (!Objects.equals(key, fileKey(where.socket()))) {
        stop(where.socket() + " was removed or replaced");
      } else if (active.get() == 0
          && quiet > GIVE_BACK_AFTER.toNanos()
          && lastActive.get() != collectedFor
          && Runtime.getRuntime().totalMemory() > GIVE_BACK_ABOVE) {
        // a big answer grew the heap; the serial collector returns it only in a full collection
        collectedFor = lastActive.get();
        System.gc();
      }
    }
  }

  /** Whether the process at the other end of {@code ch} runs as this daemon's user. */
  boolean samePeer(SocketChannel ch) {
    try {
      UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
      return peer != null && peer.user().getName().equals(user);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  SharedClients clients() {
    return clients;
  }

  /** Counts a command run for {@code ocean daemon status}. */
  void served() {
    served.incrementAndGet();
  }

  /** A connection is done, answered or not. */
  void finished() {
    lastActive.set(System.nanoTime());
    active.decrementAndGet();
  }

  /** What {@code ocean daemon status} prints: a table, or with {@code -o json} an object. */
  String status(boolean json) {
    long seconds = (System.nanoTime() - startedNanos) / 1_000_000_000L;
    if (json) {
      var o = new java.util.LinkedHashMap<String, Object>();
      o.put("pid", ProcessHandle.current().pid());
      o.put("uptimeSeconds", seconds);
      o.put("requests", served.get());
      o.put("residentMemory", residentMemory());
      o.put("socket", where.socket().toString());
      try {
        return dev.ocean.common.json.Json.newMapper()
                .writerWithDefaultPrettyPrinter()
                .writeValueAsString(o)
            + "\n";
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return "pid       "
        + ProcessHandle.current().pid()
        + "\nuptime    "
        + (seconds >= 3600 ? seconds / 3600 + "h " : "")
        + (seconds >= 60 ? seconds / 60 % 60 + "m " : "")
        + seconds % 60
        + "s\nrequests  "
        + served.get()
        + "\nmemory    "
        + residentMemory()
        + "\nsocket    "
        + where.socket()
        + "\n";
  }

  /** This process's resident memory (VmRSS), as the kernel counts it. */
  private static String residentMemory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return (kib + 512) / 1024 + " MiB resident";
        }
      }
    } catch (IOException | NumberFormatException e) {
      // below
    }
    return "unknown";
  }

  private static Object fileKey(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  private static Path jarOf(Class<?> cls) {
    try {
      Path p = Path.of(cls.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(p) ? p : null;
    } catch (Exception e) {
      return null;
    }
  }
}
