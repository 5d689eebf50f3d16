package dev.ocean.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.dist.Exec.Result;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the resident CLI daemon runs and when it ends, over the built release: only in the user's
 * private directory, until {@code ocean daemon stop}, its idle time, or its release's removal.
 */
class DaemonLifecycleIT {
  @TempDir Path work;
  private UserDaemon daemon;

  @BeforeEach
  void ownRuntimeDir() throws Exception {
    daemon = new UserDaemon(work, Map.of("XDG_CONFIG_HOME", work.resolve("config").toString()));
  }

  @AfterEach
  void stopDaemon() {
    daemon.stop();
  }

  @Test
  void aRuntimeDirectoryOpenToOthersIsRefusedAndAJvmRuns() throws Exception {
    Path dir = Files.createDirectory(Path.of(daemon.env.get("XDG_RUNTIME_DIR")).resolve("ocean"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    Result list = daemon.ocean("job", "list", "--server", "http://127.0.0.1:1");

    Result jvm = daemon.jvm(Map.of(), "job", "list", "--server", "http://127.0.0.1:1");
    assertEquals(4, list.exit(), list.describe());
    assertEquals(jvm.stderr(), list.stderr());
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count(), "no socket, no log: no daemon started there");
    }
    Result status = daemon.ocean("daemon", "status");
    assertEquals(1, status.exit(), status.describe());
    assertTrue(status.stderr().contains("is open to other users (mode 755)"), status.describe());
  }

  @Test
  void aRuntimeDirectoryThatIsASymlinkIsRefused() throws Exception {
    Path elsewhere = Files.createDirectory(work.resolve("elsewhere"));
    Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
    Files.createSymbolicLink(
        Path.of(daemon.env.get("XDG_RUNTIME_DIR")).resolve("ocean"), elsewhere);

    Result version = daemon.ocean("--version");

    assertEquals(0, version.exit(), version.describe());
    try (var files = Files.list(elsewhere)) {
      assertEquals(0, files.count(), "no daemon behind the link");
    }
    Result status = daemon.ocean("daemon", "status");
    assertEquals(1, status.exit(), status.describe());
    assertTrue(status.stderr().contains("is not a directory"), status.describe());
  }

