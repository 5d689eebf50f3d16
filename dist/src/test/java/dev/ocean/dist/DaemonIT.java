package dev.ocean.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.dist.Exec.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident CLI daemon behind {@code bin/ocean}, over the built release against a real server:
 * what it serves prints byte for byte what a JVM of its own prints, with the same exit code; what
 * it does not serve runs in a JVM. Each test has its own XDG_RUNTIME_DIR, so its own daemon, which
 * it stops.
 */
class DaemonIT {
  private static final Path DIST = Path.of(System.getProperty("ocean.dist", "target/ocean"));
  private static final Pattern REQUESTS = Pattern.compile("(?m)^requests +(\\d+)$");
  private static final Pattern PID = Pattern.compile("(?m)^pid +(\\d+)$");
  private static final String KEY_ONE =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE4w3ggOTEg79dU7/roDVDcBQD03RYzKXaomRbIG9r8R one@test";
  private static final String KEY_TWO =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINiCjz3cOvr2tYe2W8YKJe/fymBnSOUv2kZzkhEgvTjF two@test";

  @TempDir static Path shared;
  private static ServerProcess server;
  private static Map<String, String> base;

  @TempDir Path work;
  private Map<String, String> env;

  @BeforeAll
  static void serverWithAPendingJob() throws Exception {
    assertTrue(
        Files.isExecutable(DIST.resolve("lib/cli/ocean-client")),
        "the release has its native client (a C compiler was present at build time)");
    server =
        ServerProcess.start(
            bin("ocean-server"), shared.resolve("data"), "a@example.com", "A-pass-1!");
    base =
        Map.of(
            "XDG_CONFIG_HOME",
            shared.resolve("config").toString(),
            "OCEAN_SERVER",
            server.url(),
            "NO_COLOR",
            "1",
            "OCEAN_DAEMON_IDLE_SECONDS",
            "120");
    setup("A-pass-1!\n", "login", "--email", "a@example.com", "--password-stdin");
    setup(
        "",
        "admin",
        "machine-type",
        "create",
        "cpu.small",
        "--cpus",
        "1",
        "--memory",
        "1",
        "--gpus",
        "0");
    setup("", "admin", "image", "add", "host", "local/host", "--description", "hôte à café");
    setup(
        "",
        "admin",
        "quota",
        "grant",
        "a@example.com",
        "--machine-type",
        "cpu.small",
        "--count",
        "10",
        "--days",
        "1");
    setup(
        "",
        "job",
        "submit",
        "--name",
        "first",
        "--machine-type",
        "cpu.small",
        "--image",
        "host",
        "--",
        "true");
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void ownRuntimeDir() throws Exception {
    Path run = Files.createDirectory(work.resolve("run"));
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwx------"));
    env = new HashMap<>(base);
    env.put("XDG_RUNTIME_DIR", run.toString());
    env.put("OCEAN_NO_DAEMON", ""); // failsafe sets it for the other tests
  }

  @AfterEach
  void stopDaemon() throws Exception {
    Result status = ocean("daemon", "status");
    Matcher pid = PID.matcher(status.stdout());
    ocean("daemon", "stop");
    if (pid.find()) {
      ProcessHandle.of(Long.parseLong(pid.group(1))).ifPresent(ProcessHandle::destroy);
    }
  }

  @Test
  void aServedCommandPrintsWhatItsOwnJvmPrints() throws Exception {
    Result first = ocean("job", "list");
    assertEquals(0, first.exit(), first.describe());
    awaitDaemon();

    String[][] commands = {
      {"job", "list"},
      {"image", "list"},
      {"-o", "json", "job", "list", "--all"},
      {"job", "get", "999999"},
      {"job", "list", "--no-such-flag"},
      {"job", "--help"},
      {"--version"}
    };
    // C: the JVM prints '?' for what ASCII lacks, and so must the daemon
    for (String locale : new String[] {"C.UTF-8", "C"}) {
      Map<String, String> inLocale = new HashMap<>(env);
      inLocale.put("LC_ALL", locale);
      for (String[] command : commands) {
        Result served = Exec.run(work, inLocale, "", command(command));
        Result jvm = jvm(inLocale, "", command);
        assertEquals(jvm.stdout(), served.stdout(), locale + ": " + served.describe());
        assertEquals(jvm.stderr(), served.stderr(), locale + ": " + served.describe());
        assertEquals(jvm.exit(), served.exit(), locale + ": " + served.describe());
      }
    }
    assertTrue(
        ocean("image", "list").stdout().contains("hôte à café"),
        "the description as typed, in a UTF-8 locale");
    assertTrue(ocean("job", "list").stdout().contains("first"), "the job is listed");
    assertEquals(3, ocean("job", "get", "999999").exit(), "not found");
    assertEquals(2, ocean("job", "list", "--no-such-flag").exit(), "usage");
    assertEquals(2 * commands.length + 4, requestsServed(), "the daemon ran each");
  }

  @Test
  void standardInputIsReadOnlyWhenTheCommandAsksForIt() throws Exception {
    ocean("--version");
    awaitDaemon();

    Result added = Exec.run(work, env, KEY_ONE + "\n", bin("ocean"), "ssh-key", "add", "-");
    assertEquals(0, added.exit(), added.describe());
    assertTrue(ocean("ssh-key", "list").stdout().contains("one@test"), "the key from stdin");

    // a loop that feeds itself lines keeps every one of them
    Result loop =
        Exec.run(
            work,
            env,
            "a\nb\nc\n",
            "sh",
            "-c",
            "while read l; do \"$0\" whoami >/dev/null || exit 9; echo \"$l\"; done",
            bin("ocean"));
    assertEquals(0, loop.exit(), loop.describe());
    assertEquals("a\nb\nc\n", loop.stdout(), loop.describe());
    assertEquals(5, requestsServed(), "ssh-key add, ssh-key list and three whoami");
  }

  @Test
  void aRelativePathIsTheCallersNotTheDaemons() throws Exception {
    ocean("--version");
    awaitDaemon();
    Path dir = Files.createDirectory(work.resolve("keys"));
    Files.writeString(dir.resolve("two.pub"), KEY_TWO + "\n");

    Result added = Exec.run(dir, env, "", bin("ocean"), "ssh-key", "add", "two.pub");

    assertEquals(0, added.exit(), added.describe());
    assertEquals(1, requestsServed(), "the daemon added it");
    assertTrue(ocean("ssh-key", "list").stdout().contains("two@test"), "the key from two.pub");
  }

  @Test
  void aRuntimeDirectoryOpenToOthersIsRefusedAndAJvmRuns() throws Exception {
    Path dir = Files.createDirectory(Path.of(env.get("XDG_RUNTIME_DIR")).resolve("ocean"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    Result list = ocean("job", "list");

    assertEquals(0, list.exit(), list.describe());
    assertEquals(jvm(env, "", "job", "list").stdout(), list.stdout());
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count(), "no socket, no log: no daemon started there");
    }
    Result status = ocean("daemon", "status");
    assertEquals(1, status.exit(), status.describe());
    assertTrue(status.stderr().contains("is open to other users (mode 755)"), status.describe());
  }

  @Test
  void daemonStopEndsIt() throws Exception {
    ocean("--version");
    awaitDaemon();
    Matcher pid = PID.matcher(ocean("daemon", "status").stdout());
    assertTrue(pid.find());
    ProcessHandle daemon = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();

    Result stop = ocean("daemon", "stop");

    assertEquals(0, stop.exit(), stop.describe());
    assertEquals("stopped the ocean daemon (pid " + pid.group(1) + ")\n", stop.stderr());
    daemon.onExit().get(60, TimeUnit.SECONDS);
    Result status = ocean("daemon", "status");
    assertEquals(3, status.exit(), status.describe());
    assertTrue(status.stderr().contains("no ocean daemon is running"), status.describe());
  }

  @Test
  void commandsThatFollowOrOpenATerminalRunInTheirOwnJvm() throws Exception {
    ocean("--version");
    awaitDaemon();

    Result follow = ocean("logs", "-f", "999999");
    Result ssh = ocean("instance", "ssh", "999999");
    Result marks = Exec.run(work, withMarks(), "", bin("ocean"), "--version");

    assertEquals(3, follow.exit(), follow.describe());
    assertEquals(3, ssh.exit(), ssh.describe());
    assertTrue(marks.stderr().startsWith("startup marks"), marks.describe());
    assertEquals(0, requestsServed(), "none of them reached the daemon");
  }

  @Test
  void aDaemonEndsWhenItsReleaseIsRemoved() throws Exception {
    Path release = work.resolve("release");
    Files.createDirectories(release.resolve("lib/cli"));
    try (var jars = Files.list(DIST.resolve("lib/cli"))) {
      for (Path p : jars.filter(p -> !p.toString().endsWith(".aot")).toList()) {
        Files.copy(p, release.resolve("lib/cli").resolve(p.getFileName()));
      }
    }
    Files.createDirectories(release.resolve("bin"));
    Files.copy(DIST.resolve("bin/ocean"), release.resolve("bin/ocean"));
    String ocean = release.resolve("bin/ocean").toString();
    Map<String, String> copy = new HashMap<>(env);
    copy.put("OCEAN_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Exec.run(work, copy, "", ocean, "--version");
    ProcessHandle daemon = awaitDaemon(copy, ocean);

    try (var jars = Files.list(release.resolve("lib/cli"))) {
      for (Path p : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
        Files.delete(p);
      }
    }

    daemon.onExit().get(60, TimeUnit.SECONDS);
  }

  @Test
  void anIdleDaemonEnds() throws Exception {
    env.put("OCEAN_DAEMON_IDLE_SECONDS", "2");
    ocean("--version");
    ProcessHandle daemon = awaitDaemon(env, bin("ocean"));

    daemon.onExit().get(60, TimeUnit.SECONDS);
    assertEquals(3, ocean("daemon", "status").exit(), "none running");
  }

  /** Waits until the daemon of launcher {@code ocean} answers; returns its process. */
  private ProcessHandle awaitDaemon(Map<String, String> env, String ocean)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    Result status = Exec.run(work, env, "", ocean, "daemon", "status");
    while (status.exit() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      status = Exec.run(work, env, "", ocean, "daemon", "status");
    }
    Matcher pid = PID.matcher(status.stdout());
    assertTrue(pid.find(), "the daemon started: " + status.describe());
    return ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
  }

  private static void setup(String stdin, String... args) {
    Result r = jvm(Map.of(), stdin, args);
    assertEquals(0, r.exit(), r.describe());
  }

  private Map<String, String> withMarks() {
    Map<String, String> marks = new HashMap<>(env);
    marks.put("OCEAN_STARTUP_MARKS", "1");
    return marks;
  }

  /** Waits until the daemon the first command started answers. */
  private void awaitDaemon() throws InterruptedException {
    awaitDaemon(env, bin("ocean"));
  }

  private int requestsServed() {
    Result status = ocean("daemon", "status");
    Matcher m = REQUESTS.matcher(status.stdout());
    assertTrue(m.find(), status.describe());
    return Integer.parseInt(m.group(1));
  }

  private Result ocean(String... args) {
    return Exec.run(work, env, "", command(args));
  }

  /** {@code ocean} in a JVM of its own, as with no native client. */
  private static Result jvm(Map<String, String> env, String stdin, String... args) {
    Map<String, String> noDaemon = new HashMap<>(base);
    noDaemon.putAll(env);
    noDaemon.put("OCEAN_NO_DAEMON", "1");
    return Exec.run(shared, noDaemon, stdin, command(args));
  }

  private static String[] command(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = bin("ocean");
    System.arraycopy(args, 0, command, 1, args.length);
    return command;
  }

  private static String bin(String program) {
    return DIST.resolve("bin").resolve(program).toAbsolutePath().toString();
  }
}
