package dev.ocean.cli.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a process still runs. A process killed but not yet reaped (state Z in {@code
 * /proc/PID/stat}, as under a PID 1 that reaps late) exists for {@link ProcessHandle#isAlive} yet
 * serves nothing: {@code ocean up} must start it again, not wait for it (qa7 K1, K8).
 */
final class Liveness {
  private static final Path PROC = Path.of("/proc");

  private Liveness() {}

  static boolean running(ProcessHandle h) {
    if (!h.isAlive()) {
      return false;
    }
    if (!Files.isRegularFile(PROC.resolve("self/stat"))) {
      return true; // no /proc (not Linux): isAlive is all there is
    }
    try {
      return running(Files.readString(PROC.resolve(h.pid() + "/stat")));
    } catch (IOException gone) {
      return false;
    }
  }

  /** From a {@code /proc/PID/stat} line: the state after the command name in parentheses. */
  static boolean running(String stat) {
    int end = stat.lastIndexOf(')');
    if (end < 0 || end + 2 >= stat.length()) {
      return true; // unreadable: not a reason to start a second copy
    }
    char state = stat.charAt(end + 2);
    return state != 'Z' && state != 'X' && state != 'x';
  }
}