  @Test
  void aRuntimeDirectoryOfAnotherUserIsRefused() throws Exception {
    Path dir = Files.createDirectory(Path.of(daemon.env.get("XDG_RUNTIME_DIR")).resolve("ocean"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    try {
      Files.setOwner(
          dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    } catch (IOException e) {
      Assumptions.abort("only root can give a directory away: " + e.getMessage());
    }

    Result version = daemon.ocean("--version");

    assertEquals(0, version.exit(), version.describe());
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count(), "no daemon in another user's directory");
    }
    Result status = daemon.ocean("daemon", "status");
    assertEquals(1, status.exit(), status.describe());
    assertTrue(status.stderr().contains("belongs to another user"), status.describe());
  }

  @Test
  void daemonStopEndsIt() throws Exception {
    ProcessHandle process = daemon.start();

    Result stop = daemon.ocean("daemon", "stop");

    assertEquals(0, stop.exit(), stop.describe());
    assertEquals("Stopped the ocean daemon (pid " + process.pid() + ").\n", stop.stderr());
    process.onExit().get(60, TimeUnit.SECONDS);
    Result status = daemon.ocean("daemon", "status");
    assertEquals(3, status.exit(), status.describe());
    assertTrue(status.stderr().contains("no ocean daemon is running"), status.describe());
  }

  @Test
  void daemonStatusWithNoneRunningSaysSoAndStartsNone() throws Exception {
    Result status = daemon.ocean("daemon", "status");
    Result afterOption = daemon.ocean("--no-color", "daemon", "status");
    Result stop = daemon.ocean("daemon", "stop");

    assertEquals(3, status.exit(), status.describe());
    assertEquals(3, afterOption.exit(), afterOption.describe());
    assertEquals("No ocean daemon is running.\n", stop.stderr());
    assertEquals(0, stop.exit(), stop.describe());
    // a daemon a status had started would answer the next status
    assertEquals(3, daemon.ocean("daemon", "status").exit(), "still none");
  }

  @Test
  void noDaemonZeroOrFalseKeepTheDaemonOn() throws Exception {
    daemon.start();
    int before = daemon.requestsServed();

    Result zero =
        Exec.run(daemon.work, with("OCEAN_NO_DAEMON", "0"), "", UserDaemon.command("--version"));
    Result no =
        Exec.run(
            daemon.work, with("OCEAN_NO_DAEMON", "false"), "", UserDaemon.command("--version"));
    int served = daemon.requestsServed();
    Exec.run(daemon.work, with("OCEAN_NO_DAEMON", "1"), "", UserDaemon.command("--version"));

    assertEquals(0, zero.exit(), zero.describe());
    assertEquals(0, no.exit(), no.describe());
    assertEquals(before + 2, served, "both ran in the daemon");
    assertEquals(served, daemon.requestsServed(), "OCEAN_NO_DAEMON=1 ran a JVM");
  }

  @Test
  void daemonStatusAsJsonFromTheDaemonAndFromAJvm() throws Exception {
    ProcessHandle process = daemon.start();

    Result json = daemon.ocean("daemon", "status", "-o", "json");
    Result jvm = daemon.jvm(Map.of(), "-o", "json", "daemon", "status");
    Result help = daemon.ocean("daemon", "status", "--help");
    Result bare = daemon.ocean("daemon");

    assertEquals(0, json.exit(), json.describe());
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    assertEquals(process.pid(), mapper.readTree(json.stdout()).get("pid").asLong());
    assertEquals(process.pid(), mapper.readTree(jvm.stdout()).get("pid").asLong(), jvm.describe());
    assertTrue(help.stdout().startsWith("Usage: ocean daemon status"), help.describe());
    assertEquals(2, bare.exit(), bare.describe());
    assertTrue(bare.stderr().contains("needs a subcommand: status, stop."), bare.describe());
  }

  private Map<String, String> with(String name, String value) {
    Map<String, String> env = new HashMap<>(daemon.env);
    env.put(name, value);
    return env;
  }

  @Test
  void aDaemonEndsWhenItsReleaseIsRemoved() throws Exception {
    Path release = work.resolve("release");
    Files.createDirectories(release.resolve("lib/cli"));
    try (var jars = Files.list(UserDaemon.DIST.resolve("lib/cli"))) {
      for (Path p : jars.filter(p -> !p.toString().endsWith(".aot")).toList()) {
        Files.copy(p, release.resolve("lib/cli").resolve(p.getFileName()));
      }
    }
    Files.createDirectories(release.resolve("bin"));
    Files.copy(UserDaemon.DIST.resolve("bin/ocean"), release.resolve("bin/ocean"));
    String ocean = release.resolve("bin/ocean").toString();
    Map<String, String> copy = new HashMap<>(daemon.env);
    copy.put("OCEAN_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Exec.run(work, copy, "", ocean, "--version");
    ProcessHandle process = daemon.await(copy, ocean);

    try (var jars = Files.list(release.resolve("lib/cli"))) {
      for (Path p : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
        Files.delete(p);
      }
    }

    process.onExit().get(60, TimeUnit.SECONDS);
  }

  @Test
  void aCallerThatGoesAwayInterruptsItsCommand() throws Exception {
    daemon.start();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      silent.setSoTimeout(60_000);
      ProcessBuilder pb =
          new ProcessBuilder(
                  UserDaemon.command(
                      "job", "list", "--server", "http://127.0.0.1:" + silent.getLocalPort()))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().putAll(daemon.env);
      pb.environment().remove("OCEAN_NO_DAEMON");
      pb.environment().put("OCEAN_TOKEN", "any");
      pb.environment().put("OCEAN_TIMEOUT", "300");
      Process client = pb.start();
      try (Socket request = silent.accept()) {
        client.destroy(); // what Ctrl-C does to the client

        request.setSoTimeout(60_000);
        InputStream in = request.getInputStream();
        while (in.read() >= 0) {
          // the request, then the end of it: the daemon let go of the call
        }
      } finally {
        client.destroyForcibly();
      }
    }
    assertEquals(1, daemon.requestsServed(), "the daemon ran it");
  }

  @Test
  void anIdleDaemonEnds() throws Exception {
    daemon.env.put("OCEAN_DAEMON_IDLE_SECONDS", "2");
    ProcessHandle process = daemon.start();

    process.onExit().get(60, TimeUnit.SECONDS);
    assertEquals(3, daemon.ocean("daemon", "status").exit(), "none running");
  }
}
