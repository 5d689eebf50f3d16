package dev.ocean.agent.cmd;

import dev.ocean.agent.facts.NodeFingerprint;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** What the agent's subcommands share: the environment and the state directory. */
abstract class AgentSubcommand implements Callable<Integer> {
  Map<String, String> env = System.getenv();

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where the credential, config and log spool live (env OCEAN_AGENT_STATE, default /var/lib/ocean-agent).")
  Path stateDir;

  Path stateDir() {
    // Absolute, because runs work in other directories and must still find their state files.
    if (stateDir != null) {
      return stateDir.toAbsolutePath().normalize();
    }
    String fromEnv = env.get("OCEAN_AGENT_STATE");
    return Path.of(fromEnv != null && !fromEnv.isEmpty() ? fromEnv : "/var/lib/ocean-agent")
        .toAbsolutePath()
        .normalize();
  }

  NodeFingerprint fingerprint() {
    return NodeFingerprint.ofThisMachine(env);
  }
}
