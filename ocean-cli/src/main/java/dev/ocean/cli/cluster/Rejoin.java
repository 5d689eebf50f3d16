package dev.ocean.cli.cluster;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.cluster.LocalCluster.Program;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Node {@code local} after {@code ocean admin node remove local}: its agent's credential is refused
 * for good. {@code ocean up} owns that agent's state and the admin login, so it leaves and joins
 * again itself instead of failing with advice meant for a hand-joined node (qa7 K2).
 */
final class Rejoin {
  private Rejoin() {}

  /**
   * When this cluster's agent joined as a node the server no longer has (an admin removed it),
   * clears that identity and says so; returns the runtime it had joined with, empty otherwise.
   */
  static Optional<String> ifRemoved(
      LocalCluster cluster, OceanClient admin, Path launcher, Consumer<String> info) {
    if (!removed(cluster, admin)) {
      return Optional.empty();
    }
    String joined = cluster.joinedRuntime().orElse(null);
    leave(cluster, launcher);
    info.accept(
        "Node "
            + LocalCluster.NODE_NAME
            + " had been removed (`ocean admin node remove`); this machine joins as node "
            + LocalCluster.NODE_NAME
            + " again.");
    return Optional.ofNullable(joined);
  }

  /** Whether this cluster's agent joined as a node the server no longer has. */
  static boolean removed(LocalCluster cluster, OceanClient admin) {
    if (!Files.isRegularFile(cluster.agentState().resolve("agent.json"))) {
      return false; // never joined: the first start joins
    }
    try {
      admin.get("/nodes/" + OceanClient.segment(LocalCluster.NODE_NAME), Node.class);
      return false;
    } catch (OceanApiException e) {
      return e.status() == 404;
    }
  }

  /** Clears the agent's old identity with {@code ocean-agent leave}, output to the agent's log. */
  private static void leave(LocalCluster cluster, Path launcher) {
    Path exe = launcher.resolveSibling(Program.AGENT.launcher);
    Path state = cluster.agentState();
    try {
      Process p =
          DetachedProcess.start(
              exe,
              List.of("leave", "--state-dir", state.toString()),
              cluster.log(Program.AGENT),
              null);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new CliException(
            ExitCodes.ERROR,
            "node "
                + LocalCluster.NODE_NAME
                + " was removed and `ocean-agent leave --state-dir "
                + state
                + "` did not clear its old identity; see "
                + cluster.log(Program.AGENT));
      }
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot run " + exe + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.ERROR, "interrupted");
    }
  }
}
