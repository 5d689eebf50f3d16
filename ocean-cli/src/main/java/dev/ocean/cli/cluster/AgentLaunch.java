package dev.ocean.cli.cluster;

import dev.ocean.cli.base.CliContext;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.cluster.LocalCluster.Program;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.client.OceanClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How {@code ocean up} starts the local cluster's agent: which runtime it gets, the join on a first
 * start, the warning the process runtime deserves.
 */
final class AgentLaunch {
  /** The agent process started, and whether it runs jobs in Docker. */
  record Started(Process process, boolean docker) {}

  private final CliContext ctx;
  private final Consumer<String> info;
  private final String listen;
  private final String runtime;

  AgentLaunch(CliContext ctx, Consumer<String> info, String listen, String runtime) {
    this.ctx = ctx;
    this.info = info;
    this.listen = listen;
    this.runtime = runtime;
  }

  /**
   * Refuses {@code runtime} when node local joined with the other one (only --reset changes it).
   */
  static void requireJoinedRuntime(LocalCluster cluster, String runtime) {
    // the node keeps the runtime it joined with: silently another one would be worse
    cluster
        .joinedRuntime()
        .filter(joined -> !joined.equals(runtime))
        .ifPresent(
            joined -> {
              throw new CliException(
                  ExitCodes.USAGE,
                  "node "
                      + LocalCluster.NODE_NAME
                      + " of this cluster runs the "
                      + joined
                      + " runtime; `ocean up --reset --runtime "
                      + runtime
                      + "` starts over with "
                      + ("docker".equals(runtime) ? "containers" : "processes")
                      + " (and deletes the cluster's data)");
            });
  }

  /** Joins this machine as the cluster's node on a first start, else runs the joined agent. */
  Started start(LocalCluster cluster, Path launcher, String url, OceanClient admin) {
    Path state = cluster.agentState();
    Process p;
    boolean docker;
    if (Files.isRegularFile(state.resolve("agent.json"))) {
      // the node keeps the runtime and engine it joined with, whatever this shell's DOCKER_HOST
      docker = cluster.joinedRuntime().map("docker"::equals).orElse(false);
      String runAs = cluster.processRunAs();
      if (runAs != null) {
        warnProcessRuntime(runAs); // as the first up did: it still holds
      }
      if (docker) {
        cluster
            .dockerHost()
            .filter(host -> !ContainerSocket.answers(host))
            .ifPresent(
                host ->
                    ctx.err()
                        .println(
                            "Warning: node "
                                + LocalCluster.NODE_NAME
                                + " uses the docker runtime at "
                                + host
                                + ", which does not answer; its jobs and instances wait until"
                                + " Docker or Podman answers there again."));
      }
      p =
          cluster.start(
              launcher, Program.AGENT, List.of("run", "--state-dir", state.toString()), null);
    } else {
      Optional<String> socket =
          "process".equals(runtime) ? Optional.empty() : ContainerSocket.find(ctx.env());
      if ("docker".equals(runtime) && socket.isEmpty()) {
        throw new CliException(
            ExitCodes.ERROR,
            "--runtime docker: no Docker or Podman socket answers on this machine");
      }
      docker = socket.isPresent();
      JoinToken token =
          admin.post("/admin/join-tokens", new JoinToken.Create("10m", null), JoinToken.class);
      List<String> args =
          new ArrayList<>(
              List.of(
                  "join",
                  "--server",
                  url,
                  "--token",
                  "-",
                  "--name",
                  LocalCluster.NODE_NAME,
                  "--runtime",
                  docker ? "docker" : "process",
                  "--state-dir",
                  state.toString(),
                  "--storage",
                  cluster.serverData().resolve("storage").toString()));
      socket.ifPresent(s -> args.addAll(List.of("--docker-host", s)));
      if (docker && advertised() != null) {
        // instances' SSH and editor ports are published where the server listens: a cluster on
        // this machine only (the default) exposes nothing to the network
        args.addAll(List.of("--advertise-address", advertised()));
      }
      if (!docker) {
        // a one-node cluster on one's own machine runs jobs as oneself, said out loud
        String me = System.getProperty("user.name");
        args.addAll(List.of("--run-as", me));
        warnProcessRuntime(me);
      }
      p = cluster.start(launcher, Program.AGENT, args, token.token() + "\n");
    }
    info.accept(
        "Starting ocean-agent with the "
            + (docker ? "docker" : "process")
            + " runtime (pid "
            + p.pid()
            + ", log "
            + cluster.log(Program.AGENT)
            + ") ...");
    return new Started(p, docker);
  }

  /**
   * Every job has its owner's rights: over the admin password, the CLI login and the database in
   * the data directory too, so other users' jobs could become admin. Said at every start.
   */
  private void warnProcessRuntime(String me) {
    ctx.err()
        .println(
            "Warning: with the process runtime, every job on this cluster runs as "
                + me
                + (me.equals("root") ? ", with root's rights on this machine" : "")
                + " and can read this cluster's admin password, database and every volume;"
                + " let only people you trust submit jobs, or use --runtime docker.");
  }

  /** The address instances are published on: the one the server listens on, unless that is all. */
  private String advertised() {
    return switch (listen) {
      case "0.0.0.0", "::", "[::]" -> null;
      default -> listen.startsWith("[") ? listen.substring(1, listen.length() - 1) : listen;
    };
  }
}
