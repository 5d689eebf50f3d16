package dev.ocean.dist;

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

/**
 * {@code bin/ocean} with the resident daemon on, for one test: its own XDG_RUNTIME_DIR (so its own
 * daemon), which {@link #stop} ends.
 */
final class UserDaemon {
  static final Path DIST = Path.of(System.getProperty("ocean.dist", "target/ocean"));
  private static final Pattern REQUESTS = Pattern.compile("(?m)^requests +(\\d+)$");
  private static final Pattern PID = Pattern.compile("(?m)^pid +(\\d+)$");

  final Path work;
  final Map<String, String> env;

  UserDaemon(Path work, Map<String, String> base) throws Exception {
    assertTrue(
        Files.isExecutable(DIST.resolve("lib/cli/ocean-client")),
        "the release has its native client (a C compiler was present at build time)");
    this.work = work;
    Path run = Files.createDirectory(work.resolve("run"));
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwx------"));
    env = new HashMap<>(base);
    env.put("XDG_RUNTIME_DIR", run.toString());
    env.put("OCEAN_DAEMON_IDLE_SECONDS", "120");
    env.put("OCEAN_NO_DAEMON", ""); // failsafe sets it for the other tests
  }

  Result ocean(String... args) {
    return Exec.run(work, env, "", command(args));
  }

  /** {@code ocean} in a JVM of its own, as with no native client. */
  Result jvm(Map<String, String> more, String... args) {
    Map<String, String> noDaemon = new HashMap<>(env);
    noDaemon.putAll(more);
    noDaemon.put("OCEAN_NO_DAEMON", "1");
    return Exec.run(work, noDaemon, "", command(args));
  }

  /** Starts the daemon as a first command does, and waits until it answers. */
  ProcessHandle start() throws InterruptedException {
    ocean("--version");
    return await(env, bin("ocean"));
  }

  /** Waits until the daemon of launcher {@code ocean} answers; returns its process. */
  ProcessHandle await(Map<String, String> env, String ocean) throws InterruptedException {
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

  /** What {@code ocean daemon status} counts: commands the daemon ran. */
  int requestsServed() {
    Result status = ocean("daemon", "status");
    Matcher m = REQUESTS.matcher(status.stdout());
    assertTrue(m.find(), status.describe());
    return Integer.parseInt(m.group(1));
  }

  /** Stops the daemon, if one runs, and makes sure its process ends. */
  void stop() {
    Matcher pid = PID.matcher(ocean("daemon", "status").stdout());
    ocean("daemon", "stop");
    if (pid.find()) {
      ProcessHandle.of(Long.parseLong(pid.group(1))).ifPresent(ProcessHandle::destroy);
    }
  }

  static String[] command(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = bin("ocean");
    System.arraycopy(args, 0, command, 1, args.length);
    return command;
  }

  static String bin(String program) {
    return DIST.resolve("bin").resolve(program).toAbsolutePath().toString();
  }
}
