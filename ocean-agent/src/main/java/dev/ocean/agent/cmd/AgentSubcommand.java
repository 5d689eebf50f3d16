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

  /**
   * The CA file of {@code --ca-cert} ({@code typed}) or else {@code OCEAN_CA_CERT} (empty counts as
   * unset), absolute because the service that runs later starts in another directory; null for
   * none.
   *
   * @throws IllegalArgumentException naming the flag when it was typed empty or names no file: bad
   *     input, as in the CLI
   */
  String caCertFile(String typed) {
    if (typed != null && typed.isBlank()) {
      // typed on purpose: an empty value would silently mean no certificate at all
      throw new IllegalArgumentException("--ca-cert must name a PEM file, not be empty");
    }
    String ca = typed != null ? typed : env.get("OCEAN_CA_CERT");
    if (ca == null || ca.isEmpty()) {
      return null;
    }
    if (!java.nio.file.Files.isRegularFile(Path.of(ca))) {
      throw new IllegalArgumentException(
          (typed != null ? "--ca-cert" : "OCEAN_CA_CERT")
              + ": the CA certificate file "
              + ca
              + " does not exist");
    }
    return Path.of(ca).toAbsolutePath().normalize().toString();
  }

  NodeFingerprint fingerprint() {
    return NodeFingerprint.ofThisMachine(env);
  }
}
