package dev.ocean.agent.cmd;

import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.AgentDaemon;
import dev.ocean.agent.daemon.AgentStatus;
import dev.ocean.agent.daemon.StateLock;
import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClientException;
import dev.ocean.common.files.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import picocli.CommandLine.Command;

@Command(name = "leave", description = "Deregister this node and forget its identity.")
final class LeaveCommand extends AgentSubcommand {
  @Override
  public Integer call() throws Exception {
    Path state = stateDir();
    var loaded = AgentConfig.load(state);
    if (loaded.isEmpty()) {
      System.out.println("Nothing to leave: no node identity in " + state + ".");
      return 0;
    }
    AgentConfig config = loaded.get();
    String refused = null;
    try {
      AgentDaemon.agentClient(config).post(AgentProtocol.LEAVE, null, Void.class);
    } catch (OceanApiException e) {
      // Removed by an admin, or a rotated credential: the server has let go of this node already.
      refused = e.status() == 401 ? "the server no longer knows this node" : e.getMessage();
    } catch (OceanClientException e) {
      refused = "the server could not be reached (" + e.getMessage() + ")";
    }
    // The agent running with this directory would only find its credential refused: stop it.
    StateLock.holder(state)
        .ifPresent(
            pid ->
                ProcessHandle.of(pid)
                    .ifPresent(
                        p -> {
                          p.destroy();
                          try {
                            p.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
                            System.out.println(
                                "Stopped the agent that ran here (pid " + pid + ").");
                          } catch (Exception e) {
                            System.err.println(
                                "Warning: the agent that runs here (pid "
                                    + pid
                                    + ") did not stop.");
                          }
                        }));
    // Local state is cleared whatever the server said, so this directory can join again.
    Files.deleteIfExists(state.resolve(AgentConfig.FILE));
    Files.deleteIfExists(state.resolve(AgentStatus.FILE));
    // and so are the run records and spools of every registration, and this one's scratch folder
    deleteTree(state.resolve("registrations"));
    deleteTree(Path.of(System.getProperty("java.io.tmpdir"), "ocean-runs-" + config.runLabel()));
    if (StateLock.holder(state).isEmpty()) {
      Files.deleteIfExists(state.resolve(StateLock.FILE));
    }
    if (refused != null) {
      System.err.println(
          "Warning: "
              + refused
              + "; cleared the local identity of node "
              + config.nodeName()
              + " anyway.");
      System.out.println(
          "Node " + config.nodeName() + " forgotten; this directory can join again.");
      return 0;
    }
    System.out.println("Node " + config.nodeName() + " left " + config.server() + ".");
    return 0;
  }

  /** Deletes {@code dir} and all it holds; what cannot be deleted is named, not fatal. */
  private static void deleteTree(Path dir) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      System.err.println("Warning: could not delete " + dir + ": " + e.getMessage());
    }
  }
}
