package dev.ocean.cli.daemon;

import dev.ocean.cli.Cli;
import java.util.Map;
import java.util.Set;

/**
 * Which command lines the daemon runs itself: help and version of anything, usage errors, and an
 * allowlist of commands that only print what the server answers (no prompt, no terminal, no process
 * of their own, nothing that runs until interrupted). Everything else the client runs in its own
 * JVM, as it did before there was a daemon.
 */
final class Served {
  /** Commands the daemon runs, by qualified name. */
  static final Set<String> COMMANDS =
      Set.of(
          "ocean whoami",
          "ocean token list",
          "ocean machine-type list",
          "ocean image list",
          "ocean quota list",
          "ocean quota requests",
          "ocean volume list",
          "ocean volume get",
          "ocean node list",
          "ocean node get",
          "ocean gpu list",
          "ocean job list",
          "ocean job get",
          "ocean job submit",
          "ocean job cancel",
          "ocean logs",
          "ocean instance list",
          "ocean instance get",
          "ocean instance logs",
          "ocean ssh-key add",
          "ocean ssh-key list",
          "ocean ssh-key remove",
          "ocean admin user list",
          "ocean admin quota list",
          "ocean admin quota-request list",
          "ocean admin node tokens",
          "ocean help",
          "ocean daemon status",
          "ocean daemon stop");

  /**
   * Options that keep a command out of the daemon: those that make it wait or stream until
   * interrupted. (Files named by served commands are opened through {@code CliContext.path},
   * against the caller's directory.)
   */
  static final Set<String> JVM_ONLY = Set.of("--follow", "--wait");

  private Served() {}

  /**
   * Whether the options (before {@code --}) name a file only the caller's own process can open:
   * {@code <(gen)} is {@code /dev/fd/63} of the caller, {@code /dev/stdin} its stdin, and the
   * daemon opening them would read its own.
   */
  static boolean namesCallersFiles(String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      int eq = arg.startsWith("-") ? arg.indexOf('=') : -1;
      String value = eq > 0 ? arg.substring(eq + 1) : arg;
      if (value.startsWith("/dev/") || value.startsWith("/proc/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the daemon runs a command line that parsed to {@code parsed} (null: a usage error) for
   * a caller with environment {@code env}.
   */
  static boolean served(Cli.Parsed parsed, Map<String, String> env) {
    if (env.containsKey("OCEAN_STARTUP_MARKS")) {
      return false; // it measures a JVM's start
    }
    if (parsed == null || parsed.help()) {
      return true;
    }
    return COMMANDS.contains(parsed.command())
        && parsed.options().stream().noneMatch(JVM_ONLY::contains);
  }
}
