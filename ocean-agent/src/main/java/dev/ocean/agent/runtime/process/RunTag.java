package dev.ocean.agent.runtime.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a run's processes that left its process group ({@code setsid}, a daemon's double fork):
 * each run gets {@code OCEAN_RUN_TAG} in its environment, which its descendants inherit, and {@code
 * /proc/PID/environ} shows the environment a process started with. Limits: a process that was
 * exec'd with a cleared or rewritten environment ({@code env -i}) is not found, and without root
 * only processes of the agent's own user can be read.
 */
final class RunTag {
  static final String VAR = "OCEAN_RUN_TAG";

  private RunTag() {}

  /** The tag of {@code runId}: unique on this machine, since state directories are. */
  static String of(Path stateDir, String runId) {
    return runId + "@" + stateDir.toAbsolutePath().normalize();
  }

  /** The live processes (this one excepted) whose environment carries {@code tag}. */
  static List<ProcessHandle> processes(String tag) {
    byte[] needle = ("\0" + VAR + "=" + tag + "\0").getBytes(StandardCharsets.UTF_8);
    long self = ProcessHandle.current().pid();
    List<ProcessHandle> found = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        long pid = Long.parseLong(proc.getFileName().toString());
        if (pid != self && carries(proc.resolve("environ"), needle)) {
          ProcessHandle.of(pid).ifPresent(found::add);
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc (not Linux): only the process group is signalled
    }
    return found;
  }

  /** Sends SIGTERM, or SIGKILL when {@code kill}, to every process {@link #processes} finds. */
  static void signal(String tag, boolean kill) {
    for (ProcessHandle p : processes(tag)) {
      if (kill) {
        p.destroyForcibly();
      } else {
        p.destroy();
      }
    }
  }

  private static boolean carries(Path environ, byte[] needle) {
    byte[] env;
    try {
      byte[] raw = Files.readAllBytes(environ);
      env = new byte[raw.length + 1]; // a leading NUL, so the first variable matches too
      System.arraycopy(raw, 0, env, 1, raw.length);
    } catch (IOException | SecurityException e) {
      return false; // gone, or another user's
    }
    outer:
    for (int i = 0; i + needle.length <= env.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (env[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
