package dev.ocean.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The life of a test PostgreSQL cluster on disk: {@code initdb}, {@code pg_ctl start} on a free
 * port, and {@code pg_ctl stop} plus deletion from a JVM shutdown hook. Each cluster directory
 * records the JVM that owns it, so clusters of JVMs killed before their hook ran are cleaned up by
 * the next run. As root, PostgreSQL's tools run as the {@code postgres} OS user via {@code
 * runuser}.
 */
final class PostgresCluster {
  private static final String OWNER_FILE = "owner.pid";

  private PostgresCluster() {}

  /** Creates and starts a cluster whose superuser is {@code superuser}; returns its port. */
  static int start(Path bin, String superuser) {
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
          superuser,
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
          return port;
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
  static void removeAbandoned(Path bin) {
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
      Path output = Files.createTempFile("ocean-test-pg-output-", ".log");
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
