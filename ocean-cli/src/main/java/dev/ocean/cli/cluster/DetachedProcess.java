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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    if (!exited(h, 30)) {
      h.destroyForcibly();
      exited(h, 10);
    }
    if (Liveness.running(h)) {
      throw new CliException(ExitCodes.ERROR, launcher + " (pid " + h.pid() + ") did not stop");
    }
  }

  /** Waits up to {@code seconds} for {@code h} to end; one killed but not yet reaped has ended. */
  private static boolean exited(ProcessHandle h, int seconds) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (Liveness.running(h)) {
      if (System.nanoTime() > until) {
        return false;
      }
      try {
        h.onExit().get(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (ExecutionException | TimeoutException e) {
        // still running, or a zombie (which onExit never reports): look again
      }
    }
    return true;
  }
}
