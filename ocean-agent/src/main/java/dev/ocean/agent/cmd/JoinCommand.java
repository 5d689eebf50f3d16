package dev.ocean.agent.cmd;

import dev.ocean.agent.daemon.Agent;
import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.JoinTokenSource;
import dev.ocean.agent.daemon.Joiner;
import dev.ocean.agent.daemon.PriorIdentity;
import dev.ocean.agent.daemon.StateLock;
import dev.ocean.common.client.ServerAddresses;
import java.io.InputStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "join", description = "Register this node with a join token, then run.")
final class JoinCommand extends AgentSubcommand {
  @Option(
      names = "--server",
      paramLabel = "URL[,URL...]",
      required = true,
      description =
          "Server URL, or several of one cluster as URL,URL: the agent uses the one that answers.")
  String server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN|-",
      description =
          "Join token from `ocean admin node token`; - reads it from standard input. A token given"
              + " here shows in the process list: prefer -, --token-file or env OCEAN_JOIN_TOKEN.")
  String token;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "Read the join token from FILE.")
  Path tokenFile;

  /** Where {@code --token -} reads from; tests hand in their own. */
  InputStream stdin = System.in;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Node name (default: the host name).")
  String name;

  @Option(
      names = "--runtime",
      paramLabel = "RUNTIME",
      defaultValue = "docker",
      description = "docker or process (default ${DEFAULT-VALUE}).")
  String runtime;

  @Option(
      names = "--docker-host",
      paramLabel = "URL",
      // one line each, indented as a wrapped line: picocli would break the URLs after ':'
      description = {
        "Docker Engine API socket, like",
        "  unix:///run/podman/podman.sock (default",
        "  unix:///var/run/docker.sock)."
      })
  String dockerHost;

  @Option(
      names = "--storage",
      paramLabel = "DIR",
      description = "Where the shared volume storage is mounted on this node.")
  String storage;

  @Option(
      names = "--heartbeat",
      paramLabel = "SECONDS",
      description = "Seconds between heartbeats (default: what the server says).")
  Integer heartbeat;

  @Option(
      names = "--ulimit",
      paramLabel = "NAME=SOFT[:HARD]",
      description =
          "A container ulimit, repeatable (default: nofile=4096:4096 and nproc=4096:4096).")
  java.util.List<String> ulimits = new java.util.ArrayList<>();

  @Option(
      names = "--ca-cert",
      paramLabel = "FILE",
      description =
          "Also trust the PEM certificates in FILE when talking to the server, e.g. its self-signed"
              + " certificate (env OCEAN_CA_CERT); remembered for `ocean-agent run`.")
  String caCert;

  @Option(
      names = "--run-as",
      paramLabel = "USER",
      description =
          "Account the process runtime runs jobs as (an unprivileged one); an agent running as root"
              + " refuses jobs without it, unless it is root; remembered for `ocean-agent run`.")
  String runAs;

  @picocli.CommandLine.Mixin InstanceFlags instanceFlags = new InstanceFlags();

  @Option(
      names = "--install-service",
      description = "Write and enable a systemd unit instead of running here.")
  boolean installService;

  @Override
  public Integer call() throws Exception {
    java.util.Optional<String> badServer = ServerAddresses.problem(server);
    if (badServer.isPresent()) {
      // the CLI's sentence for --server, before anything is registered (qa8 Q9)
      System.err.println("Error: --server: " + badServer.get() + ".");
      return 2;
    }
    if (!runtime.equals("docker") && !runtime.equals("process")) {
      System.err.println("Error: --runtime must be docker or process, not '" + runtime + "'.");
      return 2;
    }
    if (heartbeat != null && (heartbeat < 1 || heartbeat > 3600)) {
      System.err.println(
          "Error: --heartbeat must be between 1 and 3600 seconds, not " + heartbeat + ".");
      return 2;
    }
    if (runAs != null && runtime.equals("process")) {
      // checked before registering: a node that cannot run its jobs is not worth a join token
      String refusal =
          dev.ocean.agent.runtime.process.RunAs.of(runAs, System.getProperty("user.name"))
              .refusal();
      if (refusal != null) {
        System.err.println("Error: " + refusal + ".");
        return 2;
      }
    }
    String storagePath =
        storage == null ? null : Path.of(storage).toAbsolutePath().normalize().toString();
    if (storagePath != null) {
      String refusal =
          dev.ocean.common.files.StorageMarker.refusal("--storage", Path.of(storagePath));
      if (refusal == null) {
        // the agent (root) sees the marker; the jobs' account must reach it too
        refusal = dev.ocean.agent.daemon.StorageReach.refusal(runtime, runAs, Path.of(storagePath));
      }
      if (refusal != null) {
        System.err.println("Error: " + refusal + ".");
        return 2;
      }
    }
    if (instanceFlags.problem() != null) {
      System.err.println("Error: " + instanceFlags.problem() + ".");
      return 2;
    }
    try {
      ulimits.forEach(AgentConfig::ulimit);
    } catch (IllegalArgumentException e) {
      System.err.println("Error: " + e.getMessage() + ".");
      return 2;
    }
    String joinToken;
    try {
      joinToken = JoinTokenSource.resolve(token, tokenFile, env, stdin);
    } catch (IllegalArgumentException e) {
      System.err.println("Error: " + e.getMessage() + ".");
      return 2;
    }
    String caPath;
    try {
      caPath = caCertFile(caCert);
    } catch (IllegalArgumentException e) {
      System.err.println("Error: " + e.getMessage() + ".");
      return 2;
    }
    Path state = stateDir();
    StateLock lock;
    try {
      lock = StateLock.acquire(state);
    } catch (StateLock.Held e) {
      // an agent that has not heard yet that its server reset gives way; a live member does not
      var taken = PriorIdentity.takeOver(state, System.out::println);
      if (taken.isEmpty()) {
        System.err.println("Error: " + e.getMessage() + ".");
        return 5;
      }
      lock = taken.get();
    }
    try {
      var prior = AgentConfig.load(state);
      if (prior.isPresent()) {
        try {
          PriorIdentity.replaceIfGone(prior.get(), state, System.out::println);
        } catch (PriorIdentity.Kept e) {
          System.err.println("Error: " + e.getMessage() + ".");
          return 5;
        }
      }
      AgentConfig config =
          Joiner.join(
              new Joiner.Request(
                  server,
                  joinToken,
                  name,
                  runtime,
                  dockerHost,
                  storagePath,
                  heartbeat,
                  ulimits,
                  caPath,
                  runAs,
                  instanceFlags.portRange,
                  instanceFlags.advertiseAddress),
              state,
              fingerprint());
      String warning =
          cannotRunJobs(runtime, dev.ocean.agent.daemon.Agent.probe(runtime, dockerHost, runAs));
      if (warning != null) {
        System.out.println(warning); // before "Joined": install.sh shows it once that line is out
      }
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
    } finally {
      lock.close();
    }
  }

  /** The sentence that says a joined node cannot run jobs yet and what to do, or null if it can. */
  static String cannotRunJobs(String runtime, dev.ocean.common.api.node.RuntimeInfo health) {
    if (health.problem() == null) {
      return null;
    }
    String fix =
        runtime.equals("docker")
            ? "; start Docker or Podman (--docker-host URL names its socket), or join with"
                + " --runtime process"
            : "";
    return "Warning: this node joined but cannot run jobs yet: " + health.problem() + fix + ".";
  }
}
