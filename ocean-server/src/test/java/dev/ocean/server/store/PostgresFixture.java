package dev.ocean.server.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real, throwaway PostgreSQL cluster for tests: {@code initdb} into a temp directory, started on
 * a free localhost port with its unix socket inside that directory, one fresh database per caller,
 * stopped and deleted when the JVM exits. One cluster serves the whole test run.
 *
 * <p>Binaries come from {@code $OCEAN_TEST_PG_BIN}, {@code /usr/lib/postgresql/VERSION/bin}
 * (Debian) or {@code PATH}. PostgreSQL refuses to run as root, so as root every server command runs
 * as the {@code postgres} OS user (via {@code runuser}) on a directory that user owns. Without the
 * binaries the test is skipped, unless {@code CI} is set: CI must exercise PostgreSQL, so it fails.
 */
public final class PostgresFixture {
  private static final String SUPERUSER = "ocean";
  private static final String OWNER_FILE = "owner.pid";
  private static final Object LOCK = new Object();
  private static PostgresFixture shared;
  private static String unavailable;
  private static RuntimeException startFailure;

  private final int port;
  private final AtomicInteger databases = new AtomicInteger();

  private PostgresFixture(int port) {
    this.port = port;
  }

  /**
   * The cluster of this test run, started on first use; aborts the calling test (skip) when
   * PostgreSQL is not installed, or fails it when {@code CI} is set.
   */
  public static PostgresFixture shared() {
    synchronized (LOCK) {
      if (startFailure != null) {
        throw new IllegalStateException(
            "the test PostgreSQL cluster failed to start", startFailure);
      }
      if (shared == null && unavailable == null) {
        Optional<Path> bin = findBinaries();
        if (bin.isEmpty()) {
          unavailable =
              "PostgreSQL server binaries (initdb, pg_ctl) not found in $OCEAN_TEST_PG_BIN,"
                  + " /usr/lib/postgresql/*/bin or PATH; install them (Debian: apt-get install"
                  + " postgresql)";
        } else {
          try {
            removeAbandoned(bin.get());
            shared = start(bin.get());
          } catch (RuntimeException e) {
            startFailure = e;
            throw e;
          }
        }
      }
      if (unavailable != null) {
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
          fail(unavailable + " — CI is set, so PostgreSQL tests must run, not be skipped");
        }
        Assumptions.abort(unavailable + "; skipping the PostgreSQL variant");
      }
      return shared;
    }
  }

  /** Creates an empty database and returns a JDBC URL for it (user and password included). */
  public String createDatabase(String hint) {
    String name =
        "t" + databases.incrementAndGet() + "_" + hint.toLowerCase().replaceAll("[^a-z0-9]", "_");
    name = name.substring(0, Math.min(name.length(), 60));
    try (Connection c = DriverManager.getConnection(url("postgres"));
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return url(name);
  }

  public int port() {
    return port;
  }

  private String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER;
  }

  private static Optional<Path> findBinaries() {
    List<Path> candidates = new ArrayList<>();
    String override = System.getenv("OCEAN_TEST_PG_BIN");
    if (override != null && !override.isBlank()) {
      candidates.add(Path.of(override));
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        versions
            .filter(p -> p.getFileName().toString().matches("\\d+"))
            .sorted(
                Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString()))
                    .reversed())
            .map(p -> p.resolve("bin"))
            .forEach(candidates::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      Arrays.stream(path.split(":"))
          .filter(s -> !s.isEmpty())
          .map(Path::of)
          .forEach(candidates::add);
    }
    return candidates.stream()
        .filter(d -> Files.isExecutable(d.resolve("initdb")))
        .filter(d -> Files.isExecutable(d.resolve("pg_ctl")))
        .findFirst();
  }

  private static PostgresFixture start(Path bin) {
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Path dir = Files.createTempDirectory("ocean-pg-");
      if (root) {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        try {
          Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
        } catch (IOException e) {
          deleteTree(dir);
          throw new IllegalStateException(
              "running as root, so PostgreSQL must run as the 'postgres' OS user, which does not"
                  + " exist; create it or run the tests as a normal user",
              e);
        }
      }
      Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> stopAndDelete(bin, dir, root), "ocean-pg-cleanup"));
      run(
          root,
          dir,
          bin.resolve("initdb").toString(),
          "-D",
          dir.resolve("data").toString(),
          "-U",
          SUPERUSER,
          "--auth=trust",
          "--encoding=UTF8",
          "--no-locale",
          "--no-sync");
      IllegalStateException last = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        int port = freePort();
        try {
          run(
              root,
              dir,
              bin.resolve("pg_ctl").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-l",
              dir.resolve("server.log").toString(),
              "-w",
              "-t",
              "60",
              "-o",
              "-p "
                  + port
                  + " -k "
                  + dir
                  + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                  + " -c full_page_writes=off -c max_connections=300 -c shared_buffers=32MB",
              "start");
          return new PostgresFixture(port);
        } catch (IllegalStateException e) {
          last = e; // most likely the port was taken between probing and binding: try another
        }
      }
      throw last;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test PostgreSQL cluster", e);
    }
  }

  /**
   * Stops and deletes clusters left behind by test JVMs that were killed before their shutdown hook
   * ran (their owner process is gone); clusters of running JVMs are left alone.
   */
  private static void removeAbandoned(Path bin) {
    boolean root = "root".equals(System.getProperty("user.name"));
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> dirs = Files.list(tmp)) {
      for (Path dir :
          dirs.filter(d -> d.getFileName().toString().startsWith("ocean-pg-")).toList()) {
        Path owner = dir.resolve(OWNER_FILE);
        if (!Files.isRegularFile(owner)) {
          continue;
        }
        long pid = Long.parseLong(Files.readString(owner).strip());
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        stopAndDelete(bin, dir, root);
      }
    } catch (IOException | NumberFormatException e) {
      System.err.println("could not look for abandoned test clusters: " + e.getMessage());
    }
  }

  private static void stopAndDelete(Path bin, Path dir, boolean root) {
    try {
      if (Files.exists(dir.resolve("data/postmaster.pid"))) {
        run(
            root,
            dir,
            bin.resolve("pg_ctl").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-m",
            "immediate",
            "-w",
            "stop");
      }
    } catch (RuntimeException e) {
      System.err.println("could not stop the test PostgreSQL cluster: " + e.getMessage());
    } finally {
      try {
        deleteTree(dir);
      } catch (IOException e) {
        System.err.println("could not delete " + dir + ": " + e.getMessage());
      }
    }
  }

  /** Runs a PostgreSQL tool to completion (as the postgres user when we are root). */
  private static void run(boolean root, Path dir, String... command) {
    List<String> argv = new ArrayList<>();
    if (root) {
      argv.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    argv.addAll(List.of(command));
    try {
      Path output = Files.createTempFile("ocean-pg-cmd", ".log");
      try {
        Process p =
            new ProcessBuilder(argv)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(String.join(" ", argv) + " did not finish in 120 s");
        }
        if (p.exitValue() != 0) {
          String log = Files.readString(output, StandardCharsets.UTF_8);
          Path serverLog = dir.resolve("server.log");
          if (Files.isReadable(serverLog)) {
            log += "\nserver.log:\n" + Files.readString(serverLog, StandardCharsets.UTF_8);
          }
          throw new IllegalStateException(
              String.join(" ", argv) + " exited with " + p.exitValue() + ":\n" + log);
        }
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + argv, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
