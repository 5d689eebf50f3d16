package dev.ocean.agent.cmd;

import dev.ocean.agent.daemon.AgentConfig;
import picocli.CommandLine.Option;

/** The flags that say how this node publishes instances, shared by {@code join} and {@code run}. */
final class InstanceFlags {
  @Option(
      names = "--port-range",
      paramLabel = "LOW-HIGH",
      description =
          "Host ports instances' SSH and editor ports are published on (default 30000-32767);"
              + " join stores it for run, which may override it.")
  String portRange;

  @Option(
      names = "--advertise-address",
      paramLabel = "IP",
      description =
          "The address users reach instances on; their ports are bound to it alone (default: the"
              + " primary interface's); join stores it for run, which may override it.")
  String advertiseAddress;

  /** Null when the flags are fine, else the sentence to print (exit 2). */
  String problem() {
    try {
      AgentConfig.checkInstanceFlags(portRange, advertiseAddress);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
