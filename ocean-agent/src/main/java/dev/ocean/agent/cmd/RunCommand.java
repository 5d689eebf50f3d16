package dev.ocean.agent.cmd;

import dev.ocean.agent.daemon.Agent;
import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.PriorIdentity;
import dev.ocean.agent.daemon.StateLock;
import dev.ocean.agent.daemon.SystemdUnit;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", description = "Run the agent with the identity in the state directory.")
final class RunCommand extends AgentSubcommand {
  @Option(
      names = "--run-as",
      paramLabel = "USER",
      description = "Account the process runtime runs jobs as, instead of the one given to join.")
  String runAs;

  @Option(
      names = "--ca-cert",
      paramLabel = "FILE",
      description =
          "Trust the PEM certificates in FILE (the server's, or its CA's) from now on; kept in the"
              + " state directory's agent.json (env OCEAN_CA_CERT).")
  String caCert;

  @picocli.CommandLine.Mixin InstanceFlags instanceFlags = new InstanceFlags();

  @Option(
      names = "--install-service",
      description =
          "Write and enable a systemd unit that runs this state directory's node, instead of"
              + " running here (an upgrade in place restarts it on the new programs).")
  boolean installService;

  @Override
  public Integer call() throws Exception {
    if (instanceFlags.problem() != null) {
      System.err.println("Error: " + instanceFlags.problem() + ".");
      return 2;
    }
    String ca;
    try {
      ca = caCertFile(caCert);
    } catch (IllegalArgumentException e) {
      System.err.println("Error: " + e.getMessage() + ".");
      return 2;
    }
    Path state = stateDir();
    if (installService) {
      // the agent already running here (the unit being upgraded) keeps the lock: no lock needed
      if (AgentConfig.load(state).isEmpty()) {
        throw new IllegalStateException(
            "no node identity in " + state + "; run `ocean-agent join` first");
      }
      if (ca != null) {
        AgentConfig.load(state).orElseThrow().withCaCert(ca).save(state);
      }
      return installService(env, state);
    }
    var running = StateLock.holder(state);
    if (running.isPresent()) {
      // a join still registering holds the directory too, before its identity is written
      System.err.println(
          "Error: an agent already runs with the state directory "
              + state
              + " (pid "
              + running.getAsLong()
              + "); stop it first, or use another --state-dir.");
      return 5;
    }
    if (AgentConfig.load(state).isEmpty()) {
      throw new IllegalStateException(
          "no node identity in " + state + "; run `ocean-agent join` first");
    }
    StateLock lock;
    try {
      lock = StateLock.acquire(state);
    } catch (StateLock.Held e) {
      System.err.println("Error: " + e.getMessage() + ".");
      return 5;
    }
    try {
      AgentConfig stored =
          AgentConfig.load(state)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no node identity in " + state + "; run `ocean-agent join` first"));
      if (ca != null) {
        // kept: the next run (a restart by systemd) trusts the server the same way
        stored = stored.withCaCert(ca);
        stored.save(state);
      }
      AgentConfig config =
          (runAs == null ? stored : stored.withRunAs(runAs))
              .withInstanceFlags(instanceFlags.portRange, instanceFlags.advertiseAddress);
      if (PriorIdentity.refused(config)) {
        System.err.println(
            "Error: node "
                + config.nodeName()
                + " is no longer known to "
                + config.server()
                + " (removed, or the server's data was reset); join again with a new token:"
                + " 'ocean-agent join --state-dir "
                + state
                + " …' replaces this identity.");
        return 1;
      }
      System.out.println("Running as node " + config.nodeName() + " of " + config.server() + ".");
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

  /** Writes the systemd unit and, where systemd runs, enables and starts it. */
  static int installService(Map<String, String> env, Path state) throws Exception {
    String launcher = System.getProperty("ocean.launcher", "/opt/ocean/bin/ocean-agent");
    Path unitDir = Path.of(env.getOrDefault("OCEAN_SYSTEMD_DIR", "/etc/systemd/system"));
    Path unit = SystemdUnit.write(unitDir, Path.of(launcher), state.toAbsolutePath());
    System.out.println("Wrote " + unit + ".");
    if (env.get("OCEAN_SYSTEMD_DIR") == null
        && Path.of("/run/systemd/system").toFile().isDirectory()) {
      for (List<String> argv :
          List.of(
              List.of("systemctl", "daemon-reload"),
              List.of("systemctl", "enable", "--now", SystemdUnit.NAME))) {
        int rc = new ProcessBuilder(argv).inheritIO().start().waitFor();
        if (rc != 0) {
          System.err.println(
              "Error: " + String.join(" ", argv) + " failed with exit code " + rc + ".");
          return 1;
        }
      }
      System.out.println("Enabled and started " + SystemdUnit.NAME + ".");
    } else {
      System.out.println(
          "systemd is not running here; start it with: systemctl enable --now " + SystemdUnit.NAME);
    }
    return 0;
  }
}
