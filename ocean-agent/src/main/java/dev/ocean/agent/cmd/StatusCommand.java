package dev.ocean.agent.cmd;

import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.AgentStatus;
import java.nio.file.Path;
import picocli.CommandLine.Command;

@Command(
    name = "status",
    description = "Show what this agent knows: server, node, last heartbeat, GPUs.")
final class StatusCommand extends AgentSubcommand {
  @Override
  public Integer call() {
    Path state = stateDir();
    AgentConfig config = AgentConfig.load(state).orElse(null);
    if (config == null) {
      System.out.println("Not joined: no node identity in " + state + ".");
      return 3;
    }
    AgentStatus s = AgentStatus.load(state).orElse(null);
    System.out.println("server          " + config.server());
    System.out.println("node            " + config.nodeName());
    System.out.println("runtime         " + config.runtime());
    System.out.println("state dir       " + state.toAbsolutePath());
    System.out.println(
        "last heartbeat  "
            + (s == null || s.lastHeartbeatAt() == null ? "never" : s.lastHeartbeatAt()));
    System.out.println(
        "server says     " + (s == null || s.serverState() == null ? "-" : s.serverState()));
    if (s != null && s.lastError() != null) {
      System.out.println("last error      " + s.lastError());
    }
    if (s == null || s.gpus().isEmpty()) {
      System.out.println("gpus            none");
    } else {
      s.gpus().forEach(g -> System.out.println("gpu             " + g));
    }
    return 0;
  }
}
