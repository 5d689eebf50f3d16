package dev.ocean.agent.cmd;

import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.AgentDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;

@Command(name = "leave", description = "Deregister this node and forget its identity.")
final class LeaveCommand extends AgentSubcommand {
  @Override
  public Integer call() throws Exception {
    Path state = stateDir();
    AgentConfig config =
        AgentConfig.load(state)
            .orElseThrow(() -> new IllegalStateException("no node identity in " + state));
    AgentDaemon.agentClient(config).post("/agent/leave", null, Void.class);
    Files.deleteIfExists(state.resolve(AgentConfig.FILE));
    System.out.println("Node " + config.nodeName() + " left " + config.server() + ".");
    return 0;
  }
}
