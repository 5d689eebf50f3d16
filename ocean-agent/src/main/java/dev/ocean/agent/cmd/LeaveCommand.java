package dev.ocean.agent.cmd;

import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.AgentDaemon;
import dev.ocean.agent.daemon.PriorIdentity;
import dev.ocean.agent.daemon.StateLock;
import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClientException;
import java.nio.file.Files;
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
    PriorIdentity.clear(state, config, w -> System.err.println("Warning: " + w));
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
}
