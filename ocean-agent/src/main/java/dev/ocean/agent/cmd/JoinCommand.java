package dev.ocean.agent.cmd;

import dev.ocean.agent.daemon.Agent;
import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.Joiner;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "join", description = "Register this node with a join token, then run.")
final class JoinCommand extends AgentSubcommand {
  @Option(names = "--server", required = true, description = "Server URL.")
  String server;

  @Option(
      names = "--token",
      required = true,
      description = "Join token from `ocean admin node token`.")
  String token;

  @Option(names = "--name", description = "Node name (default: the host name).")
  String name;

  @Option(
      names = "--runtime",
      defaultValue = "docker",
      description = "docker or process (default ${DEFAULT-VALUE}).")
  String runtime;

  @Option(
      names = "--docker-host",
      description = "Docker Engine API socket, e.g. unix:///run/podman/podman.sock.")
  String dockerHost;

  @Option(
      names = "--storage",
      description = "Where the shared volume storage is mounted on this node.")
  String storage;

  @Option(
      names = "--heartbeat",
      description = "Seconds between heartbeats (default: what the server says).")
  Integer heartbeat;

  @Option(
      names = "--install-service",
      description = "Write and enable a systemd unit instead of running here.")
  boolean installService;

  @Override
  public Integer call() throws Exception {
    if (!runtime.equals("docker") && !runtime.equals("process")) {
      System.err.println("Error: --runtime must be docker or process, not '" + runtime + "'.");
      return 2;
    }
    Path state = stateDir();
    AgentConfig config =
        Joiner.join(
            new Joiner.Request(server, token, name, runtime, dockerHost, storage, heartbeat),
            state,
            fingerprint());
    System.out.println("Joined " + server + " as node " + config.nodeName() + ".");
    if (installService) {
      return RunCommand.installService(env, state);
    }
    try (Agent agent = Agent.create(config, state, fingerprint()).start()) {
      Runtime.getRuntime().addShutdownHook(new Thread(agent::close));
      String reason = agent.awaitExit();
      if (reason != null) {
        System.err.println("Error: " + reason + ".");
        return 1;
      }
    }
    return 0;
  }
}
