package dev.ocean.cli.cluster;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts a program that outlives this command (its own session, output to a log) and stops one with
 * SIGTERM, then a bounded wait.
 */
final class DetachedProcess {
  private DetachedProcess() {}

  /** Starts {@code exe} with {@code args}, output appended to {@code log}, {@code stdin} fed. */
  static Process start(Path exe, List<String> args, Path log, String stdin) throws IOException {
    List<String> argv = new ArrayList<>();
    // setsid: a Ctrl-C or a closed terminal must not stop the cluster with this command
    Stream.of("/usr/bin/setsid", "/bin/setsid")
        .filter(s -> Files.isExecutable(Path.of(s)))
        .findFirst()
        .ifPresent(argv::add);
    argv.add(exe.toString());
    argv.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    }
    Process p = pb.start();
    if (stdin != null) {
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    return p;
  }

  /** SIGTERM, 30 s to exit, then SIGKILL and 10 s more; a process still alive is an error. */
  static void stop(ProcessHandle h, String launcher) {
    h.destroy();
    try {
      h.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      h.destroyForcibly();
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reported below as still running
      }
    }
    if (h.isAlive()) {
      throw new CliException(ExitCodes.ERROR, launcher + " (pid " + h.pid() + ") did not stop");
    }
  }
}
